// The keychain misbehaves: its daemon killed mid-session and restarted, the collection locked mid-session
// or at start-up, the entry deleted behind the app's back. The session must go on in memory, the view
// must say whether "stay signed in" works, and nothing may crash. The daemon and lock cases run in a
// child process with its own D-Bus session and gnome-keyring (libsecret caches its connection per
// process, and the suite's shared keyring must not be killed under the other spec files).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionView } from '../../common/session';
import { apiScope, type KeytarLike, lastUserAccount, tokenAccount } from '../../main/core/vault';
import { DEMO, TEST_SERVICE, testSettings } from '../support/fixtures';
import { type ChildMode, runKeychainChild } from '../support/private-keyring';
import { eventually } from '../support/wait-until';
import { expectNoTokenShapes, useFaultKit } from './support/fault-kit';

const kit = useFaultKit();
const { makeSession, stored } = kit.harness;
const CHILD_TIMEOUT_MS = 60_000;

interface ChildView {
  view: SessionView;
  tokenOk?: boolean;
}

/**
 * Runs `scenario` in a child app with its own keyring daemon against the suite's server (its requests
 * counted from now); the child must not crash, and its log must be as token-free as ours.
 */
async function runOwnDaemonChild(scenario: ChildMode): Promise<Record<string, unknown>> {
  kit.server.clearRequests();
  const out = await runKeychainChild('own-daemon', scenario, { SERVER_URL: kit.server.url });
  expect(out.crashed).toBeUndefined();
  expectNoTokenShapes(JSON.stringify(out));
  return out;
}

describe('the keyring daemon killed mid-session and restarted (own D-Bus session)', () => {
  it(
    'keeps the session in memory, says the keychain is unavailable, and a restarted app signs out with a reason',
    async () => {
      const out = await runOwnDaemonChild('daemon-restart');
      expect(out).toMatchObject({ signInOk: true, gone: true, back: true });

      // Daemon gone: refreshes still work, the rotated token lives in memory only, and the view says so.
      const afterKill = out.afterKill as ChildView;
      expect(afterKill.tokenOk).toBe(true);
      expect(afterKill.view).toMatchObject({
        state: 'active',
        offline: false,
        keychain: { available: false, persisted: false, reason: expect.stringMatching(/keychain/i) },
      });

      // Daemon back: the session still works. libsecret keeps talking to the dead daemon's bus name, so
      // this process cannot store again until it restarts, and its view keeps saying so (it never
      // claims a persisted token it could not write).
      const afterRestart = out.afterRestart as ChildView;
      expect(afterRestart.tokenOk).toBe(true);
      expect(afterRestart.view).toMatchObject({ state: 'active' });

      // A restarted app finds what the keychain last held: the token from before the outage, which the
      // server has rotated since. Its silent sign-in ends with a reason instead of a crash or a loop —
      // and would have succeeded had the running app been able to store again. The reason is the
      // interrupted renewal (the write journal in its user data folder says the writes never landed),
      // not a warning that someone else used the session.
      const restarted = (out.restarted as ChildView & { log: string }).view;
      if (afterRestart.view.keychain.persisted) {
        expect(restarted).toMatchObject({ state: 'active' });
      } else {
        expect(restarted).toMatchObject({
          state: 'signedOut',
          reason: 'refreshInterrupted',
          lastError: { code: 'SESSION_EXPIRED', serverError: 'RefreshTokenReusedError' },
        });
      }
      expect(
        kit.server.requests('/token/refresh').filter((r) => r.status === 401).length,
      ).toBeLessThanOrEqual(1);
    },
    CHILD_TIMEOUT_MS,
  );
});

describe('a locked keychain (own D-Bus session)', () => {
  it(
    'locked mid-session: refreshes keep working in memory and the view says the keychain is locked',
    async () => {
      const out = await runOwnDaemonChild('lock-mid-session');
      expect(out.signInOk).toBe(true);
      const locked = out.locked as ChildView;
      expect(locked.tokenOk).toBe(true);
      expect(locked.view).toMatchObject({
        state: 'active',
        offline: false,
        lastError: null,
        keychain: { available: false, persisted: false, reason: expect.stringMatching(/locked/) },
      });
    },
    CHILD_TIMEOUT_MS,
  );

  it(
    'locked at start-up: stays signed out without a request, and the view says the keychain is locked',
    async () => {
      const out = await runOwnDaemonChild('locked-at-start');
      expect(out).toMatchObject({ signInOk: true, persistedBefore: true });
      const started = (out.started as ChildView).view;
      // keytar reads a locked item as "not found"; the vault's probe write is what notices the lock.
      expect(started).toMatchObject({
        state: 'signedOut',
        user: null,
        reason: null,
        keychain: { available: false, persisted: false, reason: expect.stringMatching(/locked/) },
      });
      expect(kit.server.requests('/token/refresh')).toEqual([]);
    },
    CHILD_TIMEOUT_MS,
  );
});

describe('a keychain locked at sign-out (own D-Bus session)', () => {
  it(
    'says the keychain is locked instead of reporting the token deleted, and the token is still there once unlocked',
    async () => {
      const out = await runOwnDaemonChild('locked-at-sign-out');
      expect(out).toMatchObject({ signInOk: true, unlocked: true });
      // keytar deletes a locked item as "not found", without an error: before, the view said the
      // keychain was fine while the token stayed in it.
      expect((out.signedOut as ChildView).view).toMatchObject({
        state: 'signedOut',
        reason: 'userSignedOut',
        keychain: { available: false, persisted: false, reason: expect.stringMatching(/locked/) },
      });
      expect(out.tokenLeft).toBe(true);
    },
    CHILD_TIMEOUT_MS,
  );
});

describe('a renewal whose keychain write never confirmed (the app’s composition root and user data folder)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * The real keytar, until `refuse()`: then every write and delete fails, as a keychain that locked or
   * whose daemon went away refuses them (their failure is staged in keytar's place); `hang()` instead
   * holds every write until `release()` — a keychain prompt nobody answers, then the process ending.
   */
  function failingKeychain() {
    let mode: 'real' | 'refuse' | 'hang' = 'real';
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    const k: KeytarLike = {
      getPassword: (service, account) => keytar.getPassword(service, account),
      setPassword: async (service, account, password) => {
        if (mode === 'refuse') throw new Error('The keychain refused the write');
        if (mode === 'hang') {
          await released;
          throw new Error('The keychain refused the write');
        }
        return keytar.setPassword(service, account, password);
      },
      deletePassword: async (service, account) => {
        if (mode !== 'real') throw new Error('The keychain refused the delete');
        return keytar.deletePassword(service, account);
      },
    };
    return {
      loadKeytar: async () => k,
      refuse: () => {
        mode = 'refuse';
      },
      hang: () => {
        mode = 'hang';
      },
      release,
    };
  }

  /** Signs in on a new app with `keychain` in keytar's place, then has the next renewal's write fail. */
  async function renewalNotStored(keychain: ReturnType<typeof failingKeychain>, dir: string) {
    const app = kit.openApp(kit.server.url, { userDataDir: dir, loadKeytar: keychain.loadKeytar });
    const window = app.openWindow();
    expect(await window.bridge.auth.signIn(DEMO)).toMatchObject({ state: 'active' });
    await app.keychainSettled();
    const signedIn = await stored(kit.server.url);
    expect(signedIn).not.toBeNull();
    return { app, window, signedIn };
  }

  it('refused with its clean-up: the next start says the renewal was cut off, not that the session was used twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-journal-'));
    dirs.push(dir);
    const keychain = failingKeychain();
    const { app, window, signedIn } = await renewalNotStored(keychain, dir);
    keychain.refuse();
    expect((await window.bridge.auth.getAccessToken({ forceRefresh: true })).accessToken).toBeTruthy();
    await app.keychainSettled();
    expect(app.session.getView().keychain).toMatchObject({ available: false, persisted: false });
    // The keychain kept the token the server has rotated out.
    expect(await stored(kit.server.url)).toBe(signedIn);
    await app.close();

    kit.server.clearRequests();
    const next = kit.openApp(kit.server.url, { userDataDir: dir });
    expect(await next.start()).toMatchObject({
      state: 'signedOut',
      reason: 'refreshInterrupted',
      lastError: { code: 'SESSION_EXPIRED', serverError: 'RefreshTokenReusedError' },
    });
    expect(kit.server.requests('/token/refresh')).toHaveLength(1);
    expect(await stored(kit.server.url)).toBeNull();
  });

  it('cut off by the process ending during the write: the next start says the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-journal-'));
    dirs.push(dir);
    const keychain = failingKeychain();
    const { app, window, signedIn } = await renewalNotStored(keychain, dir);
    keychain.hang();
    expect((await window.bridge.auth.getAccessToken({ forceRefresh: true })).accessToken).toBeTruthy();
    // The process "ends" here: its write never finishes; the next run starts on the same folder.
    // (Read past the harness, which would wait for that write.)
    const entry = tokenAccount(apiScope(kit.server.url), DEMO.username);
    expect(await keytar.getPassword(TEST_SERVICE, entry)).toBe(signedIn);
    const next = kit.openApp(kit.server.url, { userDataDir: dir });
    expect(await next.start()).toMatchObject({ state: 'signedOut', reason: 'refreshInterrupted' });
    keychain.release();
    app.dispose();
  });

  it('cut off by quitting while the refresh was on the network (the server rotated; its answer never came): the next start says the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-journal-'));
    dirs.push(dir);
    // Once the process is "gone", an answer on its way is never read.
    let gone = false;
    const inner = kit.recordingFetch();
    const app = kit.openApp(kit.server.url, {
      userDataDir: dir,
      fetch: async (input, init) => {
        const response = await inner(input, init);
        if (!gone) return response;
        return new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
        });
      },
    });
    const window = app.openWindow();
    expect(await window.bridge.auth.signIn(DEMO)).toMatchObject({ state: 'active' });
    await app.keychainSettled();
    const signedIn = await stored(kit.server.url);
    expect(signedIn).not.toBeNull();
    const held = kit.server.holdNext('/token/refresh');
    void window.bridge.auth.getAccessToken({ forceRefresh: true }).catch(() => undefined);
    await eventually(() => held.arrived);
    // Quitting waits for the keychain only (idle here), not for the refresh; then the process ends.
    await app.close();
    gone = true;
    kit.server.clearRequests();
    held.release();
    await eventually(() => kit.server.requests('/token/refresh').some((request) => request.status === 200));
    expect(await stored(kit.server.url)).toBe(signedIn);

    const next = kit.openApp(kit.server.url, { userDataDir: dir });
    expect(await next.start()).toMatchObject({
      state: 'signedOut',
      reason: 'refreshInterrupted',
      lastError: { serverError: 'RefreshTokenReusedError' },
    });
  });

  it('a write that landed leaves no note: a token used twice still reads as such', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-journal-'));
    dirs.push(dir);
    const { app, window } = await renewalNotStored(failingKeychain(), dir);
    expect((await window.bridge.auth.getAccessToken({ forceRefresh: true })).accessToken).toBeTruthy();
    await app.close();
    const rotated = await stored(kit.server.url);
    if (!rotated) throw new Error('the rotated token was not stored');
    // Someone else presents the stored token first.
    const elsewhere = await fetch(`${kit.server.url}/token/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: rotated }),
    });
    expect(elsewhere.status).toBe(200);
    const next = kit.openApp(kit.server.url, { userDataDir: dir });
    expect(await next.start()).toMatchObject({ state: 'signedOut', reason: 'refreshTokenReused' });
  });
});

describe('the keychain entry deleted behind the app’s back', () => {
  async function deleteEntries(url: string, which: 'both' | 'token'): Promise<void> {
    const scope = apiScope(url);
    await keytar.deletePassword(TEST_SERVICE, tokenAccount(scope, DEMO.username));
    if (which === 'both') await keytar.deletePassword(TEST_SERVICE, lastUserAccount(scope));
  }

  it('mid-session: the session continues and the next refresh stores its token again', async () => {
    const core = makeSession(testSettings(kit.server.url), { fetch: kit.recordingFetch() });
    expect((await core.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
    // Written behind the session: deleted once it is stored, as a person (or a cleaner) would.
    expect(await stored(kit.server.url)).not.toBeNull();
    await deleteEntries(kit.server.url, 'both');
    expect(await stored(kit.server.url)).toBeNull();

    expect(await core.getAccessToken()).toMatchObject({ ok: true });
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({ ok: true });
    expect(await stored(kit.server.url)).not.toBeNull();
    expect(core.getView()).toMatchObject({
      state: 'active',
      lastError: null,
      keychain: { available: true, persisted: true },
    });
  });

  it.each(['both', 'token'] as const)(
    'before a restart (%s entries deleted): silent sign-in finds nothing and stays signed out cleanly',
    async (which) => {
      const first = makeSession(testSettings(kit.server.url), { fetch: kit.recordingFetch() });
      expect((await first.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
      expect(await stored(kit.server.url)).not.toBeNull();
      first.dispose();
      await deleteEntries(kit.server.url, which);
      kit.server.clearRequests();

      const core = makeSession(testSettings(kit.server.url), { fetch: kit.recordingFetch() });
      expect(await core.start()).toMatchObject({
        state: 'signedOut',
        user: null,
        reason: null,
        lastError: null,
        offline: false,
        keychain: { available: true },
      });
      expect(kit.server.requests()).toEqual([]);
      expect(await core.getAccessToken()).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
      // A fresh sign-in works and is stored as usual.
      expect(await core.signIn(DEMO.username, DEMO.password)).toMatchObject({ ok: true });
      expect(await stored(kit.server.url)).not.toBeNull();
      expect(core.getView().keychain).toEqual({ available: true, persisted: true });
    },
  );
});
