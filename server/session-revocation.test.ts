import { join } from 'node:path';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  type Answer,
  call,
  fileTempDir,
  login,
  me,
  refresh,
  startTestServer,
  testClock,
  useTestServers,
} from './test-support';
import type { TokenResponse } from './types';

useTestServers();

const dir = fileTempDir('tessera-revocation-');

const REVOKED = { error: 'TokenRevokedError', message: 'Access token has been revoked' };
const REVOKED_CHALLENGE =
  'Bearer realm="tessera", error="invalid_token", error_description="Access token has been revoked"';

function expectRevoked(answer: Answer): void {
  expect(answer.status).toBe(401);
  expect(answer.body).toEqual(REVOKED);
  expect(answer.headers.get('www-authenticate')).toBe(REVOKED_CHALLENGE);
}

/** Signs in, then refreshes `times` times; returns every token response of the session, oldest first. */
async function session(
  server: { url: string },
  times: number,
  user?: [string, string],
): Promise<TokenResponse[]> {
  const chain = [await login(server, ...(user ?? []))];
  for (let i = 0; i < times; i += 1) {
    const next = await refresh(server, (chain.at(-1) as TokenResponse).refreshToken);
    expect(next.status).toBe(200);
    chain.push(next.body as unknown as TokenResponse);
  }
  return chain;
}

describe('access tokens carry their session', () => {
  it('as the claim sid, the same across refreshes and different per sign-in', async () => {
    const server = await startTestServer();
    const [first, second] = await session(server, 1);
    const [other] = await session(server, 0);
    const sid = decodeJwt(first?.accessToken as string).sid;
    expect(typeof sid).toBe('string');
    expect(decodeJwt(second?.accessToken as string).sid).toBe(sid);
    expect(decodeJwt(other?.accessToken as string).sid).not.toBe(sid);
  });
});

describe('sign-out', () => {
  it('revokes every earlier access token of the session; other sessions and users keep working', async () => {
    const server = await startTestServer();
    const chain = await session(server, 2);
    const sameUser = await session(server, 1);
    const [otherUser] = await session(server, 0, ['admin', 'admin-password']);
    for (const tokens of chain) expect((await me(server, tokens.accessToken)).status).toBe(200);

    const newest = chain.at(-1) as TokenResponse;
    const answer = await call(server, '/logout', { json: { refreshToken: newest.refreshToken } });
    expect(answer.status).toBe(204);

    for (const tokens of chain) expectRevoked(await me(server, tokens.accessToken));
    for (const tokens of sameUser) expect((await me(server, tokens.accessToken)).status).toBe(200);
    expect((await me(server, otherUser?.accessToken as string)).status).toBe(200);
  });

  it('with an older refresh token of the session revokes the whole session too', async () => {
    const server = await startTestServer();
    const chain = await session(server, 1);
    await call(server, '/logout', { json: { refreshToken: chain[0]?.refreshToken } });
    for (const tokens of chain) expectRevoked(await me(server, tokens.accessToken));
  });

  it('keeps the session revoked until its tokens would have expired, then they report expiry', async () => {
    const clock = testClock();
    const server = await startTestServer({ now: clock.now, accessTtlSeconds: 60, leewaySeconds: 5 });
    const chain = await session(server, 1);
    clock.advance(30_000);
    await call(server, '/logout', { json: { refreshToken: chain[1]?.refreshToken } });
    // The newer token was issued at t=0 and is valid through exp + leeway = 65 s.
    clock.advance(34_999);
    expectRevoked(await me(server, chain[1]?.accessToken as string));
    clock.advance(1);
    expect((await me(server, chain[1]?.accessToken as string)).body?.error).toBe('TokenExpiredError');
  });

  it('stays in force across a restart on a file database', async () => {
    const db = join(dir, 'logout.db');
    const before = await startTestServer({ db });
    const chain = await session(before, 1);
    await call(before, '/logout', { json: { refreshToken: chain[1]?.refreshToken } });
    await before.close();

    const after = await startTestServer({ db });
    for (const tokens of chain) expectRevoked(await me(after, tokens.accessToken));
    expect((await me(after, (await login(after)).accessToken)).status).toBe(200);
    await after.close();
  });
});

describe('refresh-token reuse detection', () => {
  it('revokes the access tokens of the family, the legitimate holder’s newest one included', async () => {
    const server = await startTestServer();
    const chain = await session(server, 2);
    const bystander = await session(server, 0);

    const reused = await refresh(server, chain[0]?.refreshToken as string);
    expect(reused.body?.error).toBe('RefreshTokenReusedError');

    for (const tokens of chain) expectRevoked(await me(server, tokens.accessToken));
    expect((await me(server, bystander[0]?.accessToken as string)).status).toBe(200);
  });

  it('revokes the winner’s access token when two refreshes race with the same token', async () => {
    const server = await startTestServer();
    const [first] = await session(server, 0);
    const answers = await Promise.all([
      refresh(server, first?.refreshToken as string),
      refresh(server, first?.refreshToken as string),
    ]);
    const winner = answers.find((answer) => answer.status === 200);
    const loser = answers.find((answer) => answer.status === 401);
    expect(loser?.body?.error).toBe('RefreshTokenReusedError');
    expectRevoked(await me(server, winner?.body?.accessToken as string));
    expectRevoked(await me(server, first?.accessToken as string));
  });
});
