import { spawnSync } from 'node:child_process';
import { scryptSync } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startChildServer } from '../../bench/child-server';
import { loginFloodArgs } from '../../bench/login-flood';

const STAND_IN = resolve(import.meta.dirname, '..', '..', 'bench', 'hashing-stand-in.cjs');
const PARAMS = { N: 1024, r: 8, p: 1 };

// A process like the server's: its main thread hashes once, then a hashing thread (an eval'd worker
// that takes `scryptSync` from `node:crypto` when it starts, as server/scrypt-pool.ts's does) checks
// twice. Prints the three keys in hex, one per line.
const SCRIPT = `
const { Worker } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
const params = ${JSON.stringify(PARAMS)};
console.log(scryptSync('main', 'salt', 16, params).toString('hex'));
const worker = new Worker(\`
  const { parentPort } = require('node:worker_threads');
  const { scryptSync } = require('node:crypto');
  const params = \${JSON.stringify(params)};
  parentPort.postMessage([
    scryptSync('first', 'salt', 16, params).toString('hex'),
    scryptSync('second', 'salt', 16, params).toString('hex'),
  ]);
\`, { eval: true });
worker.once('message', (keys) => { console.log(keys.join('\\n')); worker.terminate(); });
`;

function runWithStandIn(mode: string | undefined) {
  const env = { ...process.env };
  delete env.TESSERA_BENCH_HASHING;
  if (mode !== undefined) env.TESSERA_BENCH_HASHING = mode;
  return spawnSync(process.execPath, ['--require', STAND_IN, '-e', SCRIPT], { env, encoding: 'utf8' });
}

const real = (password: string) => scryptSync(password, 'salt', 16, PARAMS).toString('hex');
const zeros = '0'.repeat(32);

describe('the hashing stand-in (bench/hashing-stand-in.cjs, for a measurement only)', () => {
  it.each(['wait', 'spin'])(
    '%s: a hashing thread checks its first password for real, then answers a key of zeros; the main thread is left alone',
    (mode) => {
      const run = runWithStandIn(mode);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout.trim().split('\n')).toEqual([real('main'), real('first'), zeros]);
    },
  );

  it('refuses to load without a mode it knows, saying which it takes', () => {
    for (const mode of [undefined, 'fast']) {
      const run = runWithStandIn(mode);
      expect(run.status).not.toBe(0);
      expect(run.stderr).toMatch(/TESSERA_BENCH_HASHING must be "wait" or "spin"/);
    }
  });

  it('is what startChildServer({ hashing }) gives the reference server: its second check is a stand-in', async () => {
    const signIn = async (url: string) =>
      (
        await fetch(new URL('/login', url), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'demo', password: 'demo-password' }),
        })
      ).status;
    const standIn = await startChildServer({ hashing: 'wait' });
    try {
      // One sign-in at a time: the same hashing thread takes both (an idle one is reused first).
      expect(await signIn(standIn.url)).toBe(200);
      expect(await signIn(standIn.url)).toBe(401);
    } finally {
      await standIn.stop();
    }
    const plain = await startChildServer();
    try {
      expect(await signIn(plain.url)).toBe(200);
      expect(await signIn(plain.url)).toBe(200);
    } finally {
      await plain.stop();
    }
  }, 60_000);
});

describe('loginFloodArgs (tsx bench/login-flood.ts [--json] [--hashing …])', () => {
  it('is real scrypt unless --hashing names a stand-in', () => {
    expect(loginFloodArgs([])).toEqual({ json: false, hashing: 'scrypt' });
    expect(loginFloodArgs(['--json'])).toEqual({ json: true, hashing: 'scrypt' });
    expect(loginFloodArgs(['--hashing', 'wait'])).toEqual({ json: false, hashing: 'wait' });
    expect(loginFloodArgs(['--hashing=spin', '--json'])).toEqual({ json: true, hashing: 'spin' });
  });

  it('refuses another hashing, a missing value and an unknown option, naming what is wrong', () => {
    expect(() => loginFloodArgs(['--hashing', 'idle'])).toThrow(
      /--hashing takes scrypt, wait, spin, not "idle"/,
    );
    expect(() => loginFloodArgs(['--hashing'])).toThrow(/--hashing/);
    expect(() => loginFloodArgs(['--rounds', '3'])).toThrow(/--rounds/);
  });
});
