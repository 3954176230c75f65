import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { chmod, chown } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Settings } from '../../../common/settings';
import { defaultSettings } from '../../../test/support/default-settings';
import type { ConnectionChange } from './connection-change';
import { createSettingsStore, type SettingsStoreDeps, USER_SETTINGS_FILE } from './settings-store';

let dir: string;
let userDataDir: string;
let policyPath: string;
let logged: string[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-config-'));
  userDataDir = join(dir, 'userData');
  policyPath = join(dir, 'etc', 'policy.json');
  mkdirSync(join(dir, 'etc'));
  logged = [];
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function writePolicy(policy: unknown): void {
  writeFileSync(policyPath, typeof policy === 'string' ? policy : JSON.stringify(policy));
}

function writeUser(settings: unknown): void {
  mkdirSync(userDataDir, { recursive: true });
  writeFileSync(
    join(userDataDir, USER_SETTINGS_FILE),
    typeof settings === 'string' ? settings : JSON.stringify(settings),
  );
}

/** The copies of the user file kept before a save replaced it. */
function badCopies(): string[] {
  return readdirSync(userDataDir).filter((name) => name.startsWith(`${USER_SETTINGS_FILE}.bad-`));
}

function store(overrides: Partial<SettingsStoreDeps> = {}) {
  return createSettingsStore({
    userDataDir,
    policyPath,
    env: {},
    argv: [],
    logger: { warn: (line) => logged.push(`warn ${line}`), error: (line) => logged.push(`error ${line}`) },
    ...overrides,
  });
}

describe('createSettingsStore() precedence', () => {
  // Each column is one layer; the value in a higher layer must win over every layer below it.
  const layers = {
    policyDefaults: { locale: 'ko', theme: 'light', requestTimeoutMs: 2000, loginPath: '/p-login' },
    user: {
      theme: 'dark',
      requestTimeoutMs: 3000,
      loginPath: '/u-login',
      apiBaseUrl: 'https://user.example',
    },
    env: {
      TESSERA_REQUEST_TIMEOUT_MS: '4000',
      TESSERA_LOGIN_PATH: '/e-login',
      TESSERA_API_URL: 'https://env.example',
      TESSERA_STAY_SIGNED_IN: 'false',
    },
    argv: ['--login-path', '/c-login', '--api-url=https://cli.example', '--stay-signed-in'],
    managed: { apiBaseUrl: 'https://managed.example' },
  };

  it('uses the built-in defaults when no layer says anything', () => {
    const view = store().view();
    expect(view.values).toEqual(defaultSettings());
    expect(Object.values(view.sources).every((source) => source === 'default')).toBe(true);
    expect(view.issues).toEqual([]);
    expect(view.managed).toEqual([]);
  });

  it('lets each layer beat the one below it, key by key', () => {
    writePolicy({ defaults: layers.policyDefaults, managed: layers.managed });
    writeUser(layers.user);
    const view = store({ env: layers.env, argv: layers.argv }).view();
    const expected: Partial<Settings> = {
      mePath: '/api/user/me', // default
      locale: 'ko', // policy defaults > default
      theme: 'dark', // user > policy defaults
      requestTimeoutMs: 4000, // env > user
      loginPath: '/c-login', // CLI > env
      staySignedIn: true, // CLI > env
      apiBaseUrl: 'https://managed.example', // managed > CLI
    };
    expect(view.values).toMatchObject(expected);
    expect(view.sources).toMatchObject({
      mePath: 'default',
      locale: 'policyDefaults',
      theme: 'user',
      requestTimeoutMs: 'env',
      loginPath: 'cli',
      staySignedIn: 'cli',
      apiBaseUrl: 'policyManaged',
    });
    expect(view.issues).toEqual([]);
  });

  it('falls through to the next layer down when a higher one is absent', () => {
    writePolicy({ defaults: layers.policyDefaults });
    writeUser(layers.user);
    const view = store({ env: layers.env }).view();
    expect(view.values).toMatchObject({
      loginPath: '/e-login',
      apiBaseUrl: 'https://env.example',
      theme: 'dark',
    });
    const withoutEnv = store().view();
    expect(withoutEnv.values).toMatchObject({ loginPath: '/u-login', apiBaseUrl: 'https://user.example' });
    expect(withoutEnv.sources.loginPath).toBe('user');
  });
});

describe('createSettingsStore() managed keys', () => {
  it('locks a managed key against user, env and CLI values', () => {
    writePolicy({ managed: { apiBaseUrl: 'https://api.corp.example', staySignedIn: false } });
    writeUser({ apiBaseUrl: 'https://user.example', staySignedIn: true });
    const settings = store({
      env: { TESSERA_API_URL: 'https://env.example' },
      argv: ['--api-url', 'https://cli.example', '--stay-signed-in'],
    });
    const view = settings.view();
    expect(view.values.apiBaseUrl).toBe('https://api.corp.example');
    expect(view.values.staySignedIn).toBe(false);
    expect(view.managed.sort()).toEqual(['apiBaseUrl', 'staySignedIn']);
    expect(view.sources.apiBaseUrl).toBe('policyManaged');
  });

  it('refuses to update a managed key with MANAGED_SETTING naming it, and writes nothing', async () => {
    writePolicy({ managed: { apiBaseUrl: 'https://api.corp.example' } });
    const settings = store();
    const result = await settings.update({ theme: 'dark', apiBaseUrl: 'https://mine.example' });
    expect(result).toEqual({
      ok: false,
      error: { code: 'MANAGED_SETTING', key: 'apiBaseUrl', message: expect.stringContaining('apiBaseUrl') },
    });
    expect(settings.current().theme).toBe('system');
    expect(() => readFileSync(join(userDataDir, USER_SETTINGS_FILE))).toThrow(/ENOENT/);
  });

  it('keeps a key locked whose managed value is invalid (to its default), and reports it', () => {
    writePolicy({ managed: { apiBaseUrl: 'http://api.corp.example', theme: 'dark' } });
    const view = store().view();
    expect(view.managed).toEqual(['apiBaseUrl', 'theme']);
    expect(view.values.apiBaseUrl).toBe('http://127.0.0.1:4000');
    expect(view.issues).toEqual([
      {
        key: 'apiBaseUrl',
        source: 'policyManaged',
        message: expect.stringMatching(/https unless the host is loopback.*locked to the built-in default$/),
      },
    ]);
  });
});

describe('createSettingsStore() broken input', () => {
  it('fails closed on a policy file that is not JSON: admin and connection settings locked to their defaults, said once', () => {
    writePolicy('{ "managed": { "apiBaseUrl": ');
    writeUser({ apiBaseUrl: 'https://api.example.com', theme: 'dark' });
    const view = store().view();
    expect(view.values).toEqual({
      ...defaultSettings(),
      theme: 'dark',
      updatesEnabled: false,
      authMode: 'oidc',
      maxAccounts: 1,
      allowedApiOrigins: 'none',
    });
    expect(view.managed).toEqual(
      expect.arrayContaining(['apiBaseUrl', 'authMode', 'updateUrl', 'updatesEnabled']),
    );
    expect(view.managed).not.toContain('theme');
    expect(view.issues.map((issue) => issue.message)).toEqual([
      expect.stringMatching(/is not valid JSON/),
      expect.stringMatching(/locked until it is fixed: updates off, authMode oidc, maxAccounts 1/),
    ]);
    expect(logged.every((line) => line.includes(policyPath))).toBe(true);
  });

  it('fails closed on unknown sections (matched exactly: "Managed" is not "managed"), reporting each', () => {
    writePolicy({
      Managed: { updatesEnabled: false },
      managed: { theme: 'dark', colour: 'red' },
      defaults: 'ko',
    });
    const view = store().view();
    expect(view.values).toMatchObject({ theme: 'dark', updatesEnabled: false, updateUrl: '' });
    expect(view.managed).toEqual(expect.arrayContaining(['theme', 'updatesEnabled', 'apiBaseUrl']));
    expect(view.issues.map((issue) => [issue.source, issue.key])).toEqual([
      ['policyFile', 'Managed'],
      ['policyFile', ''],
      ['policyFile', 'defaults'],
      ['policyManaged', 'colour'],
    ]);
  });

  // The review's probe: each of these once locked its key to "allow any origin" or to five accounts.
  it.each([
    [{ managed: { allowedApiOrigins: 'https://api.corp.example,https://api2.corp.example' } }, 'none', 5],
    [{ managed: { allowedApiOrigins: 'https://api.corp.example/v1' } }, 'none', 5],
    [{ managed: { maxAccounts: '1' } }, '', 1],
    ['{ "managed": { "allowedApiOrigins": "https://api.corp.example", } }', 'none', 1],
  ])(
    'an invalid restriction %j locks to the restrictive end, never to "allow any"',
    (policy, origins, max) => {
      writePolicy(policy);
      const view = store().view();
      expect(view.values).toMatchObject({ allowedApiOrigins: origins, maxAccounts: max });
      expect(view.managed).toContain(origins === '' ? 'maxAccounts' : 'allowedApiOrigins');
      expect(view.issues.length).toBeGreaterThan(0);
      expect(logged.length).toBeGreaterThan(0);
    },
  );

  it('keeps a managed key locked when its value is invalid: updates off, anything else its default', async () => {
    writePolicy({
      managed: {
        updatesEnabled: 'false',
        updateUrl: 'http://feed.example',
        apiBaseUrl: 'https://api.corp.example ',
      },
    });
    writeUser({ apiBaseUrl: 'https://api.example.com' });
    const settings = store({ confirmConnectionChange: async () => true });
    const view = settings.view();
    expect(view.values).toMatchObject({
      updatesEnabled: false,
      updateUrl: '',
      apiBaseUrl: defaultSettings().apiBaseUrl,
    });
    expect(view.managed).toEqual(['apiBaseUrl', 'updatesEnabled', 'updateUrl']);
    expect(view.issues.map((issue) => issue.message.replace(/^.*; locked to /, ''))).toEqual([
      'false',
      'the built-in default',
      'the built-in default',
    ]);
    expect(await settings.update({ apiBaseUrl: 'https://api.other.example' })).toMatchObject({
      ok: false,
      error: { code: 'MANAGED_SETTING' },
    });
  });

  it('ignores a system policy file anyone may write, with a warning (requireProtectedPolicy)', async () => {
    writePolicy({ managed: { theme: 'dark' } });
    await chmod(policyPath, 0o666);
    const view = store({ requireProtectedPolicy: true }).view();
    expect(view.values.theme).toBe('system');
    expect(view.managed).toEqual([]);
    expect(view.issues).toEqual([
      expect.objectContaining({ source: 'policyFile', message: expect.stringMatching(/ignored/) }),
    ]);
  });

  // Real folders, owners and modes (the tests run as root; `nobody` is 65534). The file itself does not
  // change, so only a check of its folders at the reload can see what happened to them.
  it('checks the policy file’s folders again at every reload, on Linux and macOS, though the file did not change', async () => {
    const NOBODY = 65534;
    writePolicy({ managed: { theme: 'dark' } });
    const settings = store({
      requireProtectedPolicy: true,
      policyFileChecks: { platform: 'linux', policyRoot: dir },
    });
    expect(settings.view()).toMatchObject({ values: { theme: 'dark' }, managed: ['theme'], issues: [] });
    const ignored = (folder: string, what: string) =>
      `policy file ${policyPath} is in folder ${folder}, which ${what}; ignored (IT's policy must be writable by administrators only)`;

    // The policy's own folder given to a user: whoever owns it may replace the file, so it is ignored, as at start.
    await chown(join(dir, 'etc'), NOBODY, NOBODY);
    expect((await settings.reloadPolicy()).changed).toEqual(['theme']);
    expect(settings.view()).toMatchObject({ values: { theme: 'system' }, managed: [] });
    expect(settings.view().issues.map((issue) => issue.message)).toEqual([
      ignored(join(dir, 'etc'), 'is not owned by root'),
    ]);
    // Fixed: IT's file applies again at the next reload, without touching it.
    await chown(join(dir, 'etc'), 0, 0);
    expect((await settings.reloadPolicy()).changed).toEqual(['theme']);
    expect(settings.view()).toMatchObject({ values: { theme: 'dark' }, managed: ['theme'], issues: [] });

    // A folder higher up that everyone may write, and fixed again.
    await chmod(dir, 0o777);
    await settings.reloadPolicy();
    expect(settings.view().managed).toEqual([]);
    expect(settings.view().issues.map((issue) => issue.message)).toEqual([
      ignored(dir, 'may be written by users other than root'),
    ]);
    await chmod(dir, 0o700);
    await settings.reloadPolicy();
    expect(settings.view()).toMatchObject({ values: { theme: 'dark' }, managed: ['theme'], issues: [] });
  });

  it('keeps IT locks when the policy file’s permissions cannot be read, and checks again at the next reload', async () => {
    writePolicy({ managed: { apiBaseUrl: 'https://api.corp.example', maxAccounts: 2 } });
    // Windows: PowerShell blocked for users (AppLocker) or not answering in time at logon.
    let powershell: 'blocked' | 'ok' = 'blocked';
    const admin = { owner: 'S-1-5-32-544', entries: [] };
    const settings = store({
      requireProtectedPolicy: true,
      policyFileChecks: {
        platform: 'win32',
        readAcl: () => {
          if (powershell === 'blocked')
            throw new Error('its permissions could not be read (PowerShell exit null)');
          return { file: admin, folder: admin };
        },
      },
    });
    // Not unlocked: the person cannot move the API, nor add more accounts than IT's file allows.
    expect(settings.view().managed).toEqual(
      expect.arrayContaining(['apiBaseUrl', 'maxAccounts', 'authMode']),
    );
    expect(settings.view().values).toMatchObject({ maxAccounts: 1, allowedApiOrigins: 'none' });
    expect(settings.view().issues[0]).toMatchObject({
      source: 'policyFile',
      message: expect.stringMatching(/cannot be checked .*not used until its permissions can be read/),
    });
    expect(await settings.update({ apiBaseUrl: 'https://elsewhere.example' })).toMatchObject({
      ok: false,
      error: { code: 'MANAGED_SETTING', key: 'apiBaseUrl' },
    });
    // The file did not change, but a failed check is not kept: once PowerShell answers, IT's values apply.
    powershell = 'ok';
    expect((await settings.reloadPolicy()).changed).toContain('apiBaseUrl');
    expect(settings.view()).toMatchObject({
      values: { apiBaseUrl: 'https://api.corp.example', maxAccounts: 2, authMode: 'password' },
      managed: ['apiBaseUrl', 'maxAccounts'],
      issues: [],
    });
  });

  it('reads a policy file saved with a byte-order mark', () => {
    writePolicy(`\uFEFF${JSON.stringify({ defaults: { locale: 'ko' } })}`);
    expect(store().view()).toMatchObject({ values: { locale: 'ko' }, issues: [] });
  });

  it('ignores one invalid key of a layer while the other keys of that layer apply', () => {
    writeUser({ theme: 'dark', requestTimeoutMs: 50, locale: 'ko' });
    const view = store({ env: { TESSERA_LOCALE: 'fr', TESSERA_THEME: 'light' } }).view();
    expect(view.values).toMatchObject({ theme: 'light', locale: 'ko', requestTimeoutMs: 15_000 });
    expect(view.sources).toMatchObject({ theme: 'env', locale: 'user', requestTimeoutMs: 'default' });
    expect(view.issues.map((issue) => [issue.source, issue.key])).toEqual([
      ['user', 'requestTimeoutMs'],
      ['env', 'locale'],
    ]);
    expect(logged).toEqual([
      expect.stringMatching(/^warn .*requestTimeoutMs/),
      expect.stringMatching(/^warn .*TESSERA_LOCALE.*locale/),
    ]);
  });

  it('ignores a garbage user file with one issue; a later update replaces it, keeping a copy first', async () => {
    writeUser('\u0000\u0001 not json at all');
    const settings = store();
    expect(settings.view().values).toEqual(defaultSettings());
    expect(settings.view().issues).toEqual([
      {
        key: '',
        source: 'userFile',
        message: expect.stringMatching(/settings\.json is not UTF-8 text \(it holds NUL bytes/),
      },
    ]);
    const result = await settings.update({ theme: 'dark' });
    expect(result.ok).toBe(true);
    expect(settings.view().issues).toEqual([]);
    expect(JSON.parse(readFileSync(join(userDataDir, USER_SETTINGS_FILE), 'utf8'))).toEqual({
      theme: 'dark',
    });
    const [copy, ...more] = badCopies();
    expect(more).toEqual([]);
    expect(readFileSync(join(userDataDir, copy ?? ''), 'utf8')).toBe('\u0000\u0001 not json at all');
    expect(logged).toContain(
      `warn Settings: ${join(userDataDir, USER_SETTINGS_FILE)} held values that could not be used (see above); it is kept as ${copy} before it is replaced`,
    );
    // Once: the next change has nothing more to keep.
    expect((await settings.update({ theme: 'light' })).ok).toBe(true);
    expect(badCopies()).toEqual([copy]);
  });

  // A file edited by hand with a trailing comma, or written by a newer Tessera (a key this one does not
  // know): the save that drops what this version cannot use keeps the person's file first.
  it('keeps a copy of a user file with values this version refuses before a change drops them', async () => {
    const original = `${JSON.stringify({ theme: 'dark', locale: 'ko', spellCheck: true, requestTimeoutMs: 50 })}\n`;
    writeUser(original);
    const settings = store();
    expect(settings.view().values).toMatchObject({ theme: 'dark', locale: 'ko' });
    expect((await settings.update({ theme: 'light' })).ok).toBe(true);
    // The invalid value of a known key is dropped as before; the key this version does not know stays.
    expect(JSON.parse(readFileSync(join(userDataDir, USER_SETTINGS_FILE), 'utf8'))).toEqual({
      spellCheck: true,
      theme: 'light',
      locale: 'ko',
    });
    const [copy] = badCopies();
    expect(readFileSync(join(userDataDir, copy ?? ''), 'utf8')).toBe(original);
  });

  // An older Tessera run once (a rollback, a second install) must not lose what a newer one saved.
  it('keeps keys a newer Tessera wrote, as written, when a change is saved, without applying them', async () => {
    const newer =
      '{ "theme": "dark", "spellCheck": { "languages": ["en", "ko"] }, "__proto__": { "theme": "light" } }';
    writeUser(newer);
    const settings = store();
    expect(settings.view().issues.map((issue) => issue.key)).toEqual(['spellCheck', '__proto__']);
    expect((await settings.update({ locale: 'ko' })).ok).toBe(true);
    const saved = JSON.parse(readFileSync(join(userDataDir, USER_SETTINGS_FILE), 'utf8'));
    expect(saved).toEqual({ ...JSON.parse(newer), locale: 'ko' });
    expect(Object.keys(saved).sort()).toEqual(['__proto__', 'locale', 'spellCheck', 'theme']);
    // Nothing was dropped, so no copy is kept; the unknown keys never reach the settings in use.
    expect(badCopies()).toEqual([]);
    expect(settings.current()).not.toHaveProperty('spellCheck');
    expect(settings.current()).toMatchObject({ theme: 'dark', locale: 'ko' });
    // Written meanwhile by the newer version, they are kept by the next save too.
    writeUser({ ...saved, gestures: true });
    expect((await settings.update({ theme: 'light' })).ok).toBe(true);
    expect(JSON.parse(readFileSync(join(userDataDir, USER_SETTINGS_FILE), 'utf8'))).toMatchObject({
      spellCheck: { languages: ['en', 'ko'] },
      gestures: true,
      theme: 'light',
    });
    expect(badCopies()).toEqual([]);
  });

  // The person (or a support script, or IT's logon script) edits settings.json while Tessera runs; a
  // change saved from Settings afterwards must build on the file as it is, not on what was read at start.
  it('keeps what was written to the user file while the app ran when a change is saved', async () => {
    writeUser({ theme: 'dark' });
    const settings = store();
    writeUser({ theme: 'dark', locale: 'ko', requestTimeoutMs: 30_000 });
    expect((await settings.update({ theme: 'light' })).ok).toBe(true);
    expect(JSON.parse(readFileSync(join(userDataDir, USER_SETTINGS_FILE), 'utf8'))).toEqual({
      theme: 'light',
      locale: 'ko',
      requestTimeoutMs: 30_000,
    });
    expect(settings.current()).toMatchObject({ theme: 'light', locale: 'ko', requestTimeoutMs: 30_000 });
    expect(logged).toContain(
      `warn Settings: ${join(userDataDir, USER_SETTINGS_FILE)} changed since Tessera read it; the change is saved on top of it as it is now`,
    );
    // A file broken meanwhile is kept as a copy before the save replaces it; the settings read before
    // are kept, as they are when the file is gone meanwhile.
    writeUser('{ "theme": "dark", ');
    expect((await settings.update({ locale: 'en' })).ok).toBe(true);
    expect(badCopies().map((name) => readFileSync(join(userDataDir, name), 'utf8'))).toEqual([
      '{ "theme": "dark", ',
    ]);
    rmSync(join(userDataDir, USER_SETTINGS_FILE));
    expect((await settings.update({ theme: 'dark' })).ok).toBe(true);
    expect(JSON.parse(readFileSync(join(userDataDir, USER_SETTINGS_FILE), 'utf8'))).toEqual({
      theme: 'dark',
      locale: 'en',
      requestTimeoutMs: 30_000,
    });
  });

  it('asks about a connection change written to the user file while the app ran, with the one saved from Settings', async () => {
    const asked: string[][] = [];
    const settings = store({
      confirmConnectionChange: async (change) => {
        asked.push(change.keys);
        return false;
      },
    });
    writeUser({ apiBaseUrl: 'https://api.elsewhere.example' });
    const result = await settings.update({ theme: 'dark' });
    expect(result.ok || result.error.code).toBe('CANCELLED');
    expect(asked).toEqual([['apiBaseUrl']]);
    // Declined: nothing saved, the file left as it was, the API in use unchanged.
    expect(JSON.parse(readFileSync(join(userDataDir, USER_SETTINGS_FILE), 'utf8'))).toEqual({
      apiBaseUrl: 'https://api.elsewhere.example',
    });
    expect(settings.current().apiBaseUrl).toBe('http://127.0.0.1:4000');
  });

  it('keeps no copy when the user file held nothing a save drops', async () => {
    writeUser({ theme: 'dark' });
    expect((await store().update({ locale: 'ko' })).ok).toBe(true);
    expect(badCopies()).toEqual([]);
  });

  it('ignores a user file that is JSON but not an object', () => {
    writeUser('["theme", "dark"]');
    const view = store().view();
    expect(view.values).toEqual(defaultSettings());
    expect(view.issues).toMatchObject([
      { source: 'userFile', message: expect.stringContaining('JSON object') },
    ]);
  });

  it('treats a user file key named __proto__ as an unknown key', () => {
    writeUser('{ "__proto__": { "theme": "dark" }, "locale": "en" }');
    const view = store().view();
    expect(view.values).toMatchObject({ theme: 'system', locale: 'en' });
    expect(view.issues).toMatchObject([{ key: '__proto__', source: 'user' }]);
  });

  it('never repeats a rejected URL in its issue, since it may carry credentials', () => {
    const view = store({ env: { TESSERA_API_URL: 'https://kim:hunter2@api.example.com' } }).view();
    expect(view.issues).toHaveLength(1);
    expect(JSON.stringify(view.issues) + logged.join()).not.toContain('hunter2');
  });
});

describe('createSettingsStore().update()', () => {
  it('persists atomically (0600, no temp files) and a new store instance reads it back', async () => {
    const first = store({ confirmConnectionChange: async () => true });
    const result = await first.update({
      theme: 'dark',
      requestTimeoutMs: 30_000,
      apiBaseUrl: 'https://api.example.com/',
    });
    expect(result).toMatchObject({
      ok: true,
      value: { values: { theme: 'dark', apiBaseUrl: 'https://api.example.com' } },
    });
    const file = join(userDataDir, USER_SETTINGS_FILE);
    expect(readdirSync(userDataDir)).toEqual([USER_SETTINGS_FILE]);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);

    const second = store();
    expect(second.current()).toMatchObject({
      theme: 'dark',
      requestTimeoutMs: 30_000,
      apiBaseUrl: 'https://api.example.com',
    });
    expect(second.view().sources).toMatchObject({
      theme: 'user',
      requestTimeoutMs: 'user',
      locale: 'default',
    });
  });

  it('writes through a settings file linked from elsewhere (a dotfiles folder): the link stays, its file is updated', async () => {
    const dotfiles = join(dir, 'dotfiles');
    mkdirSync(join(dotfiles, 'tessera'), { recursive: true });
    const kept = join(dotfiles, 'tessera', 'settings.json');
    writeFileSync(kept, JSON.stringify({ theme: 'light' }));
    mkdirSync(userDataDir, { recursive: true });
    // A relative link, as dotfile managers make them, through a second link.
    symlinkSync(join('dotfiles', 'tessera', 'settings.json'), join(dir, 'middle.json'));
    symlinkSync(join('..', 'middle.json'), join(userDataDir, USER_SETTINGS_FILE));
    const settings = store();
    expect(settings.current().theme).toBe('light');
    expect(await settings.update({ theme: 'dark' })).toMatchObject({ ok: true });
    expect(lstatSync(join(userDataDir, USER_SETTINGS_FILE)).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(dir, 'middle.json')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(kept, 'utf8'))).toEqual({ theme: 'dark' });
    // No temp file left beside the file or the link.
    expect(readdirSync(join(dotfiles, 'tessera'))).toEqual(['settings.json']);
    expect(readdirSync(userDataDir)).toEqual([USER_SETTINGS_FILE]);
    expect(store().current().theme).toBe('dark');
  });

  it('a dangling link at the settings file: the save creates the file it names', async () => {
    mkdirSync(join(dir, 'dotfiles'));
    mkdirSync(userDataDir, { recursive: true });
    symlinkSync(join(dir, 'dotfiles', 'settings.json'), join(userDataDir, USER_SETTINGS_FILE));
    expect(await store().update({ theme: 'dark' })).toMatchObject({ ok: true });
    expect(lstatSync(join(userDataDir, USER_SETTINGS_FILE)).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'dotfiles', 'settings.json'), 'utf8'))).toEqual({
      theme: 'dark',
    });
  });

  it('a link loop at the settings file (unreadable) is moved aside as it is, and the save writes a new file', async () => {
    mkdirSync(userDataDir, { recursive: true });
    symlinkSync(join(dir, 'b.json'), join(dir, 'a.json'));
    symlinkSync(join(dir, 'a.json'), join(dir, 'b.json'));
    symlinkSync(join(dir, 'a.json'), join(userDataDir, USER_SETTINGS_FILE));
    expect(await store().update({ theme: 'dark' })).toMatchObject({ ok: true });
    const [aside] = badCopies();
    expect(aside).toBeDefined();
    expect(lstatSync(join(userDataDir, aside ?? '')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(userDataDir, USER_SETTINGS_FILE)).isFile()).toBe(true);
    expect(lstatSync(join(dir, 'a.json')).isSymbolicLink()).toBe(true);
    expect(store().current().theme).toBe('dark');
  });

  it('keeps earlier user values when a later update changes another key', async () => {
    const settings = store();
    await settings.update({ theme: 'dark' });
    await settings.update({ locale: 'ko' });
    expect(store().current()).toMatchObject({ theme: 'dark', locale: 'ko' });
  });

  it('runs concurrent updates one after the other without losing either', async () => {
    const settings = store();
    await Promise.all([settings.update({ theme: 'dark' }), settings.update({ locale: 'en' })]);
    expect(store().current()).toMatchObject({ theme: 'dark', locale: 'en' });
  });

  it('refuses to save over a folder that took the file’s place, leaving it as it is', async () => {
    writeUser({ theme: 'light' });
    const settings = store();
    rmSync(join(userDataDir, USER_SETTINGS_FILE));
    mkdirSync(join(userDataDir, USER_SETTINGS_FILE, 'occupied'), { recursive: true });
    const result = await settings.update({ theme: 'dark' });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'INTERNAL',
        message:
          'Could not save settings: the settings file could not be read, copied or moved aside (EISDIR), and saving would lose what it holds.',
      },
    });
    expect(settings.current().theme).toBe('light');
    expect(readdirSync(userDataDir)).toEqual([USER_SETTINGS_FILE]);
    expect(readdirSync(join(userDataDir, USER_SETTINGS_FILE))).toEqual(['occupied']);
    // The file changed since it was read (into a directory): read again, said, not replaced.
    expect(logged).toEqual([
      expect.stringMatching(/^warn .*settings\.json changed since Tessera read it and cannot be used now/),
      expect.stringMatching(/^warn .*settings\.json is a directory, not a file; ignored$/),
      expect.stringMatching(/^error .*could not keep a copy .*\(EISDIR\); it is not replaced$/),
    ]);
  });

  it('keeps the old values and answers NOT_SAVED, naming the file and the cause, when the write fails (a full disk)', async () => {
    writeUser({ theme: 'light' });
    vi.resetModules();
    vi.doMock('./write-file-atomic', async (original) => ({
      ...(await original<typeof import('./write-file-atomic')>()),
      writeFileAtomic: async () => {
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      },
    }));
    try {
      const { createSettingsStore: withFullDisk } = await import('./settings-store');
      const settings = withFullDisk({
        userDataDir,
        policyPath,
        env: {},
        argv: [],
        logger: {
          warn: (line) => logged.push(`warn ${line}`),
          error: (line) => logged.push(`error ${line}`),
        },
      });
      const result = await settings.update({ theme: 'dark' });
      expect(result).toMatchObject({
        ok: false,
        error: {
          code: 'NOT_SAVED',
          message: `Could not save ${join(userDataDir, USER_SETTINGS_FILE)} (ENOSPC: the disk is full).`,
        },
      });
      expect(settings.current().theme).toBe('light');
      expect(JSON.parse(readFileSync(join(userDataDir, USER_SETTINGS_FILE), 'utf8'))).toEqual({
        theme: 'light',
      });
      expect(logged).toEqual([expect.stringMatching(/^error .*could not save .*\(ENOSPC\)$/)]);
    } finally {
      vi.doUnmock('./write-file-atomic');
      vi.resetModules();
    }
  });

  it('saves a change to a key that env or CLI override, while the effective value stays theirs', async () => {
    const settings = store({ env: { TESSERA_THEME: 'light' } });
    const result = await settings.update({ theme: 'dark' });
    expect(result).toMatchObject({
      ok: true,
      value: { values: { theme: 'light' }, sources: { theme: 'env' } },
    });
    expect(store().current().theme).toBe('dark');
  });

  it('rejects unknown keys and invalid values with INVALID_CONFIG naming the key', async () => {
    const settings = store();
    expect(await settings.update({ colour: 'red', theme: 'dark' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CONFIG', key: 'colour' },
    });
    expect(await settings.update({ apiBaseUrl: 'http://api.example.com' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CONFIG', key: 'apiBaseUrl', message: expect.stringMatching(/https/) },
    });
    expect(await settings.update({ requestTimeoutMs: '15000' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CONFIG', key: 'requestTimeoutMs' },
    });
    expect(await settings.update(JSON.parse('{ "__proto__": { "theme": "dark" } }'))).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CONFIG', key: '__proto__' },
    });
    for (const patch of [null, 'theme=dark', ['theme'], 42])
      expect(await settings.update(patch)).toMatchObject({ ok: false, error: { code: 'INVALID_CONFIG' } });
    expect(settings.current()).toEqual(defaultSettings());
  });

  it('reports every invalid value of one change at once, saves none of it', async () => {
    const settings = store();
    const result = await settings.update({
      apiBaseUrl: 'http://api.example.com',
      requestTimeoutMs: 5,
      loginPath: 'login',
      theme: 'dark',
    });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_CONFIG',
        key: 'apiBaseUrl',
        fields: [
          { key: 'apiBaseUrl', message: expect.stringMatching(/^apiBaseUrl .*https/) },
          { key: 'requestTimeoutMs', message: expect.stringMatching(/^requestTimeoutMs .*1000/) },
          { key: 'loginPath', message: expect.stringMatching(/^loginPath must start with/) },
        ],
      },
    });
    expect(settings.current()).toEqual(defaultSettings());
  });

  it('tells change listeners the new effective settings, and stops after unsubscribe', async () => {
    const settings = store();
    const seen: Settings[] = [];
    const unsubscribe = settings.onChange((next) => {
      seen.push(next);
    });
    await settings.update({ theme: 'dark' });
    await settings.update({ theme: 'bogus' });
    unsubscribe();
    await settings.update({ locale: 'ko' });
    expect(seen).toEqual([{ ...defaultSettings(), theme: 'dark' }]);
  });

  it('still saves and answers when a change listener throws', async () => {
    const settings = store();
    settings.onChange(() => {
      throw new Error('listener bug');
    });
    expect((await settings.update({ theme: 'dark' })).ok).toBe(true);
    expect(logged).toEqual([expect.stringMatching(/^error .*listener bug/)]);
  });

  it('hands out copies, so callers cannot change the store by mutating what they got', () => {
    const settings = store();
    settings.current().theme = 'dark';
    settings.view().values.theme = 'dark';
    expect(settings.current().theme).toBe('system');
  });
});

describe('createSettingsStore() by trust level', () => {
  it('refuses admin settings (updates) from a change, whatever else the change holds', async () => {
    const settings = store({ confirmConnectionChange: async () => true });
    for (const patch of [
      { updateUrl: 'https://feed.example' },
      { updatesEnabled: false },
      { updateChannel: 'beta' },
    ]) {
      expect(await settings.update({ theme: 'dark', ...patch })).toMatchObject({
        ok: false,
        error: { code: 'ADMIN_SETTING', key: Object.keys(patch)[0] },
      });
    }
    expect(settings.current().theme).toBe('system');
    expect(() => readFileSync(join(userDataDir, USER_SETTINGS_FILE))).toThrow(/ENOENT/);
  });

  it('ignores admin settings in the user file and says so; policy, env and CLI still set them', () => {
    mkdirSync(userDataDir, { recursive: true });
    writeFileSync(
      join(userDataDir, USER_SETTINGS_FILE),
      JSON.stringify({ updateUrl: 'https://attacker.example/feed', theme: 'dark' }),
    );
    const settings = store();
    expect(settings.current()).toMatchObject({ updateUrl: '', theme: 'dark' });
    expect(settings.view().issues).toContainEqual(
      expect.objectContaining({ key: 'updateUrl', source: 'user', message: expect.stringMatching(/policy/) }),
    );
    const fromEnv = store({ env: { TESSERA_UPDATE_URL: 'https://updates.example.com/tessera' } });
    expect(fromEnv.current().updateUrl).toBe('https://updates.example.com/tessera');
  });

  it('asks before saving a change of server or sign-in method, and saves nothing when not confirmed', async () => {
    const asked: ConnectionChange[] = [];
    let answer = false;
    const settings = store({
      confirmConnectionChange: async (change) => {
        asked.push(change);
        return answer;
      },
    });
    const before = settings.current().apiBaseUrl;
    expect(await settings.update({ apiBaseUrl: 'https://api.example.com', theme: 'dark' })).toMatchObject({
      ok: false,
      error: { code: 'CANCELLED' },
    });
    expect(settings.current()).toMatchObject({ apiBaseUrl: before, theme: 'system' });
    expect(asked).toEqual([
      {
        keys: ['apiBaseUrl'],
        fromOrigin: new URL(before).origin,
        toOrigin: 'https://api.example.com',
        toIssuer: null,
        newOrigins: ['https://api.example.com'],
        locale: 'system',
      },
    ]);

    answer = true;
    expect(await settings.update({ apiBaseUrl: 'https://api.example.com', theme: 'dark' })).toMatchObject({
      ok: true,
    });
    expect(settings.current()).toMatchObject({ apiBaseUrl: 'https://api.example.com', theme: 'dark' });
    // Preferences alone never ask.
    expect(await settings.update({ theme: 'light', locale: 'ko', staySignedIn: false })).toMatchObject({
      ok: true,
    });
    expect(asked).toHaveLength(2);
  });

  it('refuses a connection change when no one can be asked (CONFIRMATION_REQUIRED)', async () => {
    const settings = store();
    expect(await settings.update({ loginPath: '/auth/login' })).toMatchObject({
      ok: false,
      error: { code: 'CONFIRMATION_REQUIRED' },
    });
    expect(settings.current().loginPath).toBe('/login');
  });

  it('asks before saving a connection change that the command line or the environment hides for now', async () => {
    // Before, the page could save a server behind --api-url without any dialog; the next start
    // without the flag used it.
    const asked: ConnectionChange[] = [];
    let answer = false;
    const confirmConnectionChange = async (change: ConnectionChange) => {
      asked.push(change);
      return answer;
    };
    const pinned = store({ argv: ['--api-url', 'https://pinned.example.com'], confirmConnectionChange });
    expect(await pinned.update({ apiBaseUrl: 'https://other.example.com' })).toMatchObject({
      ok: false,
      error: { code: 'CANCELLED' },
    });
    expect(asked).toEqual([
      {
        keys: ['apiBaseUrl'],
        fromOrigin: 'https://pinned.example.com',
        toOrigin: 'https://other.example.com',
        toIssuer: null,
        newOrigins: ['https://other.example.com'],
        overridden: { keys: ['apiBaseUrl'], layers: ['cli'], names: ['--api-url'] },
        locale: 'system',
      },
    ]);
    // Declined: nothing was saved, so a start without the flag is where it was.
    expect(store().current().apiBaseUrl).toBe(defaultSettings().apiBaseUrl);

    const fromEnv = store({
      env: { TESSERA_API_URL: 'https://pinned.example.com' },
      confirmConnectionChange,
    });
    expect(await fromEnv.update({ loginPath: '/auth/login' })).toMatchObject({ ok: false });
    expect(asked[1]).toMatchObject({ keys: ['loginPath'] });
    expect(asked[1]?.overridden).toBeUndefined();
    expect(await fromEnv.update({ apiBaseUrl: 'https://other.example.com' })).toMatchObject({ ok: false });
    expect(asked[2]).toMatchObject({ overridden: { layers: ['env'], names: ['TESSERA_API_URL'] } });

    answer = true;
    expect(await pinned.update({ apiBaseUrl: 'https://other.example.com' })).toMatchObject({
      ok: true,
      value: { values: { apiBaseUrl: 'https://pinned.example.com' }, sources: { apiBaseUrl: 'cli' } },
    });
    expect(store().current().apiBaseUrl).toBe('https://other.example.com');
    // A value saved again as it is changes nothing, and asks nothing.
    expect(await pinned.update({ apiBaseUrl: 'https://other.example.com' })).toMatchObject({ ok: true });
    expect(asked).toHaveLength(4);
  });

  it('names every origin a contract change sends the password or tokens to, not only the API server', async () => {
    // Before, the dialog said only "Server: <API>" while the sign-in went to the contract's host.
    const asked: ConnectionChange[] = [];
    writeUser({ apiBaseUrl: 'https://api.corp.example' });
    const settings = store({
      confirmConnectionChange: async (change) => {
        asked.push(change);
        return false;
      },
    });
    const elsewhere = {
      authContract: {
        login: { path: 'https://collector.example/login' },
        refresh: { path: 'https://collector.example/r' },
      },
    };
    expect(await settings.update(elsewhere)).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    expect(asked).toMatchObject([
      {
        keys: ['authContract'],
        fromOrigin: 'https://api.corp.example',
        toOrigin: 'https://api.corp.example',
        newOrigins: ['https://collector.example'],
      },
    ]);
  });

  it('refuses with MANAGED_SETTING, before asking, a change that sends anything outside allowedApiOrigins', async () => {
    // Before, the allow-list was consulted only for the API origin at sign-in, never on save.
    let asked = 0;
    writeUser({ apiBaseUrl: 'https://api.corp.example' });
    const settings = store({
      env: { TESSERA_ALLOWED_API_ORIGINS: 'https://api.corp.example https://sso.corp.example' },
      confirmConnectionChange: async () => {
        asked += 1;
        return true;
      },
    });
    const before = readFileSync(join(userDataDir, USER_SETTINGS_FILE), 'utf8');
    for (const patch of [
      { authContract: { login: { path: 'https://collector.example/login' } } },
      { authContract: { logout: { path: 'https://collector.example/logout' } } },
      { apiBaseUrl: 'https://collector.example' },
    ]) {
      const result = await settings.update(patch);
      expect(result, JSON.stringify(patch)).toMatchObject({
        ok: false,
        // The refused origin as a field of its own: the page names it without parsing the message.
        error: { code: 'MANAGED_SETTING', key: 'allowedApiOrigins', origin: 'https://collector.example' },
      });
      if (!result.ok) expect(result.error.message).toContain('https://collector.example');
    }
    expect(asked).toBe(0);
    expect(readFileSync(join(userDataDir, USER_SETTINGS_FILE), 'utf8')).toBe(before);
    expect(logged).toContain('warn Settings: a change of authContract was refused (allowedApiOrigins)');
    // An endpoint on an allowed origin is the person's to confirm, as before.
    expect(
      await settings.update({ authContract: { login: { path: 'https://sso.corp.example/token' } } }),
    ).toMatchObject({ ok: true });
    expect(asked).toBe(1);
    // So is a saved server hidden by the command line: the allow-list applies to it too.
    const pinned = store({
      argv: ['--api-url', 'https://api.corp.example'],
      env: { TESSERA_ALLOWED_API_ORIGINS: 'https://api.corp.example' },
      confirmConnectionChange: async () => true,
    });
    expect(await pinned.update({ apiBaseUrl: 'https://collector.example' })).toMatchObject({
      ok: false,
      error: { code: 'MANAGED_SETTING', key: 'allowedApiOrigins' },
    });
  });
});
