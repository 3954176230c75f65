import type { Db } from './db';
import { createPruner } from './prune-mark';

/**
 * Refresh-token families (the `sid` of access tokens) that were signed out or revoked by reuse
 * detection, each kept until every access token of the family has expired.
 */
export interface RevokedFamilies {
  /** Remembers the family as revoked until `untilMs` (epoch ms); a later `untilMs` extends it. */
  add(familyId: string, untilMs: number): void;
  has(familyId: string): boolean;
}

/**
 * The revoked families in the `revoked_families` table, which keeps them across a restart and shares
 * them with another server on the same database file. Every check is one primary-key lookup (as the
 * deny list's): no copy in memory could know what another server put there, and no revoked token may
 * pass. The table is pruned now and then as families are added (prune-mark.ts).
 */
export function createRevokedFamilies(db: Db, now: () => number): RevokedFamilies {
  const upsert = db.prepare(
    `INSERT INTO revoked_families (family_id, expires_at) VALUES (?, ?)
       ON CONFLICT (family_id) DO UPDATE SET expires_at = MAX(expires_at, excluded.expires_at)`,
  );
  const pruner = createPruner(db, 'revoked_families');
  const lookup = db.prepare<[string, number], { family_id: string }>(
    'SELECT family_id FROM revoked_families WHERE family_id = ? AND expires_at > ?',
  );
  // What an earlier run left that has expired goes at start.
  pruner.prune(now());

  return {
    add(familyId, untilMs) {
      const nowMs = now();
      if (untilMs <= nowMs) return;
      upsert.run(familyId, untilMs);
      pruner.added(nowMs, nowMs);
    },
    has(familyId) {
      return lookup.get(familyId, now()) !== undefined;
    },
  };
}
