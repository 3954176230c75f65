// The API contract of password sign-in: which paths, which request fields and which answer fields a
// JWT backend uses. Shared by main (which speaks it) and the renderer (which needs its "expired" rule),
// so both read one contract from the same settings. Data and pure functions only; main validates.

import { parseChallenges } from './www-authenticate';

/** The presets, plus `custom` (the contract comes from the `authContract` setting alone). */
export const API_PROFILES = [
  'tessera',
  'simplejwt',
  'directus',
  'supabase',
  'oauth2-password',
  'pocketbase',
  'custom',
] as const;

export type ApiProfile = (typeof API_PROFILES)[number];

/** A static extra request field (a grant type, a mode, a client id): never a secret. */
export type FieldValue = string | number | boolean;

/** How a request body is encoded. */
export type BodyEncoding = 'json' | 'form';

export interface LoginContract {
  /** A path on the API (`/login`, `/token?grant_type=password`) or an absolute https URL on another host. */
  path: string;
  encoding: BodyEncoding;
  usernameField: string;
  passwordField: string;
  extraFields: Record<string, FieldValue>;
}

/** Dot paths into the JSON answer of sign-in and refresh (`data.access_token`, `access`). */
export interface TokensContract {
  accessToken: string;
  /** null: the server issues none, and the session ends when the access token expires. */
  refreshToken: string | null;
  /** null: the lifetime is the access token's `exp − iat`, measured from receipt. */
  expiresIn: string | null;
  expiresInUnit: 's' | 'ms';
  /** Optional: the refresh token's lifetime in seconds (shown nowhere yet; validated when present). */
  refreshExpiresIn: string | null;
  /** Optional: the token type; when present it must be Bearer. */
  tokenType: string | null;
}

/** A JSON predicate on an error answer: the value at `jsonPath` is one of `equals`. */
export interface JsonRule {
  jsonPath: string;
  equals: string[];
}

/** The statuses an `expired` rule may name: 401, and 403 for a backend that refuses a token it cannot verify so. */
export const EXPIRED_STATUSES = [401, 403] as const;

/** The statuses an `expired` rule applies to when it names none. */
export const DEFAULT_EXPIRED_STATUSES: readonly number[] = [401];

/**
 * The contract's "the access token expired" predicate: a JSON rule on an answer with one of `status`
 * (default 401). Directus refuses a token signed with a previous SECRET with 403 `INVALID_TOKEN`, which a
 * refresh fixes (its refresh tokens are sessions in its database, not signed with SECRET).
 */
export interface ExpiredRule extends JsonRule {
  /** 401 and/or 403; absent: 401 only. */
  status?: number[];
}

export interface RefreshContract {
  path: string;
  encoding: BodyEncoding;
  /** The body field that carries the refresh token (with `send: 'body'`). */
  tokenField: string;
  /** `body`: in `tokenField`; `bearer`: as `Authorization: Bearer` (PocketBase's auth-refresh). */
  send: 'body' | 'bearer';
  extraFields: Record<string, FieldValue>;
  /**
   * Besides any 401 and RFC 6749's 400 `invalid_grant`: the answers that mean "this refresh token is
   * dead" (Supabase's 400 `refresh_token_not_found`), so they end the session rather than read as a
   * configuration problem. null: none.
   */
  refused: JsonRule | null;
}

export interface LogoutContract {
  path: string;
  encoding: BodyEncoding;
  /** The body field that carries the refresh token; null: no body field (a Bearer-only logout). */
  tokenField: string | null;
  /** Send the (still valid) access token as `Authorization: Bearer`. */
  sendBearer: boolean;
  extraFields: Record<string, FieldValue>;
}

/**
 * Where the signed-in person is described, and where in that answer (dot paths): used instead of
 * `mePath` and its fixed `{sub, username, name, role}` shape.
 */
export interface ProfileContract {
  /** A path under the API (the page fetches it too, so never another host). */
  path: string;
  /** null: the access token's `sub` claim, else the username. */
  sub: string | null;
  username: string;
  /** null: the username. */
  name: string | null;
  /** null: no role. */
  role: string | null;
}

/** The whole contract, complete (main fills defaults and validates it before use). */
export interface AuthContract {
  login: LoginContract;
  tokens: TokensContract;
  /** null: no refresh endpoint; the session ends when the access token expires. */
  refresh: RefreshContract | null;
  /** null: no logout endpoint; signing out only forgets the tokens. */
  logout: LogoutContract | null;
  /** Besides RFC 6750 `WWW-Authenticate: Bearer error="invalid_token"` (401): what else says "expired". */
  expired: ExpiredRule | null;
  /** Static, non-secret extra headers sent on auth requests only (Supabase's public `apikey`). */
  headers: Record<string, string>;
  /** null: the profile comes from `mePath` (the reference server's shape), or the token's claims. */
  profile: ProfileContract | null;
}

/** The `authContract` setting: a complete contract (custom) or changes to a preset; JSON only. */
export type AuthContractSetting = { [K in keyof AuthContract]?: unknown };

/** The settings that decide the contract (the legacy paths fill the `tessera` one). */
export interface ContractSettings {
  apiProfile?: ApiProfile;
  authContract?: AuthContractSetting | null;
  loginPath: string;
  refreshPath: string;
  logoutPath: string;
}

/** The reference server's expired-token answer: `401 {"error": "TokenExpiredError"}`. */
export const TESSERA_EXPIRED: ExpiredRule = { jsonPath: 'error', equals: ['TokenExpiredError'] };

/** The `tessera` token mapping; it alone also reads RFC 6749's snake_case names (as it always has). */
export const TESSERA_TOKENS: TokensContract = {
  accessToken: 'accessToken',
  refreshToken: 'refreshToken',
  expiresIn: 'expiresIn',
  expiresInUnit: 's',
  refreshExpiresIn: 'refreshExpiresIn',
  tokenType: 'tokenType',
};

/** RFC 6749 §5.1's token response (`access_token`, `refresh_token`, `expires_in` in seconds, `token_type`). */
const RFC6749_TOKENS: TokensContract = {
  accessToken: 'access_token',
  refreshToken: 'refresh_token',
  expiresIn: 'expires_in',
  expiresInUnit: 's',
  refreshExpiresIn: null,
  tokenType: 'token_type',
};

/** Today's contract: the reference server's, at the paths of loginPath, refreshPath and logoutPath. */
export function tesseraContract(
  paths: Pick<ContractSettings, 'loginPath' | 'refreshPath' | 'logoutPath'>,
): AuthContract {
  return {
    login: {
      path: paths.loginPath,
      encoding: 'json',
      usernameField: 'username',
      passwordField: 'password',
      extraFields: {},
    },
    tokens: { ...TESSERA_TOKENS },
    refresh: {
      path: paths.refreshPath,
      encoding: 'json',
      tokenField: 'refreshToken',
      send: 'body',
      extraFields: {},
      refused: null,
    },
    logout: {
      path: paths.logoutPath,
      encoding: 'json',
      tokenField: 'refreshToken',
      sendBearer: true,
      extraFields: {},
    },
    expired: { ...TESSERA_EXPIRED, equals: [...TESSERA_EXPIRED.equals] },
    headers: {},
    profile: null,
  };
}

/**
 * The presets other than `tessera`, each as its backend documents it. Paths are the documented
 * defaults; a deployment that mounts them elsewhere changes them through `authContract`.
 */
export const PRESET_CONTRACTS: Record<Exclude<ApiProfile, 'tessera' | 'custom'>, AuthContract> = {
  /** Django REST framework SimpleJWT, with the token blacklist app for sign-out. */
  simplejwt: {
    login: {
      path: '/api/token/',
      encoding: 'json',
      usernameField: 'username',
      passwordField: 'password',
      extraFields: {},
    },
    tokens: {
      accessToken: 'access',
      refreshToken: 'refresh',
      expiresIn: null,
      expiresInUnit: 's',
      refreshExpiresIn: null,
      tokenType: null,
    },
    refresh: {
      path: '/api/token/refresh/',
      encoding: 'json',
      tokenField: 'refresh',
      send: 'body',
      extraFields: {},
      refused: null,
    },
    logout: {
      path: '/api/token/blacklist/',
      encoding: 'json',
      tokenField: 'refresh',
      sendBearer: false,
      extraFields: {},
    },
    expired: { jsonPath: 'code', equals: ['token_not_valid'] },
    headers: {},
    profile: null,
  },
  /** Directus 10: answers nested under `data`, `expires` in milliseconds, `mode: "json"` refresh. */
  directus: {
    login: {
      path: '/auth/login',
      encoding: 'json',
      usernameField: 'email',
      passwordField: 'password',
      extraFields: {},
    },
    tokens: {
      accessToken: 'data.access_token',
      refreshToken: 'data.refresh_token',
      expiresIn: 'data.expires',
      expiresInUnit: 'ms',
      refreshExpiresIn: null,
      tokenType: null,
    },
    refresh: {
      path: '/auth/refresh',
      encoding: 'json',
      tokenField: 'refresh_token',
      send: 'body',
      extraFields: { mode: 'json' },
      refused: null,
    },
    // Directus refuses a logout whose Bearer has expired; the refresh token alone identifies the session.
    logout: {
      path: '/auth/logout',
      encoding: 'json',
      tokenField: 'refresh_token',
      sendBearer: false,
      extraFields: { mode: 'json' },
    },
    // 403 INVALID_TOKEN: a token Directus cannot verify, as every one in use after its SECRET changed.
    expired: {
      jsonPath: 'errors.0.extensions.code',
      equals: ['TOKEN_EXPIRED', 'INVALID_TOKEN'],
      status: [401, 403],
    },
    headers: {},
    profile: {
      path: '/users/me',
      sub: 'data.id',
      username: 'data.email',
      name: 'data.first_name',
      role: 'data.role',
    },
  },
  /** Supabase Auth (GoTrue): add the project's public anon key as `headers.apikey`. */
  supabase: {
    login: {
      path: '/auth/v1/token?grant_type=password',
      encoding: 'json',
      usernameField: 'email',
      passwordField: 'password',
      extraFields: {},
    },
    tokens: RFC6749_TOKENS,
    refresh: {
      path: '/auth/v1/token?grant_type=refresh_token',
      encoding: 'json',
      tokenField: 'refresh_token',
      send: 'body',
      extraFields: {},
      refused: {
        jsonPath: 'error_code',
        equals: [
          'refresh_token_not_found',
          'refresh_token_already_used',
          'session_not_found',
          'session_expired',
        ],
      },
    },
    logout: {
      path: '/auth/v1/logout',
      encoding: 'json',
      tokenField: null,
      sendBearer: true,
      extraFields: {},
    },
    expired: { jsonPath: 'message', equals: ['JWT expired'] },
    headers: {},
    // /auth/v1/user wants the apikey header, which the page's requests do not carry: claims instead.
    profile: null,
  },
  /** RFC 6749 §4.3 resource owner password grant, with RFC 7009 revocation; add `client_id` as needed. */
  'oauth2-password': {
    login: {
      path: '/token',
      encoding: 'form',
      usernameField: 'username',
      passwordField: 'password',
      extraFields: { grant_type: 'password' },
    },
    tokens: RFC6749_TOKENS,
    refresh: {
      path: '/token',
      encoding: 'form',
      tokenField: 'refresh_token',
      send: 'body',
      extraFields: { grant_type: 'refresh_token' },
      refused: null,
    },
    logout: {
      path: '/revoke',
      encoding: 'form',
      tokenField: 'token',
      sendBearer: false,
      extraFields: { token_type_hint: 'refresh_token' },
    },
    expired: { jsonPath: 'error', equals: ['invalid_token'] },
    headers: {},
    profile: null,
  },
  /**
   * PocketBase: the auth token is its own refresh credential (auth-refresh takes it as Bearer), so it
   * is what the keychain keeps; no logout endpoint (its tokens are stateless).
   */
  pocketbase: {
    login: {
      path: '/api/collections/users/auth-with-password',
      encoding: 'json',
      usernameField: 'identity',
      passwordField: 'password',
      extraFields: {},
    },
    tokens: {
      accessToken: 'token',
      refreshToken: 'token',
      expiresIn: null,
      expiresInUnit: 's',
      refreshExpiresIn: null,
      tokenType: null,
    },
    refresh: {
      path: '/api/collections/users/auth-refresh',
      encoding: 'json',
      tokenField: 'token',
      send: 'bearer',
      extraFields: {},
      refused: null,
    },
    logout: null,
    expired: { jsonPath: 'status', equals: ['401'] },
    headers: {},
    profile: null,
  },
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `override` laid over `base`: objects merge key by key, anything else (a value, an array, null)
 * replaces. A section that is null in the base and an object in the override starts from nothing.
 */
export function mergeJson(base: unknown, override: unknown): unknown {
  if (override === undefined) return base;
  if (!isPlainObject(override)) return override;
  const from = isPlainObject(base) ? base : {};
  const merged: Record<string, unknown> = { ...from };
  for (const [key, value] of Object.entries(override)) {
    // Own data keys only: a `__proto__` key in JSON must not reach a prototype.
    Object.defineProperty(merged, key, {
      value: mergeJson(from[key], value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return merged;
}

/** A deep copy of a preset (presets are shared constants). */
function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * The contract the settings ask for, before main validates it: the preset (for `tessera`, filled with
 * loginPath, refreshPath and logoutPath) with the `authContract` setting laid over it; for `custom`,
 * the setting alone. Unvalidated: main completes and checks it (main/core/config/auth-contract-schema.ts).
 */
export function contractSource(settings: ContractSettings): unknown {
  const profile = settings.apiProfile ?? 'tessera';
  const override = settings.authContract ?? undefined;
  if (profile === 'custom') return override ?? null;
  const base = profile === 'tessera' ? tesseraContract(settings) : copy(PRESET_CONTRACTS[profile]);
  return mergeJson(base, override);
}

/**
 * The value at a dot path (`data.access_token`, `errors.0.extensions.code`): own object keys, and
 * array indexes written as numbers. Undefined when any step is missing.
 */
export function readJsonPath(value: unknown, path: string): unknown {
  let current: unknown = value;
  for (const step of path.split('.')) {
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d{0,5})$/.test(step)) return undefined;
      current = current[Number(step)];
    } else if (isPlainObject(current) && Object.hasOwn(current, step)) {
      current = current[step];
    } else {
      return undefined;
    }
  }
  return current;
}

/** True when the value at the rule's path (a string, number or boolean, compared as text) is listed. */
export function matchesJsonRule(body: unknown, rule: JsonRule | null | undefined): boolean {
  if (!rule || typeof rule.jsonPath !== 'string' || !Array.isArray(rule.equals)) return false;
  const value = readJsonPath(body, rule.jsonPath);
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return false;
  return rule.equals.includes(String(value));
}

/**
 * True when a `WWW-Authenticate` header carries a Bearer challenge whose own `error` parameter is
 * `invalid_token` (RFC 6750 §3.1); another challenge's parameters (Basic, DPoP) never count.
 */
export function bearerInvalidToken(header: string | null | undefined): boolean {
  return parseChallenges(header).some(
    (challenge) => challenge.scheme === 'bearer' && challenge.params.error?.toLowerCase() === 'invalid_token',
  );
}

/** An answer to a request made with an access token, as much as the expired rule looks at. */
export interface RejectedAnswer {
  status: number;
  wwwAuthenticate: string | null;
  /** The parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
}

/** The statuses `rule` applies to: its own (401 and 403 only), else 401. */
export function expiredStatuses(rule: { status?: unknown } | null | undefined): readonly number[] {
  const listed: unknown = rule?.status;
  if (!Array.isArray(listed)) return DEFAULT_EXPIRED_STATUSES;
  return listed.filter((status): status is number =>
    (EXPIRED_STATUSES as readonly unknown[]).includes(status),
  );
}

/**
 * Whether an answer with this status could say "expired" under `rule` (a 401 always can, through RFC
 * 6750): the renderer's client reads a body only then, so any other answer passes through unread.
 */
export function mayBeExpiry(status: number, rule: ExpiredRule | null | undefined): boolean {
  return status === 401 || (status === 403 && expiredStatuses(rule).includes(403));
}

/**
 * The one rule for "the access token has expired: refresh it and retry once", used by main and by the
 * renderer's API client: a 401 with RFC 6750's `error="invalid_token"`, or an answer with one of the
 * rule's statuses (default 401) whose JSON body matches the contract's `expired` predicate. Any other
 * answer is not an expiry.
 */
export function saysAccessTokenExpired(
  answer: RejectedAnswer,
  expired: ExpiredRule | null | undefined,
): boolean {
  if (answer.status === 401 && bearerInvalidToken(answer.wwwAuthenticate)) return true;
  return expiredStatuses(expired).includes(answer.status) && matchesJsonRule(answer.body, expired);
}

/** The `expired` predicate of the contract the settings ask for (what the renderer needs of it). */
export function expiredRuleOf(settings: ContractSettings): ExpiredRule | null {
  const source = contractSource(settings);
  const rule = isPlainObject(source) ? source.expired : null;
  if (!isPlainObject(rule)) return null;
  const { jsonPath, equals, status } = rule;
  if (typeof jsonPath !== 'string' || !Array.isArray(equals)) return null;
  return {
    jsonPath,
    equals: equals.filter((value): value is string => typeof value === 'string'),
    // Unvalidated here: anything but 401 and 403 is dropped (main refuses such a contract outright).
    ...(Array.isArray(status) ? { status: [...expiredStatuses({ status })] } : {}),
  };
}

/** The profile mapping of the contract the settings ask for (what the page needs of it), or null. */
export function profileMappingOf(settings: ContractSettings): ProfileContract | null {
  const source = contractSource(settings);
  const profile = isPlainObject(source) ? source.profile : null;
  if (!isPlainObject(profile) || typeof profile.path !== 'string' || typeof profile.username !== 'string')
    return null;
  const optional = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    path: profile.path,
    username: profile.username,
    sub: optional(profile.sub),
    name: optional(profile.name),
    role: optional(profile.role),
  };
}

/** The signed-in person as a profile answer describes them, or the dot path the answer lacks. */
export type MappedProfile =
  | { ok: true; user: { sub: string; username: string; name: string; role: string } }
  | { ok: false; missing: string };

/**
 * Reads a profile answer by the mapping's dot paths: the username must be there (text or a number);
 * a missing `sub` is `fallbackSub` (the token's claim) or the username, a missing name the username, a
 * missing role empty. Used by main (the session's profile) and the page (Home).
 */
export function profileFromAnswer(
  body: unknown,
  mapping: ProfileContract,
  fallbackSub?: string,
): MappedProfile {
  const text = (path: string | null): string | undefined => {
    if (path === null) return undefined;
    const value = readJsonPath(body, path);
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    return typeof value === 'string' && value.length > 0 ? value : undefined;
  };
  const username = text(mapping.username);
  if (username === undefined) return { ok: false, missing: mapping.username };
  return {
    ok: true,
    user: {
      sub: text(mapping.sub) ?? fallbackSub ?? username,
      username,
      name: text(mapping.name) ?? username,
      role: text(mapping.role) ?? '',
    },
  };
}
