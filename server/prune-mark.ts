import type { Db } from './db';

/**
 * How far the revocation records (`denied_access_tokens`, `revoked_families`) have been pruned: the
 * latest `exp` (epoch ms) of any entry deleted, kept in `revocations_pruned`. An access token whose
 * `exp` is at or before it may have lost its entry, so it cannot be verified as not revoked; it had
 * also expired under the leeway in force when its entry went, so it is refused as expired. Without this,
 * a restart with a larger `--leeway` would let such a token verify again, revoked or not.
 */
export interface PruneMark {
  /** Epoch ms; -Infinity when nothing has been pruned. */
  readonly through: number;
  /** Records that entries up to `expiresAtMs` were deleted. */
  raise(expiresAtMs: number): void;
}

const marks = new WeakMap<Db, PruneMark>();

/** The database's prune mark: one object per handle, so every pruner and the verifier share it. */
export function pruneMark(db: Db): PruneMark {
  const known = marks.get(db);
  if (known) return known;
  const read = db.prepare<[], { through: number }>('SELECT through FROM revocations_pruned WHERE id = 1');
  const write = db.prepare(
    `INSERT INTO revocations_pruned (id, through) VALUES (1, ?)
       ON CONFLICT (id) DO UPDATE SET through = MAX(through, excluded.through)`,
  );
  let through = read.get()?.through ?? Number.NEGATIVE_INFINITY;
  const mark: PruneMark = {
    get through() {
      return through;
    },
    raise(expiresAtMs) {
      if (!(expiresAtMs > through)) return;
      write.run(expiresAtMs);
      through = expiresAtMs;
    },
  };
  marks.set(db, mark);
  return mark;
}

/**
 * A pruner for `table` (`denied_access_tokens` or `revoked_families`): deletes the entries whose
 * `expires_at` is at or before `cutoffMs`, and raises the prune mark to the latest one deleted.
 */
export function createPruner(
  db: Db,
  table: 'denied_access_tokens' | 'revoked_families',
): (cutoffMs: number) => void {
  const mark = pruneMark(db);
  const latest = db.prepare<[number], { latest: number | null }>(
    `SELECT MAX(expires_at) AS latest FROM ${table} WHERE expires_at <= ?`,
  );
  const remove = db.prepare(`DELETE FROM ${table} WHERE expires_at <= ?`);
  const prune = db.transaction((cutoffMs: number) => {
    const through = latest.get(cutoffMs)?.latest;
    if (through === null || through === undefined) return;
    remove.run(cutoffMs);
    mark.raise(through);
  });
  return (cutoffMs) => prune(cutoffMs);
}
