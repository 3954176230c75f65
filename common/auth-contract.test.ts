import { describe, expect, it } from 'vitest';
import {
  bearerInvalidToken,
  contractSource,
  expiredRuleOf,
  mayBeExpiry,
  mergeJson,
  PRESET_CONTRACTS,
  profileFromAnswer,
  profileMappingOf,
  readJsonPath,
  saysAccessTokenExpired,
  TESSERA_EXPIRED,
  tesseraContract,
} from './auth-contract';

const PATHS = { loginPath: '/v2/login', refreshPath: '/v2/refresh', logoutPath: '/v2/logout' };

describe('contractSource()', () => {
  it("is today's contract for tessera (the default), at the paths of loginPath, refreshPath and logoutPath", () => {
    const contract = contractSource(PATHS);
    expect(contract).toEqual(tesseraContract(PATHS));
    expect(contract).toMatchObject({
      login: { path: '/v2/login', usernameField: 'username', passwordField: 'password', encoding: 'json' },
      tokens: { accessToken: 'accessToken', refreshToken: 'refreshToken', expiresIn: 'expiresIn' },
      refresh: { path: '/v2/refresh', tokenField: 'refreshToken', send: 'body' },
      logout: { path: '/v2/logout', tokenField: 'refreshToken', sendBearer: true },
      expired: TESSERA_EXPIRED,
    });
  });

  it('is the preset for a preset profile, with authContract laid over it field by field', () => {
    const contract = contractSource({
      ...PATHS,
      apiProfile: 'oauth2-password',
      authContract: { login: { extraFields: { client_id: 'tessera' } }, headers: { 'X-Tenant': 'a' } },
    });
    expect(contract).toMatchObject({
      login: {
        path: '/token',
        encoding: 'form',
        extraFields: { grant_type: 'password', client_id: 'tessera' },
      },
      refresh: PRESET_CONTRACTS['oauth2-password'].refresh,
      headers: { 'X-Tenant': 'a' },
    });
    // The shared preset itself is untouched.
    expect(PRESET_CONTRACTS['oauth2-password'].login.extraFields).toEqual({ grant_type: 'password' });
  });

  it('lets authContract turn a preset endpoint off with null, and replace lists whole', () => {
    const contract = contractSource({
      ...PATHS,
      apiProfile: 'simplejwt',
      authContract: { logout: null, expired: { equals: ['expired'] } },
    }) as Record<string, unknown>;
    expect(contract.logout).toBeNull();
    expect(contract.expired).toEqual({ jsonPath: 'code', equals: ['expired'] });
  });

  it('is the authContract setting alone for custom (null when there is none)', () => {
    const mine = { login: { path: '/in' } };
    expect(contractSource({ ...PATHS, apiProfile: 'custom', authContract: mine })).toEqual(mine);
    expect(contractSource({ ...PATHS, apiProfile: 'custom', authContract: null })).toBeNull();
  });
});

describe('mergeJson()', () => {
  it('keeps a __proto__ key of JSON as data, never as a prototype', () => {
    const merged = mergeJson({}, JSON.parse('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(merged, '__proto__')).toBe(true);
  });
});

describe('readJsonPath()', () => {
  const body = {
    data: { access_token: 'a', expires: 900_000 },
    errors: [{ extensions: { code: 'TOKEN_EXPIRED' } }],
  };

  it('follows object keys and array indexes', () => {
    expect(readJsonPath(body, 'data.access_token')).toBe('a');
    expect(readJsonPath(body, 'data.expires')).toBe(900_000);
    expect(readJsonPath(body, 'errors.0.extensions.code')).toBe('TOKEN_EXPIRED');
  });

  it('is undefined for a missing step, a wrong index or an inherited key', () => {
    expect(readJsonPath(body, 'data.refresh_token')).toBeUndefined();
    expect(readJsonPath(body, 'errors.1.extensions')).toBeUndefined();
    expect(readJsonPath(body, 'errors.x')).toBeUndefined();
    expect(readJsonPath(body, 'data.toString')).toBeUndefined();
    expect(readJsonPath('text', 'length')).toBeUndefined();
  });
});

describe('saysAccessTokenExpired(): the one rule main and the renderer share', () => {
  const answer = (status: number, wwwAuthenticate: string | null, body: unknown) => ({
    status,
    wwwAuthenticate,
    body,
  });

  it.each([
    'Bearer error="invalid_token"',
    'Bearer realm="tessera", error="invalid_token", error_description="expired"',
    'bearer realm="x",error=invalid_token',
    'Basic realm="x", Bearer error="invalid_token"',
  ])('recognises RFC 6750 %s whatever the body and the contract', (header) => {
    expect(saysAccessTokenExpired(answer(401, header, undefined), null)).toBe(true);
    expect(bearerInvalidToken(header)).toBe(true);
  });

  it.each(['Bearer realm="api"', 'Bearer error="insufficient_scope"', 'Basic error="invalid_token"'])(
    'does not read %s as an expiry',
    (header) => {
      expect(saysAccessTokenExpired(answer(401, header, {}), TESSERA_EXPIRED)).toBe(false);
    },
  );

  it("recognises the contract's JSON predicate, comparing numbers as text", () => {
    expect(saysAccessTokenExpired(answer(401, null, { error: 'TokenExpiredError' }), TESSERA_EXPIRED)).toBe(
      true,
    );
    expect(saysAccessTokenExpired(answer(401, null, { error: 'TokenRevokedError' }), TESSERA_EXPIRED)).toBe(
      false,
    );
    expect(
      saysAccessTokenExpired(answer(401, null, { status: 401 }), PRESET_CONTRACTS.pocketbase.expired),
    ).toBe(true);
    expect(
      saysAccessTokenExpired(
        answer(401, null, { errors: [{ extensions: { code: 'TOKEN_EXPIRED' } }] }),
        PRESET_CONTRACTS.directus.expired,
      ),
    ).toBe(true);
  });

  it('is never true for another status than the rule names (401 unless it names 403 too)', () => {
    expect(
      saysAccessTokenExpired(
        answer(403, 'Bearer error="invalid_token"', { error: 'TokenExpiredError' }),
        TESSERA_EXPIRED,
      ),
    ).toBe(false);
    // RFC 6750's challenge stays a 401 matter even when the rule names 403.
    expect(
      saysAccessTokenExpired(answer(403, 'Bearer error="invalid_token"', {}), {
        ...TESSERA_EXPIRED,
        status: [401, 403],
      }),
    ).toBe(false);
    // Only 401 and 403 ever count, whatever an unvalidated rule lists.
    expect(
      saysAccessTokenExpired(answer(500, null, { error: 'TokenExpiredError' }), {
        ...TESSERA_EXPIRED,
        status: [500],
      }),
    ).toBe(false);
  });

  it("reads a 403 as expired when the rule names it: Directus's INVALID_TOKEN after its SECRET changed", () => {
    const invalid = { errors: [{ message: 'Invalid token', extensions: { code: 'INVALID_TOKEN' } }] };
    const forbidden = { errors: [{ message: 'Forbidden', extensions: { code: 'FORBIDDEN' } }] };
    const rule = PRESET_CONTRACTS.directus.expired;
    expect(saysAccessTokenExpired(answer(403, null, invalid), rule)).toBe(true);
    expect(saysAccessTokenExpired(answer(401, null, invalid), rule)).toBe(true);
    expect(saysAccessTokenExpired(answer(403, null, forbidden), rule)).toBe(false);
    // The same body under a rule that names no status (401 only) is no expiry.
    const onlyFor401 = { jsonPath: 'errors.0.extensions.code', equals: ['TOKEN_EXPIRED', 'INVALID_TOKEN'] };
    expect(saysAccessTokenExpired(answer(403, null, invalid), onlyFor401)).toBe(false);
    expect(saysAccessTokenExpired(answer(401, null, invalid), onlyFor401)).toBe(true);
    expect(mayBeExpiry(403, rule)).toBe(true);
    expect(mayBeExpiry(403, TESSERA_EXPIRED)).toBe(false);
    expect(mayBeExpiry(401, null)).toBe(true);
    expect(mayBeExpiry(200, rule)).toBe(false);
  });
});

describe('expiredRuleOf()', () => {
  it('gives each profile its predicate, and authContract changes it', () => {
    expect(expiredRuleOf(PATHS)).toEqual(TESSERA_EXPIRED);
    expect(expiredRuleOf({ ...PATHS, apiProfile: 'simplejwt' })).toEqual({
      jsonPath: 'code',
      equals: ['token_not_valid'],
    });
    expect(
      expiredRuleOf({ ...PATHS, apiProfile: 'simplejwt', authContract: { expired: { equals: ['gone'] } } }),
    ).toEqual({ jsonPath: 'code', equals: ['gone'] });
    expect(expiredRuleOf({ ...PATHS, apiProfile: 'custom', authContract: { expired: null } })).toBeNull();
    expect(expiredRuleOf({ ...PATHS, apiProfile: 'custom', authContract: null })).toBeNull();
    expect(expiredRuleOf({ ...PATHS, apiProfile: 'directus' })).toEqual({
      jsonPath: 'errors.0.extensions.code',
      equals: ['TOKEN_EXPIRED', 'INVALID_TOKEN'],
      status: [401, 403],
    });
    // Unvalidated here (main refuses it): anything but 401 and 403 is dropped.
    expect(
      expiredRuleOf({
        ...PATHS,
        apiProfile: 'directus',
        authContract: { expired: { status: [403, 500, '401'] } },
      })?.status,
    ).toEqual([403]);
  });
});

describe('profileFromAnswer() and profileMappingOf(): the profile mapping main and the page share', () => {
  const directus = PRESET_CONTRACTS.directus.profile;
  if (!directus) throw new Error('the directus preset maps its profile');
  const me = { data: { id: 'u-9', email: 'kim@example.com', first_name: 'Kim', role: 'r-1' } };

  it('reads the fields at their dot paths', () => {
    expect(profileFromAnswer(me, directus)).toEqual({
      ok: true,
      user: { sub: 'u-9', username: 'kim@example.com', name: 'Kim', role: 'r-1' },
    });
  });

  it('falls back for what is missing: sub to the claim or the username, name to the username, role to none', () => {
    const bare = { data: { email: 'kim@example.com', first_name: null, role: 7 } };
    expect(profileFromAnswer(bare, directus, 'claim-sub')).toEqual({
      ok: true,
      user: { sub: 'claim-sub', username: 'kim@example.com', name: 'kim@example.com', role: '7' },
    });
    expect(profileFromAnswer({ data: {} }, directus)).toEqual({ ok: false, missing: 'data.email' });
  });

  it('is the preset mapping, changed by authContract, and null without one', () => {
    expect(profileMappingOf({ ...PATHS, apiProfile: 'directus' })).toEqual(directus);
    expect(
      profileMappingOf({
        ...PATHS,
        apiProfile: 'directus',
        authContract: { profile: { name: 'data.last_name' } },
      }),
    ).toEqual({ ...directus, name: 'data.last_name' });
    expect(profileMappingOf(PATHS)).toBeNull();
    expect(
      profileMappingOf({ ...PATHS, apiProfile: 'directus', authContract: { profile: null } }),
    ).toBeNull();
  });
});
