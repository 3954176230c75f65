#!/usr/bin/env node
// Reads the fuse wire back from packaged Electron executables and checks ELECTRON_RUN_AS_NODE is refused.
// Run by `npm run dist*` after electron-builder; needs a packaged app, so it cannot run where Electron
// cannot be downloaded.
//   node scripts/verify-fuses.mjs [--e2e] [--if-present] <executable | App.app>
//   node scripts/verify-fuses.mjs [--e2e] [--if-present] --dist dist
// --e2e         expect the e2e build's fuses (inspector on) instead of the release values
// --if-present  exit 0 with a notice when no packaged executable exists (nothing to verify)
// --dist DIR    verify every unpacked app electron-builder left in DIR (linux-unpacked, win-unpacked, mac-arm64, …)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { E2E_FUSES, RELEASE_FUSES } from './release-config.mjs';

// electron-builder's `electronFuses` names → @electron/fuses wire positions.
const WIRE_INDEX = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};
const PROBE_MARKER = 'TESSERA_RUN_AS_NODE_PROBE';
const LINUX_HELPERS = new Set(['chrome-sandbox', 'chrome_crashpad_handler']);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    e2e: { type: 'boolean', default: false },
    'if-present': { type: 'boolean', default: false },
    dist: { type: 'string' },
    'probe-timeout-ms': { type: 'string', default: '8000' },
  },
});
const expected = values.e2e ? E2E_FUSES : RELEASE_FUSES;
const probeTimeoutMs = Number(values['probe-timeout-ms']);

/** Unpacked apps in an electron-builder output dir: { path (fuse file or .app), exe, os, arch }. */
function findPackagedApps(distDir) {
  if (!existsSync(distDir)) return [];
  const apps = [];
  for (const entry of readdirSync(distDir)) {
    const match = /^(linux|win|mac)(?:-(x64|ia32|arm64|armv7l|universal))?(?:-unpacked)?$/.exec(entry);
    if (!match || !statSync(join(distDir, entry)).isDirectory()) continue;
    const [, os, arch = 'x64'] = match;
    const dir = join(distDir, entry);
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (os === 'mac' && name.endsWith('.app')) {
        const macos = join(full, 'Contents', 'MacOS');
        const [binary] = existsSync(macos) ? readdirSync(macos) : [];
        apps.push({ path: full, exe: binary ? join(macos, binary) : full, os, arch });
      } else if (os === 'win' && name.toLowerCase().endsWith('.exe')) {
        apps.push({ path: full, exe: full, os, arch });
      } else if (os === 'linux' && isLinuxAppBinary(full, name)) {
        apps.push({ path: full, exe: full, os, arch });
      }
    }
  }
  return apps;
}

function isLinuxAppBinary(full, name) {
  if (LINUX_HELPERS.has(name) || name.includes('.so')) return false;
  const stat = statSync(full);
  return stat.isFile() && (stat.mode & 0o111) !== 0;
}

const HOST_OS = { linux: 'linux', win32: 'win', darwin: 'mac' }[process.platform];

function runsOnThisHost(app) {
  if (app.os === undefined) return true; // given explicitly: the caller says it is for this machine
  return app.os === HOST_OS && (app.arch === process.arch || app.arch === 'universal');
}

function describeState(state) {
  if (state === FuseState.ENABLE) return 'on';
  if (state === FuseState.DISABLE) return 'off';
  if (state === FuseState.REMOVED) return 'removed';
  return `unknown (${state})`;
}

/** Compares the wire read from the binary with the expected values; returns failure lines. */
async function checkWire(app) {
  let wire;
  try {
    wire = await getCurrentFuseWire(app.path);
  } catch (error) {
    return [`cannot read the fuse wire: ${error.message}`];
  }
  const failures = [];
  for (const [name, want] of Object.entries(expected)) {
    const state = wire[WIRE_INDEX[name]];
    const wantState = want ? FuseState.ENABLE : FuseState.DISABLE;
    if (state !== wantState)
      failures.push(`fuse ${name} is ${describeState(state)}, expected ${want ? 'on' : 'off'}`);
  }
  return failures;
}

function killTree(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (process.platform === 'win32') spawnSync('taskkill', ['/pid', String(child.pid), '/T', '/F']);
  else {
    try {
      process.kill(-child.pid, 'SIGKILL'); // the probe's own process group (spawned detached below)
    } catch {
      child.kill('SIGKILL');
    }
  }
}

/**
 * Starts the executable with ELECTRON_RUN_AS_NODE=1 and a Node `-e` script. With the RunAsNode fuse off,
 * Electron ignores the variable and starts the app instead (which fails headless or is killed after the
 * timeout), so the marker never appears. Returns a failure line or null.
 */
function probeRunAsNode(app) {
  return new Promise((resolvePromise) => {
    const child = spawn(app.exe, ['-e', `process.stdout.write('${PROBE_MARKER}:' + process.versions.node)`], {
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: process.platform !== 'win32',
    });
    let output = '';
    const timer = setTimeout(() => killTree(child), probeTimeoutMs);
    child.stdout.on('data', (chunk) => {
      if (output.length < 4096) output += chunk;
    });
    const finish = (failure) => {
      clearTimeout(timer);
      killTree(child);
      resolvePromise(failure);
    };
    child.on('error', (error) =>
      finish(`could not start it to probe ELECTRON_RUN_AS_NODE: ${error.message}`),
    );
    child.on('close', () =>
      finish(
        output.includes(PROBE_MARKER) ? 'ELECTRON_RUN_AS_NODE=1 ran it as Node (RunAsNode fuse is on)' : null,
      ),
    );
  });
}

const apps = values.dist
  ? findPackagedApps(values.dist)
  : positionals.filter((path) => existsSync(path)).map((path) => ({ path, exe: path }));
const missing = values.dist ? [] : positionals.filter((path) => !existsSync(path));
const label = values.e2e ? 'e2e' : 'release';

if (positionals.length === 0 && !values.dist) {
  console.error(
    'verify-fuses: pass a packaged executable (or App.app), or --dist <electron-builder output dir>',
  );
  process.exit(2);
}
if (apps.length === 0 || missing.length > 0) {
  const where = values.dist
    ? `under ${values.dist}/ (linux-unpacked, win-unpacked, mac*, …)`
    : missing.join(', ');
  if (values['if-present'] && apps.length === 0) {
    console.log(`verify-fuses: no packaged Electron executable ${where}; nothing to verify (--if-present).`);
    process.exit(0);
  }
  console.error(`verify-fuses: no packaged Electron executable ${where}. Build one first (npm run dist:*).`);
  process.exit(1);
}

let failed = 0;
for (const app of apps) {
  const name = relative(process.cwd(), app.path) || app.path;
  const failures = await checkWire(app);
  const probed = runsOnThisHost(app);
  if (probed) {
    const probeFailure = await probeRunAsNode(app);
    if (probeFailure) failures.push(probeFailure);
  }
  if (failures.length === 0) {
    const probe = probed
      ? 'ELECTRON_RUN_AS_NODE refused'
      : `ELECTRON_RUN_AS_NODE not probed (built for ${app.os}-${app.arch}, cannot run on this host)`;
    console.log(`  ✓ ${name}: ${label} fuses as expected; ${probe}`);
  } else {
    failed += 1;
    for (const failure of failures) console.error(`  ✗ ${name}: ${failure}`);
  }
}
if (failed > 0) {
  console.error(
    `verify-fuses: ${failed} of ${apps.length} packaged app(s) do not match the ${label} fuse policy.`,
  );
  process.exit(1);
}
console.log(`verify-fuses: ${apps.length} packaged app(s) match the ${label} fuse policy.`);
