import { describe, expect, it } from 'vitest';
import { readCliLayer } from './cli-layer';
import { readEnvLayer } from './layers';

describe('readCliLayer()', () => {
  it('reads --flag value and --flag=value, and skips arguments that are not ours', () => {
    const layer = readCliLayer([
      '/opt/Tessera/tessera',
      '--enable-logging',
      '--api-url=https://api.example.com',
      '--request-timeout-ms',
      '30000',
      '--locale',
      'ko',
      '--user-data-dir=/tmp/x',
      'some-file.txt',
    ]);
    expect(layer.values).toEqual({
      apiBaseUrl: 'https://api.example.com',
      requestTimeoutMs: 30_000,
      locale: 'ko',
    });
    expect(layer.issues).toEqual([]);
  });

  it('says in words what an on/off flag or variable takes when it gets something else', () => {
    expect(readCliLayer(['--stay-signed-in=yes']).issues).toEqual([
      {
        key: 'staySignedIn',
        source: 'cli',
        message: 'command-line flag --stay-signed-in: staySignedIn must be true, false, 1 or 0; ignored',
      },
    ]);
    expect(readEnvLayer({ TESSERA_UPDATES_ENABLED: 'off' }).issues[0]?.message).toBe(
      'environment variable TESSERA_UPDATES_ENABLED: updatesEnabled must be true, false, 1 or 0; ignored',
    );
  });

  it('reads the OpenID Connect flags, and refuses an http issuer off loopback', () => {
    const layer = readCliLayer([
      '--auth-mode',
      'oidc',
      '--oidc-issuer=https://tenant.auth0.com/',
      '--oidc-client-id',
      'abc123',
      '--oidc-scopes',
      'openid profile offline_access',
      '--oidc-audience=https://api.example.com',
      '--oidc-provider-name',
      'Auth0',
      '--me-path=',
    ]);
    expect(layer.values).toEqual({
      authMode: 'oidc',
      oidcIssuer: 'https://tenant.auth0.com/',
      oidcClientId: 'abc123',
      oidcScopes: 'openid profile offline_access',
      oidcAudience: 'https://api.example.com',
      oidcProviderName: 'Auth0',
      mePath: '',
    });
    expect(readCliLayer(['--oidc-issuer', 'http://sso.example.com']).issues).toMatchObject([
      {
        key: 'oidcIssuer',
        source: 'cli',
        message: expect.stringContaining('https unless the host is loopback'),
      },
    ]);
  });

  it('reads boolean flags as --flag, --no-flag and --flag=value', () => {
    expect(readCliLayer(['--stay-signed-in']).values).toEqual({ staySignedIn: true });
    expect(readCliLayer(['--no-stay-signed-in']).values).toEqual({ staySignedIn: false });
    expect(readCliLayer(['--stay-signed-in=0']).values).toEqual({ staySignedIn: false });
  });

  it('reads a boolean flag followed by true, false, 1 or 0 as its value, not as a stray argument', () => {
    // A shortcut or deployment script written `--updates-enabled false` must not turn updates on.
    expect(readCliLayer(['--updates-enabled', 'false'])).toEqual({
      values: { updatesEnabled: false },
      issues: [],
    });
    expect(readCliLayer(['--stay-signed-in', '0', '--theme', 'dark']).values).toEqual({
      staySignedIn: false,
      theme: 'dark',
    });
    expect(readCliLayer(['--updates-enabled', 'TRUE']).values).toEqual({ updatesEnabled: true });
    // Anything else after a boolean flag is not its value: the flag alone means true.
    expect(readCliLayer(['--stay-signed-in', 'some-file.txt']).values).toEqual({ staySignedIn: true });
    // A double negative is no guess: reported, and neither value applies.
    const negated = readCliLayer(['--no-updates-enabled', 'false']);
    expect(negated.values).toEqual({});
    expect(negated.issues).toEqual([
      {
        key: 'updatesEnabled',
        source: 'cli',
        message: expect.stringMatching(/--no-updates-enabled: updatesEnabled takes no value \(false\)/),
      },
    ]);
  });

  it('reports a flag without a value and does not swallow the next flag', () => {
    const layer = readCliLayer(['--api-url', '--theme', 'dark']);
    expect(layer.values).toEqual({ theme: 'dark' });
    expect(layer.issues).toEqual([
      { key: 'apiBaseUrl', source: 'cli', message: expect.stringMatching(/--api-url.*needs a value/) },
    ]);
  });

  it('ignores an invalid value for one flag while the others apply', () => {
    const layer = readCliLayer(['--request-timeout-ms=abc', '--theme=dark']);
    expect(layer.values).toEqual({ theme: 'dark' });
    expect(layer.issues).toHaveLength(1);
    expect(layer.issues[0]).toMatchObject({ key: 'requestTimeoutMs', source: 'cli' });
  });

  it('stops at --', () => {
    expect(readCliLayer(['--', '--theme', 'dark']).values).toEqual({});
  });
});
