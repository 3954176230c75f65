import type { ScryptOptions } from 'node:crypto';
import { Worker } from 'node:worker_threads';

/** Computes a scrypt key; the shape of `crypto.scrypt`, promisified. */
export type Scrypt = (
  password: string,
  salt: Buffer,
  keylen: number,
  options: ScryptOptions,
) => Promise<Buffer>;

export interface ScryptPool {
  scrypt: Scrypt;
  /** Stops the worker threads; tasks still running are rejected. */
  close(): Promise<void>;
}

// Runs in each worker thread. On Linux the nice value is per thread, so lowering it here leaves the
// event loop and libuv's pool (where token verification runs) at normal priority: when the CPU is
// contended, the scheduler serves them first and hashing takes the leftovers.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
if (process.platform === 'linux') {
  try { require('node:os').setPriority(19); } catch {}
}
parentPort.on('message', ({ password, salt, keylen, options }) => {
  try {
    const key = scryptSync(password, Buffer.from(salt), keylen, options);
    parentPort.postMessage({ ok: true, key });
  } catch (err) {
    parentPort.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
  }
});
`;

interface Job {
  password: string;
  salt: Buffer;
  keylen: number;
  options: ScryptOptions;
  resolve: (key: Buffer) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | undefined;
}

/**
 * Up to `size` worker threads running scrypt at the lowest CPU priority (Linux), started on first
 * use. Jobs beyond `size` wait in order (the caller's work queue normally keeps them within `size`).
 */
export function createScryptPool(size: number): ScryptPool {
  if (!(Number.isInteger(size) && size >= 1)) throw new TypeError('size must be a positive integer');
  const slots: Slot[] = [];
  const pending: Job[] = [];
  let closed = false;

  const dispatch = (slot: Slot): void => {
    const job = pending.shift();
    slot.job = job;
    if (!job) return;
    slot.worker.ref();
    const { password, salt, keylen, options } = job;
    slot.worker.postMessage({ password, salt, keylen, options });
  };

  const finish = (slot: Slot): Job | undefined => {
    const { job } = slot;
    slot.job = undefined;
    // An idle worker must not keep the process alive.
    slot.worker.unref();
    return job;
  };

  const spawn = (): Slot => {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    const slot: Slot = { worker, job: undefined };
    worker.on('message', (message: { ok: true; key: Uint8Array } | { ok: false; message: string }) => {
      const job = finish(slot);
      if (message.ok) job?.resolve(Buffer.from(message.key));
      else job?.reject(new Error(message.message));
      dispatch(slot);
    });
    const fail = (err: Error) => {
      slots.splice(slots.indexOf(slot), 1);
      finish(slot)?.reject(err);
      // Whatever still waits gets a fresh worker.
      if (!closed && pending.length > 0) dispatch(spawn());
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (slots.includes(slot)) fail(new Error(`scrypt worker exited with code ${code}`));
    });
    slots.push(slot);
    return slot;
  };

  return {
    scrypt(password, salt, keylen, options) {
      if (closed) return Promise.reject(new Error('the scrypt pool is closed'));
      return new Promise<Buffer>((resolve, reject) => {
        pending.push({ password, salt, keylen, options, resolve, reject });
        const idle = slots.find((slot) => slot.job === undefined);
        if (idle) dispatch(idle);
        else if (slots.length < size) dispatch(spawn());
      });
    },
    async close() {
      closed = true;
      for (const job of pending.splice(0)) job.reject(new Error('the scrypt pool is closed'));
      const all = slots.splice(0);
      for (const slot of all) finish(slot)?.reject(new Error('the scrypt pool is closed'));
      await Promise.all(all.map((slot) => slot.worker.terminate()));
    },
  };
}
