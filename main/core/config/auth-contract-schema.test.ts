import { describe, expect, it } from 'vitest';
import { API_PROFILES, type ApiProfile, tesseraContract } from '../../../common/auth-contract';
import type { Settings } from '../../../common/settings';
import { testSettings } from '../../../test/support/fixtures';
import { authContractSettingSchema, effectiveContract } from './auth-contract-schema';
import { parseSettingText } from './settings-table';

const base = testSettings('https://api.example.com');
const withContract = (apiProfile: ApiProfile, authContract: unknown): Settings => ({
  ...base,
  apiProfile,
  authContract: authContract as Settings['authContract'],
});

/** The message of a failed effectiveContract(). */
function contractError(settings: Settings): string {
  const result = effectiveContract(settings);
  if (result.ok) throw new Error('expected an invalid contract');
  expect(result.error).toMatchObject({ code: 'INVALID_CONFIG', key: 'authContract' });
  return result.error.message;
}

/** The message of a refused authContract setting value. */
function settingError(value: unknown): string {
  const parsed = authContractSettingSchema.safeParse(value);
  if (parsed.success) throw new Error('expected the value to be refused');
  return parsed.error.issues[0]?.message ?? '';
}

/** A complete custom contract, the shape of docs/backends.md. */
const CUSTOM = {
  login: {
    path: '/login',
    encoding: 'json',
    usernameField: 'username',
    passwordField: 'password',
    extraFields: {},
  },
  tokens: {
    accessToken: 'accessToken',
    refreshToken: 'refreshToken',
    expiresIn: 'expiresIn',
    expiresInUnit: 's',
  },
  refresh: {
    path: '/token/refresh',
    encoding: 'json',
    tokenField: 'refreshToken',
    send: 'body',
    extraFields: {},
  },
  logout: { path: '/logout', tokenField: 'refreshToken', sendBearer: true },
  expired: { jsonPath: 'error', equals: ['TokenExpiredError'] },
  headers: {},
};

describe('effectiveContract()', () => {
  it.each(API_PROFILES.filter((profile) => profile !== 'custom'))(
    'the %s preset is complete and valid',
    (profile) => {
      expect(effectiveContract(withContract(profile, null)).ok).toBe(true);
    },
  );

  it("is exactly today's contract for the default profile, following loginPath, refreshPath and logoutPath", () => {
    const settings = { ...base, loginPath: '/auth/in', refreshPath: '/auth/again', logoutPath: '/auth/out' };
    expect(effectiveContract(settings)).toEqual({ ok: true, value: tesseraContract(settings) });
  });

  it('takes the documented custom contract as it is, and fills what a minimal one leaves out', () => {
    expect(effectiveContract(withContract('custom', CUSTOM))).toMatchObject({
      ok: true,
      value: { ...CUSTOM, logout: { ...CUSTOM.logout, encoding: 'json', extraFields: {} } },
    });
    const minimal = { login: { path: '/in' }, tokens: { accessToken: 'jwt' }, refresh: null, logout: null };
    expect(effectiveContract(withContract('custom', minimal))).toEqual({
      ok: true,
      value: {
        login: {
          path: '/in',
          encoding: 'json',
          usernameField: 'username',
          passwordField: 'password',
          extraFields: {},
        },
        tokens: {
          accessToken: 'jwt',
          refreshToken: null,
          expiresIn: null,
          expiresInUnit: 's',
          refreshExpiresIn: null,
          tokenType: null,
        },
        refresh: null,
        logout: null,
        expired: null,
        headers: {},
        profile: null,
      },
    });
  });

  it('names the exact field a custom contract lacks', () => {
    expect(contractError(withContract('custom', null))).toMatch(/custom needs an authContract/);
    expect(contractError(withContract('custom', { ...CUSTOM, login: { encoding: 'json' } }))).toBe(
      'The API contract is not valid: authContract.login.path is required',
    );
    const { refresh: _, ...withoutRefresh } = CUSTOM;
    expect(contractError(withContract('custom', withoutRefresh))).toBe(
      'The API contract is not valid: authContract.refresh is required (an object, or null for none)',
    );
    expect(
      contractError(withContract('custom', { ...CUSTOM, tokens: { accessToken: 'a', refreshToken: null } })),
    ).toBe(
      'The API contract is not valid: authContract.tokens.refreshToken is needed by refresh (or set refresh to null)',
    );
    // The other way round: a preset's refresh token read, its refresh taken away. Before, the token was
    // stored and the session ended at its first refresh as if the server had refused it.
    expect(contractError(withContract('simplejwt', { refresh: null }))).toBe(
      'The API contract is not valid: authContract.refresh is needed to use the refresh token tokens.refreshToken names (or set tokens.refreshToken to null)',
    );
    expect(
      effectiveContract(withContract('simplejwt', { refresh: null, tokens: { refreshToken: null } })).ok,
    ).toBe(true);
  });

  it('lays changes parsed from the setting over the preset without resetting what they leave out', () => {
    const parsed = authContractSettingSchema.parse({
      login: { extraFields: { grant_type: 'password', client_id: 'tessera' } },
    });
    expect(parsed).toEqual({ login: { extraFields: { grant_type: 'password', client_id: 'tessera' } } });
    expect(effectiveContract(withContract('oauth2-password', parsed))).toMatchObject({
      ok: true,
      value: {
        login: {
          path: '/token',
          encoding: 'form',
          extraFields: { grant_type: 'password', client_id: 'tessera' },
        },
        refresh: { encoding: 'form', tokenField: 'refresh_token' },
      },
    });
  });

  it("keeps the expired rule's statuses: Directus's names 403, a change may narrow it, a custom one defaults to none (401)", () => {
    const directus = effectiveContract(withContract('directus', null));
    expect(directus.ok && directus.value.expired).toEqual({
      jsonPath: 'errors.0.extensions.code',
      equals: ['TOKEN_EXPIRED', 'INVALID_TOKEN'],
      status: [401, 403],
    });
    const narrowed = effectiveContract(
      withContract('directus', authContractSettingSchema.parse({ expired: { status: [401] } })),
    );
    expect(narrowed.ok && narrowed.value.expired?.status).toEqual([401]);
    const custom = effectiveContract(withContract('custom', CUSTOM));
    expect(custom.ok && custom.value.expired).toEqual(CUSTOM.expired);
    expect(
      contractError(withContract('custom', { ...CUSTOM, expired: { ...CUSTOM.expired, status: [500] } })),
    ).toBe('The API contract is not valid: authContract.expired.status.0 must list 401 and/or 403 only');
  });

  it('names the field when a change breaks a preset', () => {
    expect(contractError(withContract('directus', { login: { usernameField: 'password' } }))).toBe(
      'The API contract is not valid: authContract.login.passwordField must differ from usernameField',
    );
  });
});

describe('the authContract setting', () => {
  it('accepts null, a complete contract and changes to a preset', () => {
    expect(authContractSettingSchema.safeParse(null)).toMatchObject({ success: true, data: null });
    expect(authContractSettingSchema.safeParse(CUSTOM).success).toBe(true);
    expect(authContractSettingSchema.safeParse({ headers: { apikey: 'public-anon-key' } }).success).toBe(
      true,
    );
  });

  it.each([
    ['an unknown section', { tokenz: {} }, 'field  has an unknown field "tokenz"'],
    ['an unknown field', { tokens: { acessToken: 'a' } }, 'field tokens has an unknown field "acessToken"'],
    ['a wrong unit', { tokens: { expiresInUnit: 'min' } }, 'field tokens.expiresInUnit must be "s" or "ms"'],
    ['a wrong encoding', { login: { encoding: 'xml' } }, 'field login.encoding must be "json" or "form"'],
    [
      'a dot path with an empty step',
      { tokens: { accessToken: 'data..token' } },
      'field tokens.accessToken must be a dot path',
    ],
    [
      'a prototype step',
      { tokens: { accessToken: 'constructor.name' } },
      'field tokens.accessToken must not step',
    ],
    [
      'a path to another host over http',
      { refresh: { path: 'http://auth.example.com/token' } },
      'field refresh.path must start with / or be a URL that use https',
    ],
    ['a path with a fragment', { login: { path: '/login#x' } }, 'field login.path must not contain'],
    [
      'a protocol-relative path',
      { login: { path: '//evil.example/login' } },
      'field login.path must start with a single /',
    ],
    [
      'an Authorization header',
      { headers: { Authorization: 'Bearer x' } },
      'field headers.Authorization must not be Authorization',
    ],
    [
      'a header name that is no token',
      { headers: { 'X Api': 'v' } },
      'field headers.X Api must be a header name',
    ],
    [
      'a header value with a line break',
      { headers: { 'X-A': 'a\r\nb' } },
      'field headers.X-A must be printable ASCII',
    ],
    [
      'an object as an extra field',
      { login: { extraFields: { scope: { a: 1 } } } },
      'field login.extraFields.scope must be a string',
    ],
    [
      'an empty equals list',
      { expired: { jsonPath: 'error', equals: [] } },
      'field expired.equals must list at least one value',
    ],
    [
      'an expired status other than 401 or 403',
      { expired: { status: [401, 400] } },
      'field expired.status.1 must list 401 and/or 403 only',
    ],
    ['an expired status as text', { expired: { status: ['403'] } }, 'field expired.status.0 must list 401'],
    ['one expired status, not a list', { expired: { status: 403 } }, 'field expired.status must be a list'],
    ['an empty expired status list', { expired: { status: [] } }, 'field expired.status must list 401'],
    [
      'a status twice',
      { expired: { status: [403, 403] } },
      'field expired.status must not list a status twice',
    ],
    [
      'a status on the refused rule (it has none)',
      { refresh: { refused: { status: [403] } } },
      'field refresh.refused has an unknown field "status"',
    ],
    [
      "a confidential client's secret as an extra field",
      { refresh: { extraFields: { client_id: 'desktop', client_secret: 's3cr3t-value' } } },
      'field refresh.extraFields.client_secret must not carry a secret',
    ],
    [
      'a password as an extra field',
      { login: { extraFields: { admin_Password: 'x' } } },
      'field login.extraFields.admin_Password must not carry a secret',
    ],
    [
      'a signed client assertion as an extra field',
      { logout: { extraFields: { client_assertion: 'eyJ...' } } },
      'field logout.extraFields.client_assertion must not carry a secret',
    ],
    [
      'a secret-named header',
      { headers: { 'X-Client-Secret': 'v' } },
      'field headers.X-Client-Secret must not carry a secret',
    ],
    ['a list', [], 'must be an object'],
  ])('refuses %s, naming the field', (_, value, message) => {
    expect(settingError(value)).toContain(message);
  });

  it('keeps public values under names that say nothing secret: a client id, an anon key header', () => {
    expect(
      authContractSettingSchema.safeParse({
        login: { extraFields: { grant_type: 'password', client_id: 'tessera', scope: 'openid' } },
        headers: { apikey: 'public-anon-key', 'X-Client-Version': '1' },
      }).success,
    ).toBe(true);
  });

  it('never echoes a value in its message', () => {
    expect(settingError({ refresh: { extraFields: { client_secret: 'secret-value' } } })).not.toContain(
      'secret-value',
    );
    expect(settingError({ headers: { Authorization: 'Bearer secret-value' } })).not.toContain('secret-value');
    expect(settingError({ tokens: { expiresInUnit: 'secret-value' } })).not.toContain('secret-value');
  });

  it('keeps the profile endpoint on the API host (the page fetches it too)', () => {
    expect(settingError({ profile: { path: 'https://auth.example.com/me' } })).toContain(
      'field profile.path must be a path on the API host',
    );
    expect(
      authContractSettingSchema.safeParse({ profile: { path: '/me?fields=*', username: 'email' } }).success,
    ).toBe(true);
    expect(contractError(withContract('custom', { ...CUSTOM, profile: { path: '/me' } }))).toBe(
      'The API contract is not valid: authContract.profile.username is required',
    );
  });

  it('accepts a path with a query and an absolute https URL on another host', () => {
    expect(
      authContractSettingSchema.safeParse({
        login: { path: '/auth/v1/token?grant_type=password' },
        refresh: { path: 'https://auth.example.com/oauth/token' },
        logout: { path: 'http://127.0.0.1:9000/revoke' },
      }).success,
    ).toBe(true);
  });

  it('reads JSON text from the environment and the command line', () => {
    expect(parseSettingText('authContract', '{"headers":{"apikey":"anon"}}')).toMatchObject({
      success: true,
      data: { headers: { apikey: 'anon' } },
    });
    expect(parseSettingText('authContract', 'null')).toMatchObject({ success: true, data: null });
    expect(parseSettingText('authContract', '{headers:')).toMatchObject({ success: false });
    expect(parseSettingText('apiProfile', 'directus')).toMatchObject({ success: true, data: 'directus' });
    expect(parseSettingText('apiProfile', 'django')).toMatchObject({ success: false });
  });
});
