import { describe, expect, it } from 'vitest';
import { openDatabase } from './db';
import { createRevokedFamilies } from './revoked-families';
import { testClock } from './test-support';

function rows(db: ReturnType<typeof openDatabase>): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM revoked_families').get() as { n: number }).n;
}

describe('the revoked-family cache', () => {
  it('forgets a family once its access tokens could no longer be valid', () => {
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
    expect(revoked.size).toBe(0);
    db.close();
  });

  it('stays within its maximum size, and still refuses families that left memory (from the table)', () => {
    const clock = testClock();
    const db = openDatabase(':memory:');
    const revoked = createRevokedFamilies(db, clock.now, 100);
    for (let i = 0; i < 1_000; i += 1) {
      revoked.add(`f${i}`, clock.now() + 60_000);
      expect(revoked.size).toBeLessThanOrEqual(100);
    }
    expect(revoked.has('f0')).toBe(true);
    expect(revoked.has('f999')).toBe(true);
    expect(revoked.has('never-revoked')).toBe(false);
    clock.advance(60_000);
    expect(revoked.has('f0')).toBe(false);
    expect(revoked.has('f999')).toBe(false);
    db.close();
  });

  it('expires entries from the front without sweeping, and prunes the table as it goes', () => {
    const clock = testClock();
    const db = openDatabase(':memory:');
    const revoked = createRevokedFamilies(db, clock.now);
    for (let i = 0; i < 5_000; i += 1) {
      revoked.add(`f${i}`, clock.now() + 1_000);
      clock.advance(10);
    }
    // Only the last 100 (1 s / 10 ms) are still live.
    expect(revoked.size).toBeLessThanOrEqual(101);
    expect(rows(db)).toBeLessThan(5_000);
    db.close();
  });

  it('reloads live revocations after a restart, up to its maximum', () => {
    const clock = testClock();
    const db = openDatabase(':memory:');
    const first = createRevokedFamilies(db, clock.now);
    for (let i = 0; i < 20; i += 1) first.add(`f${i}`, clock.now() + 10_000 + i);
    first.add('short', clock.now() + 10);
    clock.advance(10);

    const second = createRevokedFamilies(db, clock.now, 5);
    expect(second.size).toBe(5);
    for (let i = 0; i < 20; i += 1) expect(second.has(`f${i}`)).toBe(true);
    expect(second.has('short')).toBe(false);
    db.close();
  });
});
