import { describe, expect, it } from 'vitest';
import { SETTING_KEYS } from '../../../common/settings';
import { defaultSettings } from '../../../test/support/default-settings';
import { renderSettingsTable } from './settings-docs';
import { parseSetting, SETTINGS_TABLE, TABLE_KEYS } from './settings-table';

describe('SETTINGS_TABLE', () => {
  it('has exactly one row per setting key of the contract', () => {
    expect([...TABLE_KEYS].sort()).toEqual([...SETTING_KEYS].sort());
  });

  it('gives every setting a distinct env name and CLI flag', () => {
    const rows = TABLE_KEYS.map((key) => SETTINGS_TABLE[key]);
    expect(new Set(rows.map((row) => row.env)).size).toBe(rows.length);
    expect(new Set(rows.map((row) => row.cli)).size).toBe(rows.length);
  });

  it('has defaults that pass their own schemas', () => {
    for (const key of TABLE_KEYS)
      expect(parseSetting(key, SETTINGS_TABLE[key].default).success, key).toBe(true);
  });

  it('yields the documented built-in defaults', () => {
    expect(defaultSettings()).toEqual({
      apiBaseUrl: 'http://127.0.0.1:4000',
      loginPath: '/login',
      refreshPath: '/token/refresh',
      logoutPath: '/logout',
      mePath: '/api/user/me',
      requestTimeoutMs: 15_000,
      staySignedIn: true,
      locale: 'system',
      theme: 'system',
      updatesEnabled: true,
      updateUrl: '',
      updateChannel: 'latest',
      authMode: 'password',
      oidcIssuer: '',
      oidcClientId: '',
      oidcScopes: 'openid profile offline_access',
      oidcAudience: '',
      oidcProviderName: '',
      apiProfile: 'tessera',
      authContract: null,
      logLevel: 'info',
      logHistoryMiB: 10,
      proxyServer: '',
      proxyPacUrl: '',
      proxyBypassList: '',
      maxAccounts: 5,
      allowedApiOrigins: '',
    });
  });
});

describe('renderSettingsTable()', () => {
  it('documents every setting with its env name and flag', () => {
    const table = renderSettingsTable();
    for (const key of TABLE_KEYS) {
      expect(table).toContain(`\`${key}\``);
      expect(table).toContain(SETTINGS_TABLE[key].env);
      expect(table).toContain(SETTINGS_TABLE[key].cli);
    }
    expect(table).toContain('--no-stay-signed-in');
  });
});
