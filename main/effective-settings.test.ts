import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { SETTING_KEYS } from '../common/settings';
import { useConfigDirs } from '../test/support/config-dirs';
import type { PolicySource } from './core/config/policy-source';
import { USER_SETTINGS_FILE } from './core/config/settings-store';
import { type EffectiveSettingsReport, printEffectiveSettings } from './effective-settings';

const paths = useConfigDirs('tessera-effective-');

beforeEach(() => {
  mkdirSync(paths.userDataDir);
});

/** A stand-in for the Windows registry (it cannot be read on this machine). */
const registry = (managed: Record<string, unknown>): PolicySource => {
  const name = 'registry HKLM and HKCU\\Software\\Policies\\Tessera';
  return { name, read: () => ({ name, managed, problems: [] }) };
};

function print(overrides: Partial<Parameters<typeof printEffectiveSettings>[0]> = {}) {
  let out = '';
  const code = printEffectiveSettings({
    userDataDir: paths.userDataDir,
    policyPath: paths.policyPath,
    env: {},
    argv: [],
    version: '1.4.0',
    platform: 'win32',
    write: (text) => {
      out += text;
    },
    ...overrides,
  });
  return { code, out, report: JSON.parse(out) as EffectiveSettingsReport };
}

describe('printEffectiveSettings()', () => {
  it('is redacted as the diagnostics bundle is: no PAC site key, no secret-named contract field', () => {
    writeFileSync(
      paths.policyPath,
      JSON.stringify({
        managed: {
          proxyPacUrl: 'https://wpad.corp.example/proxy.pac?k=SiteKey77',
          authContract: { login: { extraFields: { client_secret: 'Zq8kLm2x-cs' } } },
        },
      }),
    );
    const { out, report } = print();
    expect(out).not.toMatch(/SiteKey77|Zq8kLm2x/);
    const pac = report.settings.find((setting) => setting.key === 'proxyPacUrl');
    expect(pac).toMatchObject({ value: 'https://wpad.corp.example/proxy.pac?k=[redacted]', locked: true });
  });

  it('prints every setting with its value and the source that won, as JSON, one layer each', () => {
    writeFileSync(
      paths.policyPath,
      JSON.stringify({ managed: { requestTimeoutMs: 5000 }, defaults: { locale: 'ko' } }),
    );
    writeFileSync(join(paths.userDataDir, USER_SETTINGS_FILE), JSON.stringify({ theme: 'dark' }));
    const { code, out, report } = print({
      policySource: registry({ updatesEnabled: false }),
      env: { TESSERA_LOGIN_PATH: '/env-login' },
      argv: ['/opt/Tessera/tessera', '--print-effective-settings', '--api-url', 'https://cli.example'],
    });
    expect(code).toBe(0);
    expect(out.endsWith('}\n')).toBe(true);
    expect(report.settings.map((setting) => setting.key)).toEqual(SETTING_KEYS);
    const byKey = Object.fromEntries(report.settings.map((setting) => [setting.key, setting]));
    expect(byKey.updatesEnabled).toEqual({
      key: 'updatesEnabled',
      value: false,
      source: 'registry',
      from: 'registry HKLM and HKCU\\Software\\Policies\\Tessera',
      locked: true,
      trust: 'admin',
    });
    expect(byKey.requestTimeoutMs).toMatchObject({
      value: 5000,
      source: 'policy file',
      from: `${paths.policyPath} (managed)`,
      locked: true,
    });
    expect(byKey.locale).toMatchObject({
      value: 'ko',
      source: 'policy file',
      from: `${paths.policyPath} (defaults)`,
      locked: false,
    });
    expect(byKey.theme).toMatchObject({
      value: 'dark',
      source: 'user file',
      from: join(paths.userDataDir, USER_SETTINGS_FILE),
    });
    expect(byKey.loginPath).toMatchObject({
      value: '/env-login',
      source: 'environment',
      from: 'TESSERA_LOGIN_PATH',
    });
    expect(byKey.apiBaseUrl).toMatchObject({
      value: 'https://cli.example',
      source: 'command line',
      from: '--api-url',
    });
    expect(byKey.oidcScopes).toMatchObject({ source: 'default', from: 'built-in default', locked: false });
    expect(report).toMatchObject({
      tessera: { version: '1.4.0', platform: 'win32' },
      policyFile: paths.policyPath,
      osPolicy: 'registry HKLM and HKCU\\Software\\Policies\\Tessera',
      problems: [],
    });
  });

  it('lists every policy problem, and the locks fail-closed left', () => {
    writeFileSync(paths.policyPath, '{ "managed": { "apiBaseUrl": ');
    const { report } = print({ policySource: registry({ colour: 'red', theme: 'neon' }) });
    expect(report.problems.map((problem) => [problem.source, problem.key])).toEqual([
      ['policyOs', 'colour'],
      ['policyOs', 'theme'],
      ['policyFile', ''],
      ['policyFile', ''],
    ]);
    const byKey = Object.fromEntries(report.settings.map((setting) => [setting.key, setting]));
    expect(byKey.updatesEnabled).toMatchObject({ value: false, source: 'policy file', locked: true });
    expect(byKey.theme).toMatchObject({ value: 'system', source: 'registry', locked: true });
  });

  it('names no OS policy on Linux (the policy file only)', () => {
    expect(print({ platform: 'linux' }).report).toMatchObject({ osPolicy: null, problems: [] });
  });
});
