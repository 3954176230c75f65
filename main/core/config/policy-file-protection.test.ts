import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readPolicyFile } from './layers';

// The tests run as root: files are given to `nobody` with a real chown, and modes are set for real.
const NOBODY = 65534;
const dir = mkdtempSync(join(tmpdir(), 'tessera-policy-protection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a policy file with a real owner and mode. */
function policyFile(name: string, policy: unknown, owner: number, mode: number): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(policy));
  chownSync(path, owner, owner);
  chmodSync(path, mode);
  return path;
}

// A swap between the check and the read cannot be timed for real in a test: the one mock here stands
// in for the attacker, renaming a root-owned file over the path whenever the path itself is stat'ed.
const swap = vi.hoisted(() => ({ path: '', replacement: '' }));
vi.mock('node:fs', async (original) => {
  const fs = await original<typeof import('node:fs')>();
  const statSync = ((path: string, options?: unknown) => {
    if (swap.path !== '' && path === swap.path) {
      fs.renameSync(swap.replacement, swap.path);
      swap.path = '';
    }
    return fs.statSync(path, options as undefined);
  }) as typeof fs.statSync;
  return { ...fs, default: { ...fs, statSync }, statSync };
});

describe('the policy file on Linux and macOS (requireProtected)', () => {
  it('judges the owner and mode of the file it read, not of what is at the path afterwards', () => {
    const path = policyFile('swapped.json', { managed: { theme: 'dark' } }, NOBODY, 0o644);
    const replacement = policyFile('root-owned.json', { managed: {} }, 0, 0o644);
    Object.assign(swap, { path, replacement });
    const layers = readPolicyFile(path, { requireProtected: true, platform: 'linux' });
    // The bytes read were nobody's: they are not used, and the reason names the file.
    expect(layers.managed.values).not.toHaveProperty('theme');
    expect(layers.fileIssues).toEqual([
      expect.objectContaining({
        message: `policy file ${path} is not owned by root; ignored (IT's policy must be writable by administrators only)`,
      }),
    ]);
  });

  it('uses a file owned by root that only root may write', () => {
    const path = policyFile('protected.json', { managed: { theme: 'dark' } }, 0, 0o644);
    const layers = readPolicyFile(path, { requireProtected: true, platform: 'linux' });
    expect(layers.managed.values).toMatchObject({ theme: 'dark' });
    expect(layers.fileIssues).toEqual([]);
  });
});
