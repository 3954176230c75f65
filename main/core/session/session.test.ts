import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../../common/session';
import {
  ADMIN,
  DEMO,
  fakeJwt,
  TEST_SERVICE,
  testSettings,
  waitForView,
} from '../../../test/support/fixtures';
import { heldSaves, heldWrites } from '../../../test/support/held-saves';
import { runKeychainChild } from '../../../test/support/private-keyring';
import { recordingFetch, type SentRequest } from '../../../test/support/recording-fetch';
import { createFakeTime, useSessionSuite } from '../../../test/support/session-harness';
import { startQuietServer, startRestartableServer } from '../../../test/support/test-server';
import { eventually } from '../../../test/support/wait-until';
import type { FetchLike } from '../auth-client';
import { createAuthClient } from '../auth-client';
import { apiScope, createVault, type Vault } from '../vault';

/** The test keychain with its first write held until `release()` (every later write passes). */
function firstWriteHeld() {
  let writes = 0;
  return heldWrites(() => ++writes === 1);
}

const suite = useSessionSuite();
const { harness } = suite;
const { makeSession, stored } = harness;

describe('signIn()', () => {
  it('signs in, reads the profile and keeps the refresh token in the keychain', async () => {
    const core = makeSession(testSettings(suite.server.url));
    const result = await core.signIn(DEMO.username, DEMO.password);
    expect(result).toMatchObject({
      ok: true,
      value: {
        state: 'active',
        apiOrigin: suite.server.url,
        user: { username: 'demo', role: 'user', name: expect.any(String), sub: expect.any(String) },
        keychain: { available: true },
        reason: null,
        offline: false,
      },
    });
    // The refresh token is written behind the session; the view says so once it is stored.
    expect(await stored(suite.server.url)).toMatch(/.{20,}/);
    expect(core.getView().keychain).toEqual({ available: true, persisted: true });
    const token = await core.getAccessToken();
    expect(token).toMatchObject({ ok: true, value: { tokenType: 'Bearer' } });
    expect(suite.server.requests('/token/refresh')).toHaveLength(0);
  });

  it("shows until when the session lasts: the server's refreshExpiresIn, at sign-in and after a refresh", async () => {
    suite.server.setTokenLifetimes({ accessSeconds: 900, refreshSeconds: 3_600 });
    const core = makeSession(testSettings(suite.server.url));
    const before = Date.now();
    const result = await core.signIn(DEMO.username, DEMO.password);
    const signedIn = result.ok ? result.value.refreshExpiresAt : null;
    expect(signedIn).toBeGreaterThanOrEqual(before + 3_599_000);
    expect(signedIn).toBeLessThanOrEqual(Date.now() + 3_600_000);
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({ ok: true });
    // The reference server keeps the sign-in's absolute end across rotations (whole seconds).
    expect(Math.abs((core.getView().refreshExpiresAt ?? 0) - (signedIn ?? 0))).toBeLessThan(2_000);
  });

  it('reports a wrong password as INVALID_CREDENTIALS, stays signed out and stores nothing', async () => {
    const core = makeSession(testSettings(suite.server.url));
    const result = await core.signIn(DEMO.username, 'not-the-password');
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    expect(core.getView()).toMatchObject({ state: 'signedOut', lastError: { code: 'INVALID_CREDENTIALS' } });
    expect(await stored(suite.server.url)).toBeNull();
  });

  it('rejects a malformed sign-in answer as BAD_RESPONSE and stores nothing', async () => {
    const core = makeSession(testSettings(suite.server.url));
    suite.server.failNext(1, {
      path: '/login',
      status: 200,
      body: JSON.stringify({ accessToken: 'not-a-jwt', expiresIn: 900, refreshToken: 'rt-garbage-1' }),
    });
    const result = await core.signIn(DEMO.username, DEMO.password);
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE' } });
    expect(core.getView().state).toBe('signedOut');
    expect(await stored(suite.server.url)).toBeNull();
    expect(await core.getAccessToken()).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });

  it("falls back to the access token's claims when the profile endpoint fails", async () => {
    const core = makeSession(testSettings(suite.server.url));
    suite.server.failNext(1, { path: '/api/user/me', status: 500 });
    const result = await core.signIn(DEMO.username, DEMO.password);
    expect(result).toMatchObject({
      ok: true,
      value: { state: 'active', user: { username: 'demo', name: 'Demo User', role: 'user' } },
    });
  });

  it('never writes the keychain when staying signed in is off', async () => {
    const core = makeSession(testSettings(suite.server.url, { staySignedIn: false }));
    expect((await core.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
    expect(core.getView().keychain).toEqual({ available: true, persisted: false });
    expect(await stored(suite.server.url)).toBeNull();
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({ ok: true });
    expect(await stored(suite.server.url)).toBeNull();
  });

  it('keeps the session in memory and says why when the keychain write fails', async () => {
    const broken: Vault = {
      load: async () => ({ ok: true, value: null }),
      save: async () => ({
        ok: false,
        error: { code: 'KEYCHAIN_UNAVAILABLE', message: 'The keychain is locked: test' },
      }),
      remove: async () => ({ ok: true, value: undefined }),
    };
    const core = makeSession(testSettings(suite.server.url), { vault: broken });
    expect((await core.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
    expect(core.getView()).toMatchObject({
      state: 'active',
      keychain: { available: false, persisted: false, reason: 'The keychain is locked: test' },
    });
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({ ok: true });
  });

  it('makes a token request sent during sign-in wait for it instead of failing', async () => {
    const core = makeSession(testSettings(suite.server.url));
    const signIn = core.signIn(DEMO.username, DEMO.password);
    const token = core.getAccessToken();
    expect(await token).toMatchObject({ ok: true, value: { tokenType: 'Bearer' } });
    expect((await signIn).ok).toBe(true);
  });

  it('is active once the server answered and the profile arrived, and writes the refresh token behind it', async () => {
    const keychain = heldSaves();
    const core = makeSession(testSettings(suite.server.url), { vault: keychain.vault });
    const seen: SessionView[] = [];
    core.onChange((view) => seen.push(view));
    const signIn = core.signIn(DEMO.username, DEMO.password);
    await keychain.saving;
    // Active while the keychain write is still held: the view says the token is not stored yet.
    expect(await signIn).toMatchObject({
      ok: true,
      value: { state: 'active', user: { username: 'demo' }, keychain: { available: true, persisted: false } },
    });
    expect(suite.server.requests('/api/user/me')).toHaveLength(1);
    expect(await core.getAccessToken()).toMatchObject({ ok: true });
    keychain.release();
    await keychain.settled();
    expect(await stored(suite.server.url)).toMatch(/.{20,}/);
    // …and tells every window once it is.
    expect(seen.at(-1)).toMatchObject({ state: 'active', keychain: { available: true, persisted: true } });
  });

  it('revokes and takes back the tokens of a session replaced while its refresh token was being written', async () => {
    const keychain = heldSaves();
    const core = makeSession(testSettings(suite.server.url), { vault: keychain.vault });
    const first = core.signIn(DEMO.username, DEMO.password);
    await keychain.saving;
    expect(await first).toMatchObject({ ok: true, value: { state: 'active' } });
    // A new sign-in ends the first session; its delete waits behind the held write.
    const second = core.signIn(DEMO.username, 'wrong-password');
    keychain.release();
    expect(await second).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    await keychain.settled();
    await eventually(
      async () => (await stored(suite.server.url)) === null && suite.server.requests('/logout').length === 1,
    );
  });

  it("keeps a refresh's token stored when the sign-in's write before it fails", async () => {
    // The sign-in's write waits until the test lets it fail (a keychain that refused, or timed out);
    // every later write passes to the test keychain.
    const held = firstWriteHeld();
    const keychain = held.vault;
    const core = makeSession(testSettings(suite.server.url), { vault: keychain });
    expect(await core.signIn(DEMO.username, DEMO.password)).toMatchObject({ ok: true });
    await held.holding;
    // The page forces a refresh while the sign-in's token is still being written: its write waits
    // behind that one.
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({ ok: true });
    held.release('refuse');
    await keychain.settled();
    // The refresh's token is what the keychain holds, and the view says so.
    expect(await stored(suite.server.url)).toMatch(/.{20,}/);
    expect(core.getView().keychain).toEqual({ available: true, persisted: true });
  });

  it("never deletes another session's token after its own write failed (the clean-up runs in the write's step)", async () => {
    // Two sessions of one user on one keychain (a re-sign-in beside the older one): the first one's
    // write waits, then fails; the second one's write was asked for meanwhile and lands after it.
    const held = firstWriteHeld();
    const keychain = held.vault;
    const older = makeSession(testSettings(suite.server.url), { vault: keychain });
    expect(await older.signIn(DEMO.username, DEMO.password)).toMatchObject({ ok: true });
    await held.holding;
    const newer = makeSession(testSettings(suite.server.url), { vault: keychain });
    expect(await newer.signIn(DEMO.username, DEMO.password)).toMatchObject({ ok: true });
    held.release('refuse');
    await keychain.settled();
    await waitForView(older, (view) => !view.keychain.available);
    expect(newer.getView().keychain).toEqual({ available: true, persisted: true });
    expect(await stored(suite.server.url)).toMatch(/.{20,}/);
  });

  describe('a session let go (dispose) while its refresh is on the network', () => {
    /** The harness's fetch, but refresh answers wait for `release()` (the server has answered). */
    function heldRefreshes() {
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      let sent: () => void = () => {};
      const sending = new Promise<void>((resolve) => {
        sent = resolve;
      });
      const fetch: FetchLike = async (input, init) => {
        const response = await harness.fetch(input, init);
        if (new URL(input.url).pathname === '/token/refresh') {
          sent();
          await gate;
        }
        return response;
      };
      return { fetch, sending, release };
    }

    it('does not store its late rotation over a newer session of the same account (a re-sign-in)', async () => {
      const held = heldRefreshes();
      const older = makeSession(testSettings(suite.server.url), { fetch: held.fetch });
      expect((await older.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
      expect(await stored(suite.server.url)).not.toBeNull();
      const refresh = older.getAccessToken({ forceRefresh: true });
      await held.sending;
      older.dispose();
      const newer = makeSession(testSettings(suite.server.url));
      expect((await newer.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
      const newerToken = await stored(suite.server.url);
      held.release();
      await refresh;
      expect(await stored(suite.server.url)).toBe(newerToken);
    });

    it('still stores its late rotation over its own token (the app quitting mid-refresh)', async () => {
      const held = heldRefreshes();
      const core = makeSession(testSettings(suite.server.url), { fetch: held.fetch });
      expect((await core.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
      const before = await stored(suite.server.url);
      const refresh = core.getAccessToken({ forceRefresh: true });
      await held.sending;
      core.dispose();
      held.release();
      await refresh;
      const after = await stored(suite.server.url);
      expect(after).toMatch(/.{20,}/);
      expect(after).not.toBe(before);
    });
  });

  it('is NOT_SIGNED_IN for a token request before any sign-in', async () => {
    const core = makeSession(testSettings(suite.server.url));
    expect(await core.getAccessToken()).toEqual({
      ok: false,
      error: { code: 'NOT_SIGNED_IN', message: 'Not signed in' },
    });
  });
});

describe('with a locked or missing keychain (child process with its own D-Bus session)', () => {
  it.each(['locked', 'no-secret-service'] as const)(
    'still signs in and refreshes in memory (%s), and the view says why staying signed in is off',
    async (kind) => {
      const out = await runKeychainChild(kind, 'session', { SERVER_URL: suite.server.url });
      expect(out).toMatchObject({
        signInOk: true,
        tokenOk: true,
        view: {
          state: 'active',
          keychain: { available: false, persisted: false, reason: expect.any(String) },
        },
        signOut: { revoked: true },
      });
      const reason = (out.view as { keychain: { reason: string } }).keychain.reason;
      expect(reason).toMatch(kind === 'locked' ? /locked/ : /Secret Service/);
      expect(suite.server.requests('/token/refresh')).toHaveLength(1);
    },
  );
});

describe('start()', () => {
  it('signs in silently after a restart from the keychain with exactly one refresh', async () => {
    const first = makeSession(testSettings(suite.server.url));
    await first.signIn(DEMO.username, DEMO.password);
    const before = await stored(suite.server.url);
    first.dispose();
    suite.server.clearRequests();

    const restarted = makeSession(testSettings(suite.server.url));
    const view = await restarted.start();
    expect(view).toMatchObject({
      state: 'active',
      user: { username: 'demo' },
      keychain: { persisted: true },
    });
    expect(suite.server.requests('/token/refresh')).toHaveLength(1);
    expect(await stored(suite.server.url)).not.toBe(before);
    expect(await restarted.getAccessToken()).toMatchObject({ ok: true });
  });

  it('is active once the refresh and the profile answered, and writes the rotated token behind it', async () => {
    const first = makeSession(testSettings(suite.server.url));
    await first.signIn(DEMO.username, DEMO.password);
    const before = await stored(suite.server.url);
    first.dispose();
    suite.server.clearRequests();
    const keychain = heldSaves();
    const restarted = makeSession(testSettings(suite.server.url), { vault: keychain.vault });
    const starting = restarted.start();
    await keychain.saving;
    expect(await starting).toMatchObject({
      state: 'active',
      user: { username: 'demo' },
      keychain: { persisted: true },
    });
    expect(await restarted.getAccessToken()).toMatchObject({ ok: true });
    expect(await stored(suite.server.url)).toBe(before);
    keychain.release();
    await keychain.settled();
    const after = await stored(suite.server.url);
    expect(after).toMatch(/.{20,}/);
    expect(after).not.toBe(before);
    expect(suite.server.requests('/token/refresh')).toHaveLength(1);
    expect(suite.server.requests('/api/user/me')).toHaveLength(1);
  });

  it('makes a token request sent during start-up wait for the restore', async () => {
    const first = makeSession(testSettings(suite.server.url));
    await first.signIn(DEMO.username, DEMO.password);
    first.dispose();
    const restarted = makeSession(testSettings(suite.server.url));
    const starting = restarted.start();
    expect(await restarted.getAccessToken()).toMatchObject({ ok: true });
    expect((await starting).state).toBe('active');
    expect(suite.server.requests('/token/refresh')).toHaveLength(1);
  });

  it('stays signed out without a request when nothing is stored', async () => {
    const core = makeSession(testSettings(suite.server.url));
    expect(await core.start()).toMatchObject({ state: 'signedOut', reason: null });
    expect(suite.server.requests()).toHaveLength(0);
  });

  it('does not read the keychain when staying signed in is off', async () => {
    const vault = createVault({ service: TEST_SERVICE });
    await vault.save(apiScope(suite.server.url), DEMO.username, 'rt-never-used');
    const core = makeSession(testSettings(suite.server.url, { staySignedIn: false }));
    expect(await core.start()).toMatchObject({ state: 'signedOut' });
    expect(suite.server.requests()).toHaveLength(0);
  });

  it('signs out and deletes the entry when the server refuses the stored token', async () => {
    await createVault({ service: TEST_SERVICE }).save(
      apiScope(suite.server.url),
      DEMO.username,
      'rt-unknown-to-server',
    );
    const core = makeSession(testSettings(suite.server.url));
    const view = await core.start();
    expect(view).toMatchObject({
      state: 'signedOut',
      reason: 'refreshTokenInvalid',
      lastError: { code: 'SESSION_EXPIRED', serverError: 'InvalidRefreshTokenError' },
    });
    expect(await stored(suite.server.url)).toBeNull();
  });

  it('keeps the stored token through a transient failure and restores the session when online again', async () => {
    const first = makeSession(testSettings(suite.server.url));
    await first.signIn(DEMO.username, DEMO.password);
    first.dispose();
    const time = createFakeTime(Date.now());
    suite.server.failNext(1, { path: '/token/refresh', status: 503, retryAfterSeconds: 5 });
    const core = makeSession(testSettings(suite.server.url), { now: time.now, timers: time.timers });
    const view = await core.start();
    expect(view).toMatchObject({
      state: 'signedOut',
      reason: 'silentSignInFailed',
      offline: true,
      lastError: { code: 'SERVER', retryAfterSeconds: 5 },
    });
    expect(view.nextRefreshAt).toBeGreaterThanOrEqual(time.now() + 5_000);
    expect(await stored(suite.server.url)).not.toBeNull();

    core.onOnline();
    const restored = await waitForView(core, (v) => v.state === 'active');
    expect(restored).toMatchObject({
      offline: false,
      reason: null,
      lastError: null,
      user: { username: 'demo' },
    });
  });
});

describe('retryRestore(): the keychain read again after a start-up restore that could not read it', () => {
  /** The test keychain, except that its first `failing` loads answer as a keychain that did not answer. */
  function unreadFirst(failing = 1) {
    const keychain = createVault({ service: TEST_SERVICE });
    let loads = 0;
    const vault: Vault = {
      load: async (scope) => {
        loads += 1;
        if (loads <= failing) {
          return {
            ok: false,
            error: { code: 'KEYCHAIN_UNAVAILABLE', message: 'The keychain did not answer: within 5 s' },
          };
        }
        return keychain.load(scope);
      },
      save: keychain.save,
      remove: keychain.remove,
    };
    return { vault, loads: () => loads };
  }

  it('says at start that a stored session could not be read, and restores it when asked again', async () => {
    const first = makeSession(testSettings(suite.server.url));
    await first.signIn(DEMO.username, DEMO.password);
    first.dispose();
    suite.server.clearRequests();
    const keychain = unreadFirst();
    const core = makeSession(testSettings(suite.server.url), { vault: keychain.vault });
    expect(await core.start()).toMatchObject({
      state: 'signedOut',
      reason: null,
      keychain: { available: false, persisted: false, unread: true },
    });
    expect(suite.server.requests()).toHaveLength(0);
    expect(await core.retryRestore()).toMatchObject({
      state: 'active',
      user: { username: 'demo' },
      keychain: { available: true, persisted: true },
    });
    expect(core.getView().keychain.unread).toBeUndefined();
    expect(suite.server.requests('/token/refresh')).toHaveLength(1);
    expect(keychain.loads()).toBe(2);
  });

  it('says the keychain works once a read finds nothing, and stays unread while it still cannot be read', async () => {
    const keychain = unreadFirst(2);
    const core = makeSession(testSettings(suite.server.url), { vault: keychain.vault });
    await core.start();
    expect(await core.retryRestore()).toMatchObject({ state: 'signedOut', keychain: { unread: true } });
    expect(await core.retryRestore()).toMatchObject({
      state: 'signedOut',
      keychain: { available: true, persisted: false },
    });
    expect(core.getView().keychain.unread).toBeUndefined();
    // Nothing is waiting any more: asking again reads nothing.
    await core.retryRestore();
    expect(keychain.loads()).toBe(3);
  });

  it('does nothing once the session moved on: signed in meanwhile, or another API', async () => {
    const keychain = unreadFirst();
    const core = makeSession(testSettings(suite.server.url), { vault: keychain.vault });
    await core.start();
    expect((await core.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
    expect(await core.retryRestore()).toMatchObject({ state: 'active' });
    expect(keychain.loads()).toBe(1);

    const other = unreadFirst();
    const moved = makeSession(testSettings(suite.server.url), { vault: other.vault });
    await moved.start();
    await moved.applySettings(testSettings('http://127.0.0.1:9/elsewhere'));
    expect(moved.getView().keychain.unread).toBeUndefined();
    expect(await moved.retryRestore()).toMatchObject({ state: 'signedOut' });
    expect(other.loads()).toBe(1);
  });
});

describe('signOut()', () => {
  it('sends the access token for deny-listing only while it is live: an expired one is left out', async () => {
    const sent: SentRequest[] = [];
    const time = createFakeTime(Date.now());
    suite.server.setClock(time.now);
    const core = makeSession(testSettings(suite.server.url), {
      now: time.now,
      timers: time.timers,
      fetch: recordingFetch({ sent, inner: harness.fetch as typeof fetch }),
    });
    await core.signIn(DEMO.username, DEMO.password);
    // Past the access token's expiry with no refresh since (the machine asleep: no timer fired).
    time.jump(901_000);
    expect(await core.signOut()).toMatchObject({ revoked: true });
    const logouts = sent.filter((request) => request.url.endsWith('/logout'));
    expect(logouts).toHaveLength(1);
    expect(logouts[0]?.authorization).toBeNull();
  });

  it('sends the live access token with the sign-out, so the server deny-lists it', async () => {
    const sent: SentRequest[] = [];
    const core = makeSession(testSettings(suite.server.url), {
      fetch: recordingFetch({ sent, inner: harness.fetch as typeof fetch }),
    });
    await core.signIn(DEMO.username, DEMO.password);
    expect(await core.signOut()).toMatchObject({ revoked: true });
    const logouts = sent.filter((request) => request.url.endsWith('/logout'));
    expect(logouts.map((request) => request.authorization)).toEqual([expect.stringMatching(/^Bearer /)]);
  });

  it('revokes both tokens on the server and clears the keychain', async () => {
    const core = makeSession(testSettings(suite.server.url));
    await core.signIn(DEMO.username, DEMO.password);
    const refreshToken = (await stored(suite.server.url)) ?? '';
    const access = await core.getAccessToken();
    if (!access.ok) throw new Error('no token');

    expect(await core.signOut()).toEqual({ revoked: true });
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'userSignedOut', user: null });
    expect(await stored(suite.server.url)).toBeNull();
    const probe = createAuthClient({ fetch, endpoints: testSettings(suite.server.url) });
    expect(await probe.refresh(refreshToken)).toMatchObject({
      ok: false,
      error: { code: 'SESSION_EXPIRED' },
    });
    expect(await probe.me(access.value.accessToken)).toMatchObject({
      ok: false,
      error: { serverError: 'TokenRevokedError' },
    });
    expect(await core.getAccessToken()).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });

  it('signs out locally with the server down and reports the failed revocation', async () => {
    const doomed = await startQuietServer();
    const core = makeSession(testSettings(doomed.url));
    await core.signIn(DEMO.username, DEMO.password);
    expect(await stored(doomed.url)).not.toBeNull();
    await doomed.close();

    const result = await core.signOut();
    expect(result).toEqual({ revoked: false, revocationError: expect.objectContaining({ code: 'NETWORK' }) });
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'userSignedOut' });
    expect(await stored(doomed.url)).toBeNull();
  });
});

describe('applySettings()', () => {
  it('signs out of the old API when the base URL changes, deletes its entry and revokes in the background', async () => {
    const other = await startQuietServer();
    try {
      const core = makeSession(testSettings(suite.server.url));
      await core.signIn(DEMO.username, DEMO.password);
      await core.applySettings(testSettings(other.url));
      expect(core.getView()).toMatchObject({
        state: 'signedOut',
        reason: 'apiChanged',
        apiOrigin: other.url,
      });
      expect(await stored(suite.server.url)).toBeNull();
      await eventually(() => suite.server.requests('/logout').length === 1);
      expect(other.requests()).toHaveLength(0);
    } finally {
      await other.close();
    }
  });

  it('treats a changed base path on the same origin as another API', async () => {
    const core = makeSession(testSettings(suite.server.url));
    await core.signIn(DEMO.username, DEMO.password);
    await core.applySettings(testSettings(`${suite.server.url}/v2/`));
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'apiChanged' });
  });

  it('deletes the entry but keeps the session when staying signed in is turned off, and stores it again when on', async () => {
    const core = makeSession(testSettings(suite.server.url));
    await core.signIn(DEMO.username, DEMO.password);
    await core.applySettings(testSettings(suite.server.url, { staySignedIn: false }));
    expect(await stored(suite.server.url)).toBeNull();
    expect(core.getView()).toMatchObject({ state: 'active', keychain: { persisted: false } });
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({ ok: true });
    expect(await stored(suite.server.url)).toBeNull();

    await core.applySettings(testSettings(suite.server.url, { staySignedIn: true }));
    expect(core.getView().keychain).toEqual({ available: true, persisted: true });
    expect(await stored(suite.server.url)).not.toBeNull();
  });

  it('only swaps the client for other changes (a new timeout applies to the next request)', async () => {
    const core = makeSession(testSettings(suite.server.url));
    await core.signIn(DEMO.username, DEMO.password);
    await core.applySettings(testSettings(suite.server.url, { requestTimeoutMs: 200 }));
    expect(core.getView().state).toBe('active');
    suite.server.failNext(1, { path: '/token/refresh', delayMs: 2_000 });
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({
      ok: false,
      error: { code: 'TIMEOUT' },
    });
  });
});

describe('stale sessions never come back', () => {
  it('discards a refresh that returns after an API switch and never stores its rotated token', async () => {
    const other = await startQuietServer();
    try {
      const core = makeSession(testSettings(suite.server.url));
      await core.signIn(DEMO.username, DEMO.password);
      suite.server.failNext(1, { path: '/token/refresh', delayMs: 300 });
      const late = core.getAccessToken({ forceRefresh: true });
      expect(core.getView().state).toBe('refreshing');
      await core.applySettings(testSettings(other.url));
      expect(await late).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
      expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'apiChanged' });
      expect(await stored(suite.server.url)).toBeNull();
      // The old session is revoked in the background (and so is a rotated token the late answer carried).
      await eventually(() => suite.server.requests('/logout').length >= 1);
    } finally {
      await other.close();
    }
  });

  it('keeps only the last of a rapid sign-in, sign-out, sign-in', async () => {
    const core = makeSession(testSettings(suite.server.url));
    const first = core.signIn(DEMO.username, DEMO.password);
    const signOut = core.signOut();
    const second = core.signIn(ADMIN.username, ADMIN.password);
    expect(await first).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    await signOut;
    expect(await second).toMatchObject({ ok: true, value: { state: 'active', user: { username: 'admin' } } });
    expect(core.getView()).toMatchObject({ state: 'active', user: { username: 'admin' } });
    expect(await stored(suite.server.url, ADMIN.username)).not.toBeNull();
    expect(await stored(suite.server.url, DEMO.username)).toBeNull();
    // The superseded sign-in's tokens were revoked once its answer arrived.
    await eventually(() => suite.server.requests('/logout').length >= 1);
  });

  it("keeps a sign-out made while a refresh's new token is being written: nothing stays stored", async () => {
    // The real keychain, whose write of the refreshed token waits until the person has signed out.
    const keychain = heldSaves({ after: 1 });
    const core = makeSession(testSettings(suite.server.url), { vault: keychain.vault });
    expect((await core.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
    await keychain.settled();
    // The new access token is handed out as the server answered; its refresh token is written behind.
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({ ok: true });
    await keychain.saving;
    // The sign-out's delete is asked for while the write is held: it runs after it, never before.
    const signOut = core.signOut();
    keychain.release();
    expect(await signOut).toEqual({ revoked: true });
    await keychain.settled();
    expect(await stored(suite.server.url)).toBeNull();
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'userSignedOut' });
  });

  it('keeps a sign-out made while sign-in is in flight', async () => {
    const core = makeSession(testSettings(suite.server.url));
    suite.server.failNext(1, { path: '/login', delayMs: 200 });
    const signIn = core.signIn(DEMO.username, DEMO.password);
    await core.signOut();
    expect(await signIn).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'userSignedOut' });
    expect(await stored(suite.server.url)).toBeNull();
  });
});

describe('onChange()', () => {
  it('tells listeners about every change and stops after unsubscribe', async () => {
    const core = makeSession(testSettings(suite.server.url));
    const states: string[] = [];
    const unsubscribe = core.onChange((view) => states.push(view.state));
    await core.signIn(DEMO.username, DEMO.password);
    unsubscribe();
    await core.signOut();
    expect(states[0]).toBe('signingIn');
    expect(states.at(-1)).toBe('active');
    expect(states).not.toContain('signedOut');
  });

  it('never shows a token in any view', async () => {
    const core = makeSession(testSettings(suite.server.url));
    await core.signIn(DEMO.username, DEMO.password);
    const token = await core.getAccessToken();
    const refreshToken = await stored(suite.server.url);
    const text = JSON.stringify(harness.views);
    expect(token.ok && text.includes(token.value.accessToken)).toBe(false);
    expect(text).not.toContain(refreshToken);
  });
});

describe('survives a server restart on the same port and database', () => {
  it('keeps the refresh token while the server is down and recovers when it is back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-db-'));
    const flaky = await startRestartableServer({ dataDir: dir });
    const time = createFakeTime(Date.now());
    try {
      const core = makeSession(testSettings(flaky.url), { now: time.now, timers: time.timers });
      await core.signIn(DEMO.username, DEMO.password);
      const before = await stored(flaky.url);
      await flaky.stop();

      const failed = await core.getAccessToken({ forceRefresh: true });
      expect(failed).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
      expect(core.getView()).toMatchObject({
        state: 'active',
        offline: true,
        lastError: { code: 'NETWORK' },
      });
      expect(await stored(flaky.url)).toBe(before);

      await flaky.start();
      core.onOnline();
      await waitForView(core, (view) => view.state === 'active' && !view.offline);
      expect(await stored(flaky.url)).not.toBe(before);
      expect(await core.getAccessToken()).toMatchObject({ ok: true });
    } finally {
      await flaky.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

it('fakeJwt tokens are never accepted by the server (sanity check of the fixtures)', async () => {
  const probe = createAuthClient({ fetch, endpoints: testSettings(suite.server.url) });
  expect(await probe.me(fakeJwt())).toMatchObject({ ok: false, error: { serverError: 'InvalidTokenError' } });
});
