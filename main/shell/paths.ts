import { join } from 'node:path';
import type { App } from 'electron';

/** The test hooks a run may take from the environment (see `testOverrides`). */
export interface TestOverrides {
  /** `TESSERA_USER_DATA_DIR`: the userData folder (settings, accounts, logs, Chromium's profile). */
  userDataDir?: string;
  /** `TESSERA_KEYCHAIN_SERVICE`: the keychain service the refresh tokens are stored under. */
  keychainService?: string;
}

/**
 * True for the Playwright test build (`npm run dist:e2e`): scripts/check-release-config.mjs requires
 * its productName to say E2E, and the release's to be exactly Tessera, so no release says E2E.
 */
export function isE2eBuild(name: string): boolean {
  return /\bE2E\b/.test(name);
}

/**
 * Test hooks for the electron e2e host: a throw-away userData folder and keychain service per test,
 * so runs never touch a person's real settings or keychain entries. Only a development run (not
 * packaged: `npm start`, the e2e host on node_modules/electron) and the e2e test build read them. A
 * release build ignores both: its data folder and its keychain service `Tessera` are fixed, as the IT
 * guide says (sections 6 and 7), so a stray variable can neither move a person's data where a clean
 * uninstall would miss it, nor make their stored sign-ins vanish.
 */
export function testOverrides(
  env: Readonly<Record<string, string | undefined>>,
  build: { isPackaged: boolean; name: string },
): TestOverrides {
  if (build.isPackaged && !isE2eBuild(build.name)) return {};
  return {
    ...(env.TESSERA_USER_DATA_DIR ? { userDataDir: env.TESSERA_USER_DATA_DIR } : {}),
    ...(env.TESSERA_KEYCHAIN_SERVICE ? { keychainService: env.TESSERA_KEYCHAIN_SERVICE } : {}),
  };
}

/** Applies `testOverrides` to Electron's paths (before anything reads userData); returns them. */
export function applyPathOverrides(
  env: NodeJS.ProcessEnv,
  app: Pick<App, 'isPackaged' | 'getName' | 'setPath'>,
): TestOverrides {
  const overrides = testOverrides(env, { isPackaged: app.isPackaged, name: app.getName() });
  if (overrides.userDataDir) app.setPath('userData', overrides.userDataDir);
  return overrides;
}

/** Where the built renderer and preload live next to the built main process. */
export function builtPaths(mainDir: string): { rendererDir: string; preloadPath: string } {
  return { rendererDir: join(mainDir, '../renderer'), preloadPath: join(mainDir, '../preload/index.cjs') };
}
