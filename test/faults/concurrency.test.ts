// Many things at once: two app instances on one keychain entry, two windows on one core, a burst of
// sign-in / sign-out / sign-in, the API switched while a refresh is in flight, many windows hitting
// 401 together. Windows are real bridges and renderer ky clients over the IPC handler table.
import { HTTPError } from 'ky';
import { describe, expect, it } from 'vitest';
import type { AppPath } from '../../bench/app-path';
import { TesseraError } from '../../common/errors';
import type { SessionView } from '../../common/session';
import type { Session } from '../../main/core/contracts';
import { ADMIN, DEMO, testSettings, waitForView } from '../support/fixtures';
import { startQuietServer } from '../support/test-server';
import { eventually } from '../support/wait-until';
import { useFaultKit } from './support/fault-kit';

const kit = useFaultKit();
const { makeSession, stored } = kit.harness;

function coreOn(url: string): Session {
  return makeSession(testSettings(url, { requestTimeoutMs: 10_000 }), { fetch: kit.recordingFetch() });
}

function appOn(url: string): AppPath {
  return kit.openApp(url, { requestTimeoutMs: 10_000 });
}

/** `count` windows of one app on the suite's server, signed in from the first, the requests so far forgotten. */
async function signedInWindows(count: number) {
  const app = appOn(kit.server.url);
  const windows = Array.from({ length: count }, () => app.openWindow());
  await windows[0]?.bridge.auth.signIn(DEMO).catch((error: unknown) => {
    app.dispose();
    throw error;
  });
  kit.server.clearRequests();
  return { app, windows };
}

describe('two app instances on the same keychain entry', () => {
  it('the second one’s silent sign-in rotates the token; the first is then signed out as reused (why the app is single-instance)', async () => {
    const first = coreOn(kit.server.url);
    expect((await first.signIn(DEMO.username, DEMO.password)).ok).toBe(true);

    const second = coreOn(kit.server.url);
    expect(await second.start()).toMatchObject({ state: 'active', user: { username: 'demo' } });

    // The first still holds the token the second rotated: presenting it is reuse, and the server
    // revokes the whole family — the second instance's token included.
    const reused = await first.getAccessToken({ forceRefresh: true });
    expect(reused).toMatchObject({
      ok: false,
      error: { code: 'SESSION_EXPIRED', serverError: 'RefreshTokenReusedError' },
    });
    expect(first.getView()).toMatchObject({ state: 'signedOut', reason: 'refreshTokenReused', user: null });

    const revoked = await second.getAccessToken({ forceRefresh: true });
    expect(revoked).toMatchObject({
      ok: false,
      error: { code: 'SESSION_EXPIRED', serverError: 'InvalidRefreshTokenError' },
    });
    expect(second.getView()).toMatchObject({ state: 'signedOut', reason: 'refreshTokenInvalid' });
    expect(await stored(kit.server.url)).toBeNull();
  });
});

describe('two windows on one core', () => {
  it('both get every session change, in the same order, without a token in any of them', async () => {
    const app = appOn(kit.server.url);
    const [one, two] = [app.openWindow(), app.openWindow()];
    const seen: [SessionView[], SessionView[]] = [[], []];
    const stop = [one, two].map((win, i) => win.bridge.auth.onSessionChange((view) => seen[i]?.push(view)));

    await one.bridge.auth.signIn(DEMO);
    const { accessToken } = await two.bridge.auth.getAccessToken({ forceRefresh: true });
    await one.bridge.auth.signOut();
    for (const unsubscribe of stop) unsubscribe();

    expect(seen[0]).toEqual(seen[1]);
    const states = seen[0].map((view) => view.state);
    expect(states[0]).toBe('signingIn');
    expect(states).toContain('refreshing');
    expect(states.at(-1)).toBe('signedOut');
    expect(seen[0].at(-1)).toMatchObject({ reason: 'userSignedOut' });
    expect(JSON.stringify(seen)).not.toContain(accessToken);
    app.dispose();
  });
});

describe('rapid sign-in / sign-out / sign-in', () => {
  it('ends in the last session only: one live refresh family on the server, only its token stored', async () => {
    // A server of its own: the family count below must not include other cases' sessions.
    const server = await startQuietServer();
    try {
      const core = coreOn(server.url);
      // At most three sign-ins per user at once: the server's limiter counts attempts before checking them.
      const calls = [
        core.signIn(DEMO.username, DEMO.password),
        core.signOut(),
        core.signIn(ADMIN.username, ADMIN.password),
        core.signOut(),
        core.signIn(DEMO.username, DEMO.password),
        core.signIn(ADMIN.username, ADMIN.password),
        core.signOut(),
        core.signIn(DEMO.username, DEMO.password),
        core.signIn(ADMIN.username, ADMIN.password),
      ];
      const results = await Promise.all(calls);
      const last = results.at(-1);
      expect(last).toMatchObject({ ok: true, value: { state: 'active', user: { username: 'admin' } } });
      for (const earlier of results.slice(0, -1)) {
        if ('ok' in earlier) expect(earlier).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
      }
      expect(core.getView()).toMatchObject({ state: 'active', user: { username: 'admin' }, reason: null });

      const token = await core.getAccessToken();
      if (!token.ok) throw new Error(token.error.code);
      const families = async () => {
        const response = await fetch(`${server.url}/api/admin/stats`, {
          headers: { authorization: `Bearer ${token.value.accessToken}` },
        });
        return ((await response.json()) as { activeRefreshFamilies: number }).activeRefreshFamilies;
      };
      // Superseded sign-ins are revoked in the background once their answers arrive.
      await eventually(async () => (await families()) === 1);
      expect(await stored(server.url, ADMIN.username)).not.toBeNull();
      expect(await stored(server.url, DEMO.username)).toBeNull();

      // The stored token is the live one: a restarted app signs in silently with it.
      core.dispose();
      const restarted = coreOn(server.url);
      expect(await restarted.start()).toMatchObject({ state: 'active', user: { username: 'admin' } });
    } finally {
      await server.close();
    }
  });
});

describe('the API URL switched while requests are in flight', () => {
  it('drops the slow refresh’s answer, signs out with apiChanged, and sends nothing of the old API to the new one', async () => {
    const next = await startQuietServer();
    const app = appOn(kit.server.url);
    try {
      const win = app.openWindow();
      await win.bridge.auth.signIn(DEMO);
      kit.server.failNext(1, { path: '/token/refresh', delayMs: 400 });
      const slow = win.bridge.auth.getAccessToken({ forceRefresh: true }).catch((error: unknown) => error);
      await waitForView(app.session, (view) => view.state === 'refreshing');

      await win.bridge.settings.update({ apiBaseUrl: next.url });
      expect(app.session.getView()).toMatchObject({
        state: 'signedOut',
        reason: 'apiChanged',
        apiOrigin: next.url,
      });
      const late = await slow;
      expect(late).toBeInstanceOf(TesseraError);
      expect((late as TesseraError).code).toBe('NOT_SIGNED_IN');

      // The old session is revoked on the old API at once. The slow refresh then finds its family revoked
      // (401), or, had it rotated first, its new token is revoked too; either way nothing is stored.
      await eventually(() => kit.server.requests('/token/refresh').length === 1);
      const lateStatus = kit.server.requests('/token/refresh')[0]?.status;
      await eventually(() => kit.server.requests('/logout').length >= (lateStatus === 200 ? 2 : 1));
      expect(await stored(kit.server.url)).toBeNull();
      expect(await stored(next.url)).toBeNull();

      // The page's next call goes nowhere with a token: not signed in, and the new API saw nothing.
      const call = await win.api.get('api/user/me').catch((error: unknown) => error);
      expect(call).toBeInstanceOf(TesseraError);
      expect((call as TesseraError).code).toBe('NOT_SIGNED_IN');
      expect(next.requests()).toEqual([]);
      expect(app.session.getView()).toMatchObject({ state: 'signedOut', reason: 'apiChanged' });
    } finally {
      app.dispose();
      await next.close();
    }
  });

  it('cancels a sign-in in flight: nothing stored under either API, its tokens revoked on the old one', async () => {
    const next = await startQuietServer();
    const app = appOn(kit.server.url);
    try {
      const win = app.openWindow();
      kit.server.failNext(1, { path: '/login', delayMs: 300 });
      const signIn = win.bridge.auth.signIn(DEMO).catch((error: unknown) => error);
      await waitForView(app.session, (view) => view.state === 'signingIn');
      await win.bridge.settings.update({ apiBaseUrl: next.url });

      const result = await signIn;
      expect(result).toBeInstanceOf(TesseraError);
      expect((result as TesseraError).code).toBe('CANCELLED');
      expect(app.session.getView()).toMatchObject({ state: 'signedOut', reason: 'apiChanged', user: null });
      await eventually(() => kit.server.requests('/logout').length >= 1);
      expect(await stored(kit.server.url)).toBeNull();
      expect(await stored(next.url)).toBeNull();
      expect(next.requests()).toEqual([]);
    } finally {
      app.dispose();
      await next.close();
    }
  });
});

describe('401s from several windows at once', () => {
  const WINDOWS = 4;
  const CALLS = 25;

  it('many forced refreshes at once (every window after its 401) share one refresh', async () => {
    const { app, windows } = await signedInWindows(WINDOWS * CALLS);
    try {
      const grants = await Promise.all(
        windows.map((win) => win.bridge.auth.getAccessToken({ forceRefresh: true })),
      );
      expect(new Set(grants.map((grant) => grant.accessToken)).size).toBe(1);
      expect(kit.server.requests('/token/refresh')).toHaveLength(1);
    } finally {
      app.dispose();
    }
  });

  it('100 calls from 4 windows with a token the server has expired: all succeed, no 401 reaches a caller', async () => {
    const { app, windows } = await signedInWindows(WINDOWS);
    try {
      // The server's clock moves past the token's exp; the app still believes it is fresh.
      kit.server.setClock(() => Date.now() + 16 * 60_000);
      const results = await Promise.allSettled(
        windows.flatMap((win) => Array.from({ length: CALLS }, () => win.api.get('api/user/me').json())),
      );
      const surfaced = results
        .filter((r) => r.status === 'rejected')
        .map((r) => (r as PromiseRejectedResult).reason);
      expect(surfaced.filter((reason) => reason instanceof HTTPError)).toEqual([]);
      expect(surfaced).toEqual([]);
      expect(kit.server.requests('/api/user/me').filter((r) => r.status === 401)).toHaveLength(
        WINDOWS * CALLS,
      );
      expect(kit.server.requests('/token/refresh')).toHaveLength(1);
    } finally {
      app.dispose();
    }
  });

  // The renderer's 401 hook compares the rejected token with main's current one before forcing.
  it('a 401 that arrives after the shared refresh landed does not start a second one', async () => {
    const app = appOn(kit.server.url);
    try {
      const [fast, late] = [app.openWindow(), app.openWindow()];
      await fast.bridge.auth.signIn(DEMO);
      kit.server.setClock(() => Date.now() + 16 * 60_000);
      kit.server.clearRequests();
      // The late window's request leaves with the old token; its 401 comes back only after the fast
      // window's refresh has landed.
      kit.server.failNext(1, { path: '/api/user/me', delayMs: 300 });
      const lateCall = late.api.get('api/user/me').json();
      await fast.api.get('api/user/me').json();
      await lateCall;
      expect(kit.server.requests('/token/refresh')).toHaveLength(1);
    } finally {
      app.dispose();
    }
  });
});
