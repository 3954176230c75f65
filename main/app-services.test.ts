import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../common/errors';
import type { SessionView } from '../common/session';
import { DEVELOPMENT_USERS, type RunningServer } from '../server';
import { dispatch } from '../test/support/ipc-dispatch';
import { APP_EVENT } from '../test/support/ipc-fakes';
import { memoryVault } from '../test/support/memory-vault';
import { startQuietServer } from '../test/support/test-server';
import { waitUntil } from '../test/support/wait-until';
import { type AppPorts, type AppServices, CLOSE_WAIT_MS, createAppServices } from './app-services';
import { USER_SETTINGS_FILE } from './core/config/settings-store';
import type { Timers } from './core/timers';
import type { KeytarLike } from './core/vault';

const demo = DEVELOPMENT_USERS[0] ?? { username: 'demo', password: 'demo-password' };

let server: RunningServer;
let other: RunningServer;
let dir: string;
let services: AppServices;
let vault: ReturnType<typeof memoryVault>;
let events: string[];
const answers: Result<unknown>[] = [];

function build(ports: Partial<AppPorts> = {}): AppServices {
  // The user layer (not --api-url, which outranks it): a settings:update must be able to change it.
  writeFileSync(join(dir, USER_SETTINGS_FILE), JSON.stringify({ apiBaseUrl: server.url }));
  return createAppServices({
    userDataDir: dir,
    policyPath: null,
    env: {},
    argv: [],
    fetch: globalThis.fetch,
    vault,
    logSink: () => {},
    confirmConnectionChange: async () => true,
    ...ports,
  });
}

async function call(channel: string, payload?: unknown): Promise<Result<unknown>> {
  const answer = await dispatch(services.handlers, channel, APP_EVENT, payload);
  answers.push(answer);
  return answer;
}

beforeAll(async () => {
  server = await startQuietServer();
  other = await startQuietServer();
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-app-services-'));
  vault = memoryVault();
  events = [];
});

afterEach(() => {
  services?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

afterAll(async () => {
  await server?.close();
  await other?.close();
});

describe('createAppServices() over the reference server', () => {
  it('signs in, hands out a working access token, and signs out, never sending the refresh token', async () => {
    services = build();
    expect(await call('auth:sign-in', { username: demo.username, password: 'wrong-password' })).toMatchObject(
      {
        ok: false,
        error: { code: 'INVALID_CREDENTIALS' },
      },
    );
    expect(await call('auth:sign-in', { username: demo.username, password: demo.password })).toMatchObject({
      ok: true,
      value: { state: 'active', apiOrigin: server.url, user: { username: demo.username } },
    });

    const grant = await call('auth:get-access-token', { forceRefresh: true });
    expect(grant).toMatchObject({ ok: true, value: { tokenType: 'Bearer' } });
    const accessToken = grant.ok ? (grant.value as { accessToken: string }).accessToken : '';
    const me = await fetch(`${server.url}/api/user/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(me.status).toBe(200);

    expect(await call('settings:update', { theme: 'dark' })).toMatchObject({ ok: true });
    expect(await call('auth:get-session')).toMatchObject({ ok: true, value: { state: 'active' } });
    expect(await call('auth:sign-out')).toMatchObject({ ok: true, value: { revoked: true } });
    expect(await call('auth:get-access-token')).toMatchObject({
      ok: false,
      error: { code: 'NOT_SIGNED_IN' },
    });

    // Sign-in and the forced refresh each stored a refresh token; none of them crossed IPC.
    expect(vault.tokens.length).toBeGreaterThanOrEqual(2);
    const wire = JSON.stringify(answers);
    for (const token of vault.tokens) expect(wire).not.toContain(token);
  });

  it('answers an API change only after the session left the old API, then reloads the windows once', async () => {
    services = build({
      reloadWindows: () => events.push('reload'),
      windows: () => [
        {
          isDestroyed: () => false,
          webContents: {
            isDestroyed: () => false,
            send: (_channel: string, view: unknown) => events.push(`view ${(view as SessionView).state}`),
          },
        },
      ],
    });
    await call('auth:sign-in', { username: demo.username, password: demo.password });
    expect(vault.entries.size).toBe(1);
    events.length = 0;

    const answer = call('settings:update', { apiBaseUrl: other.url }).then((result) => {
      events.push('answered');
      return result;
    });
    expect(await answer).toMatchObject({ ok: true, value: { values: { apiBaseUrl: other.url } } });
    // Signed out of the old API, its keychain entry gone, before the page hears "saved".
    expect(services.session.getView()).toMatchObject({
      state: 'signedOut',
      reason: 'apiChanged',
      apiOrigin: other.url,
    });
    expect(vault.entries.size).toBe(0);
    // The sign-out at once (the page drops the token it keeps), then the outcome, then the answer.
    expect(events).toEqual(['view signedOut', 'view signedOut', 'answered']);
    expect(services.csp()).toContain(other.url);

    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).toEqual(['view signedOut', 'view signedOut', 'answered', 'reload']);
  });

  it('does not reload the windows when a change leaves the API origin as it was', async () => {
    services = build({ reloadWindows: () => events.push('reload') });
    expect(await call('settings:update', { theme: 'dark', requestTimeoutMs: 20_000 })).toMatchObject({
      ok: true,
    });
    expect(await call('settings:update', { apiBaseUrl: `${server.url}/v2` })).toMatchObject({ ok: true });
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).toEqual([]);
  });

  it('reloads the windows for an account on a second API, but not when its last account there signs out', async () => {
    services = build({ reloadWindows: () => events.push('reload') });
    await services.start();
    const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
    expect(services.csp()).not.toContain(other.url);
    await call('auth:sign-in', { username: demo.username, password: demo.password });
    expect(
      await call('auth:sign-in', { username: demo.username, password: demo.password, apiBaseUrl: other.url }),
    ).toMatchObject({ ok: true });
    await settle();
    expect(events).toEqual(['reload']);
    // The reloaded page is served the wider policy.
    expect(services.csp()).toContain(other.url);

    const accounts = await call('auth:list-accounts');
    const there = (accounts.ok ? (accounts.value as { id: string; apiBaseUrl: string }[]) : []).find(
      (account) => account.apiBaseUrl === other.url,
    );
    expect(await call('auth:sign-out', { account: there?.id })).toMatchObject({ ok: true });
    await settle();
    // Narrowed for the next document, and no reload to get there.
    expect(events).toEqual(['reload']);
    expect(services.csp()).not.toContain(other.url);

    // That page now holds the narrower policy: an account on the second API again reloads it.
    await call('auth:sign-in', { username: demo.username, password: demo.password, apiBaseUrl: other.url });
    await settle();
    expect(events).toEqual(['reload', 'reload']);
  });

  it('names the origins links may leave for, following the settings (API; issuer only with a provider)', async () => {
    services = build();
    expect(services.knownOrigins()).toEqual({ apiBaseUrl: server.url });
    expect(await call('settings:update', { apiBaseUrl: 'https://api.example.com/v1' })).toMatchObject({
      ok: true,
    });
    expect(services.knownOrigins()).toEqual({ apiBaseUrl: 'https://api.example.com/v1' });
    services.dispose();

    services = build({
      env: {
        TESSERA_AUTH_MODE: 'oidc',
        TESSERA_OIDC_ISSUER: 'https://login.example.com/realms/x',
        TESSERA_OIDC_CLIENT_ID: 'tessera',
      },
    });
    expect(services.knownOrigins()).toEqual({
      apiBaseUrl: server.url,
      oidcIssuer: 'https://login.example.com/realms/x',
    });
  });

  it('trusts only the app origin it is given for IPC', async () => {
    services = build({ appOrigin: 'https://tessera.test' });
    expect(await call('auth:get-session')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    const own = { senderFrame: { url: 'https://tessera.test/index.html', parent: null } };
    expect(await dispatch(services.handlers, 'auth:get-session', own, undefined)).toMatchObject({ ok: true });
  });

  it('probes another server only after the person says yes in main, so the page cannot send data there on its own', async () => {
    // The page names the URL: its host name and path could carry anything it read. Before, the probe
    // requested it at once; now main asks the person first, once per server.
    const asked: string[] = [];
    let answer = false;
    services = build({
      confirmConnectionChange: async (change) => {
        asked.push(`${change.purpose} ${change.toOrigin}`);
        return answer;
      },
    });
    other.clearRequests();
    const carried = `${other.url}/eyJhbGciOiJIUzI1NiJ9.stolen`;
    expect(await call('settings:probe-api', { url: carried })).toMatchObject({
      ok: false,
      error: { code: 'CANCELLED' },
    });
    expect(asked).toEqual([`probe ${other.url}`]);
    expect(other.requests()).toEqual([]);

    // The server the app already signs in to is probed without a question.
    expect(await call('settings:probe-api', { url: server.url })).toMatchObject({
      ok: true,
      value: { profile: 'tessera' },
    });
    expect(asked).toHaveLength(1);

    // Yes: probed; the same server again is not asked again.
    answer = true;
    expect(await call('settings:probe-api', { url: other.url })).toMatchObject({
      ok: true,
      value: { profile: 'tessera' },
    });
    expect(await call('settings:probe-api', { url: `${other.url}/` })).toMatchObject({ ok: true });
    expect(asked).toEqual([`probe ${other.url}`, `probe ${other.url}`]);

    // Without main's question (no dialog to ask with), another server is not probed at all.
    services.dispose();
    other.clearRequests();
    services = build({ confirmConnectionChange: undefined });
    expect(await call('settings:probe-api', { url: other.url })).toMatchObject({
      ok: false,
      error: { code: 'CONFIRMATION_REQUIRED' },
    });
    expect(other.requests()).toEqual([]);
  });

  it('restores a stored session at start and stops broadcasting after dispose', async () => {
    services = build();
    await call('auth:sign-in', { username: demo.username, password: demo.password });
    services.dispose();

    const seen: string[] = [];
    services = build({
      windows: () => [
        {
          isDestroyed: () => false,
          webContents: {
            isDestroyed: () => false,
            send: (_c: string, v: unknown) => seen.push((v as SessionView).state),
          },
        },
      ],
    });
    expect(await services.start()).toMatchObject({ state: 'active', user: { username: demo.username } });
    expect(seen).toContain('active');
    services.dispose();
    const count = seen.length;
    await services.session.signOut();
    expect(seen.length).toBe(count);
  });
});

describe('createAppServices().close()', () => {
  /**
   * A keychain whose answers the test releases one by one (a stand-in: the vault's own suites run
   * against gnome-keyring; what is checked here is when close() answers). Every call is one entry.
   */
  function heldKeychain() {
    const held: Array<{ op: string; release: () => void }> = [];
    const hold =
      <T>(op: string, value: T) =>
      () =>
        new Promise<T>((resolve) => held.push({ op, release: () => resolve(value) }));
    const keytar: KeytarLike = {
      getPassword: (_service, _account) => hold('get', null as string | null)(),
      setPassword: (_service, _account, _password) => hold('set', undefined)(),
      deletePassword: (_service, _account) => hold('delete', true)(),
    };
    /** Answers the held calls one by one, as they come, until `done()`; the kinds answered, in order. */
    const releaseUntil = async (done: () => boolean): Promise<string[]> => {
      const released: string[] = [];
      for (let round = 0; round < 20 && !done(); round += 1) {
        expect(await waitUntil(() => done() || held.length > 0)).toBe(true);
        if (done()) break;
        const next = held.shift();
        released.push(next?.op ?? '');
        next?.release();
      }
      expect(done()).toBe(true);
      return released;
    };
    /** Starts `services` and answers the start-up sign-in's keychain calls (nothing is stored). */
    const started = async (services: AppServices): Promise<void> => {
      let done = false;
      void services.start().then(() => {
        done = true;
      });
      await releaseUntil(() => done);
    };
    /** Quits `services`, answering the keychain calls it waits for; the kinds answered, in order. */
    const closed = async (services: AppServices): Promise<string[]> => {
      let done = false;
      void services.close().then(() => {
        done = true;
      });
      return releaseUntil(() => done);
    };
    return { keytar, held, releaseUntil, started, closed };
  }

  it('waits for the keychain calls the start-up sign-in asked for, and answers the same promise again', async () => {
    const { keytar, held, releaseUntil } = heldKeychain();
    services = build({ vault: undefined, loadKeytar: async () => keytar });
    void services.start();
    expect(await waitUntil(() => held.length === 1)).toBe(true);

    let closed = false;
    const closing = services.close();
    void closing.then(() => {
      closed = true;
    });
    expect(services.close()).toBe(closing);
    // The silent sign-in reads the keychain several times (last user, old format, a probe write and
    // delete, last user again): close() answers only once the last of them has.
    const released = await releaseUntil(() => closed);
    expect(released.length).toBeGreaterThanOrEqual(5);
    expect(held).toEqual([]);
    expect(services.session.getView().state).toBe('signedOut');
  });

  it('waits for a refresh token being written after a sign-in', async () => {
    const { keytar, held, started, closed } = heldKeychain();
    services = build({ vault: undefined, loadKeytar: async () => keytar });
    // Nothing stored: the start-up sign-in's reads and probe answer empty.
    await started(services);
    const signedIn = call('auth:sign-in', { username: demo.username, password: demo.password });
    expect(await waitUntil(() => held.length > 0)).toBe(true);
    // The account's save: its token, then a look at the API's last-user mark (empty), then the mark.
    expect(await closed(services)).toEqual(['set', 'get', 'set']);
    expect(await signedIn).toMatchObject({ ok: true });
  });

  it('waits for the delete that follows a refresh token write that failed', async () => {
    const { keytar, held, started, closed } = heldKeychain();
    // Every write is refused once the test lets it answer (a keychain that went away mid-write).
    const refusing: KeytarLike = {
      ...keytar,
      setPassword: () =>
        new Promise<void>((_, reject) =>
          held.push({ op: 'set', release: () => reject(new Error('The keychain refused the write')) }),
        ),
    };
    services = build({ vault: undefined, loadKeytar: async () => refusing });
    await started(services);
    expect(await call('auth:sign-in', { username: demo.username, password: demo.password })).toMatchObject({
      ok: true,
    });
    // The sign-in's write is still running (held) when the app quits.
    expect(await waitUntil(() => held.length > 0)).toBe(true);
    expect(held.map((call) => call.op)).toEqual(['set']);
    // The failed write, then the delete of whatever the entry held (in the write's own step),
    // and the look at the last-user mark that goes with it: quitting does not cut them off.
    expect(await closed(services)).toEqual(['set', 'delete', 'get']);
    expect(held).toEqual([]);
  });

  it(`gives up after CLOSE_WAIT_MS (${CLOSE_WAIT_MS} ms) when the keychain never answers`, async () => {
    const { keytar, held } = heldKeychain();
    const timers: Array<{ callback: () => void; ms: number; cleared: boolean }> = [];
    const manual: Timers = {
      setTimeout(callback, ms) {
        const timer = { callback, ms, cleared: false };
        timers.push(timer);
        return timer;
      },
      clearTimeout(handle) {
        (handle as { cleared: boolean }).cleared = true;
      },
    };
    services = build({ vault: undefined, loadKeytar: async () => keytar, timers: manual });
    void services.start();
    expect(await waitUntil(() => held.length === 1)).toBe(true);

    let closed = false;
    void services.close().then(() => {
      closed = true;
    });
    expect(await waitUntil(() => timers.some((timer) => timer.ms === CLOSE_WAIT_MS))).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(closed).toBe(false);
    for (const timer of timers) if (timer.ms === CLOSE_WAIT_MS && !timer.cleared) timer.callback();
    expect(await waitUntil(() => closed)).toBe(true);
    expect(held).toHaveLength(1);
  });
});

describe('createAppServices() log level', () => {
  /** The levels of what reached the sink after start-up, from one line of each level. */
  function levelsLogged(ports: Partial<AppPorts>): string[] {
    const levels: string[] = [];
    services?.dispose();
    services = build({ logSink: (entry) => levels.push(entry.level), ...ports });
    levels.length = 0;
    for (const level of ['debug', 'info', 'warn', 'error'] as const)
      services.logger.child('test')[level](level);
    return levels;
  }

  it('follows the logLevel setting (default info; an admin setting from policy, command line or environment)', () => {
    expect(levelsLogged({})).toEqual(['info', 'warn', 'error']);
    expect(levelsLogged({ env: { TESSERA_LOG_LEVEL: 'error' } })).toEqual(['error']);
    expect(levelsLogged({ argv: ['--log-level', 'debug'] })).toEqual(['debug', 'info', 'warn', 'error']);
    writeFileSync(join(dir, 'policy.json'), JSON.stringify({ managed: { logLevel: 'warn' } }));
    expect(
      levelsLogged({ policyPath: join(dir, 'policy.json'), env: { TESSERA_LOG_LEVEL: 'debug' } }),
    ).toEqual(['warn', 'error']);
  });

  it('lets the host override it (tests scanning for leaks log everything)', () => {
    expect(levelsLogged({ logLevel: 'debug', env: { TESSERA_LOG_LEVEL: 'error' } })).toEqual([
      'debug',
      'info',
      'warn',
      'error',
    ]);
  });
});
