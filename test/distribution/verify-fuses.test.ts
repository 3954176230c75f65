import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from './source-scan';

// No Electron binary can be downloaded here, so these are stand-ins: shell scripts that carry a real fuse
// wire (the sentinel @electron/fuses searches for, version 1, length, one byte per fuse) and, when told
// to, behave like an Electron whose RunAsNode fuse is on by running Node for ELECTRON_RUN_AS_NODE=1.
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
// Wire order: RunAsNode, CookieEncryption, NodeOptions, NodeCliInspect, AsarIntegrity, OnlyLoadAppFromAsar,
// BrowserV8Snapshot, GrantFileProtocolExtraPrivileges, WasmTrapHandlers.
const RELEASE_WIRE = '010011001';
const E2E_WIRE = '010111001';
const ELECTRON_DEFAULT_WIRE = '101100011';
/** The stand-ins are shell scripts: on Windows these cases cannot run, and say so when skipped. */
const POSIX_ONLY_REASON =
  'the stand-in Electron binaries are #!/bin/sh scripts, which Windows cannot execute';
/** A case that runs where `#!/bin/sh` does; elsewhere it prints why it is skipped, and skips with that reason. */
function posixOnly(name: string, body: () => void): void {
  it(name, (context) => {
    if (process.platform === 'win32') {
      console.warn(`[verify-fuses] ${name}: skipped: ${POSIX_ONLY_REASON}`);
      context.skip(POSIX_ONLY_REASON);
    }
    body();
  });
}

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'tessera-fuses-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

function fakeElectron(relPath: string, wire: string, options: { honoursRunAsNode?: boolean } = {}): string {
  const file = join(work, relPath);
  mkdirSync(dirname(file), { recursive: true });
  const runAsNode = options.honoursRunAsNode
    ? `if [ "$ELECTRON_RUN_AS_NODE" = 1 ]; then exec "${process.execPath}" "$@"; fi\n`
    : '';
  const header = Buffer.concat([Buffer.from(`#!/bin/sh\n# ${SENTINEL}`), Buffer.from([1, wire.length])]);
  writeFileSync(file, Buffer.concat([header, Buffer.from(`${wire}\n${runAsNode}exit 3\n`)]), { mode: 0o755 });
  return file;
}

function verify(...args: string[]) {
  return spawnSync(process.execPath, ['scripts/verify-fuses.mjs', '--probe-timeout-ms', '5000', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
}

describe('scripts/verify-fuses.mjs', () => {
  posixOnly('passes a release binary whose fuses match and which refuses ELECTRON_RUN_AS_NODE', () => {
    const result = verify(fakeElectron('app/tessera', RELEASE_WIRE));
    expect(result.stdout).toMatch(/release fuses as expected; ELECTRON_RUN_AS_NODE refused/);
    expect(result.status).toBe(0);
  });

  posixOnly('fails a binary that runs as Node under ELECTRON_RUN_AS_NODE=1', () => {
    const result = verify(fakeElectron('app/tessera', RELEASE_WIRE, { honoursRunAsNode: true }));
    expect(result.stderr).toMatch(/ELECTRON_RUN_AS_NODE=1 ran it as Node/);
    expect(result.status).toBe(1);
  });

  posixOnly('fails an unflipped Electron and names every wrong fuse', () => {
    const result = verify(fakeElectron('app/tessera', ELECTRON_DEFAULT_WIRE));
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

  posixOnly('expects the inspector on with --e2e, and off without it', () => {
    expect(verify('--e2e', fakeElectron('e2e/tessera', E2E_WIRE)).status).toBe(0);
    const release = verify('--e2e', fakeElectron('rel/tessera', RELEASE_WIRE));
    expect(release.status).toBe(1);
    expect(release.stderr).toMatch(/enableNodeCliInspectArguments is off, expected on/);
    expect(verify(join(work, 'e2e/tessera')).stderr).toMatch(
      /enableNodeCliInspectArguments is on, expected off/,
    );
  });

  it('reads the fuses of apps built for another OS from a dist folder without running them', () => {
    const foreign = process.platform === 'win32' ? 'linux-unpacked/tessera' : 'win-unpacked/Tessera.exe';
    fakeElectron(join('dist', foreign), RELEASE_WIRE);
    fakeElectron(
      'dist/mac-arm64/Tessera.app/Contents/Frameworks/Electron Framework.framework/Electron Framework',
      RELEASE_WIRE,
    );
    fakeElectron('dist/mac-arm64/Tessera.app/Contents/MacOS/Tessera', '');
    const result = verify('--dist', join(work, 'dist'));
    expect(result.stdout.match(/release fuses as expected/g)?.length).toBeGreaterThanOrEqual(2);
    expect(result.stdout).toMatch(/Tessera\.app: release fuses as expected; ELECTRON_RUN_AS_NODE not probed/);
    expect(result.status).toBe(0);
  });

  it('fails a file that carries no fuse wire', () => {
    const file = join(work, 'not-electron');
    writeFileSync(file, 'just text\n', { mode: 0o755 });
    const result = verify(file);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/cannot read the fuse wire/);
  });

  it('exits 0 with a notice only when told --if-present and nothing was built', () => {
    const empty = verify('--if-present', '--dist', join(work, 'nothing'));
    expect(empty.status).toBe(0);
    expect(empty.stdout).toMatch(/nothing to verify \(--if-present\)/);
    expect(verify('--dist', join(work, 'nothing')).status).toBe(1);
    expect(verify(join(work, 'missing-binary')).status).toBe(1);
  });
});
