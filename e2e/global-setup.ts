import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnToolSync } from '../scripts/spawn-tool.mjs';

const ROOT = join(import.meta.dirname, '..');

/** Builds main, preload and renderer into out/ before any spec runs (electron-vite, under a second). */
export default function globalSetup(): void {
  const started = Date.now();
  // npm is npm.cmd on Windows: spawnToolSync runs it through cmd.exe there.
  const result = spawnToolSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`e2e: npm run build failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  for (const file of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html']) {
    if (!existsSync(join(ROOT, file))) throw new Error(`e2e: the build did not produce ${file}`);
  }
  console.log(`e2e: built out/ in ${Date.now() - started} ms`);
}
