import { jwtDecode } from 'jwt-decode';
import type { SessionUser } from '../../common/session';

/**
 * The access-token claims the client reads. Decoded without verification: used for display and
 * as a clock-skew signal only, never for an authorization decision (the server verifies).
 */
export interface TokenClaims {
  sub?: string;
  exp?: number;
  iat?: number;
  name?: string;
  username?: string;
  role?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Above this a NumericDate cannot be seconds (it would be after the year 5000) and is milliseconds:
 * a server that wrote `Date.now()` into `exp` or `iat` (RFC 7519 says seconds). As ms it is March 1973.
 */
const LATEST_SECONDS = 100_000_000_000;

/** A NumericDate claim (`exp`, `iat`) in seconds; one written in milliseconds is read as such. */
function numericDate(value: unknown): number | undefined {
  const n = num(value);
  return n !== undefined && n > LATEST_SECONDS ? n / 1000 : n;
}

/** Decodes header and payload of a compact JWT; `null` unless it has 3 parts and both decode to objects. */
export function decodeJwt(
  token: string,
): { header: Record<string, unknown>; payload: Record<string, unknown> } | null {
  if (token.split('.').length !== 3) return null;
  try {
    const header: unknown = jwtDecode(token, { header: true });
    const payload: unknown = jwtDecode(token);
    return isRecord(header) && isRecord(payload) ? { header, payload } : null;
  } catch {
    return null;
  }
}

/** True when `token` is a structurally valid compact JWT (3 parts, JSON header and payload). */
export function isJwt(token: string): boolean {
  return decodeJwt(token) !== null;
}

/**
 * The claims the client cares about; unknown or mistyped claims are left out. `exp` and `iat` are in
 * seconds, also when the token has them in milliseconds.
 */
export function readClaims(token: string): TokenClaims {
  const payload = decodeJwt(token)?.payload;
  if (!payload) return {};
  const roles = Array.isArray(payload.roles) ? payload.roles : [];
  const claims: TokenClaims = {};
  const sub = str(payload.sub);
  const exp = numericDate(payload.exp);
  const iat = numericDate(payload.iat);
  const name = str(payload.name);
  const username = str(payload.username) ?? str(payload.preferred_username);
  const role = str(payload.role) ?? str(roles[0]);
  if (sub !== undefined) claims.sub = sub;
  if (exp !== undefined) claims.exp = exp;
  if (iat !== undefined) claims.iat = iat;
  if (name !== undefined) claims.name = name;
  if (username !== undefined) claims.username = username;
  if (role !== undefined) claims.role = role;
  return claims;
}

/** `exp` claim (ms) minus the locally computed expiry: how far the server's clock is from ours. */
export function clockSkewMs(claims: TokenClaims, localExpiresAt: number): number | null {
  return claims.exp === undefined ? null : Math.round(claims.exp * 1000 - localExpiresAt);
}

/** The user as the claims describe them, when the profile endpoint could not be read. */
export function userFromClaims(claims: TokenClaims, knownUsername: string | undefined): SessionUser {
  const username = claims.username ?? knownUsername ?? claims.sub ?? '';
  return {
    sub: claims.sub ?? username,
    username,
    name: claims.name ?? username,
    role: claims.role ?? '',
  };
}
