#!/usr/bin/env node
// `npm start`: build, start the reference server on loopback (unless an API URL is given),
// and launch the app pointed at it. Fails fast, with how to fix it, where no Electron binary
// can be obtained.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { ELECTRON_HELP, findElectronBinary } from './electron-binary.mjs';
import { exitStatus, launchFailureHelp } from './launch-exit.mjs';
import { spawnTool, spawnToolSync } from './spawn-tool.mjs';

const args = process.argv.slice(2);
const apiUrlFlag = args.find((a) => a === '--api-url' || a.startsWith('--api-url='));
const externalApi = apiUrlFlag !== undefined || Boolean(process.env.TESSERA_API_URL);

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
 * restarts; any free port otherwise.
 */
async function startReferenceServer() {
  mkdirSync('data', { recursive: true });
  const port = (await portIsFree(4000)) ? '4000' : '0';
  // Its own process group (detached), so stopping it reaches npx, tsx and node alike.
  const server = spawnTool(
    'npx',
    ['tsx', 'server/cli.ts', '--host', '127.0.0.1', '--port', port, '--db', 'data/dev.db'],
    { stdio: ['ignore', 'pipe', 'inherit'], detached: process.platform !== 'win32' },
  );
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: server.stdout });
    let url = null;
    lines.on('line', (line) => {
      console.log(`[server] ${line}`);
      const match = !url && line.match(/https?:\/\/127\.0\.0\.1:\d+/);
      if (match) {
        url = match[0];
        resolve({ url, server });
      }
    });
    server.on('exit', (code) => {
      if (!url) reject(new Error(`the reference server exited with code ${code} before listening`));
    });
  });
}

const electronPath = electronOrExit();
build();
let server = null;
const env = { ...process.env };
if (!externalApi) {
  const started = await startReferenceServer();
  server = started.server;
  env.TESSERA_API_URL = started.url;
  console.log(`start: the app uses the reference server at ${started.url} (sign in as demo / demo-password)`);
}
// stderr is passed through and its end kept, to explain a failed start (launch-exit.mjs).
const app = spawn(electronPath, ['.', ...args], { stdio: ['inherit', 'inherit', 'pipe'], env });
let stderrTail = '';
app.stderr.on('data', (chunk) => {
  process.stderr.write(chunk);
  stderrTail = (stderrTail + String(chunk)).slice(-65_536);
});
/** Stops the reference server's whole process group and waits (at most 5 s) for it to go. */
function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  const gone = new Promise((resolve) => server.once('exit', resolve));
  try {
    // On Windows npx runs through cmd.exe (spawn-tool.mjs): end the whole tree, not only cmd.
    if (process.platform === 'win32') spawnSync('taskkill', ['/pid', String(server.pid), '/T', '/F']);
    else process.kill(-server.pid, 'SIGTERM');
  } catch {
    return Promise.resolve();
  }
  return Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
}
process.on('SIGINT', () => app.kill('SIGINT'));
process.on('SIGTERM', () => app.kill('SIGTERM'));
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
