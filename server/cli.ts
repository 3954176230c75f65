import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CliConfig, parseCliConfig, usage } from './config';
import { DEVELOPMENT_USERS, type RunningServer, startServer } from './index';
import { defaultKeyFile } from './key-file';
import { createBatchedLog } from './log-writer';

// Resolved from this file, not the cwd, so the default database always lands in the git-ignored data/.
const DEFAULT_DB = join(fileURLToPath(new URL('..', import.meta.url)), 'data', 'server.db');
// Shown relative when run from inside the repository (as `npm run server` does), else absolute.
const DEFAULT_DB_SHOWN = relative(process.cwd(), DEFAULT_DB).startsWith('..')
  ? DEFAULT_DB
  : relative(process.cwd(), DEFAULT_DB);

function fail(message: string, code: number): never {
  console.error(`tessera server: ${message}`);
  process.exit(code);
}

function readPem(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    return fail(`cannot read ${flag} file "${file}": ${(err as NodeJS.ErrnoException).code ?? err}`, 2);
  }
}

/** Entry point of `npm run server`: parse flags/env, start, print the banner, stop on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const parsed = parseCliConfig(process.argv.slice(2), process.env, DEFAULT_DB_SHOWN);
  if (!parsed.ok) fail(`${parsed.message}\nRun with --help for the list of options.`, 2);
  if (parsed.help) {
    console.log(usage(DEFAULT_DB_SHOWN));
    return;
  }
  const { options, tlsCertFile, tlsKeyFile } = parsed.config;
  const tls =
    tlsCertFile && tlsKeyFile
      ? { cert: readPem(tlsCertFile, '--tls-cert'), key: readPem(tlsKeyFile, '--tls-key') }
      : undefined;

  // One line per request, written in batches; whatever is queued is written before the process ends.
  const requestLog = createBatchedLog();
  // Whoever reads stdout may be gone (`npm start` stopped by Ctrl+C while this starts, a closed
  // terminal): the banner and the request log are then lost, but that is no reason to crash.
  ignoreClosedStdout();
  process.on('exit', () => {
    try {
      requestLog.flushSync();
    } catch (err) {
      if (!isClosedPipe(err)) throw err;
    }
  });

  // Handlers go in before anything is printed: a signal arriving before them would kill the process
  // uncleanly, and whoever waits for the banner may send one right after reading it.
  let server: RunningServer | undefined;
  let stopping = false;
  const stop = (signal: NodeJS.Signals | 'disconnected' | 'parent process ended') => {
    // Ctrl-C reaches npm, tsx and this process alike and tsx relays it again: later signals are duplicates.
    if (stopping) return;
    stopping = true;
    requestLog.flush();
    console.log(`${signal}: closing`);
    // close() drops open connections, so this only fires if something is truly stuck.
    setTimeout(() => process.exit(1), 5000).unref();
    (server ? server.close() : Promise.resolve()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // A closed terminal: close cleanly (the database checkpointed) rather than die mid-write.
  process.on('SIGHUP', stop);
  watchParent(stop);

  try {
    server = await startServer({ ...options, ...(tls ? { tls } : {}), log: requestLog.log });
  } catch (err) {
    return fail(`could not start: ${err instanceof Error ? err.message : String(err)}`, 1);
  }
  if (!stopping) console.log(banner(server.url, options));
}

/** EPIPE (the reader of a pipe closed it) or EIO (a terminal hung up). */
function isClosedPipe(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EPIPE' || code === 'EIO';
}

function ignoreClosedStdout(): void {
  process.stdout.on('error', (err) => {
    if (!isClosedPipe(err)) throw err;
  });
}

/**
 * Calls `onGone` once when the process that started this one ends, so a server is never left
 * behind by a launcher that is killed: `npm start` (scripts/start.mjs, which talks to it over an IPC
 * channel: its end closes on every OS), or `kill <pid of npm run server>` (npm passes SIGTERM to the
 * shell it runs the script in; dash, Debian's and Ubuntu's sh, then ends without passing it on, and
 * this process gets a new parent, which is what the poll sees; Linux and macOS).
 */
function watchParent(onGone: (reason: 'disconnected' | 'parent process ended') => void): void {
  // Started with a channel (process.send exists) that closed before this ran: gone already.
  if (process.send && !process.connected) onGone('disconnected');
  else if (process.channel) process.once('disconnect', () => onGone('disconnected'));
  if (process.platform === 'win32') return;
  const parent = process.ppid;
  const poll = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(poll);
    onGone('parent process ended');
  }, 500);
  poll.unref();
}

function keysShown(options: CliConfig['options']): string {
  const file = options.keyFile ?? defaultKeyFile(options.db);
  if (options.secret !== undefined && options.alg === 'HS256') return ', HS256 key from --secret';
  return file === undefined ? ', signing keys in memory' : `, signing keys in ${file}`;
}

function banner(url: string, options: CliConfig['options']): string {
  const lines = [
    `Tessera reference auth server listening on ${url}`,
    `  ${options.alg}, issuer "${options.issuer}", audience "${options.audience}", ` +
      `access TTL ${options.accessTtlSeconds}s, refresh TTL ${options.refreshTtlSeconds}s, leeway ${options.leewaySeconds}s`,
    `  database ${options.db}${keysShown(options)}`,
    `  CORS origins ${options.corsOrigins.join(', ')}`,
  ];
  if (options.seed) {
    lines.push('  DEVELOPMENT SEED DATA (local testing only, created when missing; disable with --no-seed):');
    for (const user of DEVELOPMENT_USERS) {
      lines.push(`    ${user.username} / ${user.password}  (role ${user.role}, "${user.name}")`);
    }
  }
  return lines.join('\n');
}

await main();
