// The connect wizard's trial sign-in and its service limits, against two real reference servers:
// the current API and a candidate elsewhere.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TrySignInRequest } from '../../../common/connect';
import type { Settings } from '../../../common/settings';
import type { RunningServer } from '../../../server';
import { captureLogs } from '../../../test/support/capture-logs';
import { DEMO, testSettings } from '../../../test/support/fixtures';
import { startQuietServer } from '../../../test/support/test-server';
import { PACED_LOG_INTERVAL_MS } from '../log-pacing';
import { silentLogger } from '../logger';
import { type ConnectServiceDeps, createConnectService } from './connect-service';
import type { ConnectionChange } from './connection-change';
import { createSettingsStore } from './settings-store';
import { trySignIn } from './trial-sign-in';

let current: RunningServer;
let candidate: RunningServer;
let asked: ConnectionChange[];
let answer: boolean;

beforeAll(async () => {
  [current, candidate] = await Promise.all([startQuietServer(), startQuietServer()]);
});

afterAll(async () => {
  await Promise.all([current.close(), candidate.close()]);
});

beforeEach(() => {
  asked = [];
  answer = true;
  current.clearRequests();
  candidate.clearRequests();
});

const deps = (settings: Settings = testSettings(current.url)) => ({
  fetch: (input: Request, init?: RequestInit) => fetch(input, init),
  current: () => settings,
  logger: silentLogger,
  confirm: async (change: ConnectionChange) => {
    asked.push(change);
    return answer;
  },
});

const at = (url: string, more: Partial<TrySignInRequest> = {}) => ({
  apiBaseUrl: url,
  apiProfile: 'tessera' as const,
  authContract: null,
  ...more,
});

describe('trySignIn()', () => {
  it('signs in at the current server without asking, then revokes the trial refresh token and keeps nothing', async () => {
    const result = await trySignIn(deps(), at(current.url), DEMO);
    expect(result).toEqual({
      ok: true,
      value: { lifetimeSeconds: expect.any(Number), refreshable: true, discarded: 'revoked' },
    });
    // The reference server's default access token lives 15 minutes (its expiresIn, rounded down by it).
    if (result.ok) expect(result.value.lifetimeSeconds).toBeGreaterThanOrEqual(899);
    if (result.ok) expect(result.value.lifetimeSeconds).toBeLessThanOrEqual(900);
    expect(asked).toEqual([]);
    expect(current.requests().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /login 200',
      'POST /logout 204',
    ]);
  });

  it('asks the person before sending the password to another server, and signs in there once confirmed', async () => {
    const result = await trySignIn(deps(), at(candidate.url), DEMO);
    expect(result).toMatchObject({ ok: true, value: { discarded: 'revoked' } });
    expect(asked).toEqual([
      {
        keys: ['apiBaseUrl'],
        fromOrigin: current.url,
        toOrigin: candidate.url,
        toIssuer: null,
        newOrigins: [candidate.url],
        locale: 'system',
        purpose: 'trySignIn',
      },
    ]);
    expect(candidate.requests().map((r) => r.path)).toEqual(['/login', '/logout']);
    expect(current.requests()).toEqual([]);
  });

  it('sends nothing when the person declines (CANCELLED)', async () => {
    answer = false;
    expect(await trySignIn(deps(), at(candidate.url), DEMO)).toMatchObject({
      ok: false,
      error: { code: 'CANCELLED' },
    });
    expect(candidate.requests()).toEqual([]);
  });

  it("asks too when only the trial's refresh token would leave: a logout endpoint on another server", async () => {
    answer = false;
    const logoutElsewhere = at(current.url, {
      authContract: { logout: { path: `${candidate.url}/logout` } },
    });
    expect(await trySignIn(deps(), logoutElsewhere, DEMO)).toMatchObject({
      ok: false,
      error: { code: 'CANCELLED' },
    });
    expect(asked).toMatchObject([
      { fromOrigin: current.url, toOrigin: current.url, newOrigins: [candidate.url], purpose: 'trySignIn' },
    ]);
    expect(current.requests()).toEqual([]);
    expect(candidate.requests()).toEqual([]);
  });

  it('asks before the password goes where today only the refresh token goes (a logout endpoint there)', async () => {
    answer = false;
    const today = {
      ...testSettings(current.url),
      authContract: { logout: { path: `${candidate.url}/logout` } },
    };
    const loginThere = at(current.url, {
      authContract: {
        login: { path: `${candidate.url}/login` },
        logout: { path: `${candidate.url}/logout` },
      },
    });
    expect(await trySignIn(deps(today), loginThere, DEMO)).toMatchObject({
      ok: false,
      error: { code: 'CANCELLED' },
    });
    expect(asked).toMatchObject([{ newOrigins: [candidate.url], purpose: 'trySignIn' }]);
    expect(candidate.requests()).toEqual([]);
  });

  it('without a way to ask, refuses to send the password elsewhere (CONFIRMATION_REQUIRED)', async () => {
    const { confirm: _, ...withoutConfirm } = deps();
    expect(await trySignIn(withoutConfirm, at(candidate.url), DEMO)).toMatchObject({
      ok: false,
      error: { code: 'CONFIRMATION_REQUIRED' },
    });
    expect(candidate.requests()).toEqual([]);
  });

  it('reports a wrong password as the sign-in does (INVALID_CREDENTIALS), never echoing it', async () => {
    const result = await trySignIn(deps(), at(current.url), { username: 'demo', password: 'hunter2-wrong' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS' } });
    expect(JSON.stringify(result)).not.toContain('hunter2');
  });

  it('reports a contract the server does not speak (simplejwt against the reference server) by its code', async () => {
    const result = await trySignIn(deps(), at(current.url, { apiProfile: 'simplejwt' }), DEMO);
    expect(result).toMatchObject({ ok: false });
    expect(current.requests().map((r) => `${r.method} ${r.path}`)).toEqual(['POST /api/token/']);
  });

  it('refuses a candidate its settings would refuse, naming the field, before sending anything', async () => {
    const cases: [TrySignInRequest | ReturnType<typeof at>, string, RegExp][] = [
      [at('http://api.example.com'), 'apiBaseUrl', /https/],
      [
        at(current.url, { authContract: { login: { path: '/x', passsword: 'typo' } } as never }),
        'authContract',
        /unknown field/,
      ],
      [at(current.url, { apiProfile: 'custom' }), 'authContract', /needs an authContract/],
      [at(current.url, { apiProfile: 'mystery' as never }), 'apiProfile', /./],
    ];
    for (const [request, key, message] of cases) {
      const result = await trySignIn(deps(), request, DEMO);
      expect(result, key).toMatchObject({ ok: false, error: { code: 'INVALID_CONFIG', key } });
      if (!result.ok) expect(result.error.message).toMatch(message);
    }
    expect(current.requests()).toEqual([]);
    expect(asked).toEqual([]);
  });
});

describe('trySignIn() under IT policy', () => {
  it('refuses with MANAGED_SETTING, before asking or sending, a candidate that changes a locked setting', async () => {
    const locked = { ...deps(), managed: () => ['apiBaseUrl' as const] };
    expect(await trySignIn(locked, at(candidate.url), DEMO)).toMatchObject({
      ok: false,
      error: { code: 'MANAGED_SETTING', key: 'apiBaseUrl' },
    });
    const profileLocked = { ...deps(), managed: () => ['apiProfile' as const] };
    expect(await trySignIn(profileLocked, at(current.url, { apiProfile: 'simplejwt' }), DEMO)).toMatchObject({
      ok: false,
      error: { code: 'MANAGED_SETTING', key: 'apiProfile' },
    });
    expect(asked).toEqual([]);
    expect(candidate.requests()).toEqual([]);
    expect(current.requests()).toEqual([]);
    // The locked connection itself may still be tried.
    expect(await trySignIn(locked, at(current.url), DEMO)).toMatchObject({ ok: true });
  });

  it('refuses with MANAGED_SETTING, before asking or sending, any origin outside allowedApiOrigins', async () => {
    const allowList = deps(testSettings(current.url, { allowedApiOrigins: current.url }));
    for (const request of [
      at(candidate.url),
      at(current.url, { authContract: { login: { path: `${candidate.url}/login` } } }),
      at(current.url, { authContract: { logout: { path: `${candidate.url}/logout` } } }),
    ]) {
      const result = await trySignIn(allowList, request, DEMO);
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'MANAGED_SETTING', key: 'allowedApiOrigins' },
      });
      if (!result.ok) expect(result.error.message).toContain(candidate.url);
    }
    expect(asked).toEqual([]);
    expect(candidate.requests()).toEqual([]);
    expect(current.requests()).toEqual([]);
    expect(await trySignIn(allowList, at(current.url), DEMO)).toMatchObject({ ok: true });
  });
});

// The dialog is not part of the settings store's queue: a policy reload applies while it is open.
describe('trySignIn() when IT changes the policy while the person is asked', () => {
  it('sends nothing when IT narrows allowedApiOrigins or locks the API before the yes', async () => {
    for (const policy of [
      { allowedApiOrigins: current.url, managed: [] as const },
      { allowedApiOrigins: '', managed: ['apiBaseUrl'] as const },
    ]) {
      let settings = testSettings(current.url);
      let managed: readonly ('apiBaseUrl' | 'apiProfile')[] = [];
      const changing = {
        ...deps(),
        current: () => settings,
        managed: () => managed,
        confirm: async (change: ConnectionChange) => {
          asked.push(change);
          // IT's new policy is read while the dialog is open.
          settings = testSettings(current.url, { allowedApiOrigins: policy.allowedApiOrigins });
          managed = policy.managed;
          return true;
        },
      };
      const result = await trySignIn(changing, at(candidate.url), DEMO);
      expect(result).toMatchObject({
        ok: false,
        error: {
          code: 'MANAGED_SETTING',
          key: policy.managed.length > 0 ? 'apiBaseUrl' : 'allowedApiOrigins',
        },
      });
    }
    expect(asked).toHaveLength(2);
    expect(candidate.requests()).toEqual([]);
  });
});

describe('createConnectService()', () => {
  const service = (more: Partial<ConnectServiceDeps> = {}) =>
    createConnectService({
      fetch: (input, init) => fetch(input, init),
      settings: {
        current: () => testSettings(current.url),
        view: () => ({ values: testSettings(current.url), sources: {} as never, managed: [], issues: [] }),
      },
      logger: silentLogger,
      confirm: async () => true,
      ...more,
    });

  it('runs one trial at a time: another while one runs is refused', async () => {
    const connect = service();
    const first = connect.trySignIn({ ...at(current.url), ...DEMO });
    const second = await connect.trySignIn({ ...at(current.url), ...DEMO });
    expect(second).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(await first).toMatchObject({ ok: true });
  });

  it('logs a burst of probes and trial sign-ins once a minute per kind of line, then counts what it left out', async () => {
    let clock = Date.now();
    const logs = captureLogs('connect');
    const connect = service({ logger: logs.logger, now: () => clock });
    // Six rounds show the pacing as well as more would; each trial is a real sign-in (a password hash on
    // the server), so a longer loop only risks the test's time limit on a loaded machine.
    for (let i = 0; i < 6; i++) {
      expect(await connect.probe(current.url)).toMatchObject({ ok: true });
      const trial = await connect.trySignIn({ ...at(current.url), ...DEMO });
      expect(trial).toMatchObject({ ok: true, value: { discarded: 'revoked' } });
    }
    // A page looping over the wizard's calls: one line of each kind (the probe's end, the trial's
    // requests, the trial's end), not 24.
    expect(logs.entries.map(({ scope, message }) => `${scope} ${message}`)).toEqual([
      'connect connect probe finished',
      'connect:trial auth request succeeded',
      'connect connect trial sign-in finished',
    ]);
    clock += PACED_LOG_INTERVAL_MS;
    await connect.probe(current.url);
    expect(logs.entries.at(-1)).toMatchObject({
      message: 'connect probe finished; 5 more like it not logged',
      fields: { outcome: 'tesseraHealth' },
    });
  });

  it('keeps one probe in flight: a newer probe cancels the one before', async () => {
    const connect = service();
    const first = connect.probe(current.url);
    const second = connect.probe(candidate.url);
    expect(await first).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(await second).toMatchObject({ ok: true, value: { url: candidate.url, profile: 'tessera' } });
  });
});

describe('createConnectService() under IT policy', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The service over a real settings store whose policy file holds `managed`. */
  function managedService(managed: Record<string, string>) {
    dir = mkdtempSync(join(tmpdir(), 'tessera-connect-'));
    const policyPath = join(dir, 'policy.json');
    writeFileSync(policyPath, JSON.stringify({ managed }));
    const settings = createSettingsStore({ userDataDir: dir, policyPath, env: {}, argv: [] });
    return createConnectService({
      fetch: (input, init) => fetch(input, init),
      settings,
      logger: silentLogger,
      confirm: async (change) => {
        asked.push(change);
        return true;
      },
    });
  }

  it('a locked apiBaseUrl: no trial sign-in and no probe elsewhere, nothing sent, no one asked', async () => {
    // Before, the trial asked the person once and then sent the password to the page's server.
    const connect = managedService({ apiBaseUrl: current.url });
    expect(await connect.trySignIn({ ...at(candidate.url), ...DEMO })).toMatchObject({
      ok: false,
      error: { code: 'MANAGED_SETTING', key: 'apiBaseUrl' },
    });
    expect(await connect.probe(candidate.url)).toMatchObject({
      ok: false,
      error: { code: 'MANAGED_SETTING', key: 'apiBaseUrl' },
    });
    expect(asked).toEqual([]);
    expect(candidate.requests()).toEqual([]);
    // The locked server itself can still be probed.
    expect(await connect.probe(current.url)).toMatchObject({ ok: true, value: { profile: 'tessera' } });
  });

  it('allowedApiOrigins: no trial sign-in and no probe at another origin, nothing sent, no one asked', async () => {
    const connect = managedService({ allowedApiOrigins: current.url });
    expect(await connect.trySignIn({ ...at(candidate.url), ...DEMO })).toMatchObject({
      ok: false,
      error: { code: 'MANAGED_SETTING', key: 'allowedApiOrigins' },
    });
    expect(await connect.probe(candidate.url)).toMatchObject({
      ok: false,
      error: { code: 'MANAGED_SETTING', key: 'allowedApiOrigins' },
    });
    expect(asked).toEqual([]);
    expect(candidate.requests()).toEqual([]);
    // A URL the setting refuses is still the probe's own INVALID_CONFIG.
    expect(await connect.probe('http://api.example.com')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CONFIG', key: 'apiBaseUrl' },
    });
    expect(await connect.probe(current.url)).toMatchObject({ ok: true, value: { profile: 'tessera' } });
  });
});
