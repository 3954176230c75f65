import type { Db } from './db';

/**
 * How far the revocation records (`denied_access_tokens`, `revoked_families`) have been pruned: the
 * latest `exp` (epoch ms) of any entry deleted, kept in `revocations_pruned`. An access token whose
 * `exp` is at or before it may have lost its entry, so it cannot be verified as not revoked; it had
 * also expired under the leeway in force when its entry went, so it is refused as expired. Without this,
 * a restart with a larger `--leeway` would let such a token verify again, revoked or not.
 *
 * Read from the database on every use (one primary-key lookup), never kept in memory: another server
 * on the same file (with a smaller `--leeway`) may prune entries this one still needs and raise it.
 */
export interface PruneMark {
  /** Epoch ms; -Infinity when nothing has been pruned. */
  readonly through: number;
  /** Records that entries up to `expiresAtMs` were deleted (never lowers it). */
  raise(expiresAtMs: number): void;
}

/** The database's prune mark, as it is in the database at each read. */
export function pruneMark(db: Db): PruneMark {
  const read = db.prepare<[], { through: number }>('SELECT through FROM revocations_pruned WHERE id = 1');
  const write = db.prepare(
    `INSERT INTO revocations_pruned (id, through) VALUES (1, ?)
       ON CONFLICT (id) DO UPDATE SET through = MAX(through, excluded.through)`,
  );
  return {
    get through() {
      return read.get()?.through ?? Number.NEGATIVE_INFINITY;
    },
    raise(expiresAtMs) {
      write.run(expiresAtMs);
    },
  };
}

/** A table is pruned after this many new entries, or on the first one this long after its last prune. */
export const ENTRIES_PER_PRUNE = 1024;
export const PRUNE_INTERVAL_MS = 60_000;

/** Deletes a revocation table's expired entries, now or paced by the entries added. */
export interface Pruner {
  /** Deletes the entries whose `expires_at` is at or before `cutoffMs`, now. */
  prune(cutoffMs: number): void;
  /**
   * Counts one new entry at `nowMs`, and prunes through `cutoffMs` after ENTRIES_PER_PRUNE of them or
   * on the first one PRUNE_INTERVAL_MS after the last prune: one indexed range delete now and then,
   * so adding entries in a loop (a user signing out again and again) never walks the table each time.
   * Call it after writing the entry: a prune that finds the file locked past the busy timeout is put
   * off to the next round instead of throwing.
   */
  added(nowMs: number, cutoffMs: number): void;
}

/**
 * A pruner for `table` (`denied_access_tokens` or `revoked_families`): deletes the entries whose
 * `expires_at` is at or before the cutoff, and raises the prune mark to the latest one deleted.
 */
export function createPruner(db: Db, table: 'denied_access_tokens' | 'revoked_families'): Pruner {
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
  let addedSincePrune = 0;
  let lastPruneMs = Number.NEGATIVE_INFINITY;
  return {
    // IMMEDIATE takes the write lock first, waiting for it (the busy timeout) while another server on
    // the file writes: a transaction that read first would fail at once with SQLITE_BUSY when it came
    // to delete, as SQLite never waits for a read transaction to become a write one.
    prune: (cutoffMs) => prune.immediate(cutoffMs),
    added(nowMs, cutoffMs) {
      addedSincePrune += 1;
      if (addedSincePrune < ENTRIES_PER_PRUNE && nowMs - lastPruneMs < PRUNE_INTERVAL_MS) return;
      addedSincePrune = 0;
      lastPruneMs = nowMs;
      try {
        prune.immediate(cutoffMs);
      } catch (err) {
        // Housekeeping only: a file still locked after the busy timeout puts it off to the next round,
        // never failing the sign-out or reuse detection whose entry was just written.
        if (!isBusy(err)) throw err;
      }
    },
  };
}

/** SQLITE_BUSY or SQLITE_LOCKED (with any extended code): the file was locked for too long. */
function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}
