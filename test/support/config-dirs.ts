import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/** Per test, a fresh temp folder holding the policy file's path and the user-data folder; deleted after. */
export function useConfigDirs(prefix: string) {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    /** The JSON policy file (not written). */
    get policyPath(): string {
      return join(dir, 'policy.json');
    },
    /** The user-data folder (not created). */
    get userDataDir(): string {
      return join(dir, 'userData');
    },
  };
}
