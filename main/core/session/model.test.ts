import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../test/support/default-settings';
import { buildView, initialModel, originOf, reasonForRefusal } from './model';

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

describe('originOf()', () => {
  it('is the origin of a URL and the text itself when it is not one', () => {
    expect(originOf('https://api.example.com:8443/v1')).toBe('https://api.example.com:8443');
    expect(originOf('not a url')).toBe('not a url');
  });
});
