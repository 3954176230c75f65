import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../common/errors';
import {
  type ConfigIssue,
  SETTING_KEYS,
  type SettingSource,
  type Settings,
  type SettingsView,
} from '../../common/settings';
import { defaultSettings } from '../../test/support/default-settings';
import { catalogues, createTranslator } from '../src/i18n/index';
import {
  buildPatch,
  formValuesOf,
  hasUnsavedChanges,
  lockedKeys,
  lockReason,
  refusalMessageKey,
  refusalWithoutField,
  refusedFields,
  refusedOriginField,
  secondsText,
  timeoutMsFrom,
} from '../src/settings-form';
import { issueOrigins } from '../src/views/settings-notice';

const current: Settings = { ...defaultSettings(), requestTimeoutMs: 10000, updatesEnabled: false };

const view = (sources: Partial<Record<string, SettingSource>>, managed: SettingsView['managed'] = []) =>
  ({
    values: current,
    sources: Object.fromEntries(SETTING_KEYS.map((key) => [key, sources[key] ?? 'default'])),
    managed,
    issues: [],
  }) as unknown as SettingsView;

describe('the timeout in seconds', () => {
  it('shows milliseconds as seconds people read', () => {
    expect(secondsText(15_000)).toBe('15');
    expect(secondsText(1_500)).toBe('1.5');
    expect(formValuesOf(current).requestTimeoutMs).toBe('10');
  });

  it('shows a saved value exactly, so the untouched form has nothing unsaved', () => {
    expect(secondsText(15_040)).toBe('15.04');
    expect(secondsText(1_001)).toBe('1.001');
    // Typed and saved (main keeps the whole milliseconds), or an organization's default.
    for (const ms of [timeoutMsFrom('15.04'), 15_050, 1_001, 119_999]) {
      const saved = { ...current, requestTimeoutMs: ms as number };
      expect(buildPatch(saved, formValuesOf(saved), [])).toEqual({});
      expect(hasUnsavedChanges(saved, formValuesOf(saved), [])).toBe(false);
    }
    // Every value main accepts comes back from the field as itself.
    for (let ms = 1_000; ms <= 120_000; ms += 1) {
      if (timeoutMsFrom(secondsText(ms)) !== ms) expect.fail(`${ms} ms shows as ${secondsText(ms)}`);
    }
  });

  it('turns typed seconds into milliseconds, and passes anything else on for main to refuse', () => {
    expect(timeoutMsFrom(' 20 ')).toBe(20_000);
    expect(timeoutMsFrom('2.5')).toBe(2_500);
    expect(timeoutMsFrom('soon')).toBe('soon');
    expect(timeoutMsFrom('-3')).toBe('-3');
  });
});

describe('buildPatch()', () => {
  it('sends nothing when nothing changed', () => {
    expect(buildPatch(current, formValuesOf(current), [])).toEqual({});
    expect(hasUnsavedChanges(current, formValuesOf(current), [])).toBe(false);
  });

  it('sends only changed keys, trimmed and typed', () => {
    const form = {
      ...formValuesOf(current),
      apiBaseUrl: ' https://api.example.com ',
      requestTimeoutMs: '5',
      updateChannel: ' beta ',
      oidcProviderName: ' Example SSO ',
    };
    expect(buildPatch(current, form, [])).toEqual({
      apiBaseUrl: 'https://api.example.com',
      requestTimeoutMs: 5000,
      updateChannel: 'beta',
      oidcProviderName: 'Example SSO',
    });
    expect(hasUnsavedChanges(current, form, [])).toBe(true);
  });

  it('sends a timeout that is no number as typed, so main reports it with every other refused field', () => {
    expect(buildPatch(current, { ...formValuesOf(current), requestTimeoutMs: '10 s' }, [])).toEqual({
      requestTimeoutMs: '10 s',
    });
  });

  it('never sends a locked key, and a locked key never counts as unsaved', () => {
    const form = { ...formValuesOf(current), apiBaseUrl: 'https://other.example.com', loginPath: '/signin' };
    expect(buildPatch(current, form, ['apiBaseUrl'])).toEqual({ loginPath: '/signin' });
    expect(hasUnsavedChanges(current, { ...formValuesOf(current), apiBaseUrl: 'x' }, ['apiBaseUrl'])).toBe(
      false,
    );
  });
});

describe('lockReason()', () => {
  it('names who set a value the page cannot change', () => {
    const v = view(
      { requestTimeoutMs: 'policyManaged', theme: 'policyOs', apiBaseUrl: 'cli', loginPath: 'env' },
      ['requestTimeoutMs'],
    );
    expect(lockReason(v, 'requestTimeoutMs')).toBe('managed');
    expect(lockReason(v, 'theme')).toBe('managed');
    expect(lockReason(v, 'apiBaseUrl')).toBe('cli');
    expect(lockReason(v, 'loginPath')).toBe('env');
    expect(lockReason(v, 'updateUrl')).toBe('adminOnly');
    expect(lockReason(v, 'refreshPath')).toBeNull();
    expect(lockReason(view({ locale: 'policyDefaults', mePath: 'user' }), 'locale')).toBeNull();
    expect(lockedKeys(v, ['apiBaseUrl', 'refreshPath', 'logLevel'])).toEqual(['apiBaseUrl', 'logLevel']);
  });
});

describe('refusals', () => {
  it('lists every refused field of main’s answer, or the one key of a single refusal, each with its code', () => {
    const fields = [
      { key: 'apiBaseUrl', message: 'apiBaseUrl must use https' },
      { key: 'loginPath', message: 'loginPath must start with /' },
    ];
    expect(refusedFields({ code: 'INVALID_CONFIG', key: 'apiBaseUrl', message: 'x', fields })).toEqual(
      fields.map((field) => ({ ...field, code: 'INVALID_CONFIG' })),
    );
    expect(refusedFields({ code: 'ADMIN_SETTING', key: 'updateUrl', message: 'm' })).toEqual([
      { key: 'updateUrl', message: 'm', code: 'ADMIN_SETTING' },
    ]);
    expect(refusedFields({ code: 'INVALID_CONFIG', message: 'no key' })).toEqual([]);
  });

  it('words a setting the organization locked as managed, not as an invalid value', () => {
    // The page raced a policy change: main refuses the key it now manages, by itself.
    const [refusal] = refusedFields({
      code: 'MANAGED_SETTING',
      key: 'requestTimeoutMs',
      message: "requestTimeoutMs is set by your organisation's policy and cannot be changed.",
    });
    expect(refusal && refusalMessageKey(refusal.code, refusal.key)).toBe('error.MANAGED_SETTING');
    for (const [locale, sentence] of [
      ['en', 'This setting is managed by your organization.'],
      ['ko', '조직에서 관리하는 설정입니다.'],
    ] as const)
      expect(refusal && createTranslator(locale)(refusalMessageKey(refusal.code, refusal.key))).toBe(
        sentence,
      );
  });

  it('names a refused setting with no field on the page in the person’s words, never with main’s text', () => {
    const say = (info: Parameters<typeof refusedFields>[0], locale: 'en' | 'ko') =>
      refusedFields(info).map((refusal) => refusalWithoutField(refusal, createTranslator(locale)));
    const admin = {
      code: 'ADMIN_SETTING',
      key: 'maxAccounts',
      message: 'maxAccounts can only be set by your administrator (policy, command line or environment).',
    } as const;
    expect(say(admin, 'en')).toEqual([
      'Accounts signed in at once: Only your administrator can change this setting.',
    ]);
    expect(say(admin, 'ko')).toEqual(['동시에 로그인할 수 있는 계정 수: 관리자만 바꿀 수 있는 설정입니다.']);
    const managed = {
      code: 'MANAGED_SETTING',
      key: 'apiProfile',
      message: 'apiProfile is set by policy.',
    } as const;
    expect(say(managed, 'en')).toEqual(['API contract: This setting is managed by your organization.']);
    const invalid = {
      code: 'INVALID_CONFIG',
      key: 'authContract',
      message: 'authContract.login is required',
    } as const;
    expect(say(invalid, 'en')).toEqual(['API contract details: This value is not allowed.']);
    const unknown = {
      code: 'INVALID_CONFIG',
      key: 'favouriteColour',
      message: 'Unknown setting "favouriteColour".',
    } as const;
    expect(say(unknown, 'en')).toEqual(['A setting that is not on this page could not be changed.']);
    expect(say(unknown, 'ko')).toEqual(['이 페이지에 없는 설정은 바꿀 수 없습니다.']);
    // Every setting has its name and every code its reason, in both languages; main's text is in none.
    for (const code of ERROR_CODES)
      for (const key of [...SETTING_KEYS, '__proto__', 'constructor'])
        for (const locale of ['en', 'ko'] as const) {
          const [sentence] = say({ code, key, message: 'MAIN-TEXT' }, locale);
          expect(sentence).toMatch(/\S/);
          expect(sentence).not.toContain('MAIN-TEXT');
          expect(sentence).not.toMatch(/\{\w+\}/);
        }
  });

  it('has a plain sentence in both languages for every key and code, never main’s English text', () => {
    for (const code of ERROR_CODES)
      for (const key of SETTING_KEYS) {
        const messageKey = refusalMessageKey(code, key);
        for (const catalogue of Object.values(catalogues)) expect(catalogue[messageKey]).toMatch(/\S/);
      }
    expect(refusalMessageKey('INVALID_CONFIG', 'requestTimeoutMs')).toBe('settings.invalid.requestTimeoutMs');
    expect(refusalMessageKey('INVALID_CONFIG', 'loginPath')).toBe('settings.invalid.path');
    expect(refusalMessageKey('MANAGED_SETTING', 'loginPath')).toBe('error.MANAGED_SETTING');
    expect(refusalMessageKey('INVALID_CONFIG', '__proto__')).toBe('settings.invalid.other');
  });
});

describe('refusedOriginField()', () => {
  it('puts a server IT’s allow-list refuses on the Server address when it is that server, else on the contract', () => {
    expect(refusedOriginField('https://api.example.com', 'https://api.example.com/v1')).toBe('apiBaseUrl');
    expect(refusedOriginField('https://api.example.com', ' https://API.example.com:443 ')).toBe('apiBaseUrl');
    expect(refusedOriginField('https://login.example.com', 'https://api.example.com')).toBe('contract');
    expect(refusedOriginField('https://api.example.com', 'not a url')).toBe('contract');
    // Main did not say which: the address the person chose.
    expect(refusedOriginField(undefined, 'https://api.example.com')).toBe('apiBaseUrl');
  });
});

describe('issueOrigins()', () => {
  it('tells the organization’s policy problems from the person’s own', () => {
    const issue = (source: ConfigIssue['source']): ConfigIssue => ({ key: 'theme', source, message: 'm' });
    expect(issueOrigins([])).toEqual({ organization: false, own: false });
    expect(issueOrigins([issue('policyFile'), issue('policyOs')])).toEqual({
      organization: true,
      own: false,
    });
    expect(issueOrigins([issue('env'), issue('userFile')])).toEqual({ organization: false, own: true });
    expect(issueOrigins([issue('policyManaged'), issue('cli')])).toEqual({ organization: true, own: true });
  });
});
