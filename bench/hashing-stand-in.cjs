// For a measurement only, never for a server that signs anyone in: `loginFlood` with the password
// hashing's CPU work taken out (`wait`) or replaced by CPU work and nothing else (`spin`), to tell what
// a flood of sign-ins costs the token checks apart from what the hashing's CPU time costs them
// (bench/README.md, "The flood without the hashing's CPU work").
//
// Preloaded with `--require` into the reference server's process by `startChildServer({ hashing })`,
// so it also runs first in each of the server's hashing threads (worker threads run `--require`
// preloads; `--import` ones they do not). There it replaces `crypto.scryptSync`, which the hashing
// thread takes from `node:crypto` when it starts: each thread's first check runs real scrypt and is
// timed; every later check takes as long without using the CPU (`wait`, `Atomics.wait`) or spinning in
// a plain loop (`spin`: no memory traffic), and gives a key of zeros, so the password is wrong. The
// main thread is left alone (the seeded users' hashes are real, and the benchmark's own sign-in, the
// first check of a thread, is checked for real).
'use strict';

const { isMainThread } = require('node:worker_threads');

const mode = process.env.TESSERA_BENCH_HASHING;
if (mode !== 'wait' && mode !== 'spin') {
  throw new Error(`TESSERA_BENCH_HASHING must be "wait" or "spin", not ${JSON.stringify(mode)}`);
}

if (!isMainThread) {
  const crypto = require('node:crypto');
  const realScryptSync = crypto.scryptSync;
  const cell = new Int32Array(new SharedArrayBuffer(4));
  /** How long this thread's real check took (ms); null until it has run. */
  let tookMs = null;
  crypto.scryptSync = function scryptStandIn(password, salt, keylen, options) {
    if (tookMs === null) {
      const start = performance.now();
      const key = realScryptSync(password, salt, keylen, options);
      tookMs = performance.now() - start;
      return key;
    }
    if (mode === 'wait') {
      Atomics.wait(cell, 0, 0, tookMs);
    } else {
      const end = performance.now() + tookMs;
      while (performance.now() < end) {
        // spin
      }
    }
    return Buffer.alloc(keylen);
  };
}
