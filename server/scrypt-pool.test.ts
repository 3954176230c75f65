import { randomBytes, scryptSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { createScryptPool } from './scrypt-pool';

const PARAMS = { N: 1024, r: 8, p: 1 };

/** Nice values of this process's threads (Linux: /proc/self/task/<tid>/stat, field 19). */
function threadNiceValues(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

describe('the scrypt pool', () => {
  it('computes the same keys as crypto.scryptSync, several at once', async () => {
    const pool = createScryptPool(2);
    try {
      const inputs = Array.from({ length: 5 }, (_, i) => ({ password: `pw-${i}`, salt: randomBytes(16) }));
      const keys = await Promise.all(
        inputs.map(({ password, salt }) => pool.scrypt(password, salt, 64, PARAMS)),
      );
      keys.forEach((key, i) => {
        const { password, salt } = inputs[i] as (typeof inputs)[number];
        expect(key.equals(scryptSync(password, salt, 64, PARAMS))).toBe(true);
      });
    } finally {
      await pool.close();
    }
  });

  it('passes errors on and keeps working', async () => {
    const pool = createScryptPool(1);
    try {
      await expect(pool.scrypt('pw', randomBytes(16), 64, { N: 3, r: 8, p: 1 })).rejects.toThrow();
      expect(await pool.scrypt('pw', Buffer.alloc(16), 32, PARAMS)).toHaveLength(32);
    } finally {
      await pool.close();
    }
  });

  it('refuses work once closed', async () => {
    const pool = createScryptPool(1);
    await pool.close();
    await expect(pool.scrypt('pw', Buffer.alloc(16), 32, PARAMS)).rejects.toThrow(/closed/);
  });

  it('runs its threads at the lowest priority, leaving the event loop thread alone', async (context) => {
    if (process.platform !== 'linux') {
      // Thread priorities are read from /proc: only Linux lowers them (see scrypt-pool.ts).
      const reason = `skipped on ${process.platform}: worker thread priority is lowered and read on Linux only`;
      console.log(`[scrypt-pool.test] ${reason}`);
      context.skip(reason);
    }
    const before = threadNiceValues().filter((nice) => nice === 19).length;
    const mainBefore = getPriority();
    const pool = createScryptPool(2);
    try {
      await Promise.all([0, 1].map(() => pool.scrypt('pw', Buffer.alloc(16), 32, PARAMS)));
      expect(threadNiceValues().filter((nice) => nice === 19).length - before).toBe(2);
      expect(getPriority()).toBe(mainBefore);
    } finally {
      await pool.close();
    }
  });
});
