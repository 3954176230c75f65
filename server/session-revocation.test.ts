import { createHash } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './db';
import {
  type Answer,
  call,
  fileTempDir,
  holdWriteLock,
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

  it('outlasts tokens issued with a longer access lifetime before a restart', async () => {
    const clock = testClock();
    const db = join(dir, 'shorter-ttl.db');
    const before = await startTestServer({ db, now: clock.now, accessTtlSeconds: 3600 });
    const chain = await session(before, 1);
    await before.close();

    // The same database and key file, now with 60-second access tokens.
    const after = await startTestServer({ db, now: clock.now, accessTtlSeconds: 60 });
    const next = await refresh(after, chain[1]?.refreshToken as string);
    chain.push(next.body as unknown as TokenResponse);
    const signedOut = await call(after, '/logout', { json: { refreshToken: next.body?.refreshToken } });
    expect(signedOut.status).toBe(204);
    for (const tokens of chain) expectRevoked(await me(after, tokens.accessToken));

    // Long past now + 60 s, but the tokens of the first run are valid until their exp.
    const exp = decodeJwt(chain[0]?.accessToken as string).exp as number;
    clock.set(exp * 1000 - 1);
    for (const tokens of chain.slice(0, 2)) expectRevoked(await me(after, tokens.accessToken));
    clock.advance(1);
    expect((await me(after, chain[0]?.accessToken as string)).body?.error).toBe('TokenExpiredError');
    await after.close();
  });
});

describe('a restart with a larger leeway', () => {
  it('keeps a revoked session and a deny-listed Bearer refused through the new leeway, then expired', async () => {
    const clock = testClock();
    const db = join(dir, 'larger-leeway.db');
    const before = await startTestServer({ db, now: clock.now, accessTtlSeconds: 60, leewaySeconds: 0 });
    const signedOut = await login(before);
    const bearer = await login(before);
    const answer = await call(before, '/logout', {
      json: { refreshToken: signedOut.refreshToken },
      token: bearer.accessToken,
    });
    expect(answer.status).toBe(204);
    await before.close();

    // The same database, now tolerating 120 s of clock skew: both tokens verify until exp + 120 s.
    const after = await startTestServer({ db, now: clock.now, accessTtlSeconds: 60, leewaySeconds: 120 });
    const exp = decodeJwt(signedOut.accessToken).exp as number;
    clock.set(exp * 1000 + 60_000);
    expectRevoked(await me(after, signedOut.accessToken));
    expectRevoked(await me(after, bearer.accessToken));
    clock.set(exp * 1000 + 119_999);
    expectRevoked(await me(after, signedOut.accessToken));
    clock.set((decodeJwt(bearer.accessToken).exp as number) * 1000 + 120_000);
    expect((await me(after, bearer.accessToken)).body?.error).toBe('TokenExpiredError');
    expect((await me(after, signedOut.accessToken)).body?.error).toBe('TokenExpiredError');
    await after.close();
  });
});

describe('two servers on one database file', () => {
  it('refuses on one the access tokens of a session signed out, or caught reusing, on the other', async () => {
    const db = join(dir, 'shared.db');
    const a = await startTestServer({ db });
    const b = await startTestServer({ db });
    // Both answer the token first, so a miss in memory is what is under test on b.
    const signedOut = await login(a);
    expect((await me(b, signedOut.accessToken)).status).toBe(200);
    expect((await call(a, '/logout', { json: { refreshToken: signedOut.refreshToken } })).status).toBe(204);
    expectRevoked(await me(a, signedOut.accessToken));
    expectRevoked(await me(b, signedOut.accessToken));

    const reused = await login(b);
    const rotated = await refresh(b, reused.refreshToken);
    expect(rotated.status).toBe(200);
    expect((await me(a, rotated.body?.accessToken as string)).status).toBe(200);
    // The first refresh token presented again on b: reuse, the family revoked; a never saw it happen.
    expect((await refresh(b, reused.refreshToken)).body?.error).toBe('RefreshTokenReusedError');
    expectRevoked(await me(a, rotated.body?.accessToken as string));
    await Promise.all([a.close(), b.close()]);
  });

  it('keeps a signed-out session refused on one after the other, with a smaller leeway, pruned its revocation', async () => {
    const clock = testClock();
    const db = join(dir, 'shared-leeway.db');
    const a = await startTestServer({ db, now: clock.now, accessTtlSeconds: 60, leewaySeconds: 300 });
    const signedOut = await login(a);
    expect((await call(a, '/logout', { json: { refreshToken: signedOut.refreshToken } })).status).toBe(204);
    // 120 s past exp: expired without a leeway, still inside a's 300 s.
    clock.set((decodeJwt(signedOut.accessToken).exp as number) * 1000 + 120_000);
    expectRevoked(await me(a, signedOut.accessToken));

    // b (leeway 0) starts on the same file: its start prunes the revocation, expired for it, and raises
    // the prune mark in the database. a must not take the token for one that was never revoked.
    const b = await startTestServer({ db, now: clock.now, accessTtlSeconds: 60, leewaySeconds: 0 });
    const answer = await me(a, signedOut.accessToken);
    expect(answer.status).toBe(401);
    expect(answer.body?.error).toBe('TokenExpiredError');
    await Promise.all([a.close(), b.close()]);
  });
});

describe('another process writing to the database file', () => {
  // SQLite never waits for the lock when a transaction that began by reading wants to write: a rotation
  // that read first failed at once with SQLITE_BUSY (500) while another server on the file was writing.
  it('makes a refresh wait for its write lock, then rotate', async () => {
    const db = join(dir, 'locked-rotate.db');
    const server = await startTestServer({ db });
    const { refreshToken } = await login(server);
    const lock = await holdWriteLock(db, 1_000);
    const rotated = await refresh(server, refreshToken);
    await lock.released;
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    expect((await me(server, rotated.body?.accessToken as string)).status).toBe(200);
  });

  it('makes reuse detection wait for its write lock, then revoke the session', async () => {
    const db = join(dir, 'locked-reuse.db');
    const server = await startTestServer({ db });
    const first = await login(server);
    const rotated = await refresh(server, first.refreshToken);
    expect(rotated.status).toBe(200);
    const lock = await holdWriteLock(db, 1_000);
    const reused = await refresh(server, first.refreshToken);
    await lock.released;
    expect(reused.status, JSON.stringify(reused.body)).toBe(401);
    expect(reused.body?.error).toBe('RefreshTokenReusedError');
    expectRevoked(await me(server, rotated.body?.accessToken as string));
    expect((await refresh(server, rotated.body?.refreshToken as string)).body?.error).toBe(
      'InvalidRefreshTokenError',
    );
  });
});

describe('the deny list', () => {
  it('prunes by an index on its expiry, not by reading every entry', () => {
    const db = openDatabase(':memory:');
    const plan = db
      .prepare('EXPLAIN QUERY PLAN DELETE FROM denied_access_tokens WHERE expires_at <= ?')
      .all(0) as { detail: string }[];
    expect(plan.map((step) => step.detail).join('\n')).toMatch(
      /USING (COVERING )?INDEX denied_access_tokens_by_expiry/,
    );
    db.close();
  });
});

describe('a larger leeway after the entries were pruned', () => {
  // Pruning drops what the leeway then in force no longer needs; a later, larger leeway must not bring
  // those tokens back: they had already expired, so they stay expired.
  const withLeeway = (db: string, clock: ReturnType<typeof testClock>, leewaySeconds: number) =>
    startTestServer({ db, now: clock.now, accessTtlSeconds: 60, leewaySeconds });

  /** Signs a session out under leeway 0; returns its access token, the clock set just past its exp. */
  async function signedOutThenExpired(db: string, clock: ReturnType<typeof testClock>) {
    const server = await withLeeway(db, clock, 0);
    const signedOut = await login(server);
    expect((await call(server, '/logout', { json: { refreshToken: signedOut.refreshToken } })).status).toBe(
      204,
    );
    await server.close();
    const exp = decodeJwt(signedOut.accessToken).exp as number;
    clock.set(exp * 1000 + 1_000);
    return signedOut.accessToken;
  }

  /** Under leeway 120, 60 s after `exp`: the token is refused as expired, not accepted. */
  async function expiredUnderLargerLeeway(db: string, clock: ReturnType<typeof testClock>, token: string) {
    const after = await withLeeway(db, clock, 120);
    clock.set((decodeJwt(token).exp as number) * 1000 + 60_000);
    const answer = await me(after, token);
    expect(answer.status).toBe(401);
    expect(answer.body?.error).toBe('TokenExpiredError');
    return after;
  }

  it('does not bring back a deny-listed Bearer whose entry a later deny pruned', async () => {
    const clock = testClock();
    const db = join(dir, 'pruned-deny.db');
    const before = await withLeeway(db, clock, 0);
    const logoutWith = async (bearer: string) =>
      call(before, '/logout', { json: { refreshToken: (await login(before)).refreshToken }, token: bearer });
    const bearer = await login(before);
    await logoutWith(bearer.accessToken);
    clock.set((decodeJwt(bearer.accessToken).exp as number) * 1000 + 1_000);
    // Another logout with a Bearer over a minute after the first prunes the deny list: the first entry
    // has expired under leeway 0.
    await logoutWith((await login(before)).accessToken);
    await before.close();
    await (await expiredUnderLargerLeeway(db, clock, bearer.accessToken)).close();
  });

  it('does not bring back a signed-out session whose revocation a restart pruned', async () => {
    const clock = testClock();
    const db = join(dir, 'pruned-family.db');
    const token = await signedOutThenExpired(db, clock);
    // A restart with the same leeway prunes the expired revocation.
    await (await withLeeway(db, clock, 0)).close();
    const after = await expiredUnderLargerLeeway(db, clock, token);
    // A token that had not expired when the entries were pruned still has the new leeway.
    const fresh = await login(after);
    clock.set((decodeJwt(fresh.accessToken).exp as number) * 1000 + 60_000);
    expect((await me(after, fresh.accessToken)).status).toBe(200);
    await after.close();
  });

  it('does not bring back a signed-out session that an earlier version (no prune mark) pruned', async () => {
    const clock = testClock();
    const db = join(dir, 'pruned-by-earlier.db');
    const token = await signedOutThenExpired(db, clock);
    // What an earlier version left: the expired revocation pruned, and no record of how far.
    const old = new Database(db);
    old.exec('DELETE FROM revoked_families; DROP TABLE IF EXISTS revocations_pruned');
    old.close();
    await (await expiredUnderLargerLeeway(db, clock, token)).close();
  });
});

describe('a database file of the previous version', () => {
  it('is migrated on start: its sessions go on, and new ones record their access expiry', async () => {
    const clock = testClock();
    const db = join(dir, 'previous.db');
    const legacyRefreshToken = 'a-refresh-token-issued-by-the-previous-version';
    // Lay the tables out the way the server does, then take the column away again: the previous
    // version's schema, which differed only by it.
    openDatabase(db).close();
    const old = new Database(db);
    old.exec('ALTER TABLE refresh_families DROP COLUMN access_expires_at');
    old.prepare("INSERT INTO users VALUES ('u-old', 'olduser', 'Old User', 'user', 'unused', 0)").run();
    old
      .prepare("INSERT INTO refresh_families VALUES ('f-old', 'u-old', ?, NULL, ?)")
      .run(clock.now() + 86_400_000, clock.now());
    old
      .prepare("INSERT INTO refresh_tokens VALUES (?, 'f-old', ?, NULL)")
      .run(createHash('sha256').update(legacyRefreshToken).digest('hex'), clock.now());
    old.close();

    const server = await startTestServer({ db, now: clock.now, accessTtlSeconds: 60 });
    // The session signed in under the previous version refreshes, and signing it out still works.
    const legacy = await refresh(server, legacyRefreshToken);
    expect(legacy.status).toBe(200);
    const legacyAccess = legacy.body?.accessToken as string;
    expect((await me(server, legacyAccess)).body?.username).toBe('olduser');
    await call(server, '/logout', { json: { refreshToken: legacy.body?.refreshToken } });
    expectRevoked(await me(server, legacyAccess));

    const fresh = await login(server);
    await server.close();

    const migrated = new Database(db, { readonly: true });
    const expiries = migrated
      .prepare<[], { id: string; access_expires_at: number | null }>(
        'SELECT id, access_expires_at FROM refresh_families',
      )
      .all();
    migrated.close();
    // The previous version never recorded its tokens' expiry: that family keeps NULL (its fallback).
    expect(expiries).toContainEqual({ id: 'f-old', access_expires_at: null });
    const { sid, exp } = decodeJwt(fresh.accessToken);
    expect(expiries).toContainEqual({ id: sid, access_expires_at: (exp as number) * 1000 });

    // Opening the migrated file again changes nothing.
    const again = await startTestServer({ db, now: clock.now, accessTtlSeconds: 60 });
    expect((await me(again, fresh.accessToken)).status).toBe(200);
    await again.close();
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

  it('detects reuse after the session’s absolute expiry too, revoking the access token issued before it', async () => {
    const clock = testClock();
    const server = await startTestServer({ now: clock.now, refreshTtlSeconds: 100, accessTtlSeconds: 900 });
    const victim = await login(server);
    // A thief with a copy of the refresh token rotates it just before the session ends…
    clock.advance(99_000);
    const thief = await refresh(server, victim.refreshToken);
    expect(thief.status).toBe(200);
    // …and the legitimate client presents its (rotated) copy after the end: reuse, not mere expiry.
    clock.advance(2_000);
    const reused = await refresh(server, victim.refreshToken);
    expect(reused.status).toBe(401);
    expect(reused.body?.error).toBe('RefreshTokenReusedError');
    expectRevoked(await me(server, thief.body?.accessToken as string));
    // The thief's own, unused, refresh token: the family is revoked.
    expect((await refresh(server, thief.body?.refreshToken as string)).body?.error).toBe(
      'InvalidRefreshTokenError',
    );
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
