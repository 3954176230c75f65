import { z } from 'zod';
import type { Result } from '../../common/errors';
import type { SessionUser } from '../../common/session';
import type { AuthOperation } from './auth-errors';
import { isJwt } from './token-claims';

/** Longest access-token lifetime accepted: anything above is a broken server, not a policy. */
export const MAX_EXPIRES_IN_SECONDS = 365 * 24 * 3600;
/** Refresh tokens may live longer, but not forever. */
const MAX_REFRESH_EXPIRES_IN_SECONDS = 10 * MAX_EXPIRES_IN_SECONDS;

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

/** The flow's camelCase body or RFC 6749's snake_case one, as one shape (camelCase wins if both). */
function normalizeTokenBody(body: Record<string, unknown>): Record<string, unknown> {
  const pick = (camel: string, snake: string) => (body[camel] !== undefined ? body[camel] : body[snake]);
  return {
    accessToken: pick('accessToken', 'access_token'),
    expiresIn: pick('expiresIn', 'expires_in'),
    refreshToken: pick('refreshToken', 'refresh_token'),
    refreshExpiresIn: pick('refreshExpiresIn', 'refresh_expires_in'),
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
