import { describe, expect, it } from 'vitest';
import { call, login, me, refresh, startTestServer, testClock, useTestServers } from './test-support';

useTestServers();

describe('POST /logout', () => {
  it('answers 204 and revokes the refresh token family', async () => {
    const server = await startTestServer();
    const tokens = await login(server);
    const answer = await call(server, '/logout', { json: { refreshToken: tokens.refreshToken } });
    expect(answer.status).toBe(204);
    expect(answer.text).toBe('');
    expect((await refresh(server, tokens.refreshToken)).body?.error).toBe('InvalidRefreshTokenError');
  });

  it('deny-lists the access token sent as Bearer, even one of another session: it then answers TokenRevokedError', async () => {
    const server = await startTestServer();
    const signingOut = await login(server);
    const bearer = await login(server);
    const bystander = await login(server);
    // The Bearer belongs to another session than the refresh token, so only the deny list refuses it.
    const answer = await call(server, '/logout', {
      json: { refreshToken: signingOut.refreshToken },
      token: bearer.accessToken,
    });
    expect(answer.status).toBe(204);
    const refused = await me(server, bearer.accessToken);
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ error: 'TokenRevokedError', message: 'Access token has been revoked' });
    expect(refused.headers.get('www-authenticate')).toBe(
      'Bearer realm="tessera", error="invalid_token", error_description="Access token has been revoked"',
    );
    // Only that one token: its session goes on, and so does a third one.
    const renewed = await refresh(server, bearer.refreshToken);
    expect(renewed.status).toBe(200);
    expect((await me(server, renewed.body?.accessToken as string)).status).toBe(200);
    expect((await me(server, bystander.accessToken)).status).toBe(200);
  });

  it('revokes the access tokens of the session even when no Bearer is sent', async () => {
    const server = await startTestServer();
    const tokens = await login(server);
    const other = await login(server);
    await call(server, '/logout', { json: { refreshToken: tokens.refreshToken } });
    expect((await me(server, tokens.accessToken)).body?.error).toBe('TokenRevokedError');
    expect((await me(server, other.accessToken)).status).toBe(200);
  });

  it('keeps a deny-listed token refused through the leeway, then reports it as expired', async () => {
    const clock = testClock();
    const server = await startTestServer({ now: clock.now, accessTtlSeconds: 60, leewaySeconds: 5 });
    const signingOut = await login(server);
    const bearer = await login(server);
    await call(server, '/logout', {
      json: { refreshToken: signingOut.refreshToken },
      token: bearer.accessToken,
    });
    expect((await me(server, bearer.accessToken)).body?.error).toBe('TokenRevokedError');
    // Valid through exp + leeway = 65 s.
    clock.advance(64_999);
    expect((await me(server, bearer.accessToken)).body?.error).toBe('TokenRevokedError');
    clock.advance(1);
    expect((await me(server, bearer.accessToken)).body?.error).toBe('TokenExpiredError');
  });

  it('is idempotent: an unknown or already revoked refresh token still answers 204', async () => {
    const server = await startTestServer();
    const tokens = await login(server);
    for (const refreshToken of [tokens.refreshToken, tokens.refreshToken, 'no-such-token']) {
      expect((await call(server, '/logout', { json: { refreshToken } })).status).toBe(204);
    }
  });

  it('ignores an invalid Bearer and still logs out', async () => {
    const server = await startTestServer();
    const tokens = await login(server);
    const answer = await call(server, '/logout', {
      json: { refreshToken: tokens.refreshToken },
      token: 'x.y.z',
    });
    expect(answer.status).toBe(204);
    expect((await refresh(server, tokens.refreshToken)).status).toBe(401);
  });

  it('answers 400 BadRequestError when refreshToken is missing', async () => {
    const server = await startTestServer();
    const answer = await call(server, '/logout', { json: {} });
    expect(answer.status).toBe(400);
    expect(answer.body?.error).toBe('BadRequestError');
    expect(answer.body?.message).toMatch(/refreshToken/);
  });
});
