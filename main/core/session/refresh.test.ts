// Refresh (single flight, proactive timer, backoff, re-checks) is exercised through the session, against the real suite.server.

import keytar from 'keytar';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../../common/errors';
import { DEMO, TEST_SERVICE, testSettings, waitForView } from '../../../test/support/fixtures';
import { heldSaves } from '../../../test/support/held-saves';
import { createFakeTime, type FakeTime, useSessionSuite } from '../../../test/support/session-harness';
import { accountVault } from '../accounts/account-vault';
import { createAuthClient } from '../auth-client';
import type { Session } from '../contracts';
import { realTimers, type Timers } from '../timers';
import { createVault, type KeytarLike, type Vault } from '../vault';
import { FORCED_REFRESH_INTERVAL_MS } from './session';

const suite = useSessionSuite();
const { harness } = suite;
const { makeSession, stored } = harness;

const refreshes = () => suite.server.requests('/token/refresh').length;

/** A signed-in core on fake time (timers only fire when the test says so). */
async function signedIn(time: FakeTime = createFakeTime(Date.now()), random = () => 0) {
  const core = makeSession(testSettings(suite.server.url), { now: time.now, timers: time.timers, random });
  const result = await core.signIn(DEMO.username, DEMO.password);
  if (!result.ok) throw new Error(result.error.message);
  suite.server.clearRequests();
  return { core, time };
}

/** Fires the pending timer and waits for the refresh it starts to settle. */
async function fireAndSettle(core: Session, time: FakeTime): Promise<void> {
  time.fireNext();
  await waitForView(core, (view) => view.state !== 'refreshing');
}

function tokenOf(result: Result<{ accessToken: string }>): string {
  if (!result.ok) throw new Error(`expected a token, got ${result.error.code}`);
  return result.value.accessToken;
}

describe('proactive refresh', () => {
  it('is scheduled a minute before expiry for a 15-minute token and refreshes when it fires', async () => {
    const { core, time } = await signedIn();
    const view = core.getView();
    const lifetime = view.lifetimeMs ?? 0;
    // The server rounds expiresIn down to whole seconds: 899 s, or 900 s when issued on a second.
    expect([899_000, 900_000]).toContain(lifetime);
    expect(time.pending()).toEqual([{ at: (view.expiresAt ?? 0) - 60_000, delay: lifetime - 60_000 }]);
    expect(view.nextRefreshAt).toBe((view.expiresAt ?? 0) - 60_000);

    const before = tokenOf(await core.getAccessToken());
    await fireAndSettle(core, time);
    expect(refreshes()).toBe(1);
    expect(core.getView()).toMatchObject({ state: 'active', lastRefreshAt: time.now() });
    expect(tokenOf(await core.getAccessToken())).not.toBe(before);
  });

  it('refreshes a 2-second token about every 1.5 s: 5 to 8 refreshes in 10 s, not hundreds', async () => {
    // Server and client share one fake clock. The server rounds expiresIn down to whole seconds,
    // so a 3-second server lifetime reaches the client as the 2-second token this is about.
    const time = createFakeTime(Math.floor(Date.now() / 1000) * 1000 + 500);
    suite.server.setClock(time.now);
    suite.server.setTokenLifetimes({ accessSeconds: 3 });
    const { core } = await signedIn(time, Math.random);
    const lifetimes = new Set([core.getView().lifetimeMs]);
    const end = time.now() + 10_000;
    while ((time.pending()[0]?.at ?? Number.POSITIVE_INFINITY) <= end) {
      await fireAndSettle(core, time);
      lifetimes.add(core.getView().lifetimeMs);
    }
    expect([...lifetimes].every((ms) => ms === 2_000 || ms === 3_000)).toBe(true);
    expect(refreshes()).toBeGreaterThanOrEqual(5);
    expect(refreshes()).toBeLessThanOrEqual(8);
    expect(core.getView().state).toBe('active');
  });

  it('refreshes a 2-second token in real time without a loop', async () => {
    suite.server.setTokenLifetimes({ accessSeconds: 3 }); // whole-second rounding makes this expiresIn 2 (or 3)
    const core = makeSession(testSettings(suite.server.url));
    await core.signIn(DEMO.username, DEMO.password);
    suite.server.clearRequests();
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(refreshes()).toBeGreaterThanOrEqual(1);
    expect(refreshes()).toBeLessThanOrEqual(4);
    expect(core.getView()).toMatchObject({
      state: expect.stringMatching(/active|refreshing/),
      offline: false,
    });
  });

  it("plans a 30-day token's refresh a month ahead in real time, not after 1 ms in a loop", async () => {
    // 30 days is past one platform timer (about 24.8 days): the platform would fire it at once.
    suite.server.setTokenLifetimes({ accessSeconds: 30 * 24 * 3600, refreshSeconds: 60 * 24 * 3600 });
    const core = makeSession(testSettings(suite.server.url));
    await core.signIn(DEMO.username, DEMO.password);
    suite.server.clearRequests();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(refreshes()).toBe(0);
    expect(core.getView().state).toBe('active');
    expect(core.getView().nextRefreshAt).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);
  });

  it('signs in with a 10-year access token and plans its refresh then, through the chained timer', async () => {
    // A backend issuing long-lived tokens; the one timer clamp is realTimers (timers.ts).
    const tenYears = 10 * 365 * 24 * 3600;
    suite.server.setTokenLifetimes({ accessSeconds: tenYears, refreshSeconds: tenYears });
    const core = makeSession(testSettings(suite.server.url));
    expect(await core.signIn(DEMO.username, DEMO.password)).toMatchObject({ ok: true });
    suite.server.clearRequests();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(refreshes()).toBe(0);
    expect(core.getView().state).toBe('active');
    expect(core.getView().nextRefreshAt).toBeGreaterThan(Date.now() + (tenYears - 24 * 3600) * 1000);
  });
});

describe('getAccessToken()', () => {
  it('shares one refresh among 500 concurrent callers when the token has expired', async () => {
    const { core, time } = await signedIn();
    time.jump(900_000);
    const results = await Promise.all(Array.from({ length: 500 }, () => core.getAccessToken()));
    expect(refreshes()).toBe(1);
    expect(new Set(results.map(tokenOf)).size).toBe(1);
  });

  it('shares one refresh among 500 concurrent forced refreshes of a valid token', async () => {
    const { core } = await signedIn();
    const before = tokenOf(await core.getAccessToken());
    const results = await Promise.all(
      Array.from({ length: 500 }, () => core.getAccessToken({ forceRefresh: true })),
    );
    expect(refreshes()).toBe(1);
    const tokens = new Set(results.map(tokenOf));
    expect(tokens.size).toBe(1);
    expect(tokens.has(before)).toBe(false);
  });

  it('answers a forced refresh for a grant that was already replaced with the new token, without refreshing again', async () => {
    const { core, time } = await signedIn();
    const first = await core.getAccessToken();
    if (!first.ok) throw new Error('no token');
    const rejected = first.value.expiresAt;
    time.jump(1_000);
    // The first window's 401: its grant is current, so this refreshes.
    const fresh = await core.getAccessToken({ forceRefresh: true, rejectedExpiresAt: rejected });
    // A second window's 401 for the same old grant arrives after that refresh landed.
    const late = await core.getAccessToken({ forceRefresh: true, rejectedExpiresAt: rejected });
    expect(tokenOf(fresh)).not.toBe(tokenOf(first));
    expect(tokenOf(late)).toBe(tokenOf(fresh));
    expect(refreshes()).toBe(1);
    // A 401 for the current grant still forces a refresh.
    const current = fresh.ok ? fresh.value.expiresAt : 0;
    time.jump(FORCED_REFRESH_INTERVAL_MS);
    expect(tokenOf(await core.getAccessToken({ forceRefresh: true, rejectedExpiresAt: current }))).not.toBe(
      tokenOf(fresh),
    );
    expect(refreshes()).toBe(2);
  });

  it('forces at most one refresh per window: callers inside it wait for its end and share one refresh', async () => {
    const { core, time } = await signedIn();
    const first = await core.getAccessToken({ forceRefresh: true });
    expect(refreshes()).toBe(1);
    const current = first.ok ? first.value.expiresAt : 0;
    // A page insisting that even the fresh token is refused: 200 forced calls naming it.
    const storm = Array.from({ length: 200 }, () =>
      core.getAccessToken({ forceRefresh: true, rejectedExpiresAt: current }),
    );
    await Promise.resolve();
    expect(refreshes()).toBe(1);
    expect(time.pending()[0]).toEqual({
      at: time.now() + FORCED_REFRESH_INTERVAL_MS,
      delay: FORCED_REFRESH_INTERVAL_MS,
    });
    time.fireNext();
    const tokens = new Set((await Promise.all(storm)).map(tokenOf));
    expect(tokens.size).toBe(1);
    expect([...tokens][0]).not.toBe(tokenOf(first));
    expect(refreshes()).toBe(2);
  });

  it('answers a caller who waited out the window with the token that replaced the rejected one meanwhile', async () => {
    const { core, time } = await signedIn();
    const first = await core.getAccessToken({ forceRefresh: true });
    const waiting = core.getAccessToken({ forceRefresh: true });
    await Promise.resolve();
    // Meanwhile the token falls due and an ordinary request refreshes it.
    time.jump(880_000);
    const due = await core.getAccessToken();
    expect(refreshes()).toBe(2);
    time.fireNext();
    expect(tokenOf(await waiting)).toBe(tokenOf(due));
    expect(tokenOf(due)).not.toBe(tokenOf(first));
    expect(refreshes()).toBe(2);
  });

  it('answers NOT_SIGNED_IN, without a refresh, to a caller who waited while the person signed out', async () => {
    const { core, time } = await signedIn();
    await core.getAccessToken({ forceRefresh: true });
    const waiting = core.getAccessToken({ forceRefresh: true });
    await core.signOut();
    time.fireNext();
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    expect(refreshes()).toBe(1);
  });

  it('lets a forced refresh join a refresh already in flight', async () => {
    const { core, time } = await signedIn();
    time.jump(880_000);
    const due = core.getAccessToken();
    const forced = core.getAccessToken({ forceRefresh: true });
    expect(tokenOf(await forced)).toBe(tokenOf(await due));
    expect(refreshes()).toBe(1);
  });

  it('hands out the new access token at once and writes the rotated refresh token behind it', async () => {
    // The sign-in's save passes; the refresh's waits (inside the vault) until the test has looked.
    const keychain = heldSaves({ after: 1 });
    const time = createFakeTime(Date.now());
    const core = makeSession(testSettings(suite.server.url), {
      now: time.now,
      timers: time.timers,
      vault: keychain.vault,
    });
    await core.signIn(DEMO.username, DEMO.password);
    await keychain.settled();
    const before = await stored(suite.server.url);
    const signedIn = core.getAccessToken();
    const refreshed = core.getAccessToken({ forceRefresh: true });
    await keychain.saving;
    // The server answered: the new token is handed out while the keychain write is still held…
    expect(tokenOf(await refreshed)).not.toBe(tokenOf(await signedIn));
    expect(core.getView()).toMatchObject({ state: 'active', keychain: { persisted: true } });
    expect(await stored(suite.server.url)).toBe(before);
    // …and the keychain holds the rotated token once the write is through.
    keychain.release();
    await keychain.settled();
    const after = await stored(suite.server.url);
    expect(after).not.toBeNull();
    expect(after).not.toBe(before);
  });

  it('persists the rotated refresh token; the old one is refused as reused afterwards', async () => {
    const { core } = await signedIn();
    const before = (await stored(suite.server.url)) ?? '';
    tokenOf(await core.getAccessToken({ forceRefresh: true }));
    const after = await stored(suite.server.url);
    expect(after).not.toBeNull();
    expect(after).not.toBe(before);
    const probe = createAuthClient({ fetch, endpoints: testSettings(suite.server.url) });
    expect(await probe.refresh(before)).toMatchObject({
      ok: false,
      error: { serverError: 'RefreshTokenReusedError' },
    });
  });

  it('does not write a refresh token the server did not rotate again, so a failing keychain cannot delete it', async () => {
    // The real test keychain; only its failure is staged (a keychain prompt answered after the vault's
    // timeout cannot happen here). Every write is noted.
    const real = createVault({ service: TEST_SERVICE });
    const writes: string[] = [];
    let failWrites = false;
    const flaky: Vault = {
      load: real.load,
      remove: real.remove,
      save: async (...args) => {
        writes.push(args[2]);
        if (failWrites) return { ok: false, error: { code: 'KEYCHAIN_UNAVAILABLE', message: 'timed out' } };
        return real.save(...args);
      },
    };
    const core = makeSession(testSettings(suite.server.url), { vault: flaky });
    expect((await core.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
    await real.settled();
    const kept = await stored(suite.server.url);
    expect(writes).toEqual([kept]);
    // A real access token of the same server, answered the way a non-rotating server would.
    const other = await createAuthClient({ fetch, endpoints: testSettings(suite.server.url) }).login(
      DEMO.username,
      DEMO.password,
    );
    if (!other.ok || !other.value.refreshToken) throw new Error('the second sign-in failed');
    harness.secrets.add(other.value.accessToken).add(other.value.refreshToken);
    const body = JSON.stringify({
      accessToken: other.value.accessToken,
      expiresIn: 900,
      tokenType: 'Bearer',
    });
    failWrites = true;
    suite.server.failNext(1, { path: '/token/refresh', status: 200, body });

    expect(tokenOf(await core.getAccessToken({ forceRefresh: true }))).toBe(other.value.accessToken);
    expect(writes).toHaveLength(1);
    expect(core.getView()).toMatchObject({ state: 'active', keychain: { available: true, persisted: true } });
    await real.settled();
    expect(await stored(suite.server.url)).toBe(kept);
  });

  it('after a failed write of a rotated token, deletes the rotated-out entry but not a valid token written meanwhile', async () => {
    // The real vault on the test keychain; only the keychain's failures are staged, in keytar's place:
    // 'fail' refuses the write, 'late' writes once the vault has stopped waiting for it (its timeout,
    // 1 s here, fired) — a prompt answered too late, before the clean-up after the failed write ran.
    let failing: 'no' | 'fail' | 'late' = 'no';
    let timedOut: () => void = () => {};
    const timers: Timers = {
      setTimeout: (callback, ms) =>
        realTimers.setTimeout(() => {
          timedOut();
          callback();
        }, ms),
      clearTimeout: (handle) => realTimers.clearTimeout(handle),
    };
    const flakyKeytar: KeytarLike = {
      getPassword: (service, account) => keytar.getPassword(service, account),
      deletePassword: (service, account) => keytar.deletePassword(service, account),
      setPassword: async (service, account, password) => {
        if (failing === 'fail') throw new Error('The keychain refused the write');
        if (failing === 'late')
          await new Promise<void>((resolve) => {
            timedOut = resolve;
          });
        return keytar.setPassword(service, account, password);
      },
    };
    const real = createVault({
      service: TEST_SERVICE,
      timeoutMs: 1_000,
      timers,
      loadKeytar: async () => flakyKeytar,
    });
    // The account's view of it, as the app wires a session (its writes are the vault's saveUser).
    const core = makeSession(testSettings(suite.server.url), {
      vault: accountVault(real, null),
      forcedRefreshIntervalMs: 0,
    });
    expect((await core.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
    // The sign-in's token is written behind it: stored before the next write fails, it is the entry
    // that write cannot replace (the rotated-out token).
    await waitForView(core, (view) => view.keychain.persisted);
    expect(await stored(suite.server.url)).not.toBeNull();
    failing = 'fail';
    tokenOf(await core.getAccessToken({ forceRefresh: true }));
    // The rotated token is written behind the session: the view says so when the write has failed.
    await waitForView(core, (view) => !view.keychain.available);
    await real.settled();
    expect(core.getView().keychain).toMatchObject({ available: false, persisted: false });
    expect(await stored(suite.server.url)).toBeNull();

    failing = 'no';
    tokenOf(await core.getAccessToken({ forceRefresh: true }));
    await waitForView(core, (view) => view.keychain.persisted);
    await real.settled();
    const written = await stored(suite.server.url);
    expect(written).not.toBeNull();
    failing = 'late';
    tokenOf(await core.getAccessToken({ forceRefresh: true }));
    await waitForView(core, (view) => !view.keychain.available);
    await real.settled();
    // The clean-up after the failed write ran once the late write had landed, and left the entry: it
    // held the rotated token, not the rotated-out one the session knew was there.
    const late = await stored(suite.server.url);
    expect(late).not.toBeNull();
    expect(late).not.toBe(written);
  });

  it('signs out with reason refreshTokenReused and deletes the entry when the server detects reuse', async () => {
    const { core } = await signedIn();
    const current = (await stored(suite.server.url)) ?? '';
    // Someone else (a thief, a second copy) uses the token first.
    const probe = createAuthClient({ fetch, endpoints: testSettings(suite.server.url) });
    const stolen = await probe.refresh(current);
    if (stolen.ok && stolen.value.refreshToken) harness.secrets.add(stolen.value.refreshToken);
    const result = await core.getAccessToken({ forceRefresh: true });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'SESSION_EXPIRED', serverError: 'RefreshTokenReusedError' },
    });
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'refreshTokenReused', user: null });
    expect(await stored(suite.server.url)).toBeNull();
  });

  it('signs out with reason refreshTokenExpired when the refresh token has run out', async () => {
    suite.server.setTokenLifetimes({ refreshSeconds: 60 });
    const { core } = await signedIn();
    suite.server.setClock(() => Date.now() + 120_000);
    const result = await core.getAccessToken({ forceRefresh: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'SESSION_EXPIRED' } });
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'refreshTokenExpired' });
    expect(await stored(suite.server.url)).toBeNull();
  });

  it('signs out with reason accountSuspended and deletes the entry when the refresh is refused because the account is suspended', async () => {
    const { core } = await signedIn();
    expect(await stored(suite.server.url)).not.toBeNull();
    // Directus's answer once an administrator has suspended the signed-in account.
    const suspended = { errors: [{ message: 'User suspended.', extensions: { code: 'USER_SUSPENDED' } }] };
    suite.server.failNext(1, { path: '/token/refresh', status: 401, body: JSON.stringify(suspended) });
    const result = await core.getAccessToken({ forceRefresh: true });
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'SESSION_EXPIRED', status: 401, serverError: 'USER_SUSPENDED' },
    });
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'accountSuspended', user: null });
    expect(await stored(suite.server.url)).toBeNull();
  });
});

describe('transient failures', () => {
  it('keeps the session, shows offline and backs off 1 s, 2 s … honouring Retry-After', async () => {
    const { core, time } = await signedIn(createFakeTime(Date.now()), () => 0);
    const before = await stored(suite.server.url);
    suite.server.failNext(1, { path: '/token/refresh', status: 503 });
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({
      ok: false,
      error: { code: 'SERVER' },
    });
    expect(core.getView()).toMatchObject({
      state: 'active',
      offline: true,
      lastError: { code: 'SERVER', status: 503 },
    });
    expect(time.pending().map((t) => t.delay)).toEqual([1_000]);

    suite.server.failNext(1, { path: '/token/refresh', resetConnection: true });
    await fireAndSettle(core, time);
    expect(time.pending().map((t) => t.delay)).toEqual([2_000]);
    expect(core.getView().lastError).toMatchObject({ code: 'NETWORK' });

    suite.server.failNext(1, { path: '/token/refresh', status: 429, retryAfterSeconds: 30 });
    await fireAndSettle(core, time);
    expect(time.pending().map((t) => t.delay)).toEqual([30_000]);
    expect(core.getView().lastError).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 30 });
    expect(await stored(suite.server.url)).toBe(before);

    await fireAndSettle(core, time);
    expect(core.getView()).toMatchObject({ state: 'active', offline: false, lastError: null });
    expect(time.pending()[0]?.delay).toBe((core.getView().lifetimeMs ?? 0) - 60_000);
  });

  it('keeps the old token on a malformed refresh answer and reports BAD_RESPONSE', async () => {
    const { core } = await signedIn();
    const before = await stored(suite.server.url);
    suite.server.failNext(1, {
      path: '/token/refresh',
      status: 200,
      body: '{"accessToken":"eyJ.broken","expiresIn":"soon"}',
    });
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({
      ok: false,
      error: { code: 'BAD_RESPONSE' },
    });
    expect(core.getView()).toMatchObject({ state: 'active', lastError: { code: 'BAD_RESPONSE' } });
    expect(await stored(suite.server.url)).toBe(before);
  });

  it('tries at once on an explicit request while backing off, one attempt in flight at most', async () => {
    const { core, time } = await signedIn();
    suite.server.failNext(1, { path: '/token/refresh', status: 503, retryAfterSeconds: 120 });
    await core.getAccessToken({ forceRefresh: true });
    time.jump(900_000);
    suite.server.clearRequests();
    const results = await Promise.all([core.getAccessToken(), core.getAccessToken(), core.getAccessToken()]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(refreshes()).toBe(1);
  });

  it("waits for the server's Retry-After: token requests meanwhile get the still-valid token and send nothing", async () => {
    const { core, time } = await signedIn();
    const before = tokenOf(await core.getAccessToken());
    time.jump((core.getView().lifetimeMs ?? 0) - 30_000);
    suite.server.failNext(1, { path: '/token/refresh', status: 429, retryAfterSeconds: 20 });
    for (let call = 0; call < 5; call++) expect(tokenOf(await core.getAccessToken())).toBe(before);
    expect(refreshes()).toBe(1);
    expect(core.getView()).toMatchObject({ state: 'active', lastError: { code: 'RATE_LIMITED' } });
    // Once the wait is over, the next request (or the timer) refreshes.
    time.jump(20_000);
    expect(tokenOf(await core.getAccessToken())).not.toBe(before);
    expect(refreshes()).toBe(2);
  });

  it('returns the still-unexpired token inside the lead window when the refresh fails', async () => {
    const { core, time } = await signedIn();
    const before = tokenOf(await core.getAccessToken());
    time.jump((core.getView().lifetimeMs ?? 0) - 30_000);
    suite.server.failNext(1, { path: '/token/refresh', status: 502 });
    expect(tokenOf(await core.getAccessToken())).toBe(before);
    expect(core.getView()).toMatchObject({ offline: true, lastError: { code: 'SERVER' } });
  });

  it('returns the error once the token has expired and the refresh fails', async () => {
    const { core, time } = await signedIn();
    time.jump(900_000);
    suite.server.failNext(1, { path: '/token/refresh', status: 500 });
    expect(await core.getAccessToken()).toMatchObject({ ok: false, error: { code: 'SERVER' } });
  });
});

describe('onResume() and onOnline()', () => {
  it('refreshes at once after a sleep past expiry', async () => {
    const { core, time } = await signedIn();
    const before = core.getView().lastRefreshAt ?? 0;
    time.jump(2 * 3_600_000);
    core.onResume();
    const view = await waitForView(core, (v) => v.state === 'active' && (v.lastRefreshAt ?? 0) > before);
    expect(refreshes()).toBe(1);
    expect(view.expiresAt).toBeGreaterThan(time.now());
  });

  it('does nothing but re-arm the timer when the token is still fresh', async () => {
    const { core, time } = await signedIn();
    const at = core.getView().nextRefreshAt;
    time.jump(60_000);
    core.onResume();
    expect(core.getView().state).toBe('active');
    expect(time.pending()).toHaveLength(1);
    expect(time.pending()[0]?.at).toBe(at);
    expect(refreshes()).toBe(0);
  });

  it('retries at once when the network comes back during backoff', async () => {
    const { core } = await signedIn();
    suite.server.failNext(1, { path: '/token/refresh', status: 503, retryAfterSeconds: 300 });
    await core.getAccessToken({ forceRefresh: true });
    core.onOnline();
    await waitForView(core, (view) => view.state === 'active' && !view.offline);
    expect(refreshes()).toBe(2);
  });
});

describe('a wrong client clock', () => {
  it.each([
    ['ahead', 3_600_000],
    ['behind', -3_600_000],
  ])('still works with the clock an hour %s, reporting the skew', async (_, offset) => {
    const time = createFakeTime(Date.now() + offset);
    const { core } = await signedIn(time);
    const view = core.getView();
    expect(view.clockSkewMs).toBeGreaterThan(-offset - 5_000);
    expect(view.clockSkewMs).toBeLessThan(-offset + 5_000);
    // Scheduling follows expiresIn on the local clock, not the exp claim.
    expect(time.pending()[0]?.delay).toBe((core.getView().lifetimeMs ?? 0) - 60_000);
    tokenOf(await core.getAccessToken());
    expect(refreshes()).toBe(0);
    tokenOf(await core.getAccessToken({ forceRefresh: true }));
    expect(core.getView()).toMatchObject({ state: 'active', user: { username: 'demo' } });
  });
});
