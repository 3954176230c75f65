// The maintainer scripts of the deb and rpm, as electron-builder writes them for the release config.
// Installing a package into / needs root, so the scripts run here as the package manager runs them (bash,
// with its arguments) against a stand-in update-alternatives on PATH that records its calls; the
// AppArmor part only acts on /etc/apparmor.d/tessera, which this machine does not have.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuilderConfig, RELEASE_CONFIG_FILE } from '../../scripts/release-config.mjs';
import { linuxPackageScripts, silenceBuilderLog } from './builder-internals.mjs';
import { ROOT } from './source-scan';

let release: Configuration;
let dir = '';

beforeAll(async () => {
  silenceBuilderLog();
  release = await loadBuilderConfig(ROOT, RELEASE_CONFIG_FILE);
  dir = mkdtempSync(join(tmpdir(), 'tessera-fpm-'));
  const log = join(dir, 'calls');
  writeFileSync(join(dir, 'update-alternatives'), `#!/bin/sh\necho "$*" >> '${log}'\n`);
  chmodSync(join(dir, 'update-alternatives'), 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `script` with `arg` as the package manager would; returns the update-alternatives calls. */
function run(script: string, arg: string): string[] {
  const file = join(dir, 'script');
  rmSync(join(dir, 'calls'), { force: true });
  writeFileSync(file, script);
  const result = spawnSync('bash', [file, arg], {
    encoding: 'utf8',
    env: { PATH: `${dir}:/usr/sbin:/usr/bin:/sbin:/bin` },
  });
  expect(result.status, result.stderr).toBe(0);
  try {
    return readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
  } catch {
    return [];
  }
}

describe('the deb postrm and rpm %postun (after-remove)', () => {
  it('leaves the tessera command in place during an rpm upgrade, which runs it after the new %post', async () => {
    const { afterRemove } = await linuxPackageScripts(ROOT, release, 'rpm');
    // rpm passes the number of versions still installed: 1 while upgrading, 0 on erase.
    expect(run(afterRemove, '1')).toEqual([]);
    expect(run(afterRemove, '2')).toEqual([]);
    expect(run(afterRemove, '0')).toEqual(['--remove tessera /opt/Tessera/tessera']);
  });

  it('removes the tessera command on apt remove and purge, not on an upgrade or its undoing', async () => {
    const { afterRemove } = await linuxPackageScripts(ROOT, release, 'deb');
    for (const action of ['remove', 'purge'])
      expect(run(afterRemove, action), action).toEqual(['--remove tessera /opt/Tessera/tessera']);
    for (const action of ['upgrade', 'failed-upgrade', 'abort-upgrade'])
      expect(run(afterRemove, action), action).toEqual([]);
  });

  it("is electron-builder's own after-remove script with only the upgrade guard added", () => {
    const ours = readFileSync(join(ROOT, 'build/linux/after-remove.sh'), 'utf8').split('\n');
    const guardEnd = ours.indexOf('esac');
    expect(guardEnd).toBeGreaterThan(0);
    const template = readFileSync(
      join(ROOT, 'node_modules/app-builder-lib/templates/linux/after-remove.tpl'),
      'utf8',
    );
    expect([ours[0], ...ours.slice(guardEnd + 1)].join('\n').trimEnd()).toBe(template.trimEnd());
  });
});
