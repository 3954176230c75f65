import { describe, expect, it } from 'vitest';
import { call, login, me, refresh, startTestServer, testClock, useTestServers } from './test-support';
import type { TokenResponse } from './types';

useTestServers();

const DAY = 24 * 60 * 60 * 1000;

describe('POST /token/refresh', () => {
  it('answers a new access token and a new refresh token of the same shape as login', async () => {
    const server = await startTestServer();
    const first = await login(server);
    const answer = await refresh(server, first.refreshToken);
    expect(answer.status).toBe(200);
    const next = answer.body as unknown as TokenResponse;
    expect(Object.keys(next).sort()).toEqual(Object.keys(first).sort());
    expect(next.tokenType).toBe('Bearer');
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(next.accessToken).not.toBe(first.accessToken);
    expect((await me(server, next.accessToken)).status).toBe(200);
  });

  it('keeps working along a chain of rotations', async () => {
    const server = await startTestServer();
    let token = (await login(server)).refreshToken;
    for (let i = 0; i < 5; i += 1) {
      const answer = await refresh(server, token);
      expect(answer.status).toBe(200);
      token = answer.body?.refreshToken as string;
    }
  });

  it('revokes the whole family when a rotated token is presented again', async () => {
    const server = await startTestServer();
    const first = await login(server);
    const second = (await refresh(server, first.refreshToken)).body as unknown as TokenResponse;
    const third = (await refresh(server, second.refreshToken)).body as unknown as TokenResponse;

    const reused = await refresh(server, second.refreshToken);
    expect(reused.status).toBe(401);
    expect(reused.body?.error).toBe('RefreshTokenReusedError');
    expect(typeof reused.body?.message).toBe('string');

    for (const token of [third.refreshToken, first.refreshToken, second.refreshToken]) {
      const answer = await refresh(server, token);
      expect(answer.status).toBe(401);
      expect(answer.body?.error).toBe('InvalidRefreshTokenError');
    }
  });

  it('leaves other sessions of the same user alone when one family is revoked', async () => {
    const server = await startTestServer();
    const laptop = await login(server);
    const phone = await login(server);
    await refresh(server, laptop.refreshToken);
    await refresh(server, laptop.refreshToken);
    expect((await refresh(server, phone.refreshToken)).status).toBe(200);
  });

  it('answers InvalidRefreshTokenError for an unknown token', async () => {
    const server = await startTestServer();
    const answer = await refresh(server, 'bm90LWEtcmVhbC1yZWZyZXNoLXRva2VuLWF0LWFsbC4uLi4');
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({
      error: 'InvalidRefreshTokenError',
      message: 'Refresh token is invalid or has been revoked',
    });
  });

  it('answers RefreshTokenExpiredError once the family has expired', async () => {
    const clock = testClock();
    const server = await startTestServer({ now: clock.now, refreshTtlSeconds: 3600 });
    const { refreshToken } = await login(server);
    clock.advance(3600_000);
    const answer = await refresh(server, refreshToken);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: 'RefreshTokenExpiredError', message: 'Refresh token has expired' });
  });

  it('keeps the absolute expiry of the family: refreshExpiresIn counts down instead of sliding', async () => {
    const clock = testClock();
    const server = await startTestServer({ now: clock.now, refreshTtlSeconds: 10 * 24 * 3600 });
    let tokens = await login(server);
    expect(tokens.refreshExpiresIn).toBe(10 * 24 * 3600);

    clock.advance(4 * DAY + 500);
    tokens = (await refresh(server, tokens.refreshToken)).body as unknown as TokenResponse;
    // 6 days minus half a second are left, rounded down.
    expect(tokens.refreshExpiresIn).toBe(6 * 24 * 3600 - 1);

    clock.advance(5 * DAY);
    tokens = (await refresh(server, tokens.refreshToken)).body as unknown as TokenResponse;
    expect(tokens.refreshExpiresIn).toBe(24 * 3600 - 1);

    clock.advance(DAY);
    expect((await refresh(server, tokens.refreshToken)).body?.error).toBe('RefreshTokenExpiredError');
  });

  it('refuses a token of a family revoked by logout with InvalidRefreshTokenError', async () => {
    const server = await startTestServer();
    const first = await login(server);
    const second = (await refresh(server, first.refreshToken)).body as unknown as TokenResponse;
    await call(server, '/logout', { json: { refreshToken: first.refreshToken } });
    expect((await refresh(server, second.refreshToken)).body?.error).toBe('InvalidRefreshTokenError');
  });
});
