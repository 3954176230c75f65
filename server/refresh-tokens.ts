import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from './db';
import { hashToken } from './token-hash';

/** A freshly issued refresh token (the only moment its plain value exists on the server). */
export interface IssuedRefreshToken {
  refreshToken: string;
  /** Whole seconds until the family's absolute expiry, rounded down. */
  refreshExpiresIn: number;
  /** The family (one sign-in); access tokens carry it as `sid`. */
  familyId: string;
}

export interface RefreshRefusal {
  error: 'InvalidRefreshTokenError' | 'RefreshTokenExpiredError' | 'RefreshTokenReusedError';
  message: string;
}

export type RotateResult =
  | ({ ok: true; userId: string } & IssuedRefreshToken)
  /** `revokedFamilyId`: the family this call revoked (reuse detected), whose access tokens must die too. */
  | ({ ok: false; revokedFamilyId?: string } & RefreshRefusal);

export interface RefreshTokens {
  /** Starts a new family (one sign-in) for the user and returns its first token. */
  startFamily(userId: string): IssuedRefreshToken;
  /** Exchanges a token for the next one of its family, detecting reuse of rotated tokens. */
  rotate(refreshToken: string): RotateResult;
  /** Revokes the family of a token and returns its id; unknown tokens give undefined (logout is idempotent). */
  revokeFamilyOf(refreshToken: string): string | undefined;
  countActiveFamilies(): number;
}

interface TokenRow {
  family_id: string;
  used_at: number | null;
  user_id: string;
  expires_at: number;
  revoked_at: number | null;
}

const INVALID: RefreshRefusal = {
  error: 'InvalidRefreshTokenError',
  message: 'Refresh token is invalid or has been revoked',
};
const EXPIRED: RefreshRefusal = { error: 'RefreshTokenExpiredError', message: 'Refresh token has expired' };
const REUSED: RefreshRefusal = {
  error: 'RefreshTokenReusedError',
  message: 'Refresh token was already used; the session has been revoked',
};

/** Creates the refresh-token store: families with an absolute expiry, tokens rotated on every use. */
export function createRefreshTokens(db: Db, now: () => number, refreshSeconds: () => number): RefreshTokens {
  const insertFamily = db.prepare(
    // access_expires_at 0: no access token issued yet (the access-token issuer raises it).
    `INSERT INTO refresh_families (id, user_id, expires_at, revoked_at, created_at, access_expires_at)
       VALUES (?, ?, ?, NULL, ?, 0)`,
  );
  const insertToken = db.prepare(
    'INSERT INTO refresh_tokens (hash, family_id, created_at, used_at) VALUES (?, ?, ?, NULL)',
  );
  const findToken = db.prepare<[string], TokenRow>(
    `SELECT t.family_id, t.used_at, f.user_id, f.expires_at, f.revoked_at
       FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id
      WHERE t.hash = ?`,
  );
  const markUsed = db.prepare('UPDATE refresh_tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL');
  const revokeFamily = db.prepare(
    'UPDATE refresh_families SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
  );
  const countActive = db.prepare<[number], { n: number }>(
    'SELECT COUNT(*) AS n FROM refresh_families WHERE revoked_at IS NULL AND expires_at > ?',
  );

  const addToken = (familyId: string, expiresAt: number, nowMs: number): IssuedRefreshToken => {
    const refreshToken = randomBytes(32).toString('base64url');
    insertToken.run(hashToken(refreshToken), familyId, nowMs);
    return {
      refreshToken,
      refreshExpiresIn: Math.max(0, Math.floor((expiresAt - nowMs) / 1000)),
      familyId,
    };
  };

  // better-sqlite3 transactions are synchronous, so check-and-rotate cannot interleave with another
  // request of this server; run IMMEDIATE (below), it holds the write lock from its first read, so
  // another server on the same file cannot use the token in between either.
  const rotate = db.transaction((refreshToken: string): RotateResult => {
    const nowMs = now();
    const hash = hashToken(refreshToken);
    const row = findToken.get(hash);
    if (!row || row.revoked_at !== null) return { ok: false, ...INVALID };
    // Before the expiry check: a rotated token presented after the session ended still means it leaked,
    // and access tokens issued from its successor just before the end are still valid.
    if (row.used_at !== null) {
      // Reuse of a rotated token means it leaked: kill every token of the family (OAuth 2.0 Security BCP).
      revokeFamily.run(nowMs, row.family_id);
      return { ok: false, ...REUSED, revokedFamilyId: row.family_id };
    }
    if (nowMs >= row.expires_at) return { ok: false, ...EXPIRED };
    if (markUsed.run(nowMs, hash).changes !== 1) {
      // Used in the meantime (cannot happen under the write lock; never hand out a second successor).
      revokeFamily.run(nowMs, row.family_id);
      return { ok: false, ...REUSED, revokedFamilyId: row.family_id };
    }
    // The new token keeps the family's absolute expiry: a session cannot be stretched by refreshing.
    return { ok: true, userId: row.user_id, ...addToken(row.family_id, row.expires_at, nowMs) };
  });

  return {
    startFamily(userId) {
      const nowMs = now();
      const familyId = randomUUID();
      const expiresAt = nowMs + refreshSeconds() * 1000;
      return db
        .transaction(() => {
          insertFamily.run(familyId, userId, expiresAt, nowMs);
          return addToken(familyId, expiresAt, nowMs);
        })
        .immediate();
    },
    // IMMEDIATE: it takes the write lock before reading, waiting for it (the busy timeout) while another
    // server on the file writes. Deferred, the read-then-write failed at once with SQLITE_BUSY (SQLite
    // never waits to turn a read transaction into a write one): a 500, and reuse went undetected.
    rotate: (refreshToken) => rotate.immediate(refreshToken),
    revokeFamilyOf(refreshToken) {
      const row = findToken.get(hashToken(refreshToken));
      if (!row) return undefined;
      revokeFamily.run(now(), row.family_id);
      return row.family_id;
    },
    countActiveFamilies: () => countActive.get(now())?.n ?? 0,
  };
}
