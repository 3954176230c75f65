// The reference server in a child process (`server/cli.ts`), so load generation and serving do not share
// one event loop. Loopback only; the child is stopped by its own pid.
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';

const CLI = resolve(import.meta.dirname, '..', 'server', 'cli.ts');
const HASHING_STAND_IN = resolve(import.meta.dirname, 'hashing-stand-in.cjs');
const START_TIMEOUT_MS = 30_000;

export interface ChildServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The server's password hashing: real scrypt, or a stand-in for a measurement (bench/hashing-stand-in.cjs). */
export const HASHINGS = ['scrypt', 'wait', 'spin'] as const;
export type Hashing = (typeof HASHINGS)[number];

export interface ChildServerOptions {
  alg?: 'HS256' | 'RS256';
  accessTtlSeconds?: number;
  refreshTtlSeconds?: number;
  /**
   * The password hashing: real scrypt (default), or, for a measurement only, a stand-in whose checks
   * take as long without the CPU (`wait`) or spinning (`spin`); see bench/hashing-stand-in.cjs.
   */
  hashing?: Hashing;
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((done) => {
    const timer = setTimeout(() => done(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      done(true);
    });
  });
}

/** The parts of a spawned server `readBanner` reads: its output streams and its exit. */
export interface ServerProcess {
  stdout: Readable | null;
  stderr: Readable | null;
  once(event: 'exit', listener: (code: number | null) => void): unknown;
  off(event: 'exit', listener: (code: number | null) => void): unknown;
}

/**
 * Resolves with the URL of the server's `listening on …` banner. Output is collected only until then:
 * every listener comes off once the banner is read (or the start failed), because the server goes on
 * to print one line per request. A listener left on kept that whole log in this process's heap — about
 * 25 bytes per request, the soak's heap slope — and copied it again on every chunk.
 */
export function readBanner(child: ServerProcess, timeoutMs: number): Promise<string> {
  return new Promise<string>((done, fail) => {
    let out = '';
    let err = '';
    const onOut = (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (https?:\/\/\S+)/.exec(out);
      if (match?.[1]) finish(() => done(match[1] as string));
    };
    const onErr = (chunk: Buffer) => {
      err += chunk.toString();
    };
    const onExit = (code: number | null) =>
      finish(() => fail(new Error(`server exited with ${code} before listening:\n${out}${err}`)));
    const timer = setTimeout(
      () => finish(() => fail(new Error(`server did not start in time:\n${out}${err}`))),
      timeoutMs,
    );
    function finish(settle: () => void): void {
      clearTimeout(timer);
      child.stdout?.off('data', onOut);
      child.stderr?.off('data', onErr);
      child.off('exit', onExit);
      settle();
    }
    child.stdout?.on('data', onOut);
    child.stderr?.on('data', onErr);
    child.once('exit', onExit);
  });
}

/** Starts `server/cli.ts` on a free loopback port with an in-memory database; resolves with its URL. */
export async function startChildServer(options: ChildServerOptions = {}): Promise<ChildServer> {
  const hashing = options.hashing ?? 'scrypt';
  const standIn = hashing === 'scrypt' ? [] : ['--require', HASHING_STAND_IN];
  const args = [...standIn, '--import', 'tsx', CLI, '--host', '127.0.0.1', '--port', '0', '--db', ':memory:'];
  args.push('--alg', options.alg ?? 'HS256');
  if (options.accessTtlSeconds !== undefined) args.push('--access-ttl', String(options.accessTtlSeconds));
  if (options.refreshTtlSeconds !== undefined) args.push('--refresh-ttl', String(options.refreshTtlSeconds));
  // stdout carries the banner (the URL) and then one log line per request, as `npm run server` prints.
  const env = hashing === 'scrypt' ? process.env : { ...process.env, TESSERA_BENCH_HASHING: hashing };
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the reference server');

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    if (!(await waitForExit(child, 5_000))) {
      child.kill('SIGKILL');
      await waitForExit(child, 2_000);
    }
  };

  const url = await readBanner(child, START_TIMEOUT_MS).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  // Keep draining the per-request log (unread) so a full pipe never blocks the server.
  child.stdout?.resume();
  child.stderr?.resume();
  return { url, pid, stop };
}
