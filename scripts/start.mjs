#!/usr/bin/env node
// `npm start`: build, start the reference server on loopback (unless an API URL is given),
// and launch the app pointed at it. Fails fast, with how to fix it, where no Electron binary
// can be obtained.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ELECTRON_HELP, findElectronBinary } from './electron-binary.mjs';
import { exitStatus, launchFailureHelp } from './launch-exit.mjs';
import { spawnToolSync } from './spawn-tool.mjs';

/** The keychain service of development runs: never the installed app's `Tessera`. */
const DEV_KEYCHAIN_SERVICE = 'Tessera (development)';

const args = process.argv.slice(2);
const apiUrlFlag = args.find((a) => a === '--api-url' || a.startsWith('--api-url='));
const externalApi = apiUrlFlag !== undefined || Boolean(process.env.TESSERA_API_URL);

// Output goes to a terminal that may be closed (SIGHUP) or a pipe whose reader left: losing a line
// is no reason to crash before the reference server has been stopped.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});

/**
 * `npm start --api-url https://…` (without `--`) gives the flag to npm, which keeps it as its own
 * config (npm_config_api_url) and passes the bare URL on: the app would then run against the local
 * server instead. Stop and say how to type it.
 */
function refuseSwallowedApiUrl() {
  // A URL is some flag's value when a bare `--flag` comes right before it (`--oidc-issuer https://…`);
  // only one that follows no flag was left behind by npm.
  const isBareFlag = (arg) => /^--[a-z][a-z0-9-]*$/i.test(arg ?? '');
  const bareUrl = args.find((a, i) => /^https?:\/\//i.test(a) && !isBareFlag(args[i - 1]));
  const npmKept = process.env.npm_config_api_url;
  if (bareUrl === undefined && !npmKept) return;
  const url = bareUrl ?? (/^https?:\/\//i.test(npmKept ?? '') ? npmKept : 'https://…');
  console.error(
    `start: npm kept --api-url for itself${bareUrl ? ` and passed ${bareUrl} on without it` : ''}. ` +
      `Put -- before the app's flags:\n  npm start -- --api-url ${url}`,
  );
  process.exit(2);
}
refuseSwallowedApiUrl();

function electronOrExit() {
  let binary = findElectronBinary();
  if (!binary.found && !process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    console.log('start: Electron binary missing; trying to download it once…');
    spawnSync(process.execPath, ['node_modules/electron/install.js'], { stdio: 'inherit', timeout: 180_000 });
    binary = findElectronBinary();
  }
  if (!binary.found) {
    console.error(`start: cannot launch Tessera: ${binary.reason}.\n${ELECTRON_HELP}`);
    process.exit(1);
  }
  return binary.path;
}

function build() {
  const result = spawnToolSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('start: the build failed');
    process.exit(result.status ?? 1);
  }
}

/** True when nothing listens on 127.0.0.1:`port`. */
function portIsFree(port) {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/**
 * Starts the reference server on loopback and resolves with its URL. Port 4000 when free: the keychain
 * entry belongs to the API origin, so a stable port is what keeps "stay signed in" working across
 * restarts; any free port otherwise, and then it says so.
 */
async function startReferenceServer() {
  mkdirSync('data', { recursive: true });
  const preferredFree = await portIsFree(4000);
  // Node runs the server itself (no npx, tsx or shell in between), with an IPC channel: when this
  // script ends in any way, even killed, the channel closes and the server closes too (server/cli.ts).
  server = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'server/cli.ts',
      '--host',
      '127.0.0.1',
      '--port',
      preferredFree ? '4000' : '0',
      '--db',
      'data/dev.db',
    ],
    { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
  );
  const url = await new Promise((resolve, reject) => {
    const lines = createInterface({ input: server.stdout });
    let found = null;
    lines.on('line', (line) => {
      console.log(`[server] ${line}`);
      const match = !found && line.match(/https?:\/\/127\.0\.0\.1:\d+/);
      if (match) {
        found = match[0];
        resolve(found);
      }
    });
    server.on('error', reject);
    server.on('exit', (code, signal) => {
      if (!found) reject(new Error(`it ended (${signal ?? `exit code ${code}`}) before listening`));
    });
  });
  if (!preferredFree) {
    console.log(
      `start: port 4000 is taken (another reference server still running?), so the server uses ${url} instead. ` +
        'Accounts saved earlier stay with http://127.0.0.1:4000, whatever answers there now: stop what holds ' +
        'port 4000 and run npm start again to have one server.',
    );
  }
  return url;
}

/** Stops the reference server cleanly (closing its IPC channel) and waits, at most 5 s, for it to go. */
function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  const gone = new Promise((resolve) => server.once('exit', resolve));
  if (server.connected) server.disconnect();
  else server.kill('SIGTERM');
  return Promise.race([
    gone,
    new Promise((resolve) =>
      setTimeout(() => {
        server.kill('SIGKILL');
        resolve(undefined);
      }, 5000).unref(),
    ),
  ]);
}

let server = null;
let app = null;
let stopping = false;
/**
 * Ctrl+C, `kill` or a closed terminal: passed on to the app, whose end stops the server; before the
 * app runs (building, server starting), the server is stopped here. A closed terminal (SIGHUP) ends
 * the app with SIGTERM, as nobody is left to see it.
 */
function onSignal(signal) {
  if (app) {
    app.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal);
    return;
  }
  if (stopping) return;
  stopping = true;
  stopServer().then(() => process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGHUP' ? 1 : 15)));
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => onSignal(signal));

/** The URL of the reference server started for this run; null when a signal came first (it is stopping). */
async function referenceServerUrl() {
  try {
    const url = await startReferenceServer();
    return stopping ? null : url;
  } catch (error) {
    if (stopping) return null;
    console.error(
      `start: the reference server did not start: ${error.message} (its own message is above). ` +
        'Check data/dev.db (a file in a writable folder) and any TESSERA_SERVER_* variables, or run ' +
        '`npm start -- --api-url https://…` to use another server.',
    );
    process.exit(1);
  }
}

const electronPath = electronOrExit();
build();
const env = { ...process.env };
// A development run keeps its settings, accounts, logs and refresh tokens apart from an installed
// Tessera's (~/.config/Tessera, keychain service "Tessera"): it would otherwise add its accounts to
// that app's list, and while that app runs, the single-instance lock would end this one at once.
// (Only development runs and the e2e build read these variables; see main/shell/paths.ts.)
env.TESSERA_USER_DATA_DIR ||= resolve('data/user-data');
env.TESSERA_KEYCHAIN_SERVICE ||= DEV_KEYCHAIN_SERVICE;
console.log(
  `start: this development run keeps its data in ${env.TESSERA_USER_DATA_DIR} and its sign-ins under the keychain service "${env.TESSERA_KEYCHAIN_SERVICE}", apart from an installed Tessera`,
);
if (!externalApi) {
  const url = await referenceServerUrl();
  // A signal came while the server was starting: onSignal stops it and exits; nothing more to do.
  if (url === null) await new Promise(() => {});
  env.TESSERA_API_URL = url;
  console.log(`start: the app uses the reference server at ${url} (sign in as demo / demo-password)`);
}
// stderr is passed through and its end kept, to explain a failed start (launch-exit.mjs).
app = spawn(electronPath, ['.', ...args], { stdio: ['inherit', 'inherit', 'pipe'], env });
let stderrTail = '';
app.stderr.on('data', (chunk) => {
  process.stderr.write(chunk);
  stderrTail = (stderrTail + String(chunk)).slice(-65_536);
});
/** True when Ubuntu's AppArmor keeps unprivileged programs from creating user namespaces. */
function userNamespacesRestricted() {
  try {
    return readFileSync('/proc/sys/kernel/apparmor_restrict_unprivileged_userns', 'utf8').trim() === '1';
  } catch {
    return false;
  }
}
app.on('error', async (error) => {
  console.error(`start: cannot run ${electronPath}: ${error.message}`);
  await stopServer();
  process.exit(1);
});
app.on('exit', async (code, signal) => {
  await stopServer();
  const status = exitStatus(code, signal);
  const help = launchFailureHelp({
    status,
    stderr: stderrTail,
    electronPath,
    platform: process.platform,
    userNamespacesRestricted: process.platform === 'linux' && userNamespacesRestricted(),
    signal,
  });
  if (help) console.error(help);
  process.exit(status);
});
