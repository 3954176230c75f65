import { describe, expect, it } from 'vitest';
import { fakeJwt } from '../../../test/support/fixtures';
import { claimsNamePerson, userFromIdClaims } from './id-claims';
import { callbackPage, pageLocale } from './loopback-pages';
import { audienceParameters, grantFromResponse, type TokenResponse } from './oidc-grant';

/** A token endpoint answer as openid-client hands it over (with its helper methods). */
function response(fields: Record<string, unknown>, claims?: Record<string, unknown>): TokenResponse {
  return {
    access_token: 'opaque-access-token-1',
    token_type: 'bearer',
    expires_in: 300,
    ...fields,
    claims: () => claims as never,
    expiresIn: () => undefined,
  } as unknown as TokenResponse;
}

describe('grantFromResponse()', () => {
  it('takes an opaque access token, the refresh token and the ID token with its claims', () => {
    const grant = grantFromResponse(
      response({ refresh_token: 'rt-1', id_token: 'id.token.value' }, { sub: 'u1', nonce: 'n' }),
      { receivedAt: 0 },
    );
    expect(grant).toEqual({
      ok: true,
      value: {
        accessToken: 'opaque-access-token-1',
        tokenType: 'Bearer',
        expiresIn: 300,
        refreshToken: 'rt-1',
        idToken: 'id.token.value',
        idClaims: { sub: 'u1', nonce: 'n' },
      },
    });
  });

  it('accepts a 10-year expires_in (a provider issuing long-lived access tokens)', () => {
    const tenYears = 10 * 365 * 24 * 3600;
    expect(grantFromResponse(response({ expires_in: tenYears }), { receivedAt: 0 })).toMatchObject({
      ok: true,
      value: { expiresIn: tenYears },
    });
  });

  it("falls back to the JWT's exp when the provider sends no expires_in", () => {
    const nowMs = 1_000_000_000_000;
    const grant = grantFromResponse(
      response({ expires_in: undefined, access_token: fakeJwt({ exp: nowMs / 1000 + 120 }) }),
      { receivedAt: nowMs },
    );
    expect(grant).toMatchObject({ ok: true, value: { expiresIn: 120 } });
  });

  describe('without expires_in, a computer clock 2 hours off', () => {
    const serverMs = 1_000_000_000_000;
    const exp = serverMs / 1000 + 300;
    const withoutExpiresIn = (claims: Record<string, number>) =>
      response({ expires_in: undefined, access_token: fakeJwt({ sub: 'u1', ...claims }) });

    it.each([
      ['ahead', serverMs + 2 * 3600_000],
      ['behind', serverMs - 2 * 3600_000],
    ])('clock %s: exp − iat when the token has an iat', (_label, receivedAt) => {
      expect(
        grantFromResponse(withoutExpiresIn({ iat: serverMs / 1000, exp }), { receivedAt }),
      ).toMatchObject({
        ok: true,
        value: { expiresIn: 300 },
      });
    });

    it.each([
      ['ahead', serverMs + 2 * 3600_000],
      ['behind', serverMs - 2 * 3600_000],
    ])("clock %s: exp minus the provider's time of the answer when it has none", (_label, receivedAt) => {
      expect(
        grantFromResponse(withoutExpiresIn({ exp }), { receivedAt, serverDate: serverMs }),
      ).toMatchObject({ ok: true, value: { expiresIn: 300 } });
    });

    it("with no iat and no provider time, says the token expired by this computer's clock", () => {
      expect(
        grantFromResponse(withoutExpiresIn({ exp }), { receivedAt: serverMs + 2 * 3600_000 }),
      ).toMatchObject({
        ok: false,
        error: {
          code: 'BAD_RESPONSE',
          message: expect.stringContaining("check this computer's date and time"),
        },
      });
    });
  });

  it.each([
    ['no access token', { access_token: '' }],
    ['a DPoP token type', { token_type: 'DPoP' }],
    ['no lifetime at all', { expires_in: undefined }],
    ['a zero lifetime', { expires_in: 0 }],
    ['a refresh token with control characters', { refresh_token: 'rt\n1' }],
  ])('refuses an answer with %s as BAD_RESPONSE', (_label, fields) => {
    expect(grantFromResponse(response(fields), { receivedAt: 0 })).toMatchObject({
      ok: false,
      error: { code: 'BAD_RESPONSE' },
    });
  });
});

describe('audienceParameters()', () => {
  it('sends a URL as both audience and resource, a plain identifier as audience only, nothing when empty', () => {
    expect(audienceParameters('https://api.example.com')).toEqual({
      audience: 'https://api.example.com',
      resource: 'https://api.example.com',
    });
    expect(audienceParameters('orders-api')).toEqual({ audience: 'orders-api' });
    expect(audienceParameters('')).toEqual({});
  });
});

describe('userFromIdClaims()', () => {
  it('names the person by preferred_username, then email, then upn, then sub', () => {
    expect(
      userFromIdClaims({ sub: 's', preferred_username: 'kim', email: 'k@x', name: 'Kim', roles: ['admin'] }),
    ).toEqual({
      sub: 's',
      username: 'kim',
      name: 'Kim',
      role: 'admin',
    });
    expect(userFromIdClaims({ sub: 's', email: 'k@x' })).toMatchObject({
      username: 'k@x',
      name: 'k@x',
      role: '',
    });
    expect(userFromIdClaims({ sub: 's', upn: 'kim@corp' })).toMatchObject({ username: 'kim@corp' });
    expect(userFromIdClaims({ sub: 's', role: 'editor' })).toMatchObject({ username: 's', role: 'editor' });
    expect(userFromIdClaims({}, 'stored-sub')).toMatchObject({ sub: 'stored-sub' });
    expect(userFromIdClaims({})).toBeNull();
  });

  it('knows when claims name nobody (then userinfo is asked)', () => {
    expect(claimsNamePerson({ sub: 's' })).toBe(false);
    expect(claimsNamePerson({ sub: 's', name: 'Kim' })).toBe(true);
  });
});

describe('callbackPage()', () => {
  it('speaks the app language and reflects nothing from the request', () => {
    expect(pageLocale('ko')).toBe('ko');
    expect(pageLocale('system', 'ko-KR')).toBe('ko');
    expect(pageLocale('system', 'en-GB')).toBe('en');
    expect(callbackPage('success', 'ko')).toContain('이 창을 닫고');
    expect(callbackPage('success', 'en')).toMatch(/^<!doctype html>/);
    expect(callbackPage('cancelled', 'en')).toContain('Sign-in cancelled');
    expect(callbackPage('cancelled', 'ko')).toContain('로그인이 취소되었습니다');
  });
});
