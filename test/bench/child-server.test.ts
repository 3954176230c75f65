import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readBanner } from '../../bench/child-server';

/** A stand-in for the spawned server: real streams and a real emitter, no process (the banner is the point). */
function fakeServer() {
  const events = new EventEmitter();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  return {
    stdout,
    stderr,
    once: (event: 'exit', listener: (code: number | null) => void) => events.once(event, listener),
    off: (event: 'exit', listener: (code: number | null) => void) => events.off(event, listener),
    exit: (code: number) => events.emit('exit', code),
    exitListeners: () => events.listenerCount('exit'),
  };
}

describe('readBanner', () => {
  it('resolves with the URL of the banner, even when it arrives in pieces', async () => {
    const server = fakeServer();
    const url = readBanner(server, 10_000);
    server.stdout.write('Tessera reference auth server listen');
    server.stdout.write('ing on http://127.0.0.1:41234 (HS256)\n');
    await expect(url).resolves.toBe('http://127.0.0.1:41234');
  });

  it('stops listening once the banner is read, so the per-request log after it is not kept', async () => {
    const server = fakeServer();
    const url = readBanner(server, 10_000);
    server.stdout.write('listening on http://127.0.0.1:41234\n');
    await url;
    expect(server.stdout.listenerCount('data')).toBe(0);
    expect(server.stderr.listenerCount('data')).toBe(0);
    expect(server.exitListeners()).toBe(0);
  });

  it('rejects with what the server printed when it exits before listening, and lets go of it', async () => {
    const server = fakeServer();
    const url = readBanner(server, 10_000);
    server.stderr.write('EADDRINUSE\n');
    await new Promise((resolve) => setImmediate(resolve));
    server.exit(1);
    await expect(url).rejects.toThrow(/exited with 1 before listening:\n.*EADDRINUSE/s);
    expect(server.stdout.listenerCount('data')).toBe(0);
    expect(server.stderr.listenerCount('data')).toBe(0);
  });

  it('rejects when no banner comes in time', async () => {
    const server = fakeServer();
    await expect(readBanner(server, 20)).rejects.toThrow(/did not start in time/);
    expect(server.stdout.listenerCount('data')).toBe(0);
  });
});
