// Test doubles for the IPC suites. The real session is tested in its own suites; here only the
// handler table is under test, so a small in-memory Session stands in for it.
import type { ProbeResult, TrySignInResult } from '../../common/connect';
import type { Result } from '../../common/errors';
import type { SessionView, SignOutResult } from '../../common/session';
import type { Settings } from '../../common/settings';
import type { ConnectService } from '../../main/core/config/connect-service';
import type { Session } from '../../main/core/contracts';
import type { InvokeEventLike } from '../../main/core/ipc/sender';
import { signedOutView } from './session-view';

/** A recognisable refresh token: no IPC answer may ever contain it. */
export const FAKE_REFRESH_TOKEN = 'rt.DO-NOT-LEAK.9f4c2e71b0';
export const FAKE_ACCESS_TOKEN = 'at.handed-to-the-page.51d0';
export const GOOD_PASSWORD = 'correct horse battery staple';

/** The app's own top-level page. */
export const APP_EVENT: InvokeEventLike = { senderFrame: { url: 'app://tessera/index.html', parent: null } };

const SIGNED_OUT: SessionView = signedOutView();

/**
 * Attaches the refresh token to an object the way a careless core might (an extra property, an
 * error `cause`), so the tests prove the handlers rebuild answers instead of passing them through.
 */
function leaky<T extends object>(value: T): T {
  return Object.assign(value, {
    refreshToken: FAKE_REFRESH_TOKEN,
    cause: { body: { refreshToken: FAKE_REFRESH_TOKEN } },
  });
}

/** A Session double that records calls and keeps a refresh token in its internals. */
export interface FakeSession extends Session {
  calls: string[];
  applied: Settings[];
  internals: { refreshToken: string | null };
}

/** An in-memory session: GOOD_PASSWORD signs in, anything else is INVALID_CREDENTIALS. */
export function createFakeSession(): FakeSession {
  let view: SessionView = leaky({ ...SIGNED_OUT });
  const listeners = new Set<(view: SessionView) => void>();
  const calls: string[] = [];
  const applied: Settings[] = [];
  const internals = { refreshToken: null as string | null };
  const change = (next: SessionView) => {
    view = leaky(next);
    for (const listener of listeners) listener(view);
  };
  /** Kim Min-ji signed in as `who`, her access token expiring at 2,000,000 with `timing`; the answer to a sign-in. */
  const signedIn = (
    who: { sub: string; username: string },
    timing: Pick<SessionView, 'lifetimeMs' | 'lastRefreshAt' | 'nextRefreshAt'>,
  ): Result<SessionView> => {
    internals.refreshToken = FAKE_REFRESH_TOKEN;
    change({
      ...SIGNED_OUT,
      ...timing,
      state: 'active',
      user: leaky({ ...who, name: 'Kim Min-ji', role: 'user' }),
      expiresAt: 2_000_000,
      keychain: leaky({ available: true, persisted: true }),
    });
    return { ok: true, value: view };
  };

  return {
    calls,
    applied,
    internals,
    async start() {
      calls.push('start');
      return view;
    },
    async retryRestore() {
      calls.push('retryRestore');
      return view;
    },
    async signIn(username, password): Promise<Result<SessionView>> {
      calls.push(`signIn ${username}`);
      if (password !== GOOD_PASSWORD)
        return {
          ok: false,
          error: leaky({ code: 'INVALID_CREDENTIALS', message: 'Wrong user name or password.', status: 401 }),
        };
      return signedIn(
        { sub: '1', username },
        { lifetimeMs: 900_000, lastRefreshAt: 1_100_000, nextRefreshAt: 1_800_000 },
      );
    },
    async signInWithProvider(): Promise<Result<SessionView>> {
      calls.push('signInWithProvider');
      return signedIn(
        { sub: 'oidc-sub-1', username: 'kim@example.com' },
        { lifetimeMs: 300_000, lastRefreshAt: 1_700_000, nextRefreshAt: 1_900_000 },
      );
    },
    cancelSignIn() {
      calls.push('cancelSignIn');
      return leaky({ cancelled: false });
    },
    async signOut(): Promise<SignOutResult> {
      calls.push('signOut');
      internals.refreshToken = null;
      change({ ...SIGNED_OUT, reason: 'userSignedOut' });
      return leaky({
        revoked: false,
        revocationError: leaky({ code: 'NETWORK' as const, message: 'Could not reach the server.' }),
      });
    },
    async getAccessToken(options) {
      calls.push(`getAccessToken ${JSON.stringify(options ?? null)}`);
      if (internals.refreshToken === null)
        return { ok: false, error: { code: 'NOT_SIGNED_IN', message: 'Not signed in.' } };
      return {
        ok: true,
        value: leaky({ accessToken: FAKE_ACCESS_TOKEN, tokenType: 'Bearer' as const, expiresAt: 2_000_000 }),
      };
    },
    getView: () => view,
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    onResume() {},
    onOnline() {},
    async applySettings(settings) {
      calls.push('applySettings');
      applied.push(settings);
    },
    dispose() {},
  };
}

/** A core whose every method throws, standing in for a bug; the message must stay in main. */
export function createBrokenSession(detail: string): Session {
  const boom = (): never => {
    throw new Error(`core bug: ${detail}`);
  };
  return {
    start: boom,
    retryRestore: async () => boom(),
    signIn: async () => boom(),
    signInWithProvider: async () => boom(),
    cancelSignIn: boom,
    signOut: async () => boom(),
    getAccessToken: async () => boom(),
    getView: boom,
    onChange: boom,
    onResume: boom,
    onOnline: boom,
    applySettings: async () => boom(),
    dispose: boom,
  };
}

/** A ConnectService double that records calls and hides a token in its answers (the handlers must strip it). */
export interface FakeConnect extends ConnectService {
  calls: string[];
}

/** The connect wizard's service in memory: every probe proposes `tessera`, GOOD_PASSWORD passes the trial. */
export function createFakeConnect(): FakeConnect {
  const calls: string[] = [];
  return {
    calls,
    async probe(url) {
      calls.push(`probe ${url}`);
      return {
        ok: true,
        value: leaky({
          url,
          profile: 'tessera',
          authContract: null,
          reason: 'tesseraHealth',
          params: {},
          evidence: [leaky({ check: 'tessera', request: 'GET /health', outcome: 'match', status: 200 })],
        } satisfies ProbeResult),
      };
    },
    async trySignIn(request) {
      calls.push(`trySignIn ${request.apiBaseUrl}`);
      if (request.password !== GOOD_PASSWORD)
        return { ok: false, error: leaky({ code: 'INVALID_CREDENTIALS', message: 'Wrong password' }) };
      return {
        ok: true,
        value: leaky({
          lifetimeSeconds: 900,
          refreshable: true,
          discarded: 'revoked',
        } satisfies TrySignInResult),
      };
    },
    dispose() {},
  };
}
