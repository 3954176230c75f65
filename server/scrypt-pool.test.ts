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

  // Every platform: the process and its event loop thread keep their priority (os.setPriority(19) in a
  // worker would lower the whole process where nice is per process, which is why only Linux lowers it).
  // Linux, where nice is per thread and readable from /proc: the two worker threads run at nice 19.
  it('lowers only its worker threads (nice 19, on Linux), never the event loop thread or the process', async () => {
    const onLinux = process.platform === 'linux';
    const before = onLinux ? threadNiceValues().filter((nice) => nice === 19).length : 0;
    const mainBefore = getPriority();
    const pool = createScryptPool(2);
    try {
      await Promise.all([0, 1].map(() => pool.scrypt('pw', Buffer.alloc(16), 32, PARAMS)));
      if (onLinux) expect(threadNiceValues().filter((nice) => nice === 19).length - before).toBe(2);
      expect(getPriority()).toBe(mainBefore);
    } finally {
      await pool.close();
    }
  });
});
