import type { Db } from './db';
import { createPruner } from './prune-mark';

/** Default most entries kept in memory; more live revocations fall back to the database for misses. */
export const MAX_CACHED_REVOKED_FAMILIES = 100_000;

/**
 * Refresh-token families (the `sid` of access tokens) that were signed out or revoked by reuse
 * detection, each kept until every access token of the family has expired.
 */
export interface RevokedFamilies {
  /** Remembers the family as revoked until `untilMs` (epoch ms); a later `untilMs` extends it. */
  add(familyId: string, untilMs: number): void;
  has(familyId: string): boolean;
  /** Entries held in memory (expired ones may linger until they reach the front). */
  readonly size: number;
}

interface Row {
  family_id: string;
  expires_at: number;
}

/**
 * A bounded, expiring cache of revoked families over the `revoked_families` table, which keeps them
 * across a restart. Entries sit in a Map in insertion order, which is (nearly) expiry order, so
 * expired entries leave from the front: O(1) amortised per call, never a sweep. When more than
 * `maxEntries` are live, the oldest leaves memory but stays in the table. A miss in memory always asks
 * the table (one primary-key lookup, as the deny list's): another server on the same database file, or
 * an eviction, may have put a revocation there that this process's memory never saw, and no revoked
 * token may pass.
 */
export function createRevokedFamilies(
  db: Db,
  now: () => number,
  maxEntries = MAX_CACHED_REVOKED_FAMILIES,
): RevokedFamilies {
  if (!(Number.isInteger(maxEntries) && maxEntries >= 1)) {
    throw new TypeError('maxEntries must be a positive integer');
  }
  const upsert = db.prepare(
    `INSERT INTO revoked_families (family_id, expires_at) VALUES (?, ?)
       ON CONFLICT (family_id) DO UPDATE SET expires_at = MAX(expires_at, excluded.expires_at)`,
  );
  const prune = createPruner(db, 'revoked_families');
  const lookup = db.prepare<[string, number], { family_id: string }>(
    'SELECT family_id FROM revoked_families WHERE family_id = ? AND expires_at > ?',
  );
  const newest = db.prepare<[number, number], Row>(
    'SELECT family_id, expires_at FROM revoked_families WHERE expires_at > ? ORDER BY expires_at DESC LIMIT ?',
  );

  const entries = new Map<string, number>();
  let addsSincePrune = 0;

  const dropExpiredFront = (nowMs: number): void => {
    for (const [familyId, until] of entries) {
      if (until > nowMs) return;
      entries.delete(familyId);
    }
  };

  const evictOldest = (): void => {
    const oldest = entries.keys().next().value;
    if (oldest !== undefined) entries.delete(oldest);
  };

  // Load the live revocations of an earlier run, newest last so they leave memory last.
  const startMs = now();
  prune(startMs);
  const loaded = newest.all(startMs, maxEntries).reverse();
  for (const row of loaded) entries.set(row.family_id, row.expires_at);

  return {
    add(familyId, untilMs) {
      const nowMs = now();
      if (untilMs <= nowMs) return;
      upsert.run(familyId, untilMs);
      dropExpiredFront(nowMs);
      const known = entries.get(familyId);
      entries.delete(familyId);
      entries.set(familyId, Math.max(known ?? untilMs, untilMs));
      if (entries.size > maxEntries) evictOldest();
      // The table is pruned now and then, not on every call: one indexed range delete.
      addsSincePrune += 1;
      if (addsSincePrune >= 1024) {
        addsSincePrune = 0;
        prune(nowMs);
      }
    },
    has(familyId) {
      const nowMs = now();
      dropExpiredFront(nowMs);
      const until = entries.get(familyId);
      if (until !== undefined) return until > nowMs;
      return lookup.get(familyId, nowMs) !== undefined;
    },
    get size() {
      return entries.size;
    },
  };
}
