import { describe, expect, it } from 'vitest';
import { testSettings } from '../../../test/support/fixtures';
import { accountIdOf } from './account-id';

const settings = testSettings('https://api.example.com');

describe('accountIdOf()', () => {
  it('is stable and opaque: the same id for the same account, naming neither the user nor the server', () => {
    const id = accountIdOf(settings, 'demo');
    expect(accountIdOf({ ...settings }, 'demo')).toBe(id);
    expect(id).toMatch(/^acct-[0-9a-f]{20}$/);
    expect(accountIdOf(settings, 'admin')).not.toBe(id);
  });

  it('tells accounts on another API, backend contract or sign-in method apart', () => {
    const id = accountIdOf(settings, 'demo');
    const others = [
      { ...settings, apiBaseUrl: 'https://api.example.com/v2' },
      { ...settings, apiBaseUrl: 'https://other.example.com' },
      { ...settings, apiProfile: 'directus' as const },
      { ...settings, apiProfile: 'custom' as const, authContract: { login: { path: '/auth/login' } } },
      {
        ...settings,
        authMode: 'oidc' as const,
        oidcIssuer: 'https://id.example.com',
        oidcClientId: 'tessera',
      },
    ];
    const ids = others.map((other) => accountIdOf(other, 'demo'));
    expect(new Set([id, ...ids]).size).toBe(others.length + 1);
  });

  it('is the same whatever order a contract’s keys were written in', () => {
    const a = { login: { path: '/auth/login', usernameField: 'email' }, refresh: { path: '/auth/refresh' } };
    const b = { refresh: { path: '/auth/refresh' }, login: { usernameField: 'email', path: '/auth/login' } };
    expect(accountIdOf({ ...settings, apiProfile: 'custom', authContract: a }, 'demo')).toBe(
      accountIdOf({ ...settings, apiProfile: 'custom', authContract: b }, 'demo'),
    );
  });

  it('for a provider sign-in, another issuer or client is another account', () => {
    const oidc = {
      ...settings,
      authMode: 'oidc' as const,
      oidcIssuer: 'https://id.example.com',
      oidcClientId: 'tessera',
    };
    const id = accountIdOf(oidc, 'demo');
    expect(accountIdOf({ ...oidc, oidcIssuer: 'https://id2.example.com' }, 'demo')).not.toBe(id);
    expect(accountIdOf({ ...oidc, oidcClientId: 'other' }, 'demo')).not.toBe(id);
  });
});
