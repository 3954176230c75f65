// Builds sessions against the real reference server and real keychain, and remembers every
// secret that crossed the wire so a suite can prove none of them reached a log line or a view.
import keytar from 'keytar';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { SessionView } from '../../common/session';
import type { Settings } from '../../common/settings';
import type { FetchLike } from '../../main/core/auth-client';
import type { Session } from '../../main/core/contracts';
import { createSession, type SessionDeps } from '../../main/core/session/session';
import type { TimerHandle, Timers } from '../../main/core/timers';
import { apiScope, createVault, type KeychainVault, tokenAccount } from '../../main/core/vault';
import type { RunningServer } from '../../server';
import { captureLogs } from './capture-logs';
import { ADMIN, DEMO, TEST_SERVICE, waitForView } from './fixtures';
import { forgetScope } from './forget-scope';
import { recordingFetch } from './recording-fetch';
import { startQuietServer } from './test-server';

/** A clock and timers that move only when told to. */
export interface FakeTime {
  now(): number;
  timers: Timers;
  /**
   * Moves the clock without firing anything (a machine asleep, time passing, or a clock change); the
   * timers' own monotonic clock moves forward with it, never back.
   */
  jump(ms: number): void;
  /** The wall clock is set forward or back by `ms` (NTP, the person): the timers' own clock does not move. */
  shiftWallClock(ms: number): void;
  /** Delays (ms from when they were set) of the timers still pending, soonest first. */
  pending(): Array<{ at: number; delay: number }>;
  /**
   * Fires the soonest pending timer, moving both clocks on by what is left of its wait on the timers'
   * own clock (as a real timer fires: a wall clock set back or forward does not change when); false
   * when none is pending.
   */
  fireNext(): boolean;
}

/** Fake time starting at `start` (default: now, rounded down to a whole second). */
export function createFakeTime(start = Math.floor(Date.now() / 1000) * 1000): FakeTime {
  let now = start;
  // The timers' own clock (Timers.monotonicNow): never set back, and not moved by shiftWallClock.
  let monotonic = 0;
  let nextId = 0;
  // `at`: the wall-clock time the timer was set for; `due`: when it fires by the timers' own clock.
  const queue = new Map<number, { at: number; due: number; delay: number; callback: () => void }>();
  const soonest = () => [...queue.entries()].sort((a, b) => a[1].due - b[1].due)[0];
  return {
    now: () => now,
    timers: {
      setTimeout(callback, ms): TimerHandle {
        nextId += 1;
        queue.set(nextId, {
          at: now + Math.max(0, ms),
          due: monotonic + Math.max(0, ms),
          delay: ms,
          callback,
        });
        return nextId;
      },
      clearTimeout(handle) {
        queue.delete(handle as number);
      },
      monotonicNow: () => monotonic,
    },
    jump(ms) {
      now += ms;
      monotonic += Math.max(0, ms);
    },
    shiftWallClock(ms) {
      now += ms;
    },
    pending: () => [...queue.values()].sort((a, b) => a.due - b.due).map(({ at, delay }) => ({ at, delay })),
    fireNext() {
      const next = soonest();
      if (!next) return false;
      queue.delete(next[0]);
      const step = Math.max(0, next[1].due - monotonic);
      monotonic += step;
      now += step;
      next[1].callback();
      return true;
    },
  };
}

/** Fires `time`'s pending timer and waits until the refresh it starts has been answered and handled. */
export async function fireRefresh(core: Session, time: FakeTime): Promise<void> {
  const before = core.getView();
  time.fireNext();
  await waitForView(
    core,
    (view) =>
      view.state !== 'refreshing' &&
      (view.nextRefreshAt !== before.nextRefreshAt ||
        view.lastRefreshAt !== before.lastRefreshAt ||
        view.state !== before.state),
  );
}

/** Per-suite helper: cores, captured logs, every emitted view and every secret seen. */
export function createSessionHarness() {
  const logs = captureLogs('session-test');
  const disposers: (() => void | Promise<void>)[] = [];
  const views: SessionView[] = [];
  // The passwords every session spec uses, right or wrong; tokens are added as they cross the wire.
  const secrets = new Set<string>([DEMO.password, ADMIN.password, 'not-the-password', 'wrong-password']);
  const apis = new Set<string>();
  /**
   * The one test keychain of the cores made here: their calls run one after another, as one app's do,
   * so a core started after another (a restart) reads what the earlier one wrote behind its sign-in or
   * refresh, and `stored()` reads after them all.
   */
  const keychain: KeychainVault = createVault({ service: TEST_SERVICE, logger: logs.logger.child('vault') });
  /** How to wait for the keychain calls of sessions built elsewhere (an app's own vault), see `track`. */
  const settlers: (() => Promise<void>)[] = [];

  /** Node's fetch, noting every token in auth answers (they must never show up in logs or views). */
  const recordedFetch: FetchLike = recordingFetch({ secrets });

  function makeSession(settings: Settings, deps: Partial<SessionDeps> = {}): Session {
    // The test keychain, unless the case brings a vault of its own; only the keychain is waited for.
    const vault = deps.vault ?? keychain;
    const core = createSession({ settings, fetch: recordedFetch, logger: logs.logger, ...deps, vault });
    return track(core, settings.apiBaseUrl, async () => {
      core.dispose();
      if (vault === keychain) await keychain.settled();
    });
  }

  /**
   * Records the views of a session built elsewhere (the app's composition root) and disposes it at
   * cleanup with `dispose`, awaited: one that waits for the keychain (an app's `close()`) keeps the
   * clean-up's keytar calls from running beside the session's own (libsecret is not safe for that).
   * `keychainSettled` waits for its own keychain's calls (an app's vault): `stored()` reads after them.
   */
  function track<S extends Session>(
    session: S,
    apiBaseUrl: string,
    dispose: () => void | Promise<void> = () => session.dispose(),
    keychainSettled?: () => Promise<void>,
  ): S {
    apis.add(apiBaseUrl);
    session.onChange((view) => views.push(view));
    disposers.push(dispose);
    if (keychainSettled) settlers.push(keychainSettled);
    return session;
  }

  /**
   * The refresh token the keychain holds for this API and user (or null), once the keychain calls the
   * cores made or tracked here asked for have ended — as the next start of the app reads it (quitting waits for
   * them): a session writes its refresh token behind it, so a sign-in may answer before it is stored.
   */
  async function stored(apiBaseUrl: string, username: string = DEMO.username): Promise<string | null> {
    apis.add(apiBaseUrl);
    await Promise.all([keychain.settled(), ...settlers.map((settled) => settled())]);
    const value = await keytar.getPassword(TEST_SERVICE, tokenAccount(apiScope(apiBaseUrl), username));
    if (value) secrets.add(value);
    return value;
  }

  /** Disposes the cores and deletes whatever the tests left in the test keychain. */
  async function cleanup(): Promise<void> {
    for (const dispose of disposers.splice(0)) await dispose();
    settlers.length = 0;
    for (const api of apis) await forgetScope(TEST_SERVICE, apiScope(api), [DEMO.username, ADMIN.username]);
    apis.clear();
  }

  /** No token and no password in any log line or any emitted view. */
  function expectNoLeaks(): void {
    const text = `${logs.text()}\n${JSON.stringify(views)}`;
    expect(secrets.size).toBeGreaterThan(4);
    for (const secret of secrets) expect(text).not.toContain(secret);
  }

  return { logs, views, secrets, makeSession, track, stored, cleanup, expectNoLeaks, fetch: recordedFetch };
}

/**
 * A session suite's per-file setup: a quiet reference server, the harness, default token lifetimes
 * and the server's clock before every case, cleanup after it, and the leak check at the end.
 */
export function useSessionSuite() {
  const harness = createSessionHarness();
  let running: RunningServer | undefined;
  beforeAll(async () => {
    running = await startQuietServer();
  });
  beforeEach(() => {
    running?.clearRequests();
    running?.clearFaults();
    running?.setTokenLifetimes({ accessSeconds: 900, refreshSeconds: 1_209_600 });
    running?.setClock(Date.now);
  });
  afterEach(() => harness.cleanup());
  afterAll(async () => {
    await running?.close();
    harness.expectNoLeaks();
  });
  return {
    harness,
    /** The suite's reference server (started before the first case). */
    get server(): RunningServer {
      if (!running) throw new Error('the session suite server is not started yet');
      return running;
    },
  };
}
