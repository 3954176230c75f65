import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../test/support/default-settings';
import {
  buildView,
  initialModel,
  originOf,
  outcomeUnknown,
  ownRenewalExplains,
  reasonForRefusal,
} from './model';

const settings = (apiBaseUrl: string) => ({ ...defaultSettings(), apiBaseUrl });

describe('buildView()', () => {
  it('shows expiry, lifetime and skew of the access token but never a token', () => {
    const model = {
      ...initialModel(settings('https://api.example.com/v1/')),
      state: 'active' as const,
      secrets: {
        username: 'demo',
        refreshToken: 'refresh-secret',
        access: { accessToken: 'access-secret', expiresAt: 5_000, lifetimeMs: 4_000, clockSkewMs: -12 },
      },
    };
    const view = buildView(model);
    expect(view).toMatchObject({
      state: 'active',
      apiOrigin: 'https://api.example.com',
      expiresAt: 5_000,
      lifetimeMs: 4_000,
      clockSkewMs: -12,
    });
    expect(JSON.stringify(view)).not.toMatch(/secret/);
  });

  it('hands out copies, so a listener cannot change the session by editing its view', () => {
    const model = initialModel(settings('https://api.example.com'));
    const view = buildView(model);
    view.keychain.persisted = true;
    expect(model.keychain.persisted).toBe(false);
  });
});

describe('reasonForRefusal()', () => {
  it.each([
    ['RefreshTokenReusedError', 'refreshTokenReused'],
    ['RefreshTokenExpiredError', 'refreshTokenExpired'],
    ['InvalidRefreshTokenError', 'refreshTokenInvalid'],
    ['invalid_grant', 'refreshTokenInvalid'],
    [undefined, 'refreshTokenInvalid'],
  ])("maps the server's refusal name %s to the sign-out reason %s", (name, reason) => {
    expect(reasonForRefusal(name)).toBe(reason);
  });
});

describe('ownRenewalExplains()', () => {
  it.each([
    ['refreshTokenReused', undefined, false],
    ['refreshTokenReused', 'notRotated', true],
    ['refreshTokenReused', 'interrupted', true],
    ['refreshTokenInvalid', undefined, false],
    // A server that does not rotate refuses its one token only when it is really no longer accepted.
    ['refreshTokenInvalid', 'notRotated', false],
    ['refreshTokenInvalid', 'interrupted', true],
    ['refreshTokenExpired', 'interrupted', false],
    ['identityChanged', 'interrupted', false],
  ] as const)('%s with %s → %s', (refused, unconfirmed, expected) => {
    expect(ownRenewalExplains(refused, unconfirmed)).toBe(expected);
  });
});

describe('outcomeUnknown()', () => {
  it('is true when the server may have rotated the token without the app getting the new one', () => {
    // No answer: a timeout or a lost connection.
    expect(outcomeUnknown({ code: 'TIMEOUT', message: 'timed out' })).toBe(true);
    expect(outcomeUnknown({ code: 'NETWORK', message: 'reset' })).toBe(true);
    // An answer that could not be used: a 2xx unreadable, cut short or far too large.
    expect(outcomeUnknown({ code: 'BAD_RESPONSE', message: 'was not valid JSON' })).toBe(true);
    expect(outcomeUnknown({ code: 'BAD_RESPONSE', status: 200, message: 'missing fields' })).toBe(true);
  });

  it('is false for a clear answer: refused, failing or busy, or no connection made at all', () => {
    expect(outcomeUnknown({ code: 'BAD_RESPONSE', status: 400, message: 'refused' })).toBe(false);
    expect(outcomeUnknown({ code: 'BAD_RESPONSE', status: 302, message: 'redirected' })).toBe(false);
    expect(outcomeUnknown({ code: 'SERVER', status: 503, message: 'busy' })).toBe(false);
    expect(outcomeUnknown({ code: 'RATE_LIMITED', status: 429, message: 'slow down' })).toBe(false);
    expect(outcomeUnknown({ code: 'TLS', message: 'certificate' })).toBe(false);
  });
});

describe('originOf()', () => {
  it('is the origin of a URL and the text itself when it is not one', () => {
    expect(originOf('https://api.example.com:8443/v1')).toBe('https://api.example.com:8443');
    expect(originOf('not a url')).toBe('not a url');
  });
});
