import { describe, expect, it } from 'vitest';
import { readEnvLayer } from './layers';

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
