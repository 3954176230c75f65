// Finds the Electron executable WITHOUT triggering electron's lazy download (requiring the
// `electron` package from Node downloads the binary on first use, which hangs or fails on a
// machine without access to the download host).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * @param {NodeJS.ProcessEnv} env
 * @returns {{ found: true, path: string } | { found: false, reason: string }}
 */
export function findElectronBinary(env = process.env) {
  let packageDir;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { found: false, reason: 'the electron package is not installed (run npm install)' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : defaultExecutable();
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = join(env.ELECTRON_OVERRIDE_DIST_PATH, relative);
    return existsSync(candidate)
      ? { found: true, path: candidate }
      : { found: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${candidate} does not exist` };
  }
  const candidate = join(packageDir, 'dist', relative);
  if (existsSync(candidate)) return { found: true, path: candidate };
  return {
    found: false,
    reason:
      'the Electron binary has not been downloaded (node_modules/electron/dist is missing) and this ' +
      'machine may not be able to reach the Electron download host',
  };
}

/** How to supply a binary, for messages. */
export const ELECTRON_HELP =
  'Supply one: download the Electron 45.5.0 zip for your platform from the Electron releases page, ' +
  'unpack it, and run with ELECTRON_OVERRIDE_DIST_PATH=/path/to/unpacked/dir (or set ' +
  'ELECTRON_MIRROR to a reachable mirror and run `node node_modules/electron/install.js`).';

function defaultExecutable() {
  if (process.platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (process.platform === 'win32') return 'electron.exe';
  return 'electron';
}
