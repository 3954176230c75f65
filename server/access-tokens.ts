import { randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT } from 'jose';
import type { Db } from './db';
import { createPruner, pruneMark } from './prune-mark';
import type { RevokedFamilies } from './revoked-families';
import type { SigningKeys } from './signing-keys';
import type { PublicUser, Role } from './types';
import { createVerifiedTokens, type VerifiedTokens } from './verified-tokens';

/** Claims of a verified access token that the routes use. */
export interface AccessClaims {
  sub: string;
  name: string;
  role: Role;
  jti: string;
  /** The refresh-token family (one sign-in) the token was issued for. */
  sid: string;
  exp: number;
}

/** Why a presented access token was refused; `error` is the wire name. */
export interface TokenRefusal {
  error: 'TokenExpiredError' | 'InvalidTokenError' | 'TokenRevokedError';
  message: string;
}

export type VerifyResult = { ok: true; claims: AccessClaims } | ({ ok: false } & TokenRefusal);

/** An issued access token and its lifetime as the client should schedule by. */
export interface IssuedAccessToken {
  token: string;
  /** Whole seconds from now until `exp`, rounded down so it never overstates. */
  expiresIn: number;
  /** The server's clock (epoch ms) when it was issued, and its `exp` in ms (for the test controls' record). */
  issuedAt: number;
  expiresAt: number;
}

/** Settings read on every use, so tests can change them on a running server. */
export interface AccessTokenSettings {
  keys: SigningKeys;
  issuer: string;
  audience: string;
  leewaySeconds: number;
  now: () => number;
  accessSeconds: () => number;
  /** Families whose access tokens are refused (signed out, or revoked by reuse detection). */
  revokedFamilies: RevokedFamilies;
}

export interface AccessTokens {
  /** Issues an access token for `user` carrying the refresh family id `sid`. */
  issue(user: PublicUser, sid: string): Promise<IssuedAccessToken>;
  verify(token: string): Promise<VerifyResult>;
  /** Puts a token's `jti` on the deny list until the token would expire anyway. */
  deny(claims: AccessClaims): void;
  /** Refuses every access token of the family `sid` until the last one could have expired. */
  revokeFamily(sid: string): void;
}

const EXPIRED: TokenRefusal = { error: 'TokenExpiredError', message: 'Access token has expired' };
const INVALID: TokenRefusal = { error: 'InvalidTokenError', message: 'Access token is invalid' };
const REVOKED: TokenRefusal = { error: 'TokenRevokedError', message: 'Access token has been revoked' };

function isRole(value: unknown): value is Role {
  return value === 'user' || value === 'admin';
}

/** Issues and verifies access tokens with the algorithm pinned to the configured one. */
export function createAccessTokens(
  db: Db,
  settings: AccessTokenSettings,
  // Tokens that passed `check`, so a client's next request with the same token skips the signature
  // (verified-tokens.ts). Revocation is not in it: `verify` looks that up on every request.
  verified: VerifiedTokens<AccessClaims> = createVerifiedTokens(),
): AccessTokens {
  const { keys, revokedFamilies } = settings;
  // The longest lifetime any token was issued with while running; only a family started by an
  // earlier version, which did not record its tokens' expiry, falls back on it.
  let longestLifetimeSeconds = settings.accessSeconds();
  // Raised before the token exists (synchronously, with no await in between): a revocation that
  // reads it always sees every token of the family. MAX() of a NULL stays NULL, so an earlier
  // version's family keeps its fallback.
  const recordAccessExpiry = db.prepare(
    'UPDATE refresh_families SET access_expires_at = MAX(access_expires_at, ?) WHERE id = ?',
  );
  const accessExpiry = db.prepare<[string], { access_expires_at: number | null }>(
    'SELECT access_expires_at FROM refresh_families WHERE id = ?',
  );
  const insertDenied = db.prepare(
    'INSERT OR IGNORE INTO denied_access_tokens (jti, expires_at) VALUES (?, ?)',
  );
  // A deny entry holds the token's exp; it lasts through the leeway in force when it is read (a
  // restart with a larger one must not let the token pass again), so both compare it with now − leeway.
  const leewayMs = settings.leewaySeconds * 1000;
  const deniedPruner = createPruner(db, 'denied_access_tokens');
  const pruned = pruneMark(db);
  const isDenied = db.prepare<[string, number], { jti: string }>(
    'SELECT jti FROM denied_access_tokens WHERE jti = ? AND expires_at > ?',
  );

  /** The full check of a token: signature and header, registered claims, then the shape of ours. */
  const check = async (token: string, nowMs: number): Promise<VerifyResult> => {
    let payload: Record<string, unknown>;
    try {
      // algorithms pins the one configured alg: rejects `none` and HS/RS confusion. typ pins the
      // header this server writes (RFC 8725 §3.11): a JWT of another kind is not an access token.
      ({ payload } = await jwtVerify(token, keys.verifyKey, {
        algorithms: [keys.alg],
        typ: 'JWT',
        issuer: settings.issuer,
        audience: settings.audience,
        clockTolerance: settings.leewaySeconds,
        currentDate: new Date(nowMs),
        requiredClaims: ['sub', 'exp', 'iat', 'jti', 'sid'],
      }));
    } catch (err) {
      // jose checks the signature before `exp`, so only a genuine token is ever reported as expired.
      return { ok: false, ...(err instanceof errors.JWTExpired ? EXPIRED : INVALID) };
    }
    const { sub, name, role, jti, sid, exp } = payload;
    if (typeof sub !== 'string' || typeof name !== 'string' || !isRole(role) || typeof jti !== 'string') {
      return { ok: false, ...INVALID };
    }
    if (typeof sid !== 'string' || typeof exp !== 'number') return { ok: false, ...INVALID };
    return { ok: true, claims: Object.freeze({ sub, name, role, jti, sid, exp }) };
  };

  return {
    async issue(user, sid) {
      const nowMs = settings.now();
      const iat = Math.floor(nowMs / 1000);
      const lifetime = settings.accessSeconds();
      longestLifetimeSeconds = Math.max(longestLifetimeSeconds, lifetime);
      const exp = iat + lifetime;
      recordAccessExpiry.run(exp * 1000, sid);
      const token = await new SignJWT({ name: user.name, role: user.role, sid })
        .setProtectedHeader(
          keys.kid ? { alg: keys.alg, typ: 'JWT', kid: keys.kid } : { alg: keys.alg, typ: 'JWT' },
        )
        .setSubject(user.sub)
        .setIssuedAt(iat)
        .setExpirationTime(exp)
        .setIssuer(settings.issuer)
        .setAudience(settings.audience)
        .setJti(randomUUID())
        .sign(keys.signKey);
      return {
        token,
        expiresIn: Math.max(0, Math.floor((exp * 1000 - nowMs) / 1000)),
        issuedAt: nowMs,
        expiresAt: exp * 1000,
      };
    },

    async verify(token) {
      const nowMs = settings.now();
      const context = {
        key: keys.verifyKey,
        issuer: settings.issuer,
        audience: settings.audience,
        leewaySeconds: settings.leewaySeconds,
      };
      let claims = verified.recall(token, nowMs, context);
      if (claims === undefined) {
        const checked = await check(token, nowMs);
        if (!checked.ok) return checked;
        claims = checked.claims;
        verified.remember(token, nowMs, claims.exp * 1000, context, claims);
      }
      const { sid, jti, exp } = claims;
      // Two primary-key lookups: the token's sign-in signed out or caught reusing, or the token itself
      // denied (by this server or another on the same file). On every request, also for a token the
      // memo knows: they change while the token is still valid.
      const revoked = revokedFamilies.has(sid) || isDenied.get(jti, nowMs - leewayMs) !== undefined;
      // Its revocation record may have been pruned (it had expired under the leeway then, maybe the
      // smaller one of another server on the file): it stays expired. Read after the lookups: a prune
      // deletes and raises the mark in one transaction, so one that ran in between shows here.
      if (exp * 1000 <= pruned.through) return { ok: false, ...EXPIRED };
      if (revoked) return { ok: false, ...REVOKED };
      return { ok: true, claims };
    },

    deny(claims) {
      const nowMs = settings.now();
      insertDenied.run(claims.jti, claims.exp * 1000);
      // Pruned now and then, not on every logout (prune-mark.ts); after the entry is written, so a prune
      // that finds the file locked cannot keep the token off the deny list. The token is valid now, so
      // its entry is past the cutoff.
      deniedPruner.added(nowMs, nowMs - leewayMs);
    },

    revokeFamily(sid) {
      // Until the family's latest exp, kept in the database, so a restart with a shorter access
      // lifetime cannot cut it short. An earlier version's family (NULL): every token issued in this
      // run, exp = floor(iat) + lifetime ≤ now + lifetime.
      const latestExpMs =
        accessExpiry.get(sid)?.access_expires_at ??
        settings.now() + Math.max(longestLifetimeSeconds, settings.accessSeconds()) * 1000;
      // Through the leeway too, like the deny list: `revokedFamilies` reads on a clock the leeway behind.
      revokedFamilies.add(sid, latestExpMs);
    },
  };
}
