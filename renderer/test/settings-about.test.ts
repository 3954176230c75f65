import { describe, expect, it } from 'vitest';
import { SETTING_KEYS, type SettingSource, type SettingsView } from '../../common/settings';
import { defaultSettings } from '../../test/support/default-settings';
import { createTranslator } from '../src/i18n/index';
import { aboutRows, valueText } from '../src/views/settings-about';

const view = (
  sources: Partial<Record<string, SettingSource>>,
  managed: SettingsView['managed'] = [],
): SettingsView => ({
  values: { ...defaultSettings(), requestTimeoutMs: 20_000, mePath: '' },
  sources: Object.fromEntries(
    SETTING_KEYS.map((key) => [key, sources[key] ?? 'default']),
  ) as SettingsView['sources'],
  managed,
  issues: [],
});

describe('aboutRows()', () => {
  it('lists every setting with its value as printed by --print-effective-settings, and its source', () => {
    const rows = aboutRows(
      view({ requestTimeoutMs: 'policyOs', theme: 'user', loginPath: 'policyManaged' }, [
        'requestTimeoutMs',
        'loginPath',
      ]),
      createTranslator('en'),
    );
    expect(rows.map((row) => row.key)).toEqual(SETTING_KEYS);
    const byKey = Object.fromEntries(rows.map((row) => [row.key, row]));
    expect(byKey.requestTimeoutMs).toEqual({
      key: 'requestTimeoutMs',
      label: 'Request timeout (ms)',
      value: '20000',
      source: 'Registry or managed preferences (locked)',
      locked: true,
    });
    expect(byKey.loginPath).toMatchObject({
      value: '"/login"',
      source: 'Policy file (locked)',
      locked: true,
    });
    expect(byKey.mePath).toMatchObject({ value: '""', source: 'Built-in default', locked: false });
    expect(byKey.theme?.source).toBe('Your settings file');
  });

  it('says where each value came from in Korean too', () => {
    const [row] = aboutRows(view({ apiBaseUrl: 'env' }), createTranslator('ko'));
    expect(row).toMatchObject({ key: 'apiBaseUrl', label: '서버 주소', source: '환경 변수' });
  });
});

describe('valueText()', () => {
  it('shows values as JSON', () => {
    expect([valueText(true), valueText(null), valueText({ a: 1 }), valueText('x')]).toEqual([
      'true',
      'null',
      '{"a":1}',
      '"x"',
    ]);
  });
});
