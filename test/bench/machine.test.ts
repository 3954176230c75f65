// What a results file records about the code it measured: the commit and whether the tree had changes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeCommit, gitState, machineInfo } from '../../bench/machine';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** A repository with one commit (bench/results.json and a source file), in a temporary folder. */
function repository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-bench-git-'));
  folders.push(dir);
  const git = (...args: string[]) => {
    const run = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(run.stderr);
  };
  git('init', '-q');
  mkdirSync(join(dir, 'bench'));
  writeFileSync(join(dir, 'bench', 'results.json'), '{}\n');
  writeFileSync(join(dir, 'code.ts'), 'export {};\n');
  git('add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qm', 'one');
  return dir;
}

describe('gitState', () => {
  it('records the commit checked out and a clean tree', () => {
    const state = gitState(repository());
    expect(state.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(state.dirty).toBe(false);
  });

  it('says the tree had local changes when a file was changed or added', () => {
    const changed = repository();
    writeFileSync(join(changed, 'code.ts'), 'export const x = 1;\n');
    expect(gitState(changed).dirty).toBe(true);
    const added = repository();
    writeFileSync(join(added, 'new.ts'), '\n');
    expect(gitState(added).dirty).toBe(true);
  });

  it('does not count the results file a run writes as a change to the code', () => {
    const dir = repository();
    writeFileSync(join(dir, 'bench', 'results.json'), '{"machine":{}}\n');
    expect(gitState(dir).dirty).toBe(false);
  });

  it('is "unknown" outside a repository or without git', () => {
    const plain = mkdtempSync(join(tmpdir(), 'tessera-bench-nogit-'));
    folders.push(plain);
    expect(gitState(plain)).toEqual({ commit: 'unknown' });
    expect(gitState(plain, () => ({ status: null, stdout: '' }))).toEqual({ commit: 'unknown' });
  });

  it('is part of the machine facts of a run', () => {
    expect(machineInfo().commit).toMatch(/^([0-9a-f]{40}|unknown)$/);
  });
});

describe('describeCommit', () => {
  const commit = '0123456789abcdef0123456789abcdef01234567';
  it('names the short commit and local changes, or says the file recorded none', () => {
    expect(describeCommit({ commit, dirty: false })).toBe('at commit 0123456');
    expect(describeCommit({ commit, dirty: true })).toBe('at commit 0123456 with local changes');
    expect(describeCommit({})).toBe('commit not recorded');
    expect(describeCommit({ commit: 'unknown' })).toBe('commit unknown (no git)');
  });
});
