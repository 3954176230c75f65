import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readPolicyFile } from './layers';

// The tests run as root: files are given to `nobody` with a real chown, and modes are set for real.
const NOBODY = 65534;
const dir = mkdtempSync(join(tmpdir(), 'tessera-policy-protection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a policy file with a real owner and mode (in `dir`, or a folder below it). */
function policyFile(name: string, policy: unknown, owner: number, mode: number): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
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
    const layers = readPolicyFile(path, { requireProtected: true, platform: 'linux', policyRoot: dir });
    // The bytes read were nobody's: they are not used, and the reason names the file.
    expect(layers.managed.values).not.toHaveProperty('theme');
    expect(layers.fileIssues).toEqual([
      expect.objectContaining({
        message: `policy file ${path} is not owned by root; ignored (IT's policy must be writable by administrators only)`,
      }),
    ]);
  });

  it('uses a file owned by root that only root may write, in folders only root may write', () => {
    const path = policyFile('etc/tessera/protected.json', { managed: { theme: 'dark' } }, 0, 0o644);
    for (const folder of ['etc/tessera', 'etc']) chmodSync(join(dir, folder), 0o755);
    const layers = readPolicyFile(path, { requireProtected: true, platform: 'darwin', policyRoot: dir });
    expect(layers.managed.values).toMatchObject({ theme: 'dark' });
    expect(layers.fileIssues).toEqual([]);
  });

  // As on Windows (windowsAclProblem): whoever may rename in a folder of the chain may replace the file.
  it.each([
    ['a folder another user owns', 'etc/tessera', NOBODY, NOBODY, 0o755, 'is not owned by root'],
    [
      "a folder a users' group may write",
      'etc/tessera',
      0,
      NOBODY,
      0o775,
      'may be written by users other than root',
    ],
    ['a world-writable folder higher up', 'etc', 0, 0, 0o777, 'may be written by users other than root'],
  ])(
    'ignores a protected file in %s, naming the folder and what is wrong',
    (_, folder, owner, group, mode, what) => {
      const name = `${folder.replaceAll('/', '-')}-${mode.toString(8)}-${owner}`;
      const path = policyFile(`${name}/etc/tessera/policy.json`, { managed: { theme: 'dark' } }, 0, 0o644);
      for (const each of ['etc/tessera', 'etc']) chmodSync(join(dir, name, each), 0o755);
      chownSync(join(dir, name, folder), owner, group);
      chmodSync(join(dir, name, folder), mode);
      const layers = readPolicyFile(path, { requireProtected: true, platform: 'linux', policyRoot: dir });
      expect(layers.managed.values).not.toHaveProperty('theme');
      expect(layers.fileIssues).toEqual([
        expect.objectContaining({
          source: 'policyFile',
          message: `policy file ${path} is in folder ${join(dir, name, folder)}, which ${what}; ignored (IT's policy must be writable by administrators only)`,
        }),
      ]);
    },
  );

  it("uses a file in a folder root's group may write: administrators only, as on Windows", () => {
    const path = policyFile('admins/etc/tessera/policy.json', { managed: { theme: 'dark' } }, 0, 0o644);
    chmodSync(join(dir, 'admins/etc'), 0o755);
    chownSync(join(dir, 'admins/etc/tessera'), 0, 0);
    chmodSync(join(dir, 'admins/etc/tessera'), 0o775);
    const layers = readPolicyFile(path, { requireProtected: true, platform: 'linux', policyRoot: dir });
    expect(layers.managed.values).toMatchObject({ theme: 'dark' });
    expect(layers.fileIssues).toEqual([]);
  });

  it('checks the folders up to the root of the policy location, not above it', () => {
    // The temporary folder's own parent (/tmp) is writable by everyone: it is above the location here.
    const path = policyFile('location/policy.json', { managed: { theme: 'dark' } }, 0, 0o644);
    chmodSync(join(dir, 'location'), 0o755);
    const layers = readPolicyFile(path, {
      requireProtected: true,
      platform: 'linux',
      policyRoot: join(dir, 'location'),
    });
    expect(layers.managed.values).toMatchObject({ theme: 'dark' });
  });

  /**
   * A protected policy location (root-owned 0755 folders) holding a link to IT's file, root-owned 0644,
   * in a folder `owner` owns: the link and its target's paths.
   */
  function linkedPolicy(name: string, owner: number): { path: string; target: string } {
    const target = policyFile(
      `${name}/opt/corp/policy.json`,
      { managed: { updatesEnabled: false, theme: 'dark' } },
      0,
      0o644,
    );
    chmodSync(join(dir, name), 0o755);
    chmodSync(join(dir, name, 'opt'), 0o755);
    chownSync(join(dir, name, 'opt/corp'), owner, owner);
    chmodSync(join(dir, name, 'opt/corp'), 0o755);
    mkdirSync(join(dir, name, 'etc/tessera'), { recursive: true, mode: 0o755 });
    const path = join(dir, name, 'etc/tessera/policy.json');
    symlinkSync(target, path);
    return { path, target };
  }

  it("judges a linked policy file's target folders too: a user who may rename there may swap it", () => {
    const { path } = linkedPolicy('linked-user', NOBODY);
    const layers = readPolicyFile(path, {
      requireProtected: true,
      platform: 'linux',
      policyRoot: join(dir, 'linked-user'),
    });
    expect(layers.managed.values).not.toHaveProperty('theme');
    expect(layers.fileIssues).toEqual([
      expect.objectContaining({
        message: `policy file ${path} is in folder ${join(dir, 'linked-user/opt/corp')}, which is not owned by root; ignored (IT's policy must be writable by administrators only)`,
      }),
    ]);
    // The same link to a target in root's folders is IT's policy.
    const fine = linkedPolicy('linked-root', 0);
    const used = readPolicyFile(fine.path, {
      requireProtected: true,
      platform: 'linux',
      policyRoot: join(dir, 'linked-root'),
    });
    expect(used.managed.values).toMatchObject({ theme: 'dark', updatesEnabled: false });
    expect(used.fileIssues).toEqual([]);
  });

  it('fails closed on a protected link whose file is gone (deleted where it pointed): no lock is lifted', () => {
    const { path, target } = linkedPolicy('linked-gone', 0);
    const options = { requireProtected: true, platform: 'linux', policyRoot: join(dir, 'linked-gone') };
    expect(readPolicyFile(path, options).managed.values).toMatchObject({ updatesEnabled: false });
    rmSync(target);
    const layers = readPolicyFile(path, options);
    const messages = layers.fileIssues.map((issue) => issue.message);
    expect(messages[0]).toMatch(
      /^policy file .* is a symbolic link to ".*", which does not exist; not used until it is fixed$/,
    );
    expect(messages[1]).toContain('admin and connection settings are locked until it is fixed');
    // Admin and connection settings locked to their closed values, as for an unreadable file.
    expect(layers.managed.values).toMatchObject({ updatesEnabled: false, maxAccounts: 1 });
  });
});
