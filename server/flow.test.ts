import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { call, login, me, refresh, startTestServer, testClock, useTestServers } from './test-support';

useTestServers();

describe('the sign-in flow over HTTP', () => {
  it('goes login → me → expiry → refresh → reuse detection → logout → refresh refused', async () => {
    const clock = testClock();
    const server = await startTestServer({ now: clock.now, accessTtlSeconds: 60 });

    const first = await login(server);
    expect(first).toMatchObject({ tokenType: 'Bearer', expiresIn: 60, refreshExpiresIn: 1_209_600 });
    const claims = decodeJwt(first.accessToken);
    expect(claims).toMatchObject({
      name: 'Demo User',
      role: 'user',
      iss: 'tessera-reference',
      aud: 'tessera-api',
    });
    expect(typeof claims.jti).toBe('string');

    const profile = await me(server, first.accessToken);
    expect(profile.status).toBe(200);
    expect(profile.body).toEqual({ sub: claims.sub, username: 'demo', name: 'Demo User', role: 'user' });

    clock.advance(60_000);
    const expired = await me(server, first.accessToken);
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual({ error: 'TokenExpiredError', message: 'Access token has expired' });

    const rotated = await refresh(server, first.refreshToken);
    expect(rotated.status).toBe(200);
    const second = rotated.body as Record<string, string>;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(second.tokenType).toBe('Bearer');
    expect((await me(server, second.accessToken as string)).status).toBe(200);

    const reused = await refresh(server, first.refreshToken);
    expect(reused.status).toBe(401);
    expect(reused.body?.error).toBe('RefreshTokenReusedError');
    // Reuse revokes the whole family: the newest token dies too.
    const newest = await refresh(server, second.refreshToken as string);
    expect(newest.status).toBe(401);
    expect(newest.body?.error).toBe('InvalidRefreshTokenError');

    const third = await login(server);
    const logout = await call(server, '/logout', { json: { refreshToken: third.refreshToken } });
    expect(logout.status).toBe(204);
    expect(logout.text).toBe('');
    const afterLogout = await refresh(server, third.refreshToken);
    expect(afterLogout.status).toBe(401);
    expect(afterLogout.body?.error).toBe('InvalidRefreshTokenError');
  });

  it('answers GET /health with {status: "ok"}', async () => {
    const server = await startTestServer();
    const health = await call(server, '/health');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
  });
});
