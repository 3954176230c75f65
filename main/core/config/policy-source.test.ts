import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useConfigDirs } from '../../../test/support/config-dirs';
import { defaultSettings } from '../../../test/support/default-settings';
import type { PolicyProblem, PolicySource } from './policy-source';
import { createSettingsStore, USER_SETTINGS_FILE } from './settings-store';

// The layering and fail-closed rules of OS policy, tested through the settings store with the real
// JSON policy file and a fake OS source (what the registry or managed preferences would hand over).

const paths = useConfigDirs('tessera-os-policy-');

function fakeOsSource(managed: Record<string, unknown>, problems: PolicyProblem[] = []): PolicySource {
  const name = 'registry HKLM and HKCU\\Software\\Policies\\Tessera';
  return {
    name,
    read: () => ({ name, managed: { ...managed }, problems: [...problems] }),
  };
}

function writePolicy(policy: unknown): void {
  writeFileSync(paths.policyPath, typeof policy === 'string' ? policy : JSON.stringify(policy));
}

function store(policySource?: PolicySource, env: Record<string, string> = {}) {
  return createSettingsStore({
    userDataDir: paths.userDataDir,
    policyPath: paths.policyPath,
    env,
    argv: [],
    logger: { warn() {}, error() {} },
    ...(policySource ? { policySource } : {}),
  });
}

describe('OS policy with the policy file', () => {
  it('wins over the policy file key by key; the file still locks what the OS leaves alone', () => {
    writePolicy({
      managed: { apiBaseUrl: 'https://file.example', requestTimeoutMs: 5000 },
      defaults: { theme: 'dark' },
    });
    const view = store(fakeOsSource({ apiBaseUrl: 'https://os.example', updatesEnabled: false })).view();
    expect(view.values).toMatchObject({
      apiBaseUrl: 'https://os.example',
      requestTimeoutMs: 5000,
      updatesEnabled: false,
      theme: 'dark',
    });
    expect(view.sources).toMatchObject({
      apiBaseUrl: 'policyOs',
      updatesEnabled: 'policyOs',
      requestTimeoutMs: 'policyManaged',
      theme: 'policyDefaults',
    });
    expect(view.managed).toEqual(['apiBaseUrl', 'requestTimeoutMs', 'updatesEnabled']);
    expect(view.issues).toEqual([]);
  });

  it('locks against the user file, environment and command line, and refuses changes (MANAGED_SETTING)', async () => {
    mkdirSync(paths.userDataDir, { recursive: true });
    writeFileSync(join(paths.userDataDir, USER_SETTINGS_FILE), JSON.stringify({ theme: 'light' }));
    const settings = store(fakeOsSource({ theme: 'dark' }), { TESSERA_THEME: 'system' });
    expect(settings.view().values.theme).toBe('dark');
    expect(await settings.update({ theme: 'light' })).toMatchObject({
      ok: false,
      error: { code: 'MANAGED_SETTING', key: 'theme' },
    });
  });

  it('keeps a key with an invalid OS value locked to its closed value, over a valid file value', () => {
    writePolicy({ managed: { updatesEnabled: true, apiBaseUrl: 'https://file.example' } });
    const view = store(fakeOsSource({ updatesEnabled: 2, apiBaseUrl: 'http://os.example' })).view();
    expect(view.values).toMatchObject({ updatesEnabled: false, apiBaseUrl: defaultSettings().apiBaseUrl });
    expect(view.sources).toMatchObject({ updatesEnabled: 'policyOs', apiBaseUrl: 'policyOs' });
    expect(view.issues).toEqual([
      {
        key: 'updatesEnabled',
        source: 'policyOs',
        message: expect.stringMatching(/^registry .*updatesEnabled must be true or false; locked to false$/),
      },
      {
        key: 'apiBaseUrl',
        source: 'policyOs',
        message: expect.stringMatching(
          /https unless the host is loopback.*; locked to the built-in default$/,
        ),
      },
    ]);
  });

  it('keeps a key locked whose OS value could not be read (lockKey)', () => {
    const view = store(
      fakeOsSource({}, [
        {
          key: 'updateUrl',
          effect: 'lockKey',
          message: 'registry …: updateUrl has an unsupported type (REG_BINARY)',
        },
      ]),
    ).view();
    expect(view.managed).toEqual(['updateUrl']);
    expect(view.values.updateUrl).toBe('');
    expect(view.issues).toEqual([
      {
        key: 'updateUrl',
        source: 'policyOs',
        message: expect.stringMatching(/REG_BINARY\); locked to the built-in default$/),
      },
    ]);
  });

  it('reports unknown OS values without locking anything', () => {
    const view = store(fakeOsSource({ colour: 'red' })).view();
    expect(view.managed).toEqual([]);
    expect(view.issues).toEqual([
      expect.objectContaining({
        key: 'colour',
        source: 'policyOs',
        message: expect.stringContaining('unknown setting'),
      }),
    ]);
  });

  it('fails closed when the OS source cannot be read: admin and connection locked, except what the file sets', () => {
    writePolicy({ managed: { apiBaseUrl: 'https://file.example' } });
    const view = store(
      fakeOsSource({}, [
        { key: '', effect: 'lockAll', message: 'registry HKEY_LOCAL_MACHINE\\… cannot be read' },
      ]),
    ).view();
    expect(view.values).toEqual({
      ...defaultSettings(),
      apiBaseUrl: 'https://file.example',
      updatesEnabled: false,
      authMode: 'oidc',
      maxAccounts: 1,
      // The origin of the API the file sets: not every origin, and not none.
      allowedApiOrigins: 'https://file.example',
    });
    expect(view.sources.apiBaseUrl).toBe('policyManaged');
    expect(view.sources.authMode).toBe('policyOs');
    expect(view.managed).toEqual(
      expect.arrayContaining(['apiBaseUrl', 'authMode', 'updatesEnabled', 'oidcIssuer']),
    );
    expect(view.managed).not.toContain('theme');
    expect(view.issues.map((issue) => issue.message)).toEqual([
      expect.stringContaining('cannot be read'),
      expect.stringMatching(/locked until it is fixed: updates off, .* the rest their built-in defaults$/),
    ]);
  });

  it('lets the OS source set what a broken policy file would lock', () => {
    writePolicy('{ "managed": ');
    const view = store(fakeOsSource({ apiBaseUrl: 'https://os.example' })).view();
    expect(view.values).toMatchObject({ apiBaseUrl: 'https://os.example', updatesEnabled: false });
    expect(view.sources).toMatchObject({ apiBaseUrl: 'policyOs', updatesEnabled: 'policyManaged' });
  });

  // One set of rules: the same managed values give the same locks from the file and from the OS.
  it.each(['policy file', 'OS policy'])(
    'applies the same validation and closed values from the %s',
    (where) => {
      const managed = {
        updatesEnabled: 'false',
        updateUrl: 'http://feed.example',
        theme: 'dark',
        requestTimeoutMs: 1,
      };
      if (where === 'policy file') writePolicy({ managed });
      const view = store(where === 'OS policy' ? fakeOsSource(managed) : undefined).view();
      expect(view.values).toMatchObject({
        updatesEnabled: false,
        updateUrl: '',
        theme: 'dark',
        requestTimeoutMs: defaultSettings().requestTimeoutMs,
      });
      expect(view.managed).toEqual(['requestTimeoutMs', 'theme', 'updatesEnabled', 'updateUrl']);
      expect(view.issues.map((issue) => issue.key)).toEqual([
        'updatesEnabled',
        'updateUrl',
        'requestTimeoutMs',
      ]);
    },
  );
});
