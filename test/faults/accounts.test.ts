// Several accounts at once (main/core/accounts/): each account is a session of its own, so one
// account's refused refresh token, offline backoff or reuse detection never touches another, and
// refreshes of different accounts run side by side while one account keeps a single flight.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchLike } from '../../main/core/auth-client';
import type { RunningServer } from '../../server';
import { ADMIN, DEMO } from '../support/fixtures';
import { startQuietServer } from '../support/test-server';
import { useFaultKit } from './support/fault-kit';

const kit = useFaultKit();
const { stored, secrets } = kit.harness;
let other: RunningServer;

beforeAll(async () => {
  other = await startQuietServer();
});

afterAll(async () => {
  await other?.close();
});

/** The app signed in as demo and then admin on the kit's server (admin active). */
async function demoAndAdmin(options: Parameters<typeof kit.openApp>[1] = {}) {
  const app = kit.openApp(kit.server.url, { requestTimeoutMs: 10_000, ...options });
  const window = app.openWindow();
  await window.bridge.auth.signIn(DEMO);
  await window.bridge.auth.signIn(ADMIN);
  const [demo, admin] = app.session.listAccounts();
  if (!demo || !admin) throw new Error('two accounts expected');
  return { app, window, demo, admin };
}

/** Presents `refreshToken` to the server outside the app: the app's copy is then a reused one. */
async function rotateBehindTheAppsBack(server: RunningServer, refreshToken: string): Promise<void> {
  const response = await fetch(`${server.url}/token/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken }),
  });
  expect(response.status).toBe(200);
  const body = (await response.json()) as { accessToken: string; refreshToken: string };
  secrets.add(body.accessToken);
  secrets.add(body.refreshToken);
}

/** The user name the server sees for `accessToken`. */
async function whoIs(server: RunningServer, accessToken: string): Promise<string> {
  const response = await fetch(`${server.url}/api/user/me`, {
    headers: { authorization: `Bearer ${accessToken}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { username: string }).username;
}

describe('two accounts on one API', () => {
  it('each has its own keychain entry, and the page gets the active account’s token', async () => {
    const { app, window, demo, admin } = await demoAndAdmin();
    expect(admin).toMatchObject({ username: 'admin', active: true, state: 'active' });
    expect(demo).toMatchObject({ username: 'demo', active: false, state: 'active' });
    expect(demo.id).not.toBe(admin.id);
    expect(await stored(kit.server.url, 'demo')).not.toBeNull();
    expect(await stored(kit.server.url, 'admin')).not.toBeNull();

    expect(await whoIs(kit.server, (await window.bridge.auth.getAccessToken()).accessToken)).toBe('admin');
    const views: (string | null | undefined)[] = [];
    window.bridge.auth.onSessionChange((view) => views.push(view.accountId));
    await window.bridge.auth.switchAccount(demo.id);
    // One event, naming the account that is now active.
    expect(views).toEqual([demo.id]);
    expect(await whoIs(kit.server, (await window.bridge.auth.getAccessToken()).accessToken)).toBe('demo');
    app.dispose();
  });

  it('reuse detection on one account signs out only that one; the other keeps its token and refreshes', async () => {
    const { app, demo, admin } = await demoAndAdmin();
    const demoToken = await stored(kit.server.url, 'demo');
    const adminToken = await stored(kit.server.url, 'admin');
    if (!adminToken) throw new Error('admin stored nothing');
    await rotateBehindTheAppsBack(kit.server, adminToken);

    expect(await app.session.getAccessToken({ forceRefresh: true })).toMatchObject({
      ok: false,
      error: { code: 'SESSION_EXPIRED', serverError: 'RefreshTokenReusedError' },
    });
    const accounts = app.session.listAccounts();
    // The ended account stays listed ("signed out — sign in again"); the other is untouched.
    expect(accounts.find((a) => a.id === admin.id)).toMatchObject({
      state: 'signedOut',
      reason: 'refreshTokenReused',
    });
    expect(accounts.find((a) => a.id === demo.id)).toMatchObject({
      state: 'active',
      reason: null,
      offline: false,
    });
    expect(await stored(kit.server.url, 'admin')).toBeNull();
    expect(await stored(kit.server.url, 'demo')).toBe(demoToken);

    expect(app.session.switchAccount(demo.id).ok).toBe(true);
    const grant = await app.session.getAccessToken({ forceRefresh: true });
    if (!grant.ok) throw new Error(grant.error.message);
    expect(await whoIs(kit.server, grant.value.accessToken)).toBe('demo');
    app.dispose();
  });

  it('refreshes of different accounts run in parallel; one account’s concurrent refreshes share one request', async () => {
    let inFlight = 0;
    let most = 0;
    const waiting: (() => void)[] = [];
    const release = () => {
      for (const go of waiting.splice(0)) go();
    };
    // Holds each refresh until a second one is in flight too (or 2 s passed: then they were serial).
    const gated: FetchLike = async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (!url.endsWith('/token/refresh')) return kit.recordingFetch()(input, init);
      inFlight += 1;
      most = Math.max(most, inFlight);
      if (inFlight >= 2) release();
      else
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          setTimeout(release, 2_000);
        });
      try {
        return await kit.recordingFetch()(input, init);
      } finally {
        inFlight -= 1;
      }
    };
    const { app, demo, admin } = await demoAndAdmin({ fetch: gated });
    kit.server.clearRequests();

    app.session.switchAccount(demo.id);
    const demoFirst = app.session.getAccessToken({ forceRefresh: true });
    const demoSecond = app.session.getAccessToken({ forceRefresh: true });
    app.session.switchAccount(admin.id);
    const adminOnly = app.session.getAccessToken({ forceRefresh: true });
    const [a, b, c] = await Promise.all([demoFirst, demoSecond, adminOnly]);

    expect(most).toBe(2);
    expect(kit.server.requests('/token/refresh')).toHaveLength(2);
    // demo's answers came after the switch to admin: main hands out no token of an account not shown.
    expect([a, b]).toEqual([
      { ok: false, error: expect.objectContaining({ code: 'CANCELLED' }) },
      { ok: false, error: expect.objectContaining({ code: 'CANCELLED' }) },
    ]);
    if (!c.ok) throw new Error("admin's refresh failed");
    expect(await whoIs(kit.server, c.value.accessToken)).toBe('admin');
    // demo's one shared refresh went through: shown again, demo has its new token without another.
    app.session.switchAccount(demo.id);
    const demoNow = await app.session.getAccessToken();
    if (!demoNow.ok) throw new Error("demo's refresh was lost");
    expect(await whoIs(kit.server, demoNow.value.accessToken)).toBe('demo');
    expect(kit.server.requests('/token/refresh')).toHaveLength(2);
    app.dispose();
  });
});

describe('accounts on two APIs', () => {
  it('one API failing puts only its account in offline backoff; the other refreshes, and no token is lost', async () => {
    const app = kit.openApp(kit.server.url, { requestTimeoutMs: 10_000 });
    const window = app.openWindow();
    await window.bridge.auth.signIn(DEMO);
    await window.bridge.auth.signIn({ ...DEMO, apiBaseUrl: other.url });
    const [here, there] = app.session.listAccounts();
    if (!here || !there) throw new Error('two accounts expected');
    expect(there).toMatchObject({ apiBaseUrl: other.url, active: true });
    const storedThere = await stored(other.url, 'demo');

    other.failNext(50, { status: 503, path: '/token/refresh' });
    expect(await app.session.getAccessToken({ forceRefresh: true })).toMatchObject({
      ok: false,
      error: { code: 'SERVER' },
    });
    expect(app.session.getView()).toMatchObject({ state: 'active', offline: true, accountId: there.id });

    app.session.switchAccount(here.id);
    kit.server.clearRequests();
    const grant = await app.session.getAccessToken({ forceRefresh: true });
    expect(grant.ok).toBe(true);
    expect(kit.server.requests('/token/refresh')).toEqual([
      { method: 'POST', path: '/token/refresh', status: 200 },
    ]);
    const accounts = app.session.listAccounts();
    expect(accounts.find((a) => a.id === here.id)).toMatchObject({ offline: false, state: 'active' });
    expect(accounts.find((a) => a.id === there.id)).toMatchObject({ offline: true, state: 'active' });
    // A network failure never deletes a refresh token.
    expect(await stored(other.url, 'demo')).toBe(storedThere);
    app.dispose();
  });
});

describe('restarting with several accounts', () => {
  it('restores every account in parallel; one whose token was refused is listed signed out, the others unaffected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-accounts-'));
    try {
      const first = await demoAndAdmin({ userDataDir: dir });
      first.app.session.switchAccount(first.demo.id);
      first.app.dispose();
      const adminToken = await stored(kit.server.url, 'admin');
      if (!adminToken) throw new Error('admin stored nothing');
      await rotateBehindTheAppsBack(kit.server, adminToken);

      const app = kit.openApp(kit.server.url, { requestTimeoutMs: 10_000, userDataDir: dir });
      expect(await app.start()).toMatchObject({
        state: 'active',
        accountId: first.demo.id,
        user: { username: 'demo' },
      });
      expect(app.session.listAccounts()).toEqual([
        expect.objectContaining({ id: first.demo.id, state: 'active', active: true }),
        expect.objectContaining({ id: first.admin.id, state: 'signedOut', reason: 'refreshTokenReused' }),
      ]);
      app.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('one keychain entry, never two accounts', () => {
  // The keychain entry is the API and the user; an account id also covers the contract. Two accounts
  // on one entry would both refresh the one stored token after a restart: the second refresh reads as
  // theft (reuse), and the server ends both sessions.
  const withDir = async (run: (dir: string) => Promise<void>) => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-shared-entry-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  /** Forces a refresh of every active account, one after another. */
  async function refreshEach(app: ReturnType<typeof kit.openApp>) {
    const window = app.openWindow();
    for (const account of app.session.listAccounts()) {
      if (account.state !== 'active') continue;
      app.session.switchAccount(account.id);
      await window.bridge.auth.getAccessToken({ forceRefresh: true });
    }
  }

  it('a list naming one entry under two ids (a hand edit, a merge) restores one account and keeps the token', async () =>
    withDir(async (dir) => {
      const first = kit.openApp(kit.server.url, { requestTimeoutMs: 10_000, userDataDir: dir });
      expect((await first.openWindow().bridge.auth.signIn(DEMO)).state).toBe('active');
      await first.close();
      const file = join(dir, 'accounts.json');
      const list = JSON.parse(readFileSync(file, 'utf8'));
      list.accounts.push({ ...list.accounts[0], id: 'acct-00000000000000000000' });
      writeFileSync(file, JSON.stringify(list, null, 2));

      const app = kit.openApp(kit.server.url, { requestTimeoutMs: 10_000, userDataDir: dir });
      expect((await app.start()).state).toBe('active');
      expect(app.session.listAccounts()).toHaveLength(1);
      await refreshEach(app);
      expect(app.session.getView()).toMatchObject({ state: 'active' });
      expect(await stored(kit.server.url, DEMO.username)).not.toBeNull();
      expect(kit.server.requests('/token/refresh').map((r) => r.status)).not.toContain(401);
      await app.close();
      expect(JSON.parse(readFileSync(file, 'utf8')).accounts).toHaveLength(1);
    }));

  it('signing in again under another contract replaces the account on that entry; a restart keeps it', async () =>
    withDir(async (dir) => {
      const S = kit.server.url;
      const app = kit.openApp(other.url, { requestTimeoutMs: 10_000, userDataDir: dir });
      const window = app.openWindow();
      // demo on S added while another server is configured (the preset's contract)...
      expect((await window.bridge.auth.signIn({ ...DEMO, apiBaseUrl: S })).state).toBe('active');
      // ...then Tessera pointed at S with a contract of its own, and demo signed in there again.
      await window.bridge.settings.update({ apiBaseUrl: S, authContract: { login: { path: '/login' } } });
      expect((await window.bridge.auth.signIn(DEMO)).state).toBe('active');
      const accounts = app.session.listAccounts();
      expect(accounts.filter((account) => account.apiBaseUrl.startsWith(S))).toHaveLength(1);
      await app.close();

      const again = kit.openApp(S, {
        requestTimeoutMs: 10_000,
        userDataDir: dir,
        settings: { authContract: { login: { path: '/login' } } },
      });
      expect((await again.start()).state).toBe('active');
      await refreshEach(again);
      expect(again.session.listAccounts().every((account) => account.state === 'active')).toBe(true);
      expect(await stored(S, DEMO.username)).not.toBeNull();
      expect(kit.server.requests('/token/refresh').map((r) => r.status)).not.toContain(401);
      await again.close();
    }));
});
