import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from './source-scan';

// No Electron binary can be downloaded here, so these are stand-ins that carry a real fuse wire (the
// sentinel @electron/fuses searches for, version 1, length, one byte per fuse). One that is run is a copy
// of this Node executable with the wire appended, so it starts on every OS: run with the probe's
// ELECTRON_RUN_AS_NODE=1 and `-e`, it runs the probe script, as an Electron whose RunAsNode fuse is on
// would. To act as an Electron that refuses, the run gets NODE_OPTIONS preloading a script that exits 3
// when ELECTRON_RUN_AS_NODE=1 (so only the probe, never verify-fuses itself, is stopped by it).
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Wire order: RunAsNode, CookieEncryption, NodeOptions, NodeCliInspect, AsarIntegrity, OnlyLoadAppFromAsar,
// BrowserV8Snapshot, GrantFileProtocolExtraPrivileges, WasmTrapHandlers.
const RELEASE_WIRE = '010011001';
const E2E_WIRE = '010111001';
const ELECTRON_DEFAULT_WIRE = '101100011';
const EXE = process.platform === 'win32' ? '.exe' : '';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'tessera-fuses-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

function fuseWire(wire: string): Buffer {
  return Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, wire.length]), Buffer.from(wire)]);
}

/** A file that only carries the wire (an app built for another OS: read, never run). */
function wireFile(relPath: string, wire: string): string {
  const file = join(work, relPath);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, Buffer.concat([Buffer.from('not run here\n'), fuseWire(wire)]));
  return file;
}

/** An executable stand-in for this OS: this Node, with the wire appended. */
function fakeElectron(relPath: string, wire: string): string {
  const file = join(work, `${relPath}${EXE}`);
  mkdirSync(dirname(file), { recursive: true });
  copyFileSync(process.execPath, file);
  appendFileSync(file, fuseWire(wire));
  return file;
}

/** Runs verify-fuses; unless `runsAsNode`, the stand-ins it probes refuse ELECTRON_RUN_AS_NODE. */
function verify(args: string[], options: { runsAsNode?: boolean } = {}) {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  if (!options.runsAsNode) {
    const refuse = join(work, 'refuse-run-as-node.cjs');
    writeFileSync(refuse, "if (process.env.ELECTRON_RUN_AS_NODE === '1') process.exit(3);\n");
    // NODE_OPTIONS reads a quoted string with backslash escapes: JSON's quoting fits (Windows paths).
    env.NODE_OPTIONS = `--require ${JSON.stringify(refuse)}`;
  }
  return spawnSync(process.execPath, ['scripts/verify-fuses.mjs', '--probe-timeout-ms', '5000', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env,
  });
}

describe('scripts/verify-fuses.mjs', () => {
  it('passes a release binary whose fuses match and which refuses ELECTRON_RUN_AS_NODE', () => {
    const result = verify([fakeElectron('app/tessera', RELEASE_WIRE)]);
    expect(result.stdout).toMatch(/release fuses as expected; ELECTRON_RUN_AS_NODE refused/);
    expect(result.status).toBe(0);
  });

  it('fails a binary that runs as Node under ELECTRON_RUN_AS_NODE=1', () => {
    const result = verify([fakeElectron('app/tessera', RELEASE_WIRE)], { runsAsNode: true });
    expect(result.stderr).toMatch(/ELECTRON_RUN_AS_NODE=1 ran it as Node/);
    expect(result.status).toBe(1);
  });

  it('fails an unflipped Electron and names every wrong fuse', () => {
    const result = verify([fakeElectron('app/tessera', ELECTRON_DEFAULT_WIRE)]);
    expect(result.status).toBe(1);
    for (const fuse of [
      'runAsNode is on',
      'enableCookieEncryption is off',
      'enableNodeOptionsEnvironmentVariable is on',
      'enableNodeCliInspectArguments is on',
      'enableEmbeddedAsarIntegrityValidation is off',
      'onlyLoadAppFromAsar is off',
      'grantFileProtocolExtraPrivileges is on',
    ]) {
      expect(result.stderr).toContain(`fuse ${fuse}`);
    }
  });

  it('expects the inspector on with --e2e, and off without it', () => {
    expect(verify(['--e2e', fakeElectron('e2e/tessera', E2E_WIRE)]).status).toBe(0);
    const release = verify(['--e2e', fakeElectron('rel/tessera', RELEASE_WIRE)]);
    expect(release.status).toBe(1);
    expect(release.stderr).toMatch(/enableNodeCliInspectArguments is off, expected on/);
    expect(verify([join(work, `e2e/tessera${EXE}`)]).stderr).toMatch(
      /enableNodeCliInspectArguments is on, expected off/,
    );
  });

  it('reads the fuses of apps built for another OS from a dist folder without running them', () => {
    const foreign = process.platform === 'win32' ? 'linux-unpacked/tessera' : 'win-unpacked/Tessera.exe';
    wireFile(join('dist', foreign), RELEASE_WIRE);
    wireFile(
      'dist/mac-arm64/Tessera.app/Contents/Frameworks/Electron Framework.framework/Electron Framework',
      RELEASE_WIRE,
    );
    wireFile('dist/mac-arm64/Tessera.app/Contents/MacOS/Tessera', '');
    const result = verify(['--dist', join(work, 'dist')]);
    expect(result.stdout.match(/release fuses as expected/g)?.length).toBeGreaterThanOrEqual(2);
    expect(result.stdout).toMatch(/Tessera\.app: release fuses as expected; ELECTRON_RUN_AS_NODE not probed/);
    expect(result.status).toBe(0);
  });

  it('fails a file that carries no fuse wire', () => {
    const file = join(work, 'not-electron');
    writeFileSync(file, 'just text\n', { mode: 0o755 });
    const result = verify([file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/cannot read the fuse wire/);
  });

  it('exits 0 with a notice only when told --if-present and nothing was built', () => {
    const empty = verify(['--if-present', '--dist', join(work, 'nothing')]);
    expect(empty.status).toBe(0);
    expect(empty.stdout).toMatch(/nothing to verify \(--if-present\)/);
    expect(verify(['--dist', join(work, 'nothing')]).status).toBe(1);
    expect(verify([join(work, 'missing-binary')]).status).toBe(1);
  });
});
