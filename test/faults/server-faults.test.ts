// The server misbehaves at sign-in, at a refresh and at sign-out: down, 5xx, 429, too slow, the
// connection reset before the answer or in the middle of its body. Each case checks what the person
// is shown (view state, offline, lastError and its code), that the refresh token is kept unless the
// server refused it, and (through the fault kit) no unhandled rejection and no token in any log line.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { ErrorInfo } from '../../common/errors';
import type { SessionView } from '../../common/session';
import { createAuthClient } from '../../main/core/auth-client';
import type { Session } from '../../main/core/contracts';
import { DEMO, testSettings, waitForView } from '../support/fixtures';
import { createFakeTime } from '../support/session-harness';
import { startQuietServer } from '../support/test-server';
import { eventually } from '../support/wait-until';
import { expectNoTokenShapes, useFaultKit } from './support/fault-kit';
import { useFaultProxy } from './support/fault-proxy';
import {
  type Api,
  SERVER_FAULTS as FAULTS,
  RELAXED_TIMEOUT_MS,
  type ServerFault,
  SLOW_MS,
  TIMEOUT_MS,
} from './support/server-fault-table';

const kit = useFaultKit();
const { makeSession, stored } = kit.harness;
const proxy = useFaultProxy(() => kit.server.url);

/** Switches the core's request timeout (same API: the session is kept, the next request uses it). */
function useTimeout(core: Session, api: Api, requestTimeoutMs: number): Promise<void> {
  return core.applySettings(testSettings(api.url, { requestTimeoutMs }));
}

/** Injects the fault, with the short client timeout only while a slow answer is what is injected. */
async function inject(fault: ServerFault, path: string, api: Api, core: Session): Promise<void> {
  if (fault.error.code === 'TIMEOUT') await useTimeout(core, api, TIMEOUT_MS);
  await fault.inject(path, api);
}

async function apiFor(fault: ServerFault): Promise<Api> {
  if (fault.via === 'down') {
    const server = await startQuietServer();
    return { url: server.url, server, proxy };
  }
  return { url: fault.via === 'proxy' ? proxy.url : kit.server.url, server: kit.server, proxy };
}

/** A late answer of a slow fault must land before the next case clears the request log. */
async function letLateAnswersLand(fault: ServerFault): Promise<void> {
  if (fault.error.code === 'TIMEOUT') await sleep(SLOW_MS);
}

/** What the person reads: a known code and a sentence that names no secret. */
function expectClearMessage(error: ErrorInfo | null | undefined): void {
  expect(error?.message).toMatch(/^[A-Z].{10,}/);
  expectNoTokenShapes(error?.message ?? '');
}

function closeIfDown(fault: ServerFault, api: Api): Promise<void> {
  return fault.via === 'down' ? api.server.close() : Promise.resolve();
}

describe('sign-in meets a failing server', () => {
  it.each(FAULTS)('$name: stays signed out with $error.code and stores nothing', async (fault) => {
    const api = await apiFor(fault);
    try {
      const core = makeSession(testSettings(api.url, { requestTimeoutMs: RELAXED_TIMEOUT_MS }), {
        fetch: kit.recordingFetch(),
      });
      await inject(fault, '/login', api, core);
      const result = await core.signIn(DEMO.username, DEMO.password);
      expect(result).toEqual({ ok: false, error: expect.objectContaining(fault.error) });
      expect(core.getView()).toMatchObject({
        state: 'signedOut',
        user: null,
        offline: false,
        reason: null,
        lastError: fault.error,
      });
      expectClearMessage(core.getView().lastError);
      expect(await stored(api.url)).toBeNull();
      expect(await core.getAccessToken()).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });

      if (fault.next !== 'stillDown') {
        // Nothing of the failed attempt lingers: trying again just works.
        await useTimeout(core, api, RELAXED_TIMEOUT_MS);
        expect(await core.signIn(DEMO.username, DEMO.password)).toMatchObject({
          ok: true,
          value: { state: 'active', lastError: null },
        });
        expect(await stored(api.url)).not.toBeNull();
      }
      await letLateAnswersLand(fault);
    } finally {
      await closeIfDown(fault, api);
    }
  });
});

describe('a proactive refresh meets a failing server', () => {
  it.each(FAULTS)(
    '$name: keeps the session and the stored token, offline with $error.code',
    async (fault) => {
      const api = await apiFor(fault);
      try {
        const time = createFakeTime(Date.now());
        const core = makeSession(testSettings(api.url, { requestTimeoutMs: RELAXED_TIMEOUT_MS }), {
          now: time.now,
          timers: time.timers,
          random: () => 0,
          fetch: kit.recordingFetch(),
        });
        expect((await core.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
        const before = await stored(api.url);
        await inject(fault, '/token/refresh', api, core);

        time.fireNext();
        const view = await waitForView(core, (v) => v.state === 'active' && v.offline);
        expect(view).toMatchObject({
          user: { username: 'demo' },
          reason: null,
          lastError: fault.error,
          keychain: { available: true, persisted: true },
        });
        expectClearMessage(view.lastError);
        // The retry waits at least the backoff's first step, or as long as the server asked.
        const wait = (view.nextRefreshAt ?? 0) - time.now();
        expect(wait).toBeGreaterThanOrEqual(Math.max(1_000, (fault.error.retryAfterSeconds ?? 0) * 1_000));
        expect(await stored(api.url)).toBe(before);
        await letLateAnswersLand(fault);
        await useTimeout(core, api, RELAXED_TIMEOUT_MS);

        time.fireNext();
        const after = await waitForView(core, (v) => v.state !== 'refreshing');
        await expectAfterRetry(fault, after, api, before);
      } finally {
        await closeIfDown(fault, api);
      }
    },
  );
});

async function expectAfterRetry(fault: ServerFault, view: SessionView, api: Api, before: string | null) {
  if (fault.next === 'recovers') {
    expect(view).toMatchObject({ state: 'active', offline: false, lastError: null });
    expect(await stored(api.url)).not.toBe(before);
  } else if (fault.next === 'stillDown') {
    expect(view).toMatchObject({ state: 'active', offline: true, lastError: { code: 'NETWORK' } });
    expect(await stored(api.url)).toBe(before);
  } else {
    // The server rotated the token but its answer was lost: the kept token is a rotated-out one, and
    // presenting it trips reuse detection, which ends the session (see the report: a server-side grace
    // period for the previous token would avoid this). The person is told why, not warned of theft.
    expect(view).toMatchObject({
      state: 'signedOut',
      reason: 'refreshInterrupted',
      lastError: { code: 'SESSION_EXPIRED', serverError: 'RefreshTokenReusedError' },
    });
    await expectStoredEventually(api.url, null);
  }
}

/**
 * The view is announced before the keychain write behind it finishes: poll the keychain (a read racing
 * the core's delete of the same item can fail once; that is the test's read, not the app's).
 */
async function expectStoredEventually(url: string, expected: string | null): Promise<void> {
  await eventually(async () => {
    try {
      return (await stored(url)) === expected;
    } catch {
      return false;
    }
  });
}

describe('a refresh refused as reused', () => {
  /** A signed-in core on fake timers (no backoff retry fires on its own) against the kit's server. */
  async function signedIn(): Promise<Session> {
    const time = createFakeTime(Date.now());
    const core = makeSession(testSettings(kit.server.url, { requestTimeoutMs: RELAXED_TIMEOUT_MS }), {
      now: time.now,
      timers: time.timers,
      random: () => 0,
      fetch: kit.recordingFetch(),
      // Each case forces refreshes back to back, as a page retrying would; the limit has its own tests.
      forcedRefreshIntervalMs: 0,
    });
    expect((await core.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
    return core;
  }

  /** Someone else redeems the stored refresh token first (a thief, a second copy of the app). */
  async function redeemElsewhere(): Promise<void> {
    const probe = createAuthClient({ fetch, endpoints: testSettings(kit.server.url) });
    const stolen = await probe.refresh((await stored(kit.server.url)) ?? '');
    expect(stolen.ok).toBe(true);
    if (stolen.ok && stolen.value.refreshToken) kit.harness.secrets.add(stolen.value.refreshToken);
  }

  const reused = { code: 'SESSION_EXPIRED', serverError: 'RefreshTokenReusedError' };

  it('after a refresh that timed out (the server rotated meanwhile): refreshInterrupted, entry deleted', async () => {
    const core = await signedIn();
    await useTimeout(core, { url: kit.server.url, server: kit.server, proxy }, 300);
    kit.server.failNext(1, { path: '/token/refresh', delayMs: 800 });

    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({
      ok: false,
      error: { code: 'TIMEOUT' },
    });
    expect(core.getView()).toMatchObject({ state: 'active', offline: true, reason: null });
    // The late request reaches the handler and rotates the token; its answer goes nowhere.
    await sleep(1_000);

    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({ ok: false, error: reused });
    expect(core.getView()).toMatchObject({
      state: 'signedOut',
      user: null,
      reason: 'refreshInterrupted',
      lastError: reused,
    });
    // The server revoked the whole family: nothing worth keeping is left in the keychain.
    await expectStoredEventually(kit.server.url, null);
    expectNoTokenShapes(kit.harness.logs.text());
  });

  it('without an interrupted attempt (another party redeemed the token): still refreshTokenReused', async () => {
    const core = await signedIn();
    await redeemElsewhere();

    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({ ok: false, error: reused });
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'refreshTokenReused' });
    await expectStoredEventually(kit.server.url, null);
  });

  it('after a refresh whose connection was lost, a server that refuses a rotated-out token without a reason (SimpleJWT, Directus): refreshInterrupted', async () => {
    const core = await signedIn();
    kit.server.failNext(1, { path: '/token/refresh', resetConnection: true });
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({
      ok: false,
      error: { code: 'NETWORK' },
    });
    // SimpleJWT's blacklist answers a rotated-out token as merely invalid: 401, no reuse named.
    const notValid = '{"detail":"Token is blacklisted","code":"token_not_valid"}';
    kit.server.failNext(1, { path: '/token/refresh', status: 401, body: notValid });

    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({
      ok: false,
      error: { code: 'SESSION_EXPIRED' },
    });
    // Before, 'refreshTokenInvalid': "the server no longer accepts it … an administrator ends sessions".
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'refreshInterrupted' });
  });

  it('the same refusal after a clean refresh: refreshTokenInvalid', async () => {
    const core = await signedIn();
    const notValid = '{"detail":"Token is blacklisted","code":"token_not_valid"}';
    kit.server.failNext(1, { path: '/token/refresh', status: 401, body: notValid });

    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({
      ok: false,
      error: { code: 'SESSION_EXPIRED' },
    });
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'refreshTokenInvalid' });
  });

  it('after an interrupted attempt that a successful refresh followed: refreshTokenReused again', async () => {
    const core = await signedIn();
    kit.server.failNext(1, { path: '/token/refresh', resetConnection: true });
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({
      ok: false,
      error: { code: 'NETWORK' },
    });
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({ ok: true });
    await redeemElsewhere();

    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({ ok: false, error: reused });
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'refreshTokenReused' });
  });

  it('after a refresh answered with HTTP 503 (a clear answer): still refreshTokenReused', async () => {
    const core = await signedIn();
    kit.server.failNext(1, { path: '/token/refresh', status: 503 });
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({
      ok: false,
      error: { code: 'SERVER', status: 503 },
    });
    await redeemElsewhere();

    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({ ok: false, error: reused });
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'refreshTokenReused' });
  });
});

describe('sign-out meets a failing server', () => {
  // A cut body cannot happen here: a successful sign-out has none.
  const cases = FAULTS.filter((fault) => fault.via !== 'proxy');

  it.each(cases)('$name: signs out locally, forgets the stored token, reports $error.code', async (fault) => {
    const api = await apiFor(fault);
    try {
      const core = makeSession(testSettings(api.url, { requestTimeoutMs: RELAXED_TIMEOUT_MS }), {
        fetch: kit.recordingFetch(),
      });
      expect((await core.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
      await inject(fault, '/logout', api, core);

      const result = await core.signOut();
      expect(result).toEqual({ revoked: false, revocationError: expect.objectContaining(fault.error) });
      expect(core.getView()).toMatchObject({
        state: 'signedOut',
        user: null,
        reason: 'userSignedOut',
        lastError: fault.error,
      });
      expectClearMessage(core.getView().lastError);
      // The person asked to sign out: the token goes from this machine even if the server never heard.
      expect(await stored(api.url)).toBeNull();
      expect(await core.getAccessToken()).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
      await letLateAnswersLand(fault);
    } finally {
      await closeIfDown(fault, api);
    }
  });
});

describe('start-up meets a server that is down', () => {
  it('stays signed out for now with silentSignInFailed, keeps the stored token and retries', async () => {
    const server = await startQuietServer();
    try {
      const first = makeSession(testSettings(server.url), { fetch: kit.recordingFetch() });
      expect((await first.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
      first.dispose();
      const before = await stored(server.url);
      await server.close();

      const time = createFakeTime(Date.now());
      const core = makeSession(testSettings(server.url), {
        now: time.now,
        timers: time.timers,
        random: () => 0,
      });
      const view = await core.start();
      expect(view).toMatchObject({
        state: 'signedOut',
        reason: 'silentSignInFailed',
        offline: true,
        lastError: { code: 'NETWORK' },
        keychain: { available: true, persisted: true },
      });
      expectClearMessage(view.lastError);
      expect(await stored(server.url)).toBe(before);
      expect(time.pending()).toHaveLength(1);
      expect(await core.getAccessToken()).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
    } finally {
      await server.close();
    }
  });
});

describe('a long outage', () => {
  it('backs off 1 s, 2 s, 4 s and, once the access token has expired, answers NETWORK instead of a dead token', async () => {
    const server = await startQuietServer();
    try {
      const time = createFakeTime(Date.now());
      const core = makeSession(testSettings(server.url), {
        now: time.now,
        timers: time.timers,
        random: () => 0,
        fetch: kit.recordingFetch(),
      });
      expect((await core.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
      const before = await stored(server.url);
      await server.close();

      const delays: number[] = [];
      for (let attempt = 0; attempt < 4; attempt++) {
        time.fireNext();
        await waitForView(core, (v) => v.state === 'active' && v.offline && v.nextRefreshAt !== null);
        delays.push((core.getView().nextRefreshAt ?? 0) - time.now());
      }
      expect(delays).toEqual([1_000, 2_000, 4_000, 8_000]);
      time.jump(120_000);
      expect(await core.getAccessToken()).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
      expect(core.getView()).toMatchObject({
        state: 'active',
        offline: true,
        lastError: { code: 'NETWORK' },
      });
      expect(await stored(server.url)).toBe(before);
    } finally {
      await server.close();
    }
  });
});
