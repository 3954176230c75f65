import { describe, expect, it } from 'vitest';
import { closedValue, policyProtectionProblem, readEnvLayer } from './layers';

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
  ])('%o on %s → %s', (stat, platform, problem) => {
    expect(policyProtectionProblem(stat, platform)).toBe(problem);
  });
});

describe('closedValue()', () => {
  it('locks updates off and anything else to its built-in default', () => {
    expect(closedValue('updatesEnabled')).toBe(false);
    expect(closedValue('updateUrl')).toBe('');
    expect(closedValue('apiBaseUrl')).toBe('http://127.0.0.1:4000');
    expect(closedValue('authMode')).toBe('password');
  });
});
