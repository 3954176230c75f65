import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SETTING_KEYS, settingTrust } from '../../../common/settings';
import {
  closedValue,
  fileNaming,
  NO_API_ORIGIN,
  policyLayers,
  policyProtectionProblem,
  readEnvLayer,
  readPolicyFile,
} from './layers';
import { combinePolicies, type PolicyRead } from './policy-source';
import { SETTINGS_TABLE } from './settings-table';

describe('readEnvLayer()', () => {
  it('decodes each variable by the type of its setting', () => {
    const layer = readEnvLayer({
      TESSERA_API_URL: 'https://api.example.com',
      TESSERA_REQUEST_TIMEOUT_MS: '5000',
      TESSERA_STAY_SIGNED_IN: '0',
      TESSERA_THEME: 'dark',
    });
    expect(layer.values).toEqual({
      apiBaseUrl: 'https://api.example.com',
      requestTimeoutMs: 5000,
      staySignedIn: false,
      theme: 'dark',
    });
  });

  it('treats an empty variable as unset and leaves unrelated TESSERA_ variables alone', () => {
    const layer = readEnvLayer({ TESSERA_API_URL: '', TESSERA_TEST_KEYCHAIN_SERVICE: 'Tessera-test' });
    expect(layer).toEqual({ values: {}, issues: [] });
  });

  it('names the variable and the key of a rejected value', () => {
    const layer = readEnvLayer({ TESSERA_STAY_SIGNED_IN: 'yes', TESSERA_REQUEST_TIMEOUT_MS: '1e4' });
    expect(layer.values).toEqual({});
    expect(layer.issues.map((issue) => [issue.key, issue.source])).toEqual([
      ['requestTimeoutMs', 'env'],
      ['staySignedIn', 'env'],
    ]);
    expect(layer.issues[0]?.message).toContain('TESSERA_REQUEST_TIMEOUT_MS');
  });
});

describe('policyProtectionProblem()', () => {
  it.each([
    [{ uid: 0, mode: 0o100644 }, 'linux', null],
    [{ uid: 0, mode: 0o100600 }, 'darwin', null],
    [{ uid: 501, mode: 0o100644 }, 'darwin', 'is not owned by root'],
    [{ uid: 0, mode: 0o100664 }, 'linux', 'is writable by users other than root'],
    [{ uid: 0, mode: 0o100646 }, 'linux', 'is writable by users other than root'],
    [{ uid: 1000, mode: 0o100666 }, 'win32', null],
    // Group-writable is fine for an administrators' group: root's (0), and macOS's admin (80).
    [{ uid: 0, gid: 0, mode: 0o100664 }, 'linux', null],
    [{ uid: 0, gid: 80, mode: 0o100664 }, 'darwin', null],
    [{ uid: 0, gid: 80, mode: 0o100664 }, 'linux', 'is writable by users other than root'],
    [{ uid: 0, gid: 20, mode: 0o100664 }, 'darwin', 'is writable by users other than root'],
    [{ uid: 0, gid: 0, mode: 0o100666 }, 'linux', 'is writable by users other than root'],
  ])('%o on %s → %s', (stat, platform, problem) => {
    expect(policyProtectionProblem(stat, platform)).toBe(problem);
  });
});

describe('closedValue()', () => {
  it('locks updates off and the other restrictions to their restrictive end', () => {
    expect(closedValue('updatesEnabled')).toBe(false);
    expect(closedValue('updateUrl')).toBe('');
    expect(closedValue('staySignedIn')).toBe(false);
    expect(closedValue('authMode')).toBe('oidc');
    expect(closedValue('maxAccounts')).toBe(1);
    expect(closedValue('allowedApiOrigins')).toBe(NO_API_ORIGIN);
    expect(closedValue('allowedApiOrigins', { apiBaseUrl: 'https://api.corp.example/v1' })).toBe(
      'https://api.corp.example',
    );
  });

  it('locks every other key to its built-in default', () => {
    const restrictive = [
      'updatesEnabled',
      'staySignedIn',
      'authMode',
      'maxAccounts',
      'allowedApiOrigins',
    ] as const;
    for (const key of SETTING_KEYS.filter((k) => !(restrictive as readonly string[]).includes(k)))
      expect(closedValue(key), key).toEqual(SETTINGS_TABLE[key].default);
  });

  it('never locks allowedApiOrigins to a value that allows any origin', () => {
    expect(closedValue('allowedApiOrigins')).not.toBe('');
    expect(NO_API_ORIGIN).not.toMatch(/^https?:/);
  });
});

describe('readPolicyFile(): an invalid managed value never loosens what IT restricts', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tessera-layers-'));
    path = join(dir, 'policy.json');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function read(policy: unknown) {
    writeFileSync(path, typeof policy === 'string' ? policy : JSON.stringify(policy));
    return readPolicyFile(path);
  }

  it.each([
    ['commas instead of spaces', 'https://api.corp.example,https://api2.corp.example'],
    ['an origin with a path', 'https://api.corp.example/v1'],
    ['a number', 443],
  ])('allowedApiOrigins with %s allows no origin, not every one, and says so', (_, value) => {
    const layers = read({ managed: { allowedApiOrigins: value } });
    expect(layers.managed.values).toEqual({ allowedApiOrigins: NO_API_ORIGIN });
    expect(layers.managed.issues[0]?.message).toContain(`policy file ${path}`);
    expect(layers.managed.issues).toEqual([
      {
        key: 'allowedApiOrigins',
        source: 'policyManaged',
        message: expect.stringMatching(
          /\(managed\): allowedApiOrigins .*; locked to the managed apiBaseUrl's origin \(none without a valid one\)$/,
        ),
      },
    ]);
  });

  it("allowedApiOrigins that is invalid next to a valid managed apiBaseUrl allows only that API's origin", () => {
    const layers = read({
      managed: { apiBaseUrl: 'https://api.corp.example/v1', allowedApiOrigins: 'api.corp.example' },
    });
    expect(layers.managed.values).toEqual({
      apiBaseUrl: 'https://api.corp.example/v1',
      allowedApiOrigins: 'https://api.corp.example',
    });
  });

  it('allowedApiOrigins that is invalid next to an invalid apiBaseUrl allows no origin (not the built-in loopback)', () => {
    const layers = read({
      managed: {
        apiBaseUrl: 'http://api.corp.example',
        allowedApiOrigins: 'https://api.corp.example/' + 'x',
      },
    });
    expect(layers.managed.values).toEqual({
      apiBaseUrl: SETTINGS_TABLE.apiBaseUrl.default,
      allowedApiOrigins: NO_API_ORIGIN,
    });
  });

  it('maxAccounts "1" written as a string locks to one account, not the default five', () => {
    const layers = read({ managed: { maxAccounts: '1' } });
    expect(layers.managed.values).toEqual({ maxAccounts: 1 });
    expect(layers.managed.issues[0]?.message).toMatch(
      /maxAccounts must be a number, without quotes: 1, not "1"; locked to 1$/,
    );
  });

  it('staySignedIn and authMode written wrong lock to "not kept" and "oidc"; a key with no restrictive end to its default', () => {
    const layers = read({ managed: { staySignedIn: 'false', authMode: 'OIDC', logLevel: 'verbose' } });
    expect(layers.managed.values).toEqual({ staySignedIn: false, authMode: 'oidc', logLevel: 'info' });
    expect(layers.managed.issues.map((issue) => issue.message.replace(/^.*; locked to /, ''))).toEqual([
      'false',
      '"oidc"',
      'the built-in default',
    ]);
  });

  it('a file that is not JSON (a trailing comma) locks allowedApiOrigins to none and maxAccounts to 1', () => {
    const layers = read('{ "managed": { "allowedApiOrigins": "https://api.corp.example", } }');
    expect(layers.managed.values).toMatchObject({
      allowedApiOrigins: NO_API_ORIGIN,
      maxAccounts: 1,
      authMode: 'oidc',
      updatesEnabled: false,
    });
    // Preferences are not locked by a broken file, only by a managed value of their own.
    expect(layers.managed.values.staySignedIn).toBeUndefined();
    expect(layers.fileIssues.map((issue) => issue.message)).toEqual([
      expect.stringMatching(/is not valid JSON/),
      expect.stringMatching(
        /locked until it is fixed: updates off, authMode oidc, maxAccounts 1, allowedApiOrigins/,
      ),
    ]);
  });

  it("a file with an unknown section locks allowedApiOrigins to its valid managed apiBaseUrl's origin", () => {
    const layers = read({ managed: { apiBaseUrl: 'https://api.corp.example' }, Defaults: {} });
    expect(layers.managed.values).toMatchObject({
      apiBaseUrl: 'https://api.corp.example',
      allowedApiOrigins: 'https://api.corp.example',
      maxAccounts: 1,
    });
    expect(layers.lockedUnnamed).toContain('allowedApiOrigins');
  });

  it('locks every admin and connection key of a broken file to its closed value', () => {
    const layers = read('not json');
    for (const key of SETTING_KEYS) {
      if (settingTrust(key) === 'preference') expect(layers.managed.values[key], key).toBeUndefined();
      else expect(layers.managed.values[key], key).toEqual(closedValue(key));
    }
  });
});

describe('policyLayers(): a managed value a source could not read', () => {
  it('locks to the same closed value as an invalid one (OS policy: registry, managed preferences)', () => {
    const layers = policyLayers(
      {
        name: 'registry HKLM\\Software\\Policies\\Tessera',
        managed: { apiBaseUrl: 'https://api.corp.example' },
        problems: [
          { key: 'allowedApiOrigins', message: 'allowedApiOrigins is REG_BINARY', effect: 'lockKey' },
          { key: 'maxAccounts', message: 'maxAccounts is REG_BINARY', effect: 'lockKey' },
        ],
      },
      { ...fileNaming(''), managed: 'policyOs', issues: 'policyOs' },
    );
    expect(layers.managed.values).toEqual({
      apiBaseUrl: 'https://api.corp.example',
      allowedApiOrigins: 'https://api.corp.example',
      maxAccounts: 1,
    });
    expect(layers.managed.issues.map((issue) => issue.message)).toEqual([
      "allowedApiOrigins is REG_BINARY; locked to the managed apiBaseUrl's origin (none without a valid one)",
      'maxAccounts is REG_BINARY; locked to 1',
    ]);
  });
});

describe('combinePolicies(): a closed allowedApiOrigins across the OS policy and the policy file', () => {
  const osNaming = { ...fileNaming(''), managed: 'policyOs', issues: 'policyOs' } as const;
  const os = (read: Omit<PolicyRead, 'name'>) => policyLayers({ name: 'registry', ...read }, osNaming);
  const file = (managed: Record<string, unknown>) =>
    policyLayers({ name: 'policy file', managed, problems: [] }, fileNaming('policy.json'));

  it('allows the origin of the apiBaseUrl the other source set validly', () => {
    const combined = combinePolicies(
      os({ managed: { allowedApiOrigins: 'https://api.corp.example/v1' }, problems: [] }),
      file({ apiBaseUrl: 'https://api.corp.example/v1' }),
    );
    expect(combined.policyOs.allowedApiOrigins).toBe('https://api.corp.example');
  });

  it("an unreadable OS policy allows only the origin of the file's apiBaseUrl, not none and not all", () => {
    const combined = combinePolicies(
      os({ problems: [{ key: '', message: 'registry cannot be read', effect: 'lockAll' }] }),
      file({ apiBaseUrl: 'https://file.example' }),
    );
    expect(combined.policyManaged.apiBaseUrl).toBe('https://file.example');
    expect(combined.policyOs.allowedApiOrigins).toBe('https://file.example');
    expect(combined.policyOs.maxAccounts).toBe(1);
  });

  it('allows none when no source set an apiBaseUrl validly', () => {
    const combined = combinePolicies(
      os({ managed: { apiBaseUrl: 'http://os.example' }, problems: [] }),
      file({ allowedApiOrigins: 'https://a.example,https://b.example' }),
    );
    expect(combined.policyManaged.allowedApiOrigins).toBe(NO_API_ORIGIN);
  });
});
