// The walk every real backend gets, through the whole app path (bench/app-path.ts: the renderer's ky
// client → preload bridge → IPC handler table → session → the real keychain): sign in, call a
// protected route, refresh proactively, retry once after an expired-token 401, keep the rotated refresh
// token, stay signed in across a restart, and sign out revoking on the server.
import keytar from 'keytar';
import { afterAll, expect, it } from 'vitest';
import { type AppPath, type AppWindow, createAppPath } from '../../../bench/app-path';
import type { ApiProfile } from '../../../common/auth-contract';
import type { SettingsPatch } from '../../../common/settings';
import type { FetchLike } from '../../../main/core/auth-client';
import { apiScope, tokenAccount } from '../../../main/core/vault';
import { waitForView } from '../../support/fixtures';
import { forgetScope } from '../../support/forget-scope';
import { createFakeTime, type FakeTime } from '../../support/session-harness';
import { eventually } from '../../support/wait-until';
import type { createRecorder } from '../report';

/** A backend the test file has started, and how to ask it things directly. */
export interface WalkTarget {
  /** Short name, for the keychain service of this walk. */
  id: string;
  /** The API's base URL (known once the file's beforeAll has started the server). */
  url(): string;
  username: string;
  password: string;
  /** The user-layer settings that select the backend's contract (apiProfile, authContract, mePath). */
  settings: SettingsPatch;
  /** What the app's INVALID_CREDENTIALS carries for a wrong password (`info`), and the step it proves. */
  wrongPassword: { info: Record<string, unknown>; step: string };
  /** A route the API protects, relative to the base URL, and what its answer contains. */
  protectedPath: string;
  protectedAnswer: Record<string, unknown>;
  /** Whether the server still accepts this refresh token (asked directly; a refusal changes nothing). */
  refreshAccepted(refreshToken: string): Promise<boolean>;
}

type Recorder = ReturnType<typeof createRecorder>;

/** An app on fake timers whose clock stands still unless a test moves it: the server's clock runs on. */
export function startApp(
  target: Pick<WalkTarget, 'url'>,
  service: string,
  settings?: SettingsPatch,
  /** The main process's fetch; default Node's (a real server). */
  fetch?: FetchLike,
) {
  const time: FakeTime = createFakeTime(Date.now());
  const app: AppPath = createAppPath({
    apiBaseUrl: target.url(),
    keychainService: service,
    // A connection change (the API contract) proposed by the page is confirmed, as a person would.
    confirmConnectionChange: async () => true,
    now: time.now,
    timers: time.timers,
    random: () => 0.5,
    requestTimeoutMs: 15_000,
    ...(settings ? { settings } : {}),
    ...(fetch ? { fetch } : {}),
  });
  const window: AppWindow = app.openWindow();
  return { time, app, window };
}

/** Where a one-off test (outside the walk) runs its app: the target, a keychain service, maybe a stand-in fetch. */
export interface AppCase {
  target: Pick<WalkTarget, 'url' | 'settings' | 'username' | 'wrongPassword'>;
  service: string;
  /** The main process's fetch; default Node's (a real server). */
  fetch?: FetchLike;
}

/**
 * A fresh app whose settings are the target's with `patch` over them (through the bridge, as the
 * Settings page does), handed to `body`, then disposed whatever `body` did.
 */
export async function withApp(
  { target, service, fetch }: AppCase,
  body: (started: ReturnType<typeof startApp>) => Promise<void>,
  patch: SettingsPatch = {},
): Promise<void> {
  const started = startApp(target, service, undefined, fetch);
  try {
    await started.window.bridge.settings.update({ ...target.settings, ...patch });
    await body(started);
  } finally {
    // close(), not dispose(): the next test and the keychain clean-up start on a quiet keychain
    // (keytar calls from two threads at once upset libsecret: GLib-GIO-CRITICAL, or worse).
    await started.app.close();
  }
}

/** The failure test every backend has: a wrong password reads as wrong credentials (with `info`). */
export function itReadsAWrongPassword(appCase: AppCase, recorder: Recorder): void {
  const { username, wrongPassword } = appCase.target;
  it(`reads a wrong password (${JSON.stringify(wrongPassword.info)}) as wrong credentials`, () =>
    withApp(appCase, async ({ window }) => {
      const error = await window.bridge.auth
        .signIn({ username, password: 'not-the-password' })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'INVALID_CREDENTIALS', info: wrongPassword.info });
      recorder.passed(wrongPassword.step);
    }));
}

/** The connect wizard's step: its step name in the results. */
export const WIZARD_STEP = 'the connect wizard proposes this preset; its trial sign-in keeps nothing';

/**
 * The connect wizard against the real server, through the bridge as the page calls it: the probe
 * proposes `preset`, and a trial sign-in with the proposal works, revokes its refresh token there and
 * leaves the app signed out with nothing in the keychain.
 */
export function itIsFoundByTheConnectWizard(
  appCase: AppCase & { target: Pick<WalkTarget, 'password'> },
  preset: ApiProfile,
  recorder: Recorder,
): void {
  const { target, service } = appCase;
  it(`the connect wizard's probe proposes ${preset}, and its trial sign-in keeps nothing`, () =>
    withApp(appCase, async ({ window }) => {
      const url = target.url();
      const proposal = await window.bridge.settings.probeApi(url);
      expect(proposal).toMatchObject({ url, profile: preset });
      const trial = await window.bridge.settings.trySignIn({
        apiBaseUrl: url,
        apiProfile: preset,
        authContract: proposal.authContract,
        username: target.username,
        password: target.password,
      });
      expect(trial).toMatchObject({ refreshable: true, discarded: 'revoked' });
      expect(await window.bridge.auth.getSession()).toMatchObject({ state: 'signedOut' });
      expect(await keytar.getPassword(service, tokenAccount(apiScope(url), target.username))).toBeNull();
      recorder.passed(WIZARD_STEP);
    }));
}

/** Deletes what a walk or a failure test may have left in its keychain service. */
export async function forgetKeychain(service: string, url: string, username: string): Promise<void> {
  await forgetScope(service, apiScope(url), [username]);
}

/** The walk, as one `it` per step (they share the app and run in order), after a wrong password. */
export function walk(target: WalkTarget, recorder: Recorder): void {
  /** Whether the server now refuses this access token (asked directly, at the protected route). */
  const accessRefused = async (accessToken: string) => {
    const response = await fetch(`${target.url()}/${target.protectedPath}`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    return response.status === 401;
  };
  const service = `Tessera-interop-${target.id}-${process.pid}`;
  let current: ReturnType<typeof startApp> | null = null;
  let firstRefreshToken: string | null = null;

  const app = () => {
    if (!current) throw new Error('the walk has no app: an earlier step failed');
    return current;
  };
  /** The stored refresh token, once the app's keychain calls have ended (it writes behind the session). */
  const stored = async () => {
    await current?.app.keychainSettled();
    return keytar.getPassword(service, tokenAccount(apiScope(target.url()), target.username));
  };

  afterAll(async () => {
    await current?.app.close();
    await forgetKeychain(service, target.url(), target.username);
  });

  itReadsAWrongPassword({ target, service }, recorder);

  it('signs in through the app path, the contract chosen in Settings, and keeps the refresh token in the keychain', async () => {
    current = startApp(target, service);
    const { window } = current;
    // Through the bridge and IPC, like the Settings page: a connection change, confirmed.
    const view = await window.bridge.settings.update(target.settings);
    expect(view.values).toMatchObject(target.settings);
    const session = await window.bridge.auth.signIn({ username: target.username, password: target.password });
    expect(session).toMatchObject({ state: 'active' });
    firstRefreshToken = await stored();
    expect(firstRefreshToken).toEqual(expect.any(String));
    expect(await window.bridge.auth.getSession()).toMatchObject({ keychain: { persisted: true } });
    recorder.passed('sign-in');
  });

  it('calls a protected route with the access token from the bridge', async () => {
    const body = await app().window.api.get(target.protectedPath).json();
    expect(body).toMatchObject(target.protectedAnswer);
    recorder.passed('protected call');
  });

  it('refreshes before expiry on its own timer and stores the rotated refresh token', async () => {
    const { app: services, time } = app();
    const before = services.session.getView();
    // The one timer the session armed: the proactive refresh, a lead before the token expires.
    const [timer, ...others] = time.pending();
    expect(others).toEqual([]);
    expect(timer?.at).toBeLessThan(before.expiresAt ?? 0);
    time.fireNext();
    await waitForView(
      services.session,
      (view) => view.state === 'active' && view.lastRefreshAt !== before.lastRefreshAt,
    );
    recorder.passed('proactive refresh');
    const rotated = await stored();
    expect(rotated).toEqual(expect.any(String));
    expect(rotated).not.toBe(firstRefreshToken);
    // The rotated-out token is dead on the server: keeping it would have signed the next start out.
    expect(await target.refreshAccepted(firstRefreshToken ?? '')).toBe(false);
    recorder.passed('rotation persisted');
  });

  it('retries once, transparently, after the server refuses an expired access token', async () => {
    const { app: services, window, time } = app();
    // A second on the app's clock (the token still looks fresh to it), so the refresh below shows.
    time.jump(1_000);
    const grant = await window.bridge.auth.getAccessToken();
    const storedBefore = await stored();
    const refreshedBefore = services.session.getView().lastRefreshAt;
    // The app's clock stands still, the server's runs on: the token expires on the server while the
    // app still holds it, as after a sleep the timers did not notice.
    await eventually(() => accessRefused(grant.accessToken), { timeoutMs: 60_000, intervalMs: 250 });
    const statuses: number[] = [];
    const api = window.api.extend({
      fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
        const response = await fetch(input, init);
        statuses.push(response.status);
        return response;
      },
    });
    expect(await api.get(target.protectedPath).json()).toMatchObject(target.protectedAnswer);
    expect(statuses).toEqual([401, 200]);
    expect(services.session.getView().lastRefreshAt).not.toBe(refreshedBefore);
    expect(await stored()).not.toBe(storedBefore);
    recorder.passed('retry after an expired-token 401');
  });

  it('stays signed in after a restart, from the keychain, with the contract kept in the settings file', async () => {
    const storedBefore = await stored();
    await app().app.close();
    current = startApp(target, service, target.settings);
    const view = await current.app.start();
    expect(view).toMatchObject({ state: 'active', keychain: { persisted: true } });
    // The silent sign-in was one refresh: rotated again, and stored.
    expect(await stored()).not.toBe(storedBefore);
    expect(await current.window.api.get(target.protectedPath).json()).toMatchObject(target.protectedAnswer);
    recorder.passed('restart stays signed in');
  });

  it('signs out, revoking the refresh token on the server', async () => {
    const last = await stored();
    expect(last).toEqual(expect.any(String));
    expect(await app().window.bridge.auth.signOut()).toEqual({ revoked: true });
    expect(await stored()).toBeNull();
    expect(await target.refreshAccepted(last ?? '')).toBe(false);
    recorder.passed('sign-out revokes on the server');
  });
}
