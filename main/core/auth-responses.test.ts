import { describe, expect, it } from 'vitest';
import { PRESET_CONTRACTS, TESSERA_TOKENS, type TokensContract } from '../../common/auth-contract';
import { fakeJwt } from '../../test/support/fixtures';
import {
  MAX_EXPIRES_IN_SECONDS,
  parseContractTokenBody,
  parseJsonBody,
  parseTokenBody,
  parseUserBody,
} from './auth-responses';

const jwt = fakeJwt({ sub: 'u1', exp: 2_000_000_000 });
const TEN_YEARS = 10 * 365 * 24 * 3600;
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

  it('reads a null optional field as absent (a server serializing every field, e.g. pydantic’s None)', () => {
    const refreshed = parseTokenBody(
      'refresh',
      { ...camel, refreshToken: null, refreshExpiresIn: null, tokenType: null },
      false,
    );
    expect(refreshed).toMatchObject({ ok: true });
    expect(refreshed.ok && refreshed.value).not.toHaveProperty('refreshToken');
    const snake = {
      access_token: camel.accessToken,
      expires_in: 900,
      refresh_token: null,
      token_type: 'Bearer',
    };
    expect(parseTokenBody('refresh', snake, false)).toMatchObject({ ok: true });
    // A sign-in still needs its refresh token: null is none.
    expect(parseTokenBody('login', { ...camel, refreshToken: null }, true)).toMatchObject({
      ok: false,
      error: { code: 'BAD_RESPONSE', message: expect.stringContaining('refreshToken') },
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
    ['an expiresIn over the longest lifetime', { expiresIn: MAX_EXPIRES_IN_SECONDS + 1 }],
    ['an absolute time (exp) sent as expiresIn', { expiresIn: 1_764_700_000 }],
    ['a string expiresIn that is no number', { expiresIn: '900s' }],
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

  it('accepts a 10-year access token, as a backend issuing long-lived tokens sends it', () => {
    expect(parseTokenBody('login', { ...camel, expiresIn: TEN_YEARS }, true)).toMatchObject({
      ok: true,
      value: { expiresIn: TEN_YEARS },
    });
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

describe('parseContractTokenBody()', () => {
  const presets = PRESET_CONTRACTS;
  const iat = 1_900_000_000;
  const access = fakeJwt({ sub: 'u1', iat, exp: iat + 300 });
  const read = (tokens: TokensContract, body: unknown, requireRefreshToken = true) =>
    parseContractTokenBody('login', body, { tokens, requireRefreshToken, receivedAt: iat * 1000 });

  it("reads the lifetime from the access token's exp when the answer lacks expires_in (RFC 6749 only recommends it)", () => {
    const oauth2 = presets['oauth2-password'].tokens;
    expect(read(oauth2, { access_token: access, token_type: 'Bearer', refresh_token: 'rt' })).toMatchObject({
      ok: true,
      value: { expiresIn: 300 },
    });
    // Without an exp there is nothing to tell the lifetime by: the missing path is named.
    const opaqueLifetime = fakeJwt({ sub: 'u1', iat });
    expect(
      read(oauth2, { access_token: opaqueLifetime, token_type: 'Bearer', refresh_token: 'rt' }),
    ).toMatchObject({
      ok: false,
      error: {
        code: 'BAD_RESPONSE',
        message: `The server's sign-in response had nothing at "expires_in" (authContract tokens.expiresIn)`,
      },
    });
    // A value that is there but wrong is still refused, never replaced by exp.
    expect(read(oauth2, { access_token: access, expires_in: 'soon', refresh_token: 'rt' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_RESPONSE' },
    });
  });

  it('accepts a 10-year lifetime, told by expiresIn or by exp − iat', () => {
    const long = fakeJwt({ sub: 'u1', iat, exp: iat + TEN_YEARS });
    expect(
      read(presets.directus.tokens, {
        data: { access_token: long, refresh_token: 'rt', expires: TEN_YEARS * 1000 },
      }),
    ).toMatchObject({ ok: true, value: { expiresIn: TEN_YEARS } });
    expect(
      read({ ...TESSERA_TOKENS, expiresIn: null }, { accessToken: long, refreshToken: 'rt' }),
    ).toMatchObject({
      ok: true,
      value: { expiresIn: TEN_YEARS },
    });
  });

  it("reads Directus's nested answer with expires in milliseconds", () => {
    const body = { data: { access_token: access, refresh_token: 'rt-d', expires: 900_000 } };
    expect(read(presets.directus.tokens, body)).toEqual({
      ok: true,
      value: { accessToken: access, tokenType: 'Bearer', expiresIn: 900, refreshToken: 'rt-d' },
    });
  });

  it("takes SimpleJWT's lifetime from the access token's exp − iat (it sends no expiresIn)", () => {
    expect(read(presets.simplejwt.tokens, { access, refresh: 'rt-s' })).toEqual({
      ok: true,
      value: { accessToken: access, tokenType: 'Bearer', expiresIn: 300, refreshToken: 'rt-s' },
    });
  });

  describe("SimpleJWT before 5.5.1: the access token's iat is copied from the refresh token", () => {
    // RefreshToken.access_token copies every claim but exp and jti, iat included: after a refresh the
    // access token's iat is the sign-in's (or the last rotation's), not its own issue time.
    const signedInAt = iat - 3_600;
    const sent = fakeJwt({ token_type: 'refresh', iat: signedInAt, exp: signedInAt + 86_400 });
    const minted = fakeJwt({ token_type: 'access', iat: signedInAt, exp: iat + 300 });
    const refreshed = (body: unknown, receivedAt = iat * 1000) =>
      parseContractTokenBody('refresh', body, {
        tokens: presets.simplejwt.tokens,
        requireRefreshToken: false,
        receivedAt,
        sentRefreshToken: sent,
      });

    it('with rotation, measures exp from the rotated refresh token’s iat (same server clock)', () => {
      // Our clock is 2 minutes behind the server's: the rotated token's iat is not affected by it.
      const rotated = fakeJwt({ token_type: 'refresh', iat, exp: iat + 86_400 });
      expect(refreshed({ access: minted, refresh: rotated }, (iat - 120) * 1000)).toMatchObject({
        ok: true,
        value: { expiresIn: 300, refreshToken: rotated },
      });
    });

    it('without rotation (ROTATE_REFRESH_TOKENS off), measures exp from the receipt by our clock', () => {
      expect(refreshed({ access: minted }, (iat + 10) * 1000)).toMatchObject({
        ok: true,
        value: { expiresIn: 290 },
      });
    });

    it('keeps exp − iat when our clock makes the receipt reading implausible', () => {
      // Our clock is ahead by more than the lifetime: the token would look expired on arrival.
      expect(refreshed({ access: minted }, (iat + 400) * 1000)).toMatchObject({
        ok: true,
        value: { expiresIn: 3_900 },
      });
    });

    it("reads a fresh iat (SimpleJWT 5.5.1 and later, or the sign-in's pair) as it is", () => {
      const fresh = fakeJwt({ token_type: 'access', iat, exp: iat + 300 });
      expect(refreshed({ access: fresh }, (iat + 10) * 1000)).toMatchObject({
        ok: true,
        value: { expiresIn: 300 },
      });
      const pair = fakeJwt({ token_type: 'refresh', iat, exp: iat + 86_400 });
      expect(read(presets.simplejwt.tokens, { access, refresh: pair })).toMatchObject({
        ok: true,
        value: { expiresIn: 300 },
      });
    });
  });

  it('measures exp against the receipt time when the token has no iat (PocketBase)', () => {
    const noIat = fakeJwt({ id: 'u1', exp: iat + 600 });
    expect(read(presets.pocketbase.tokens, { token: noIat, record: {} })).toMatchObject({
      ok: true,
      value: { accessToken: noIat, expiresIn: 600, refreshToken: noIat },
    });
  });

  describe('no iat and a machine clock hours off (PocketBase)', () => {
    const noIat = fakeJwt({ id: 'u1', exp: iat + 600 });
    const body = { token: noIat, record: {} };
    const at = (ourClock: number, serverDate?: number) =>
      parseContractTokenBody('login', body, {
        tokens: presets.pocketbase.tokens,
        requireRefreshToken: true,
        receivedAt: ourClock * 1000,
        ...(serverDate === undefined ? {} : { serverDate: serverDate * 1000 }),
      });

    it("measures exp against the answer's Date header, not our clock", () => {
      expect(at(iat + 7_200, iat)).toMatchObject({ ok: true, value: { expiresIn: 600 } });
      expect(at(iat - 7_200, iat)).toMatchObject({ ok: true, value: { expiresIn: 600 } });
    });

    it('without a Date header, an answer expired by our clock names the clock as the thing to check', () => {
      const result = at(iat + 7_200);
      expect(result).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE' } });
      if (!result.ok) expect(result.error.message).toMatch(/this computer's date and time/);
    });
  });

  it('accepts a lifetime given as a numeric string', () => {
    const body = { access_token: access, refresh_token: 'r', expires_in: '3600', token_type: 'bearer' };
    expect(read(presets.supabase.tokens, body)).toMatchObject({ ok: true, value: { expiresIn: 3600 } });
  });

  it('names the missing dot path, never a value', () => {
    const result = read(presets.directus.tokens, { access_token: access, refresh_token: 'rt-secret' });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'BAD_RESPONSE',
        message: `The server's sign-in response had nothing at "data.access_token" (authContract tokens.accessToken)`,
      },
    });
    const wrong = read(presets.directus.tokens, {
      data: { access_token: access, refresh_token: 'rt-secret', expires: 'soon-secret' },
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE', message: /"data\.expires"/ } });
    if (!wrong.ok) expect(wrong.error.message).not.toMatch(/secret/);
  });

  it.each([
    ['an opaque access token', { access: 'opaque', refresh: 'r' }],
    ['an access token without exp', { access: fakeJwt({ sub: 'u1', iat }), refresh: 'r' }],
    ['a non-string refresh token', { access, refresh: 42 }],
    ['no refresh token at sign-in', { access }],
  ])('refuses %s as BAD_RESPONSE', (_, body) => {
    expect(read(presets.simplejwt.tokens, body)).toMatchObject({
      ok: false,
      error: { code: 'BAD_RESPONSE' },
    });
  });

  it('lets a refresh keep the old refresh token, and a contract without one never asks for it', () => {
    expect(read(presets.simplejwt.tokens, { access }, false)).toMatchObject({ ok: true });
    const none = { ...presets.simplejwt.tokens, refreshToken: null };
    const grant = read(none, { access, refresh: 'ignored' });
    expect(grant).toMatchObject({ ok: true });
    if (grant.ok) expect(grant.value.refreshToken).toBeUndefined();
  });

  it('refuses a token type other than Bearer where the contract reads one', () => {
    const body = { access_token: access, refresh_token: 'r', expires_in: 60, token_type: 'mac' };
    expect(read(presets['oauth2-password'].tokens, body)).toMatchObject({
      ok: false,
      error: { code: 'BAD_RESPONSE' },
    });
  });

  it('reads the tessera mapping as parseTokenBody does (snake_case too, a lifetime as digits too)', () => {
    const snake = { access_token: jwt, expires_in: 60, refresh_token: 'rt-2', token_type: 'bearer' };
    expect(read(TESSERA_TOKENS, snake)).toEqual(parseTokenBody('login', snake, true));
    // A lifetime as a string of digits reads as every other contract reads it; other strings do not.
    expect(read(TESSERA_TOKENS, { ...camel, expiresIn: '900' })).toMatchObject({
      ok: true,
      value: { expiresIn: 900 },
    });
    expect(read(TESSERA_TOKENS, { ...snake, expires_in: '60', refresh_expires_in: '3600' })).toMatchObject({
      ok: true,
      value: { expiresIn: 60, refreshExpiresIn: 3600 },
    });
    expect(read(TESSERA_TOKENS, { ...camel, expiresIn: 'soon' })).toMatchObject({ ok: false });
  });
});
