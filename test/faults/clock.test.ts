// Wrong and moving clocks: the client an hour ahead or behind, the wall clock jumping mid-session, and a
// sleep longer than the refresh token lives. The renderer's ky client (bridge → IPC table → core) makes
// the calls, so "no 401 reaches the caller" is checked where the person would see it.
import { HTTPError } from 'ky';
import { describe, expect, it } from 'vitest';
import type { AppPath } from '../../bench/app-path';
import { TesseraError } from '../../common/errors';
import type { Session } from '../../main/core/contracts';
import { FORCED_REFRESH_INTERVAL_MS } from '../../main/core/session/session';
import { DEMO, waitForView } from '../support/fixtures';
import { createFakeTime, type FakeTime } from '../support/session-harness';
import { eventually } from '../support/wait-until';
import { useFaultKit } from './support/fault-kit';

const kit = useFaultKit();
const { stored } = kit.harness;
const HOUR = 3_600_000;

const refreshes = () => kit.server.requests('/token/refresh').length;

/** A signed-in core on fake time (starting at `start`), wrapped in the app path with one window. */
async function signedIn(time: FakeTime): Promise<{ core: Session; app: AppPath }> {
  const app = kit.openApp(kit.server.url, { now: time.now, timers: time.timers, random: () => 0 });
  const core = app.session;
  const result = await core.signIn(DEMO.username, DEMO.password);
  if (!result.ok) throw new Error(`sign-in failed: ${result.error.code}`);
  kit.server.clearRequests();
  return { core, app };
}

/** One profile call through the renderer client; a 401 it throws is one the person would see. */
async function callApi(app: AppPath): Promise<number> {
  const response = await app.openWindow().api.get('api/user/me');
  return response.status;
}

describe('a client clock hours off', () => {
  it.each([
    ['an hour ahead', HOUR],
    ['an hour behind', -HOUR],
    ['a day ahead', 24 * HOUR],
    ['a day behind', -24 * HOUR],
  ])(
    '%s: calls succeed, the proactive refresh fires on the local schedule, the skew is shown',
    async (_, offset) => {
      const time = createFakeTime(Date.now() + offset);
      const { core, app } = await signedIn(time);
      try {
        const skew = core.getView().clockSkewMs ?? 0;
        expect(Math.abs(skew + offset)).toBeLessThan(5_000);
        expect(await callApi(app)).toBe(200);

        expect(time.fireNext()).toBe(true);
        const view = await waitForView(core, (v) => v.state === 'active' && v.lastRefreshAt === time.now());
        expect(view).toMatchObject({ offline: false, lastError: null, reason: null });
        expect(refreshes()).toBe(1);
        expect(await callApi(app)).toBe(200);
        expect(kit.server.requests('/api/user/me').every((r) => r.status === 200)).toBe(true);
      } finally {
        app.dispose();
      }
    },
  );
});

describe('the wall clock jumps mid-session', () => {
  it('forward by two hours: the token counts as expired, one refresh, the call succeeds', async () => {
    const time = createFakeTime(Date.now());
    const { core, app } = await signedIn(time);
    try {
      time.jump(2 * HOUR);
      expect(await callApi(app)).toBe(200);
      expect(refreshes()).toBe(1);
      const view = core.getView();
      expect(view).toMatchObject({ state: 'active', offline: false, lastError: null });
      // Re-anchored on the new local time: expiry and the next refresh lie ahead of it again.
      expect(view.expiresAt ?? 0).toBeGreaterThan(time.now());
      expect(view.nextRefreshAt ?? 0).toBeGreaterThan(time.now());
      expect(await callApi(app)).toBe(200);
      expect(refreshes()).toBe(1);
    } finally {
      app.dispose();
    }
  });

  it('back by two hours while the server expires the token on time: the 401 is absorbed by one refresh', async () => {
    const time = createFakeTime(Date.now());
    const { core, app } = await signedIn(time);
    try {
      time.jump(-2 * HOUR);
      // Real time passes on the server: the access token it issued is now past its exp.
      kit.server.setClock(() => Date.now() + 16 * 60_000);
      expect(await callApi(app)).toBe(200);
      // The caller's request: one 401, then the retry (the core also reloads the profile in the background).
      const statuses = kit.server.requests('/api/user/me').map((r) => r.status);
      expect(statuses[0]).toBe(401);
      expect(statuses.filter((status) => status !== 200)).toEqual([401]);
      expect(refreshes()).toBe(1);
      expect(core.getView()).toMatchObject({ state: 'active', offline: false, lastError: null });
      expect(core.getView().expiresAt ?? 0).toBeGreaterThan(time.now());
    } finally {
      app.dispose();
    }
  });
});

describe('the wall clock is set back, then the screen is unlocked', () => {
  it('by a day: the refresh stays due when it was, not a day late', async () => {
    const time = createFakeTime(Date.now());
    const { core, app } = await signedIn(time);
    try {
      const [planned] = time.pending();
      expect(planned?.delay).toBeGreaterThan(0);
      // NTP or the person sets the clock back a day; no time passes, then unlock → services.resumed.
      time.shiftWallClock(-24 * HOUR);
      app.resumed();
      const pending = time.pending();
      expect(pending).toHaveLength(1);
      // Re-armed for what is left of the wait by the timers' own clock, not by the wall clock's deadline.
      expect(pending[0]?.delay).toBeLessThanOrEqual(planned?.delay ?? 0);
      // The network coming back re-checks the same way.
      core.onOnline();
      expect(time.pending()[0]?.delay).toBeLessThanOrEqual(planned?.delay ?? 0);
      expect(refreshes()).toBe(0);
    } finally {
      app.dispose();
    }
  });
});

describe('the wall clock is set back, then the token really expires', () => {
  it('the expired token is not handed out: the page gets a fresh one, no 401', async () => {
    const time = createFakeTime(Date.now());
    const { core, app } = await signedIn(time);
    try {
      const lifetime = core.getView().lifetimeMs ?? 0;
      time.shiftWallClock(-2 * HOUR);
      // Real time passes beyond the token's lifetime (the proactive timer is late or failed): by the
      // wall clock it is 1 h 44 min before expiry, by the timers' clock it has expired.
      time.jump(lifetime + 60_000);
      kit.server.setClock(() => Date.now() + lifetime + 60_000);
      expect(await callApi(app)).toBe(200);
      expect(kit.server.requests('/api/user/me').map((r) => r.status)[0]).toBe(200);
      expect(refreshes()).toBe(1);
      expect(core.getView()).toMatchObject({ state: 'active', offline: false, lastError: null });
    } finally {
      app.dispose();
    }
  });
});

describe('the wall clock is set back after a forced refresh', () => {
  it('the next forced refresh waits out the 2 s window, not the jump', async () => {
    const time = createFakeTime(Date.now());
    const { core, app } = await signedIn(time);
    try {
      expect((await core.getAccessToken({ forceRefresh: true })).ok).toBe(true);
      expect(refreshes()).toBe(1);
      time.shiftWallClock(-2 * HOUR);
      // The page meets a 401 again: its forced refresh waits for the window, which is 2 s long.
      const again = core.getAccessToken({ forceRefresh: true });
      await eventually(() => time.pending().length === 2);
      const wait = Math.min(...time.pending().map((timer) => timer.delay));
      expect(wait).toBeLessThanOrEqual(FORCED_REFRESH_INTERVAL_MS);
      time.fireNext();
      expect((await again).ok).toBe(true);
      expect(refreshes()).toBe(2);
    } finally {
      app.dispose();
    }
  });
});

describe('a sleep longer than the refresh token lives', () => {
  it('signs out with refreshTokenExpired after onResume and deletes the stored token', async () => {
    kit.server.setTokenLifetimes({ refreshSeconds: 3_600 });
    const time = createFakeTime(Date.now());
    const { core, app } = await signedIn(time);
    try {
      expect(await stored(kit.server.url)).not.toBeNull();
      // The machine sleeps two hours: no timer fires, both clocks move on.
      time.jump(2 * HOUR);
      kit.server.setClock(() => Date.now() + 2 * HOUR);
      core.onResume();
      const view = await waitForView(core, (v) => v.state === 'signedOut');
      expect(view).toMatchObject({
        reason: 'refreshTokenExpired',
        user: null,
        lastError: { code: 'SESSION_EXPIRED', serverError: 'RefreshTokenExpiredError' },
      });
      expect(view.lastError?.message).toMatch(/session has ended/);
      expect(refreshes()).toBe(1);
      await eventually(async () => (await stored(kit.server.url).catch(() => 'busy')) === null);

      // The page's next call fails with a code it can explain, not a 401 and not a hang.
      const failure = await callApi(app).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TesseraError);
      expect(failure).not.toBeInstanceOf(HTTPError);
      expect((failure as TesseraError).code).toBe('NOT_SIGNED_IN');
      expect(kit.server.requests('/api/user/me')).toHaveLength(0);
    } finally {
      app.dispose();
    }
  });
});

describe('a sleep with the network still down on resume', () => {
  it('past the access token: the session stays (offline), keeps its refresh token, and recovers when the network returns', async () => {
    const time = createFakeTime(Date.now());
    const { core, app } = await signedIn(time);
    try {
      const before = await stored(kit.server.url);
      expect(before).not.toBeNull();
      time.jump(2 * HOUR);
      kit.server.setClock(() => Date.now() + 2 * HOUR);
      // Wi-Fi is not back yet: the resume's refresh and the page's first call both meet a dead connection.
      kit.server.failNext(2, { path: '/token/refresh', resetConnection: true });
      app.resumed();
      await waitForView(core, (v) => v.offline && v.state === 'active');
      const failure = await callApi(app).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(TesseraError);
      expect(failure).not.toBeInstanceOf(HTTPError);
      expect((failure as TesseraError).code).toBe('NETWORK');
      expect(kit.server.requests('/api/user/me')).toHaveLength(0);
      expect(core.getView()).toMatchObject({ state: 'active', offline: true, reason: null });
      expect(await stored(kit.server.url)).toBe(before);

      // The network is back (the online watcher calls onOnline): one refresh, and the page's call works.
      core.onOnline();
      await waitForView(core, (v) => v.state === 'active' && !v.offline && (v.expiresAt ?? 0) > time.now());
      expect(await callApi(app)).toBe(200);
      expect(await stored(kit.server.url)).not.toBeNull();
    } finally {
      app.dispose();
    }
  });

  it('past the refresh token too: kept while the network is down, ended as refreshTokenExpired once the server says so', async () => {
    kit.server.setTokenLifetimes({ refreshSeconds: 3_600 });
    const time = createFakeTime(Date.now());
    const { core, app } = await signedIn(time);
    try {
      const before = await stored(kit.server.url);
      time.jump(2 * HOUR);
      kit.server.setClock(() => Date.now() + 2 * HOUR);
      kit.server.failNext(1, { path: '/token/refresh', resetConnection: true });
      app.resumed();
      await waitForView(core, (v) => v.offline);
      // Our clock says the refresh token has expired, but only the server may end the session.
      expect(core.getView()).toMatchObject({ state: 'active', reason: null });
      expect(await stored(kit.server.url)).toBe(before);

      core.onOnline();
      const view = await waitForView(core, (v) => v.state === 'signedOut');
      expect(view.reason).toBe('refreshTokenExpired');
      await eventually(async () => (await stored(kit.server.url).catch(() => 'busy')) === null);
    } finally {
      app.dispose();
    }
  });
});
