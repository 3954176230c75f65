import { join } from 'node:path';
import { app } from 'electron';

/**
 * Test hooks for the electron e2e host: a throw-away userData folder and keychain service per
 * test, so runs never touch a person's real settings or keychain entries. Neither weakens
 * anything: both only choose where the app's own data goes.
 */
export function applyPathOverrides(env: NodeJS.ProcessEnv): void {
  if (env.TESSERA_USER_DATA_DIR) app.setPath('userData', env.TESSERA_USER_DATA_DIR);
}

/** Where the built renderer and preload live next to the built main process. */
export function builtPaths(mainDir: string): { rendererDir: string; preloadPath: string } {
  return { rendererDir: join(mainDir, '../renderer'), preloadPath: join(mainDir, '../preload/index.cjs') };
}
