import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { spawnToolSync } from '../scripts/spawn-tool.mjs';
import { chromiumMissing } from '../test/support/chromium';

const ROOT = join(import.meta.dirname, '..');

/**
 * Whether the `browser` project may run: unless every `--project` given names another one (the
 * config lists all projects whatever is selected, so the command line is what tells).
 */
export function browserProjectSelected(argv: readonly string[]): boolean {
  const projects = argv.flatMap((arg, i) =>
    arg.startsWith('--project=')
      ? [arg.slice('--project='.length)]
      : arg === '--project'
        ? [argv[i + 1] ?? '']
        : [],
  );
  return projects.length === 0 || projects.some((name) => !/^electron$/i.test(name));
}

/**
 * Checks Chromium once (the browser host needs it), then builds main, preload and renderer into out/
 * before any spec runs (electron-vite, under a second).
 */
export default function globalSetup(): void {
  const missing = browserProjectSelected(process.argv) ? chromiumMissing() : null;
  if (missing) throw new Error(`e2e: ${missing}`);
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
