import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './db';
import { createPruner, ENTRIES_PER_PRUNE, PRUNE_INTERVAL_MS, pruneMark } from './prune-mark';
import { createRevokedFamilies } from './revoked-families';
import { fileTempDir, holdWriteLock, testClock } from './test-support';

const dir = fileTempDir('tessera-revoked-');

function rows(db: ReturnType<typeof openDatabase>): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM revoked_families').get() as { n: number }).n;
}

describe('the revoked families', () => {
  it('refuses a family until its access tokens could no longer be valid, then forgets it', () => {
    const clock = testClock();
    const db = openDatabase(':memory:');
    const revoked = createRevokedFamilies(db, clock.now);
    revoked.add('f1', clock.now() + 1_000);
    expect(revoked.has('f1')).toBe(true);
    expect(revoked.has('f2')).toBe(false);
    clock.advance(999);
    expect(revoked.has('f1')).toBe(true);
    clock.advance(1);
    expect(revoked.has('f1')).toBe(false);
    db.close();
  });

  it('a later expiry extends a revocation; an earlier one never shortens it', () => {
    const clock = testClock();
    const db = openDatabase(':memory:');
    const revoked = createRevokedFamilies(db, clock.now);
    revoked.add('f1', clock.now() + 1_000);
    revoked.add('f1', clock.now() + 5_000);
    revoked.add('f1', clock.now() + 2_000);
    clock.advance(4_999);
    expect(revoked.has('f1')).toBe(true);
    clock.advance(1);
    expect(revoked.has('f1')).toBe(false);
    db.close();
  });

  it('what one server revokes, another on the same database (or the next start) refuses at once', () => {
    const clock = testClock();
    const db = openDatabase(':memory:');
    const first = createRevokedFamilies(db, clock.now);
    const second = createRevokedFamilies(db, clock.now);
    for (let i = 0; i < 20; i += 1) first.add(`f${i}`, clock.now() + 10_000 + i);
    first.add('short', clock.now() + 10);
    clock.advance(10);
    for (let i = 0; i < 20; i += 1) expect(second.has(`f${i}`)).toBe(true);
    expect(second.has('short')).toBe(false);
    const restarted = createRevokedFamilies(db, clock.now);
    expect(restarted.has('f19')).toBe(true);
    db.close();
  });

  it(`prunes the table after ${ENTRIES_PER_PRUNE} new entries, raising the prune mark, never on every one`, () => {
    const clock = testClock();
    const db = openDatabase(':memory:');
    const revoked = createRevokedFamilies(db, clock.now);
    // The first add prunes (none before); then 10 ms apart, each live for 1 s.
    for (let i = 0; i < ENTRIES_PER_PRUNE; i += 1) {
      revoked.add(`f${i}`, clock.now() + 1_000);
      clock.advance(10);
    }
    // Not pruned since the first: every entry is still in the table, most expired.
    expect(rows(db)).toBe(ENTRIES_PER_PRUNE);
    revoked.add('next', clock.now() + 1_000);
    // Pruned now: only the entries still live (added in the last second, 99) and the new one stay; the
    // mark is the latest expiry deleted (the entry that expired just now).
    expect(rows(db)).toBe(100);
    expect(pruneMark(db).through).toBe(clock.now());
    db.close();
  });

  it(`prunes on the first new entry ${PRUNE_INTERVAL_MS / 1000} s after the last prune`, () => {
    const clock = testClock();
    const db = openDatabase(':memory:');
    const revoked = createRevokedFamilies(db, clock.now);
    revoked.add('a', clock.now() + 1_000);
    revoked.add('b', clock.now() + 1_000);
    clock.advance(PRUNE_INTERVAL_MS - 1);
    revoked.add('c', clock.now() + 1_000);
    expect(rows(db)).toBe(3);
    clock.advance(1);
    revoked.add('d', clock.now() + 1_000);
    expect(rows(db)).toBe(2);
    db.close();
  });

  it('prunes what an earlier run left expired when it starts', () => {
    const clock = testClock();
    const db = openDatabase(':memory:');
    createRevokedFamilies(db, clock.now).add('old', clock.now() + 1_000);
    clock.advance(1_000);
    createRevokedFamilies(db, clock.now);
    expect(rows(db)).toBe(0);
    db.close();
  });

  it('waits for the write lock another process holds on the file to prune, instead of failing at once', async () => {
    const clock = testClock();
    const file = join(dir, 'locked-prune.db');
    const db = openDatabase(file);
    createRevokedFamilies(db, clock.now).add('old', clock.now() + 1_000);
    clock.advance(1_000);
    const lock = await holdWriteLock(file, 1_000);
    // Synchronous: SQLite waits here (up to the 5 s busy timeout) until the other process commits.
    expect(() => createPruner(db, 'revoked_families').prune(clock.now())).not.toThrow();
    await lock.released;
    expect(rows(db)).toBe(0);
    expect(pruneMark(db).through).toBe(clock.now());
    db.close();
  });

  it('puts a prune off when the file stays locked, never failing the entry that was added', async () => {
    const clock = testClock();
    const file = join(dir, 'still-locked.db');
    const db = openDatabase(file);
    createRevokedFamilies(db, clock.now).add('old', clock.now() + 1_000);
    clock.advance(1_000);
    const pruner = createPruner(db, 'revoked_families');
    db.pragma('busy_timeout = 50');
    const lock = await holdWriteLock(file, 1_000);
    expect(() => pruner.added(clock.now(), clock.now())).not.toThrow();
    await lock.released;
    expect(rows(db)).toBe(1);
    // Tried again on the first entry a minute later.
    clock.advance(PRUNE_INTERVAL_MS);
    pruner.added(clock.now(), clock.now());
    expect(rows(db)).toBe(0);
    db.close();
  });
});
