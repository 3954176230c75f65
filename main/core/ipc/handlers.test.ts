import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../../common/errors';
import { CHANNELS, type Channel } from '../../../common/ipc';
import {
  APP_EVENT,
  createBrokenSession,
  createFakeConnect,
  createFakeSession,
  FAKE_ACCESS_TOKEN,
  FAKE_REFRESH_TOKEN,
  type FakeConnect,
  type FakeSession,
  GOOD_PASSWORD,
} from '../../../test/support/ipc-fakes';
import { isAppUrl } from '../../security/app-origin';
import type { ConnectService } from '../config/connect-service';
import { createSettingsStore } from '../config/settings-store';
import type { SettingsStore } from '../contracts';
import { PACED_LOG_INTERVAL_MS } from '../log-pacing';
import { createIpcHandlers, type IpcHandler, type IpcHandlers } from './handlers';

/** A page of another origin inside the app's window: never trusted, whatever it asks. */
const SUBFRAME_EVENT = { senderFrame: { url: 'https://evil.example/', parent: { url: 'app://tessera/' } } };

// Every answer any handler gives in this file; afterAll checks none carries the refresh token.
const answers: unknown[] = [];
let dir: string;
let session: FakeSession;
let connect: FakeConnect;
let settings: SettingsStore;
let handlers: IpcHandlers;
let logged: string[];
let confirmAnswer: boolean;

function build(
  deps: {
    session?: FakeSession | ReturnType<typeof createBrokenSession>;
    settings?: SettingsStore;
    connect?: ConnectService;
  } = {},
) {
  const built = createIpcHandlers({
    session: deps.session ?? session,
    settings: deps.settings ?? settings,
    connect: deps.connect ?? connect,
    isAppUrl: (url) => isAppUrl(url),
    logger: { warn: (line) => logged.push(`warn ${line}`), error: (line) => logged.push(`error ${line}`) },
  });
  // Record every answer for the refresh-token scan.
  const record =
    <C extends Channel>(handler: IpcHandler<C>): IpcHandler<C> =>
    async (event, payload) => {
      const answer = await handler(event, payload);
      answers.push(answer);
      return answer;
    };
  return Object.fromEntries(
    CHANNELS.map((channel) => [channel, record(built[channel])]),
  ) as unknown as IpcHandlers;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-ipc-'));
  mkdirSync(join(dir, 'etc'));
  writeFileSync(join(dir, 'etc', 'policy.json'), JSON.stringify({ managed: { requestTimeoutMs: 20_000 } }));
  logged = [];
  confirmAnswer = true;
  session = createFakeSession();
  connect = createFakeConnect();
  settings = createSettingsStore({
    userDataDir: join(dir, 'userData'),
    policyPath: join(dir, 'etc', 'policy.json'),
    env: {},
    argv: [],
    logger: { warn: () => {}, error: () => {} },
    confirmConnectionChange: async () => confirmAnswer,
  });
  handlers = build();
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

afterAll(() => {
  // Sanity: the fake really offered the token to the handlers, so an absent token means it was stripped.
  expect(JSON.stringify(createFakeSession().getView())).toContain(FAKE_REFRESH_TOKEN);
  expect(answers.length).toBeGreaterThan(90);
  expect(JSON.stringify(answers)).not.toContain(FAKE_REFRESH_TOKEN);
});

/** A valid payload for each channel, used where only the sender is under test. */
const VALID_PAYLOADS: { [C in Channel]: unknown } = {
  'auth:sign-in': { username: 'kim', password: GOOD_PASSWORD },
  'auth:sign-in-oidc': undefined,
  'auth:cancel-sign-in': undefined,
  'auth:sign-out': undefined,
  'auth:list-accounts': undefined,
  'auth:switch-account': { id: 'acct-1' },
  'auth:get-access-token': { forceRefresh: true },
  'auth:get-session': undefined,
  'auth:retry-restore': undefined,
  'settings:get': undefined,
  'settings:update': { theme: 'dark' },
  'settings:probe-api': { url: 'https://api.example.com' },
  'settings:try-sign-in': {
    apiBaseUrl: 'https://api.example.com',
    apiProfile: 'simplejwt',
    authContract: null,
    username: 'kim',
    password: GOOD_PASSWORD,
  },
};

describe('createIpcHandlers() sender check', () => {
  const senders = {
    'a null senderFrame': { senderFrame: null },
    'a subframe of the app': {
      senderFrame: { url: 'app://tessera/index.html', parent: { url: 'app://tessera/' } },
    },
    'another origin': { senderFrame: { url: 'https://evil.example/', parent: null } },
    'a lookalike origin (app://tessera.evil)': {
      senderFrame: { url: 'app://tessera.evil/index.html', parent: null },
    },
    'a lookalike origin (app://tessera@evil)': {
      senderFrame: { url: 'app://tessera@evil/index.html', parent: null },
    },
  };

  for (const [name, event] of Object.entries(senders))
    it(`rejects ${name} on every channel with FORBIDDEN_SENDER, before touching the core`, async () => {
      for (const channel of CHANNELS) {
        const answer = await handlers[channel](event, VALID_PAYLOADS[channel]);
        expect(answer, channel).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
      }
      expect(session.calls).toEqual([]);
      expect(connect.calls).toEqual([]);
      expect(settings.current().theme).toBe('system');
      expect(logged).toHaveLength(CHANNELS.length);
    });
});

describe('createIpcHandlers() payload check', () => {
  const huge = 'x'.repeat(4097);
  const malformed: { [C in Channel]: unknown[] } = {
    'auth:sign-in': [
      undefined,
      null,
      'kim:secret',
      42,
      [],
      ['kim', 'secret'],
      {},
      { password: GOOD_PASSWORD },
      { username: 'kim' },
      { username: 7, password: GOOD_PASSWORD },
      { username: 'kim', password: true },
      { username: 'kim', password: { toString: 'x' } },
      { username: '', password: GOOD_PASSWORD },
      { username: huge, password: GOOD_PASSWORD },
      { username: 'kim', password: huge },
      { username: 'kim', password: GOOD_PASSWORD, remember: true },
      { username: 'kim', password: GOOD_PASSWORD, apiBaseUrl: 42 },
      { username: 'kim', password: GOOD_PASSWORD, apiBaseUrl: '' },
    ],
    'auth:sign-in-oidc': ['google', 0, false, {}, [], { issuer: 'https://evil.example' }],
    'auth:cancel-sign-in': ['now', 1, true, {}, []],
    'auth:sign-out': [
      'now',
      0,
      false,
      {},
      [],
      { all: false },
      { account: 7 },
      { account: '' },
      { account: 'acct-1', all: true },
      { account: 'acct-1', everyone: true },
    ],
    'auth:list-accounts': ['x', 0, {}, []],
    'auth:switch-account': [
      undefined,
      null,
      'acct-1',
      {},
      { id: '' },
      { id: 3 },
      { id: huge },
      { id: 'a', x: 1 },
    ],
    'auth:get-access-token': [
      'force',
      1,
      [],
      { forceRefresh: 'yes' },
      { forceRefresh: 1 },
      { force: true },
      { account: '' },
      { account: 3 },
      { account: null },
      { account: huge },
    ],
    'auth:get-session': ['x', 0, {}, []],
    'auth:retry-restore': ['x', 0, {}, []],
    'settings:get': ['x', 0, {}, []],
    'settings:update': [
      undefined,
      null,
      'theme=dark',
      42,
      [],
      [['theme', 'dark']],
      Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i])),
    ],
    'settings:probe-api': [
      undefined,
      null,
      'https://api.example.com',
      {},
      { url: '' },
      { url: 42 },
      { url: `https://api.example.com/${'x'.repeat(2048)}` },
      { url: 'https://api.example.com', follow: true },
    ],
    'settings:try-sign-in': [
      undefined,
      'kim:secret',
      {},
      { apiBaseUrl: 'https://api.example.com', apiProfile: 'tessera', authContract: null, username: 'kim' },
      {
        apiBaseUrl: 'https://api.example.com',
        apiProfile: 'tessera',
        authContract: null,
        username: 'kim',
        password: huge,
      },
      {
        apiBaseUrl: 'https://api.example.com',
        apiProfile: 'tessera',
        authContract: null,
        username: 'kim',
        password: GOOD_PASSWORD,
        save: true,
      },
    ],
  };

  for (const channel of CHANNELS)
    it(`rejects malformed ${channel} payloads with INVALID_REQUEST, before touching the core`, async () => {
      for (const payload of malformed[channel]) {
        const answer = await handlers[channel](APP_EVENT, payload);
        expect(answer, JSON.stringify(payload)?.slice(0, 80)).toMatchObject({
          ok: false,
          error: { code: 'INVALID_REQUEST' },
        });
      }
      expect(session.calls).toEqual([]);
      expect(connect.calls).toEqual([]);
      expect(settings.current().theme).toBe('system');
    });

  it('accepts null as "no payload" on channels that take none', async () => {
    for (const channel of [
      'auth:sign-in-oidc',
      'auth:cancel-sign-in',
      'auth:sign-out',
      'auth:get-session',
      'auth:retry-restore',
      'settings:get',
      'auth:get-access-token',
    ] as const)
      expect(await handlers[channel](APP_EVENT, null), channel).not.toMatchObject({
        error: { code: 'INVALID_REQUEST' },
      });
  });

  it('never echoes the rejected password in the error', async () => {
    const answer = await handlers['auth:sign-in'](APP_EVENT, { username: 'kim', password: `${huge}hunter2` });
    expect(JSON.stringify(answer)).not.toContain('hunter2');
  });
});

describe('createIpcHandlers() calls into the core', () => {
  it.each([
    {
      title: 'signs in',
      channel: 'auth:sign-in',
      args: { username: 'kim', password: GOOD_PASSWORD },
      user: { username: 'kim', role: 'user' },
      call: 'signIn kim',
    },
    {
      title: 'signs in with the provider',
      channel: 'auth:sign-in-oidc',
      args: undefined,
      user: { sub: 'oidc-sub-1', username: 'kim@example.com' },
      call: 'signInWithProvider',
    },
  ] as const)(
    '$title and answers the session view, without the core extras',
    async ({ channel, args, user, call }) => {
      const answer = await handlers[channel](APP_EVENT, args);
      expect(answer).toMatchObject({ ok: true, value: { state: 'active', user } });
      expect(answer.ok && Object.keys(answer.value).sort()).toEqual(
        Object.keys(session.getView())
          .filter((key) => key !== 'refreshToken' && key !== 'cause')
          .sort(),
      );
      expect(session.calls).toEqual([call]);
    },
  );

  it('cancels a sign-in and answers only whether one was cancelled', async () => {
    const answer = await handlers['auth:cancel-sign-in'](APP_EVENT, null);
    expect(answer).toEqual({ ok: true, value: { cancelled: false } });
    expect(session.calls).toEqual(['cancelSignIn']);
  });

  it('passes an expected failure through as a value', async () => {
    const answer = await handlers['auth:sign-in'](APP_EVENT, { username: 'kim', password: 'wrong' });
    expect(answer).toEqual({
      ok: false,
      error: { code: 'INVALID_CREDENTIALS', message: 'Wrong user name or password.', status: 401 },
    });
  });

  it('hands out the access token to the app page, forwarding forceRefresh', async () => {
    expect(await handlers['auth:get-access-token'](APP_EVENT, undefined)).toMatchObject({
      ok: false,
      error: { code: 'NOT_SIGNED_IN' },
    });
    await handlers['auth:sign-in'](APP_EVENT, { username: 'kim', password: GOOD_PASSWORD });
    const answer = await handlers['auth:get-access-token'](APP_EVENT, { forceRefresh: true });
    expect(answer).toEqual({
      ok: true,
      value: { accessToken: FAKE_ACCESS_TOKEN, tokenType: 'Bearer', expiresAt: 2_000_000 },
    });
    expect(session.calls).toContain('getAccessToken {"forceRefresh":true}');
  });

  it('forwards the account the page names, and answers the account the grant belongs to, field by field', async () => {
    const asked: unknown[] = [];
    session.getAccessToken = async (options) => {
      asked.push(options);
      const grant = { accessToken: FAKE_ACCESS_TOKEN, tokenType: 'Bearer' as const, expiresAt: 2_000_000 };
      return {
        ok: true,
        value: { ...grant, accountId: 'acct-1', refreshToken: 'never-on-the-wire' } as never,
      };
    };
    const answer = await handlers['auth:get-access-token'](APP_EVENT, {
      forceRefresh: true,
      account: 'acct-1',
    });
    expect(answer).toEqual({
      ok: true,
      value: {
        accessToken: FAKE_ACCESS_TOKEN,
        tokenType: 'Bearer',
        expiresAt: 2_000_000,
        accountId: 'acct-1',
      },
    });
    expect(asked).toEqual([{ forceRefresh: true, account: 'acct-1' }]);
  });

  it('signs out and reports a failed revocation', async () => {
    await handlers['auth:sign-in'](APP_EVENT, { username: 'kim', password: GOOD_PASSWORD });
    const answer = await handlers['auth:sign-out'](APP_EVENT, undefined);
    expect(answer).toEqual({
      ok: true,
      value: { revoked: false, revocationError: { code: 'NETWORK', message: 'Could not reach the server.' } },
    });
    expect(await handlers['auth:get-session'](APP_EVENT, undefined)).toMatchObject({
      ok: true,
      value: { state: 'signedOut', reason: 'userSignedOut' },
    });
  });

  it('answers the settings view', async () => {
    const answer = await handlers['settings:get'](APP_EVENT, undefined);
    expect(answer).toMatchObject({
      ok: true,
      value: { values: { theme: 'system', requestTimeoutMs: 20_000 }, managed: ['requestTimeoutMs'] },
    });
  });

  it('shows the page a PAC URL as the log does: query values and fragment stay in main', async () => {
    const pac = 'https://wpad.corp.example/proxy.pac?site=berlin&key=SiteKey-4f1e#frag';
    const paced = createSettingsStore({
      userDataDir: join(dir, 'userData'),
      policyPath: join(dir, 'etc', 'policy.json'),
      env: { TESSERA_PROXY_PAC_URL: pac },
      argv: [],
      logger: { warn: () => {}, error: () => {} },
    });
    expect(paced.view().values.proxyPacUrl).toBe(pac);
    const answer = await build({ settings: paced })['settings:get'](APP_EVENT, undefined);
    expect(answer).toMatchObject({
      ok: true,
      value: {
        values: {
          proxyPacUrl: 'https://wpad.corp.example/proxy.pac?site=[redacted]&key=[redacted]#[redacted]',
        },
        sources: { proxyPacUrl: 'env' },
      },
    });
    for (const secret of ['SiteKey-4f1e', 'berlin', 'frag'])
      expect(JSON.stringify(answer)).not.toContain(secret);
    // None set: none shown (not a redaction marker).
    const plain = await handlers['settings:get'](APP_EVENT, undefined);
    expect(plain).toMatchObject({ ok: true, value: { values: { proxyPacUrl: '' } } });
  });

  it('updates settings and answers after the change subscribers of the store ran', async () => {
    const heard: string[] = [];
    settings.onChange(async (next) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      heard.push(next.apiBaseUrl);
    });
    const answer = await handlers['settings:update'](APP_EVENT, {
      theme: 'dark',
      apiBaseUrl: 'https://api.example.com',
    });
    expect(answer).toMatchObject({
      ok: true,
      value: { values: { theme: 'dark' }, sources: { theme: 'user' } },
    });
    expect(heard).toEqual(['https://api.example.com']);
    // The session hears of it through the composition root's subscription (app-services.test.ts), not here.
    expect(session.applied).toEqual([]);
  });

  it('refuses admin settings from the page, trusted sender or not, and saves nothing', async () => {
    for (const patch of [
      { updateUrl: 'https://attacker.example/feed' },
      { updatesEnabled: true },
      { updateChannel: 'beta' },
    ]) {
      expect(await handlers['settings:update'](APP_EVENT, { theme: 'dark', ...patch })).toMatchObject({
        ok: false,
        error: { code: 'ADMIN_SETTING', key: Object.keys(patch)[0] },
      });
      expect(await handlers['settings:update'](SUBFRAME_EVENT, patch)).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN_SENDER' },
      });
    }
    expect(settings.current()).toMatchObject({ theme: 'system', updateUrl: '' });
  });

  it('refuses an oversized request before any work: a 100k-key settings patch, a megabyte password', async () => {
    const patch: Record<string, string> = {};
    for (let i = 0; i < 100_000; i++) patch[`key${i}`] = 'x';
    expect(await handlers['settings:update'](APP_EVENT, { theme: 'dark', ...patch })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST', message: expect.stringMatching(/too large/) },
    });
    expect(
      await handlers['auth:sign-in'](APP_EVENT, { username: 'kim', password: 'p'.repeat(1 << 20) }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    expect(settings.current().theme).toBe('system');
    expect(session.calls.filter((call) => call.startsWith('signIn'))).toEqual([]);
  });

  it('refuses a user name holding half of a UTF-16 pair, which no keychain entry name can hold', async () => {
    for (const username of ['kim\uD800', '\uDC00kim']) {
      expect(await handlers['auth:sign-in'](APP_EVENT, { username, password: 'p' })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_REQUEST', message: 'Malformed auth:sign-in request (username).' },
      });
    }
    expect(session.calls.filter((call) => call.startsWith('signIn'))).toEqual([]);
    // A whole pair (an emoji) is text like any other: it reaches the session.
    await handlers['auth:sign-in'](APP_EVENT, { username: 'kim🔐', password: 'p' });
    expect(session.calls.filter((call) => call.startsWith('signIn'))).toEqual(['signIn kim🔐']);
  });

  it('refuses a password holding half of a UTF-16 pair (no request can encode it), at sign-in and in a trial', async () => {
    for (const password of ['pw\uD800', '\uDC00pw']) {
      expect(await handlers['auth:sign-in'](APP_EVENT, { username: 'kim', password })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_REQUEST', message: 'Malformed auth:sign-in request (password).' },
      });
      expect(
        await handlers['settings:try-sign-in'](APP_EVENT, {
          apiBaseUrl: 'https://api.example.com',
          apiProfile: 'tessera',
          authContract: null,
          username: 'kim',
          password,
        }),
      ).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
    }
    expect(session.calls.filter((call) => call.startsWith('signIn'))).toEqual([]);
  });

  it('saves a change of server only when the person confirms it in main', async () => {
    confirmAnswer = false;
    expect(
      await handlers['settings:update'](APP_EVENT, { apiBaseUrl: 'https://api.example.com' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'CANCELLED' },
    });
    expect(settings.current().apiBaseUrl).not.toBe('https://api.example.com');
    confirmAnswer = true;
    expect(
      await handlers['settings:update'](APP_EVENT, { apiBaseUrl: 'https://api.example.com' }),
    ).toMatchObject({
      ok: true,
      value: { values: { apiBaseUrl: 'https://api.example.com' } },
    });
  });

  it('refuses managed, unknown and invalid settings without touching the session', async () => {
    expect(await handlers['settings:update'](APP_EVENT, { requestTimeoutMs: 30_000 })).toMatchObject({
      ok: false,
      error: { code: 'MANAGED_SETTING', key: 'requestTimeoutMs' },
    });
    expect(await handlers['settings:update'](APP_EVENT, { colour: 'red' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CONFIG', key: 'colour' },
    });
    expect(
      await handlers['settings:update'](APP_EVENT, { apiBaseUrl: 'http://api.example.com', mePath: 'x' }),
    ).toEqual({
      ok: false,
      error: {
        code: 'INVALID_CONFIG',
        key: 'apiBaseUrl',
        message: expect.any(String),
        // Every refused field crosses IPC, so the page marks all of them at once.
        fields: [
          { key: 'apiBaseUrl', message: expect.any(String) },
          { key: 'mePath', message: expect.any(String) },
        ],
      },
    });
    expect(session.applied).toEqual([]);
  });
});

describe('createIpcHandlers() refusal warnings', () => {
  it('warns once a minute per channel and kind, however often the page calls, then counts what it left out', async () => {
    let clock = 1_000_000;
    const lines: string[] = [];
    const table = createIpcHandlers({
      session,
      settings,
      connect,
      isAppUrl: (url) => isAppUrl(url),
      logger: { warn: (line) => lines.push(line), error: (line) => lines.push(line) },
      now: () => clock,
    });
    const tooLarge = { username: 'kim', password: 'p'.repeat(9_000) };
    for (let i = 0; i < 500; i++) {
      await table['auth:sign-in'](APP_EVENT, tooLarge);
      await table['auth:sign-in'](SUBFRAME_EVENT, VALID_PAYLOADS['auth:sign-in']);
    }
    expect(lines).toEqual([
      'IPC auth:sign-in: refused a request that is too large (a text value is longer than 8192 characters)',
      'IPC auth:sign-in: refused a call from a subframe on https://evil.example',
    ]);
    // Another channel is its own kind.
    await table['settings:update'](SUBFRAME_EVENT, { theme: 'dark' });
    expect(lines).toHaveLength(3);
    clock += PACED_LOG_INTERVAL_MS;
    await table['auth:sign-in'](APP_EVENT, tooLarge);
    expect(lines[3]).toBe(
      'IPC auth:sign-in: refused a request that is too large (a text value is longer than 8192 characters); 499 more like it not logged',
    );
  });
});

describe('createIpcHandlers() prototype keys in a settings patch', () => {
  // Structured clone hands main a patch whose own key is `__proto__` (JSON.parse makes one too).
  it.each([
    ['__proto__', '{ "__proto__": { "theme": "dark" } }'],
    ['__proto__', '{ "theme": "dark", "__proto__": { "apiBaseUrl": "https://attacker.example" } }'],
    ['constructor', '{ "constructor": { "prototype": { "theme": "dark" } } }'],
  ])('refuses a patch with the key %s, naming it, and saves nothing: %s', async (key, text) => {
    expect(await handlers['settings:update'](APP_EVENT, JSON.parse(text))).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CONFIG', key },
    });
    expect(settings.current()).toMatchObject({ theme: 'system' });
    expect(settings.current().apiBaseUrl).not.toBe('https://attacker.example');
    expect(({} as Record<string, unknown>).theme).toBeUndefined();
  });
});

describe('createIpcHandlers() connect wizard channels', () => {
  it('answers a probe with the contract fields only', async () => {
    const answer = await handlers['settings:probe-api'](APP_EVENT, { url: 'https://api.example.com' });
    expect(answer).toEqual({
      ok: true,
      value: {
        url: 'https://api.example.com',
        profile: 'tessera',
        authContract: null,
        reason: 'tesseraHealth',
        params: {},
        evidence: [{ check: 'tessera', request: 'GET /health', outcome: 'match', status: 200 }],
      },
    });
    expect(connect.calls).toEqual(['probe https://api.example.com']);
  });

  it('answers a trial sign-in with facts, never a token, and its failure with the code only', async () => {
    const request = VALID_PAYLOADS['settings:try-sign-in'] as Record<string, unknown>;
    expect(await handlers['settings:try-sign-in'](APP_EVENT, request)).toEqual({
      ok: true,
      value: { lifetimeSeconds: 900, refreshable: true, discarded: 'revoked' },
    });
    expect(await handlers['settings:try-sign-in'](APP_EVENT, { ...request, password: 'nope' })).toEqual({
      ok: false,
      error: { code: 'INVALID_CREDENTIALS', message: 'Wrong password' },
    });
  });
});

describe('createIpcHandlers() with a broken core', () => {
  it('answers INTERNAL on every channel without leaking the error message, and logs it', async () => {
    const brokenSettings: SettingsStore = {
      view: () => {
        throw new Error('core bug: settings secret-detail-42');
      },
      current: () => settings.current(),
      update: async () => {
        throw new Error('core bug: settings secret-detail-42');
      },
      reloadPolicy: async () => ({ changed: [], viewChanged: false }),
      onChange: () => () => {},
    };
    const brokenConnect: ConnectService = {
      probe: async () => {
        throw new Error('core bug: probe secret-detail-42');
      },
      trySignIn: async () => {
        throw new Error('core bug: trial secret-detail-42');
      },
      dispose: () => {},
    };
    const broken = build({
      session: createBrokenSession('secret-detail-42'),
      settings: brokenSettings,
      connect: brokenConnect,
    });
    for (const channel of CHANNELS) {
      const answer: Result<unknown> = await broken[channel](APP_EVENT, VALID_PAYLOADS[channel]);
      expect(answer, channel).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
      expect(JSON.stringify(answer), channel).not.toContain('secret-detail');
    }
    expect(logged).toHaveLength(CHANNELS.length);
    expect(logged.every((line) => line.startsWith('error ') && line.includes('secret-detail-42'))).toBe(true);
  });

  it('answers INTERNAL when the core returns something that is not a result', async () => {
    const odd = createFakeSession();
    odd.signIn = async () => undefined as unknown as Result<never>;
    const answer = await build({ session: odd })['auth:sign-in'](APP_EVENT, VALID_PAYLOADS['auth:sign-in']);
    expect(answer).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});

describe('IpcHandlers type', () => {
  it('ties each channel to its contract response type', () => {
    // @ts-expect-error: auth:get-session answers a SessionView, not a SignOutResult.
    const wrong: IpcHandlers['auth:get-session'] = async () => ({ ok: true, value: { revoked: true } });
    expect(typeof wrong).toBe('function');
  });
});
