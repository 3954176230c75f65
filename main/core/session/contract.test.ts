// The session under API contracts other than the reference server's: a contract without a refresh
// token, a rotated token read from the contract's path, and a change of contract signing out.
import { describe, expect, it } from 'vitest';
import type { AuthContractSetting } from '../../../common/auth-contract';
import { DEMO, testSettings, waitForView } from '../../../test/support/fixtures';
import { createFakeTime, fireRefresh, useSessionSuite } from '../../../test/support/session-harness';
import { createAuthClient } from '../auth-client';
import type { AuthProtocol } from '../auth-protocol';
import { createPasswordProtocol } from '../password-protocol';
import { MAX_REJECTED_RETRIES, MISCONFIGURED_RETRY_MS, REJECTED_GIVE_UP_MS } from './session';

const suite = useSessionSuite();
const { harness } = suite;

/** The reference server's answers read by a contract that takes no refresh token from them. */
const NO_REFRESH: AuthContractSetting = {
  login: { path: '/login' },
  tokens: { accessToken: 'accessToken', expiresIn: 'expiresIn', refreshToken: null },
  refresh: null,
  logout: { path: '/logout', tokenField: null, sendBearer: true },
};

function noRefreshSession() {
  const time = createFakeTime(Date.now());
  const settings = {
    ...testSettings(suite.server.url),
    apiProfile: 'custom' as const,
    authContract: NO_REFRESH,
  };
  const core = harness.makeSession(settings, { now: time.now, timers: time.timers });
  return { core, time };
}

describe('a contract without a refresh token', () => {
  it('keeps nothing in the keychain and ends the session, asking to sign in again, when the token expires', async () => {
    const { core, time } = noRefreshSession();
    const signedIn = await core.signIn(DEMO.username, DEMO.password);
    expect(signedIn).toMatchObject({ ok: true, value: { state: 'active', keychain: { persisted: false } } });
    expect(await harness.stored(suite.server.url)).toBeNull();
    const view = core.getView();
    // The one timer is the expiry itself, not a refresh a minute before it.
    expect(time.pending().map((timer) => timer.at)).toEqual([view.expiresAt]);
    expect(view.nextRefreshAt).toBeNull();

    time.fireNext();
    expect(core.getView()).toMatchObject({
      state: 'signedOut',
      reason: 'accessTokenExpired',
      lastError: { code: 'SESSION_EXPIRED' },
    });
    expect(suite.server.requests('/token/refresh')).toEqual([]);
  });

  it('hands out the token until it expires, and ends the session when the server refused it (forced)', async () => {
    const { core, time } = noRefreshSession();
    await core.signIn(DEMO.username, DEMO.password);
    // Inside the last minute a refreshing session would refresh; this one serves the token it has.
    time.jump((core.getView().lifetimeMs ?? 0) - 30_000);
    expect(await core.getAccessToken()).toMatchObject({ ok: true });
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({
      ok: false,
      error: { code: 'SESSION_EXPIRED' },
    });
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'accessTokenExpired' });
    expect(suite.server.requests('/token/refresh')).toEqual([]);
  });

  it('signs out locally, sending nothing, when the contract has no logout endpoint either', async () => {
    const time = createFakeTime(Date.now());
    const settings = {
      ...testSettings(suite.server.url),
      apiProfile: 'custom' as const,
      authContract: { ...NO_REFRESH, logout: null },
    };
    const core = harness.makeSession(settings, { now: time.now, timers: time.timers });
    await core.signIn(DEMO.username, DEMO.password);
    expect(await core.signOut()).toEqual({ revoked: false });
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'userSignedOut', lastError: null });
    expect(suite.server.requests('/logout')).toEqual([]);
  });
});

describe('the rotated refresh token', () => {
  it("is read from the contract's path and stored before the new access token is handed out", async () => {
    // The reference server's answer read through a custom contract (not the tessera mapping).
    const contract: AuthContractSetting = {
      login: { path: '/login' },
      tokens: { accessToken: 'accessToken', refreshToken: 'refreshToken', expiresIn: null },
      refresh: { path: '/token/refresh', tokenField: 'refreshToken' },
      logout: { path: '/logout', tokenField: 'refreshToken', sendBearer: true },
    };
    const settings = {
      ...testSettings(suite.server.url),
      apiProfile: 'custom' as const,
      authContract: contract,
    };
    const core = harness.makeSession(settings);
    await core.signIn(DEMO.username, DEMO.password);
    const first = await harness.stored(suite.server.url);
    let storedWhenHandedOut: string | null = null;
    const grant = await core.getAccessToken({ forceRefresh: true });
    storedWhenHandedOut = await harness.stored(suite.server.url);
    expect(grant.ok).toBe(true);
    expect(storedWhenHandedOut).not.toBeNull();
    expect(storedWhenHandedOut).not.toBe(first);
    // The rotated-out token is dead on the server; the stored one is the live one.
    const probe = await fetch(`${suite.server.url}/token/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: first }),
    });
    expect(probe.status).toBe(401);
  });
});

describe('a change of API contract', () => {
  it('signs out of the session like a change of sign-in method; a change of loginPath alone does not', async () => {
    const settings = testSettings(suite.server.url);
    const core = harness.makeSession(settings);
    await core.signIn(DEMO.username, DEMO.password);
    await core.applySettings({ ...settings, loginPath: '/login' });
    expect(core.getView().state).toBe('active');
    await core.applySettings({ ...settings, authContract: { headers: { 'X-Tenant': 'a' } } });
    await waitForView(core, (view) => view.state === 'signedOut');
    expect(core.getView().reason).toBe('signInMethodChanged');
    expect(await harness.stored(suite.server.url)).toBeNull();
  });
});

describe('a refresh the server refuses as a request (a 4xx no refusal rule explains)', () => {
  it('is retried on the timer for 2 minutes without reading as offline, then reads as a configuration error quoting the server, keeping the token', async () => {
    const time = createFakeTime(Date.now());
    const core = harness.makeSession(testSettings(suite.server.url), { now: time.now, timers: time.timers });
    await core.signIn(DEMO.username, DEMO.password);
    const kept = await harness.stored(suite.server.url);
    suite.server.clearRequests();
    const refusal = JSON.stringify({ error: 'BadRequestError', message: 'refreshToken must be a string' });
    const refuseNext = () => suite.server.failNext(1, { path: '/token/refresh', status: 400, body: refusal });

    refuseNext();
    const startedAt = time.now();
    const first = await core.getAccessToken({ forceRefresh: true });
    expect(first).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE', status: 400 } });
    expect(core.getView()).toMatchObject({ state: 'active', offline: false });
    while (core.getView().state === 'active') {
      refuseNext();
      await fireRefresh(core, time);
    }
    const statuses = suite.server.requests('/token/refresh').map((entry) => entry.status);
    expect(statuses.length).toBeGreaterThan(MAX_REJECTED_RETRIES + 1);
    expect(statuses.every((status) => status === 400)).toBe(true);
    expect(time.now() - startedAt).toBeGreaterThanOrEqual(REJECTED_GIVE_UP_MS);
    const view = core.getView();
    expect(view).toMatchObject({
      state: 'signedOut',
      reason: 'refreshMisconfigured',
      offline: false,
      user: null,
      expiresAt: null,
      lastError: { code: 'INVALID_CONFIG', key: 'authContract', status: 400, serverError: 'BadRequestError' },
      keychain: { persisted: true },
    });
    expect(view.lastError?.message).toContain('"refreshToken must be a string"');
    // The server never said the token is bad: it stays stored and is tried again in 10 minutes.
    expect(await harness.stored(suite.server.url)).toBe(kept);
    expect(time.pending().map((timer) => timer.delay)).toEqual([MISCONFIGURED_RETRY_MS]);
    expect(await core.getAccessToken()).toMatchObject({ ok: false, error: { code: 'INVALID_CONFIG' } });

    // Still refused 10 minutes later: nothing changes but the next try.
    const tries = statuses.length;
    refuseNext();
    await fireRefresh(core, time);
    expect(suite.server.requests('/token/refresh')).toHaveLength(tries + 1);
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'refreshMisconfigured' });
    expect(await harness.stored(suite.server.url)).toBe(kept);

    // The server (or the gateway in front of it) accepts the request again: signed back in.
    await fireRefresh(core, time);
    expect(core.getView()).toMatchObject({
      state: 'active',
      reason: null,
      lastError: null,
      user: { username: DEMO.username },
    });
    expect(await harness.stored(suite.server.url)).not.toBe(kept);
  });

  it('gives up after 2 minutes of refusals even when the wall clock is set back a day meanwhile', async () => {
    const time = createFakeTime(Date.now());
    const core = harness.makeSession(testSettings(suite.server.url), { now: time.now, timers: time.timers });
    await core.signIn(DEMO.username, DEMO.password);
    const kept = await harness.stored(suite.server.url);
    suite.server.clearRequests();
    const refuseNext = () =>
      suite.server.failNext(1, { path: '/token/refresh', status: 400, body: '{"error":"BadRequestError"}' });
    refuseNext();
    const monotonic = () => time.timers.monotonicNow?.() ?? Number.NaN;
    const startedAt = monotonic();
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({ ok: false });
    // NTP or the person sets the clock back a day while the server keeps refusing the request.
    time.shiftWallClock(-24 * 3_600_000);
    // Bounded: before, the give-up waited for the wall clock to catch up, a day of retries later.
    for (let tries = 0; tries < 20 && core.getView().state === 'active'; tries++) {
      refuseNext();
      await fireRefresh(core, time);
    }
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'refreshMisconfigured' });
    expect(monotonic() - startedAt).toBeGreaterThanOrEqual(REJECTED_GIVE_UP_MS);
    expect(suite.server.requests('/token/refresh').length).toBeGreaterThan(MAX_REJECTED_RETRIES + 1);
    expect(await harness.stored(suite.server.url)).toBe(kept);
  });

  it('asked for a token before every API call during a brief 404, tries only on its timer and keeps the session and the stored token', async () => {
    const time = createFakeTime(Date.now());
    const core = harness.makeSession(testSettings(suite.server.url), { now: time.now, timers: time.timers });
    await core.signIn(DEMO.username, DEMO.password);
    const kept = await harness.stored(suite.server.url);
    const token = await core.getAccessToken();
    // Inside the lead window: the page's next API call asks for a fresh token.
    time.jump((core.getView().lifetimeMs ?? 0) - 30_000);
    suite.server.clearRequests();
    // One 404 per refresh the session should send (a fault queued and not used would reach the next case).
    const notFoundOnce = () =>
      suite.server.failNext(1, { path: '/token/refresh', status: 404, body: '<html>404 Not Found</html>' });
    notFoundOnce();
    for (let call = 0; call < 10; call++) expect(await core.getAccessToken()).toEqual(token);
    // A caller whose token was refused gets the last error, without a new refresh either.
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({
      ok: false,
      error: { code: 'BAD_RESPONSE', status: 404 },
    });
    expect(suite.server.requests('/token/refresh')).toHaveLength(1);
    expect(core.getView()).toMatchObject({ state: 'active', offline: false, lastError: { status: 404 } });
    expect(await harness.stored(suite.server.url)).toBe(kept);
    // Its timer does try again (and a caller after the retry time may too).
    notFoundOnce();
    await fireRefresh(core, time);
    expect(suite.server.requests('/token/refresh')).toHaveLength(2);
    time.jump(60_000);
    notFoundOnce();
    expect(await core.getAccessToken()).toMatchObject({ ok: false, error: { status: 404 } });
    expect(suite.server.requests('/token/refresh')).toHaveLength(3);
    expect(core.getView().state).toBe('active');
    expect(await harness.stored(suite.server.url)).toBe(kept);
  });

  it('starts counting again after a refresh that works', async () => {
    const time = createFakeTime(Date.now());
    const core = harness.makeSession(testSettings(suite.server.url), { now: time.now, timers: time.timers });
    await core.signIn(DEMO.username, DEMO.password);
    /** A forced refresh and its two retries on the timer, all refused with a 404. */
    const refuseThreeRefreshes = async () => {
      suite.server.failNext(3, { path: '/token/refresh', status: 404 });
      await core.getAccessToken({ forceRefresh: true });
      for (let retry = 0; retry < 2; retry++) {
        time.fireNext();
        await waitForView(core, (view) => view.state !== 'refreshing');
      }
    };
    await refuseThreeRefreshes();
    // The fourth attempt works: the session carries on, and the count is forgotten.
    time.fireNext();
    await waitForView(core, (view) => view.state !== 'refreshing' && view.lastError === null);
    expect(core.getView()).toMatchObject({ state: 'active', offline: false, lastError: null });
    await refuseThreeRefreshes();
    expect(core.getView()).toMatchObject({ state: 'active', lastError: { status: 404 } });
  });
});

describe('a refresh answered with a 2xx the contract cannot use', () => {
  it('is not read as offline nor tried on every token request, and after 2 minutes reads as a contract error, keeping the token', async () => {
    const time = createFakeTime(Date.now());
    const core = harness.makeSession(testSettings(suite.server.url), { now: time.now, timers: time.timers });
    await core.signIn(DEMO.username, DEMO.password);
    const kept = await harness.stored(suite.server.url);
    suite.server.clearRequests();
    // A refresh answer without the lifetime the contract reads (as an OAuth2 server may leave out
    // expires_in): the server answered, and will answer so again.
    const unusableNext = () =>
      suite.server.failNext(1, {
        path: '/token/refresh',
        status: 200,
        body: JSON.stringify({ accessToken: 'x.y.z', refreshToken: 'r'.repeat(43) }),
      });
    unusableNext();
    // Inside the last minute, a page asking for a token before each of 10 API calls.
    time.jump((core.getView().lifetimeMs ?? 0) - 30_000);
    const startedAt = time.now();
    for (let call = 0; call < 10; call++) expect(await core.getAccessToken()).toMatchObject({ ok: true });
    // One refresh, not one per call: each was a refresh the server granted (and may have rotated).
    expect(suite.server.requests('/token/refresh')).toHaveLength(1);
    expect(core.getView()).toMatchObject({
      state: 'active',
      offline: false,
      lastError: { code: 'BAD_RESPONSE', status: 200 },
    });
    while (core.getView().state === 'active') {
      unusableNext();
      await fireRefresh(core, time);
    }
    expect(time.now() - startedAt).toBeGreaterThanOrEqual(REJECTED_GIVE_UP_MS);
    expect(suite.server.requests('/token/refresh').length).toBeGreaterThan(MAX_REJECTED_RETRIES + 1);
    const view = core.getView();
    expect(view).toMatchObject({
      state: 'signedOut',
      reason: 'refreshMisconfigured',
      offline: false,
      lastError: { code: 'INVALID_CONFIG', key: 'authContract', status: 200 },
      keychain: { persisted: true },
    });
    expect(view.lastError?.message).toMatch(
      /^The server's refresh answers cannot be used: .*expiresIn.*; check the API contract \(authContract\.tokens\)$/,
    );
    expect(await harness.stored(suite.server.url)).toBe(kept);
  });
});

describe('a protocol call that throws inside Tessera (a defect, never a server answer)', () => {
  it('fails the sign-in or the refresh as INTERNAL, never leaving the session signing in or refreshing', async () => {
    const settings = testSettings(suite.server.url);
    const real = createPasswordProtocol(
      createAuthClient({ fetch: harness.fetch, endpoints: settings }),
      settings.mePath,
    );
    let throwIn: 'signIn' | 'refresh' | null = 'signIn';
    const thrown = () => Promise.reject(new TypeError('a defect'));
    const protocol: AuthProtocol = {
      ...real,
      signIn: (request) => (throwIn === 'signIn' ? thrown() : real.signIn(request)),
      refresh: (token) => (throwIn === 'refresh' ? thrown() : real.refresh(token)),
    };
    const core = harness.makeSession(settings, { protocolFor: () => protocol });
    expect(await core.signIn(DEMO.username, DEMO.password)).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
    expect(core.getView()).toMatchObject({ state: 'signedOut', lastError: { code: 'INTERNAL' } });

    throwIn = null;
    expect(await core.signIn(DEMO.username, DEMO.password)).toMatchObject({ ok: true });
    throwIn = 'refresh';
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
    expect(core.getView()).toMatchObject({ state: 'active', lastError: { code: 'INTERNAL' } });
    // The stored token is untouched: a defect is no word on it.
    expect(await harness.stored(suite.server.url)).not.toBeNull();
  });
});
