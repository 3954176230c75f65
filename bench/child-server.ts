// The reference server in a child process (`server/cli.ts`), so load generation and serving do not share
// one event loop. Loopback only; the child is stopped by its own pid.
import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const CLI = resolve(import.meta.dirname, '..', 'server', 'cli.ts');
const START_TIMEOUT_MS = 30_000;

export interface ChildServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export interface ChildServerOptions {
  alg?: 'HS256' | 'RS256';
  accessTtlSeconds?: number;
  refreshTtlSeconds?: number;
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

/** Starts `server/cli.ts` on a free loopback port with an in-memory database; resolves with its URL. */
export async function startChildServer(options: ChildServerOptions = {}): Promise<ChildServer> {
  const args = ['--import', 'tsx', CLI, '--host', '127.0.0.1', '--port', '0', '--db', ':memory:'];
  args.push('--alg', options.alg ?? 'HS256');
  if (options.accessTtlSeconds !== undefined) args.push('--access-ttl', String(options.accessTtlSeconds));
  if (options.refreshTtlSeconds !== undefined) args.push('--refresh-ttl', String(options.refreshTtlSeconds));
  // stdout carries the banner (the URL) and then one log line per request, as `npm run server` prints.
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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

  const url = await new Promise<string>((done, fail) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => fail(new Error(`server did not start in time:\n${out}${err}`)),
      START_TIMEOUT_MS,
    );
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (https?:\/\/\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        done(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`server exited with ${code} before listening:\n${out}${err}`));
    });
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  // Keep draining the per-request log so a full pipe never blocks the server.
  child.stdout?.resume();
  child.stderr?.resume();
  return { url, pid, stop };
}
