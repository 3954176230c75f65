import { describe, expect, it } from 'vitest';
import { fakeJwt } from '../../test/support/fixtures';
import { MAX_EXPIRES_IN_SECONDS, parseJsonBody, parseTokenBody, parseUserBody } from './auth-responses';

const jwt = fakeJwt({ sub: 'u1', exp: 2_000_000_000 });
const camel = {
  accessToken: jwt,
  expiresIn: 900,
  refreshToken: 'rt-1',
  refreshExpiresIn: 1209600,
  tokenType: 'Bearer',
};

describe('parseTokenBody()', () => {
  it("accepts the flow's camelCase body", () => {
    expect(parseTokenBody('login', camel, true)).toEqual({
      ok: true,
      value: {
        accessToken: jwt,
        tokenType: 'Bearer',
        expiresIn: 900,
        refreshToken: 'rt-1',
        refreshExpiresIn: 1209600,
      },
    });
  });

  it("accepts RFC 6749's snake_case body and a lower-case token type", () => {
    const snake = { access_token: jwt, expires_in: 60, refresh_token: 'rt-2', token_type: 'bearer' };
    expect(parseTokenBody('refresh', snake, true)).toEqual({
      ok: true,
      value: { accessToken: jwt, tokenType: 'Bearer', expiresIn: 60, refreshToken: 'rt-2' },
    });
  });

  it('lets a refresh omit the refresh token (no rotation) but not a sign-in', () => {
    const { refreshToken: _, ...withoutRefresh } = camel;
    expect(parseTokenBody('refresh', withoutRefresh, false).ok).toBe(true);
    expect(parseTokenBody('login', withoutRefresh, true)).toMatchObject({
      ok: false,
      error: { code: 'BAD_RESPONSE', message: expect.stringContaining('refreshToken') },
    });
  });

  it.each([
    ['a negative expiresIn', { expiresIn: -5 }],
    ['a zero expiresIn', { expiresIn: 0 }],
    ['a sub-second expiresIn', { expiresIn: 0.2 }],
    ['an expiresIn over a year', { expiresIn: MAX_EXPIRES_IN_SECONDS + 1 }],
    ['a string expiresIn', { expiresIn: '900' }],
    ['a null expiresIn', { expiresIn: null }],
    ['a missing access token', { accessToken: undefined }],
    ['an opaque access token', { accessToken: 'opaque-access-token' }],
    ['a two-part access token', { accessToken: jwt.split('.').slice(0, 2).join('.') }],
    ['a numeric refresh token', { refreshToken: 12345 }],
    ['an empty refresh token', { refreshToken: '' }],
    ['a refresh token with control characters', { refreshToken: 'a\nb' }],
    ['a MAC token type', { tokenType: 'mac' }],
  ])('rejects %s as BAD_RESPONSE', (_, patch) => {
    const result = parseTokenBody('login', { ...camel, ...patch }, true);
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE' } });
  });

  it('rejects arrays and primitives', () => {
    expect(parseTokenBody('login', [camel], true).ok).toBe(false);
    expect(parseTokenBody('login', 'token', true).ok).toBe(false);
    expect(parseTokenBody('login', null, true).ok).toBe(false);
  });

  it('names the offending fields but never their values', () => {
    const result = parseTokenBody(
      'login',
      { ...camel, accessToken: 'secret-opaque-value', expiresIn: -1 },
      true,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain('accessToken');
    expect(result.error.message).toContain('expiresIn');
    expect(result.error.message).not.toContain('secret-opaque-value');
  });
});

describe('parseJsonBody()', () => {
  it('rejects non-JSON, truncated and empty bodies without quoting them', () => {
    for (const text of ['<html>oops</html>', '{"accessToken":"eyJhbGciOi', '']) {
      const result = parseJsonBody('login', text);
      expect(result).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE' } });
      if (!result.ok && text) expect(result.error.message).not.toContain(text.slice(0, 8));
    }
  });
});

describe('parseUserBody()', () => {
  it('reads the profile and defaults a missing name to the username', () => {
    expect(parseUserBody({ sub: 's', username: 'demo', role: 'user' })).toEqual({
      ok: true,
      value: { sub: 's', username: 'demo', name: 'demo', role: 'user' },
    });
  });

  it('rejects a profile without sub or username', () => {
    expect(parseUserBody({ username: 'demo' }).ok).toBe(false);
    expect(parseUserBody({ sub: 's' }).ok).toBe(false);
  });
});
