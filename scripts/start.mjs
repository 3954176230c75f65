#!/usr/bin/env node
// `npm start`: build, start the reference server on loopback (unless an API URL is given),
// and launch the app pointed at it. Fails fast, with how to fix it, where no Electron binary
// can be obtained.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ELECTRON_HELP, findElectronBinary } from './electron-binary.mjs';

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
  const result = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('start: the build failed');
    process.exit(result.status ?? 1);
  }
}

/** Starts the reference server on a free loopback port and resolves with its URL. */
function startReferenceServer() {
  mkdirSync('data', { recursive: true });
  const server = spawn(
    'npx',
    ['tsx', 'server/cli.ts', '--host', '127.0.0.1', '--port', '0', '--db', 'data/dev.db'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
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
const app = spawn(electronPath, ['.', ...args], { stdio: 'inherit', env });
const stop = () => {
  server?.kill('SIGTERM');
};
process.on('SIGINT', () => app.kill('SIGINT'));
process.on('SIGTERM', () => app.kill('SIGTERM'));
app.on('exit', (code) => {
  stop();
  process.exit(code ?? 0);
});
