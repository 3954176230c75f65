import { z } from 'zod';
import { readJsonPath, TESSERA_TOKENS, type TokensContract } from '../../common/auth-contract';
import type { Result } from '../../common/errors';
import type { SessionUser } from '../../common/session';
import type { AuthOperation } from './auth-errors';
import { isJwt, readClaims } from './token-claims';

/**
 * Longest access-token lifetime accepted (30 years). Long-lived tokens are a real policy (a backend
 * may issue 10-year tokens), and the refresh they schedule is safe however far ahead it lies: the one
 * clamp is `realTimers` (timers.ts), which waits past 2^31 − 1 ms in a chain of platform timers
 * instead of firing at once. The limit only catches what is no lifetime: an absolute time sent as
 * `expiresIn` (an `exp` in seconds is over 10^9 since 2001) or milliseconds read as seconds.
 */
export const MAX_EXPIRES_IN_SECONDS = 30 * 365 * 24 * 3600;
/** Refresh tokens may live long, but not forever (their end is only shown, never planned by). */
const MAX_REFRESH_EXPIRES_IN_SECONDS = 10 * 365 * 24 * 3600;

/** A validated token answer of `/login` or `/token/refresh`. */
export interface TokenGrant {
  accessToken: string;
  tokenType: 'Bearer';
  /** Seconds; what the client schedules by. */
  expiresIn: number;
  /** Absent when a refresh did not rotate (allowed by RFC 6749): keep the old one. */
  refreshToken?: string;
  refreshExpiresIn?: number;
  /** OpenID Connect: the ID token (kept for RP-initiated logout) and its validated claims. */
  idToken?: string;
  idClaims?: Record<string, unknown>;
}

// Whole or fractional seconds are fine, but at least one: zero, negative, NaN, strings and absurd
// lifetimes would each break scheduling (a refresh loop or a token that never refreshes).
const seconds = (max: number) => z.number().refine((n) => Number.isFinite(n) && n >= 1 && n <= max);

// RFC 6749 §A.17: refresh-token = 1*VSCHAR (printable ASCII incl. space).
const refreshTokenSchema = z
  .string()
  .min(1)
  .max(8192)
  .regex(/^[\x20-\x7e]+$/);

const tokenSchema = z.object({
  accessToken: z.string().max(16_384).refine(isJwt),
  expiresIn: seconds(MAX_EXPIRES_IN_SECONDS),
  refreshToken: refreshTokenSchema.optional(),
  refreshExpiresIn: seconds(MAX_REFRESH_EXPIRES_IN_SECONDS).optional(),
  tokenType: z
    .string()
    .refine((t) => t.toLowerCase() === 'bearer')
    .optional(),
});

const userSchema = z.object({
  sub: z.string().min(1),
  username: z.string().min(1),
  name: z.string().optional(),
  role: z.string().optional(),
});

const LABEL: Record<AuthOperation, string> = {
  login: 'sign-in',
  refresh: 'refresh',
  logout: 'sign-out',
  me: 'profile',
};

function badResponse(operation: AuthOperation, what: string): Result<never> {
  return {
    ok: false,
    error: { code: 'BAD_RESPONSE', message: `The server's ${LABEL[operation]} response ${what}` },
  };
}

/** Parses a body as JSON; a failure is BAD_RESPONSE whose message holds no part of the body. */
export function parseJsonBody(operation: AuthOperation, text: string): Result<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return badResponse(operation, text.length === 0 ? 'was empty' : 'was not valid JSON');
  }
}

/** Lists the offending field names of a zod failure (names only, never values). */
function fieldNames(error: z.ZodError): string {
  const names = new Set(error.issues.map((issue) => issue.path.join('.') || '(body)'));
  return [...names].join(', ');
}

/** A number, or a string of decimal digits (`"900"`), as a number; anything else undefined. */
function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && /^\d{1,15}(\.\d{1,6})?$/.test(value)) return Number(value);
  return undefined;
}

/** The flow's camelCase body or RFC 6749's snake_case one, as one shape (camelCase wins if both). */
function normalizeTokenBody(body: Record<string, unknown>): Record<string, unknown> {
  // null is absent, as every contract reads it (`"refresh_token": null`: not rotated, keep the old one;
  // a server serializing every optional field writes it so).
  const pick = (camel: string, snake: string) => body[camel] ?? body[snake] ?? undefined;
  // A lifetime may come as a string of digits (`"3600"`), as every contract reads it; other strings
  // stay as they are, for the schema to refuse.
  const lifetime = (camel: string, snake: string) => {
    const value = pick(camel, snake);
    return numeric(value) ?? value;
  };
  return {
    accessToken: pick('accessToken', 'access_token'),
    expiresIn: lifetime('expiresIn', 'expires_in'),
    refreshToken: pick('refreshToken', 'refresh_token'),
    refreshExpiresIn: lifetime('refreshExpiresIn', 'refresh_expires_in'),
    tokenType: pick('tokenType', 'token_type'),
  };
}

/** Validates a token answer; `requireRefreshToken` for sign-in (a refresh may keep the old one). */
export function parseTokenBody(
  operation: AuthOperation,
  body: unknown,
  requireRefreshToken: boolean,
): Result<TokenGrant> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return badResponse(operation, 'was not a JSON object');
  }
  const parsed = tokenSchema.safeParse(normalizeTokenBody(body as Record<string, unknown>));
  if (!parsed.success)
    return badResponse(operation, `had missing or invalid fields: ${fieldNames(parsed.error)}`);
  const { accessToken, expiresIn, refreshToken, refreshExpiresIn } = parsed.data;
  if (requireRefreshToken && refreshToken === undefined) {
    return badResponse(operation, 'had missing or invalid fields: refreshToken');
  }
  const grant: TokenGrant = { accessToken, tokenType: 'Bearer', expiresIn };
  if (refreshToken !== undefined) grant.refreshToken = refreshToken;
  if (refreshExpiresIn !== undefined) grant.refreshExpiresIn = refreshExpiresIn;
  return { ok: true, value: grant };
}

/** Validates a `GET me` answer; `name` and `role` default to the username and ''. */
export function parseUserBody(body: unknown): Result<SessionUser> {
  const parsed = userSchema.safeParse(body);
  if (!parsed.success) return badResponse('me', `had missing or invalid fields: ${fieldNames(parsed.error)}`);
  const { sub, username, name, role } = parsed.data;
  return { ok: true, value: { sub, username, name: name ?? username, role: role ?? '' } };
}

/** True when a token mapping is the `tessera` one, read by parseTokenBody as before contracts existed (snake_case names too). */
function isTesseraMapping(tokens: TokensContract): boolean {
  return (Object.keys(TESSERA_TOKENS) as (keyof TokensContract)[]).every(
    (key) => tokens[key] === TESSERA_TOKENS[key],
  );
}

/** How a token answer is read: the contract's mapping, and when it arrived (for `exp − iat`). */
export interface TokenReading {
  tokens: TokensContract;
  /** Sign-in must carry the refresh token whenever the mapping names one; a refresh may omit it. */
  requireRefreshToken: boolean;
  /** Local time of receipt, in ms: the fallback without `iat` is `exp − now`. */
  receivedAt: number;
  /**
   * The answer's `Date` header, in ms (the server's clock, to the second), when it sent a valid one:
   * without `iat` the lifetime is `exp` minus this, whatever our clock says.
   */
  serverDate?: number;
  /** At a refresh: the refresh token that was sent (its `iat` tells a copied one in the access token). */
  sentRefreshToken?: string;
}

/** What claimedLifetime reads of a TokenReading (the OIDC protocol gives these too: oidc-grant). */
export type LifetimeClues = Pick<TokenReading, 'receivedAt' | 'serverDate' | 'sentRefreshToken'>;

/** The `iat` claim of a JWT-shaped value, else undefined (opaque tokens, anything not a string). */
function iatOf(token: unknown): number | undefined {
  return typeof token === 'string' ? readClaims(token).iat : undefined;
}

/**
 * The access token's lifetime in seconds when the contract names no `expiresIn`: its `exp` minus
 * when it was issued. That is its `iat` (immune to our clock's skew) unless the claim was copied
 * from the refresh token: SimpleJWT before 5.5.1 copies every claim of the refresh token into the
 * access token it mints, `iat` included, so after a refresh exp − iat is the access lifetime plus
 * the age of the sign-in (or of the last rotation), and the proactive refresh would come long after
 * the server refused the token. Then the issue time is the rotated refresh token's `iat` (SimpleJWT
 * stamps it from the same clock reading), else, without one, our clock's receipt time — unless our
 * clock makes that implausible (already expired, or longer than exp − iat), when exp − iat stands.
 * Without `iat` (PocketBase), exp minus the answer's time: its `Date` header (the server's clock),
 * else the receipt time by our clock (a skewed clock then shortens or lengthens it).
 * The one rule for both protocols: the OIDC token answers without `expires_in` use it too (oidc-grant).
 */
export function claimedLifetime(
  exp: number,
  accessIat: number | undefined,
  answerRefreshToken: unknown,
  reading: LifetimeClues,
): number {
  const received = (reading.serverDate ?? reading.receivedAt) / 1000;
  if (accessIat === undefined) return exp - received;
  const rotatedIat = iatOf(answerRefreshToken);
  if (rotatedIat !== undefined && rotatedIat > accessIat) return exp - rotatedIat;
  if (reading.sentRefreshToken !== undefined && iatOf(reading.sentRefreshToken) === accessIat) {
    const byOurClock = exp - received;
    if (byOurClock >= 1 && byOurClock <= exp - accessIat) return byOurClock;
  }
  return exp - accessIat;
}

/**
 * Reads a token answer by the contract's dot paths. Without an `expiresIn` path, or when the answer
 * lacks it (RFC 6749 only recommends `expires_in`) and the access token has an `exp`, the lifetime is
 * the access token's `exp − iat` (decoded, not verified); any other path the answer lacks is
 * BAD_RESPONSE naming the path, never a value. The `tessera` mapping is read by parseTokenBody (snake_case names too).
 */
export function parseContractTokenBody(
  operation: AuthOperation,
  body: unknown,
  reading: TokenReading,
): Result<TokenGrant> {
  const { tokens } = reading;
  if (isTesseraMapping(tokens)) return parseTokenBody(operation, body, reading.requireRefreshToken);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return badResponse(operation, 'was not a JSON object');
  }
  const missing = (field: keyof TokensContract, path: string) =>
    badResponse(operation, `had nothing at "${path}" (authContract tokens.${field})`);
  const invalid = (field: keyof TokensContract, path: string, what: string) =>
    badResponse(operation, `had an invalid value at "${path}" (authContract tokens.${field}): ${what}`);

  const accessToken = readJsonPath(body, tokens.accessToken);
  if (accessToken === undefined || accessToken === null) return missing('accessToken', tokens.accessToken);
  if (typeof accessToken !== 'string' || accessToken.length > 16_384 || !isJwt(accessToken))
    return invalid('accessToken', tokens.accessToken, 'not a JWT');

  /** The lifetime told by the access token's own exp (see claimedLifetime), or why it cannot be. */
  const byExp = (): Result<number> => {
    const { exp, iat } = readClaims(accessToken);
    if (exp === undefined)
      return badResponse(
        operation,
        'gave an access token without an exp claim, and the contract names no expiresIn',
      );
    const answerRefreshToken =
      tokens.refreshToken === null ? undefined : readJsonPath(body, tokens.refreshToken);
    const lifetime = claimedLifetime(exp, iat, answerRefreshToken, reading);
    if (iat === undefined && reading.serverDate === undefined && lifetime < 1)
      return badResponse(
        operation,
        "gave an access token that had expired on arrival by this computer's clock (it has no iat and the contract names no expiresIn, so its lifetime is measured with that clock): check this computer's date and time",
      );
    if (!(lifetime >= 1) || lifetime > MAX_EXPIRES_IN_SECONDS)
      return badResponse(operation, 'gave an access token whose exp − iat is not between 1 s and 30 years');
    return { ok: true, value: lifetime };
  };

  let expiresIn: number;
  if (tokens.expiresIn !== null) {
    const raw = readJsonPath(body, tokens.expiresIn);
    if (raw === undefined || raw === null) {
      // RFC 6749 only recommends expires_in: an answer without it is told by the token's own exp,
      // when it has one.
      if (readClaims(accessToken).exp === undefined) return missing('expiresIn', tokens.expiresIn);
      const lifetime = byExp();
      if (!lifetime.ok) return lifetime;
      expiresIn = lifetime.value;
    } else {
      const value = numeric(raw);
      const seconds = value === undefined ? Number.NaN : tokens.expiresInUnit === 'ms' ? value / 1000 : value;
      if (!Number.isFinite(seconds) || seconds < 1 || seconds > MAX_EXPIRES_IN_SECONDS)
        return invalid(
          'expiresIn',
          tokens.expiresIn,
          `not a lifetime between 1 s and 30 years in ${tokens.expiresInUnit === 'ms' ? 'milliseconds' : 'seconds'}`,
        );
      expiresIn = seconds;
    }
  } else {
    const lifetime = byExp();
    if (!lifetime.ok) return lifetime;
    expiresIn = lifetime.value;
  }

  const grant: TokenGrant = { accessToken, tokenType: 'Bearer', expiresIn };
  if (tokens.refreshToken !== null) {
    const raw = readJsonPath(body, tokens.refreshToken);
    if (raw === undefined || raw === null) {
      if (reading.requireRefreshToken) return missing('refreshToken', tokens.refreshToken);
    } else if (!refreshTokenSchema.safeParse(raw).success) {
      return invalid('refreshToken', tokens.refreshToken, 'not a printable token of at most 8192 characters');
    } else {
      grant.refreshToken = raw as string;
    }
  }
  if (tokens.refreshExpiresIn !== null) {
    const raw = readJsonPath(body, tokens.refreshExpiresIn);
    if (raw !== undefined && raw !== null) {
      const value = numeric(raw);
      if (value === undefined || !(value >= 1) || value > MAX_REFRESH_EXPIRES_IN_SECONDS)
        return invalid('refreshExpiresIn', tokens.refreshExpiresIn, 'not a lifetime in seconds');
      grant.refreshExpiresIn = value;
    }
  }
  if (tokens.tokenType !== null) {
    const raw = readJsonPath(body, tokens.tokenType);
    if (raw !== undefined && raw !== null && (typeof raw !== 'string' || raw.toLowerCase() !== 'bearer'))
      return invalid('tokenType', tokens.tokenType, 'not Bearer');
  }
  return { ok: true, value: grant };
}
