#!/usr/bin/env node
// Installs Directus for `npm run test:interop` when it is missing: its own pinned package.json and
// lockfile in test/interop/directus (never the app's dependencies). The first run takes a few minutes.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnTool } from './spawn-tool.mjs';

const folder = join(import.meta.dirname, '..', 'test', 'interop', 'directus');
if (existsSync(join(folder, 'node_modules', 'directus', 'cli.js'))) process.exit(0);
console.log('test:interop: installing Directus into test/interop/directus (npm ci, a few minutes, once)');
const child = spawnTool('npm', ['ci', '--no-audit', '--no-fund'], { cwd: folder, stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
child.on('error', (error) => {
  console.error(`test:interop: cannot run npm: ${error.message}`);
  process.exit(1);
});
