// scripts/release-sums.ts writes SHA256SUMS and SHA256SUMS.sig into a release folder and verifies them.
// Run as a release engineer and an administrator would: the CLI, the coreutils/perl checksum tools and
// OpenSSL 3 — the exact commands docs/it-guide.md gives, read back from the guide.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from './source-scan';

const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const guide = readFileSync(join(ROOT, 'docs/it-guide.md'), 'utf8');

/** The one line of the guide that starts with `start` (the command an administrator copies). */
/** The guide's check of SHA256SUMS.sig (section 5 has another `openssl pkeyutl -verify`, for update statements). */
const SUMS_VERIFY = 'openssl pkeyutl -verify -pubin -inkey tessera-update-key.pub.pem -rawin -in SHA256SUMS ';

function guideCommand(start: string): string {
  const lines = guide.split('\n').filter((line) => line.trim().startsWith(start));
  expect(lines, start).toHaveLength(1);
  return (lines[0] ?? '').trim().replace(/\s+#.*$/, '');
}

function sums(args: string[], env: Record<string, string | undefined> = {}) {
  const result = spawnSync(TSX, ['scripts/release-sums.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, TESSERA_SIGNING_KEY: undefined, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function sh(command: string, cwd: string) {
  const result = spawnSync('sh', ['-c', command], { cwd, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

let dir = '';
let dist = '';
const release = keyPair();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-sums-'));
  dist = join(dir, 'dist');
  mkdirSync(join(dist, 'linux-unpacked'), { recursive: true });
  // What electron-builder leaves in dist/: release files, an unpacked app, its build records.
  writeFileSync(join(dist, 'Tessera-1.4.0-x86_64.AppImage'), 'AppImage bytes');
  writeFileSync(join(dist, 'tessera_1.4.0_amd64.deb'), 'deb bytes');
  writeFileSync(join(dist, 'Tessera Setup 1.4.0.exe'), 'a name with spaces');
  writeFileSync(join(dist, 'latest-linux.yml'), 'version: 1.4.0\n');
  writeFileSync(join(dist, 'linux-unpacked', 'tessera'), 'unpacked binary');
  writeFileSync(join(dist, 'builder-debug.yml'), 'x: 1\n');
  writeFileSync(join(dist, 'builder-effective-config.yaml'), 'appId: x\n');
  writeFileSync(join(dist, 'tessera-update-key.pub.pem'), release.publicPem);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('release-sums.ts write', () => {
  it('lists every release file, not the unpacked app or build records, in the format sha256sum checks', () => {
    const result = sums(['write', '--dist', dist], { TESSERA_SIGNING_KEY: release.privatePem });
    expect(result.status).toBe(0);
    const listed = readFileSync(join(dist, 'SHA256SUMS'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.slice(66));
    expect(listed).toEqual([
      'Tessera Setup 1.4.0.exe',
      'Tessera-1.4.0-x86_64.AppImage',
      'latest-linux.yml',
      'tessera-update-key.pub.pem',
      'tessera_1.4.0_amd64.deb',
    ]);
    expect(readFileSync(join(dist, 'SHA256SUMS.sig'))).toHaveLength(64);
    expect(result.stdout).toMatch(/SHA256SUMS\.sig: signed by MCowBQYDK2VwAyEA/);

    expect(sh(guideCommand('sha256sum '), dist)).toMatchObject({ status: 0 });
    expect(sh(guideCommand('shasum '), dist)).toMatchObject({ status: 0 });
  });

  it('takes the key as a file path too, and writes no signature (saying so) without one', () => {
    const keyFile = join(dir, 'key.pem');
    writeFileSync(keyFile, release.privatePem, { mode: 0o600 });
    expect(sums(['write', '--dist', dist], { TESSERA_SIGNING_KEY: keyFile }).status).toBe(0);
    expect(existsSync(join(dist, 'SHA256SUMS.sig'))).toBe(true);

    rmSync(join(dist, 'SHA256SUMS.sig'));
    const unsigned = sums(['write', '--dist', dist]);
    expect(unsigned.status).toBe(0);
    expect(unsigned.stdout).toMatch(/SHA256SUMS\.sig not written: TESSERA_SIGNING_KEY is not set/);
    expect(existsSync(join(dist, 'SHA256SUMS.sig'))).toBe(false);
  });

  it('refuses a key that is not Ed25519 and writes nothing', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const result = sums(['write', '--dist', dist], {
      TESSERA_SIGNING_KEY: rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/is a rsa key; Tessera signatures need an Ed25519 key/);
    expect(existsSync(join(dist, 'SHA256SUMS'))).toBe(false);
  });
});

describe('verifying a release folder', () => {
  beforeEach(() => {
    expect(sums(['write', '--dist', dist], { TESSERA_SIGNING_KEY: release.privatePem }).status).toBe(0);
  });

  it("accepts the untouched folder with the guide's OpenSSL command and with release-sums.ts verify", () => {
    const openssl = sh(guideCommand(SUMS_VERIFY), dist);
    expect(openssl).toMatchObject({
      status: 0,
      output: expect.stringMatching(/Signature Verified Successfully/),
    });
    const result = sums(['verify', '--dir', dist, '--public-key', join(dist, 'tessera-update-key.pub.pem')]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/SHA256SUMS\.sig: good signature/);
    expect(result.stdout).toMatch(/Tessera-1\.4\.0-x86_64\.AppImage: OK/);
  });

  it('checks only the files that were downloaded, and needs at least one', () => {
    rmSync(join(dist, 'tessera_1.4.0_amd64.deb'));
    const result = sums(['verify', '--dir', dist, `--public-key=${release.publicPem}`]);
    expect(result.status).toBe(0);
    expect(result.stdout).not.toMatch(/amd64\.deb/);

    const empty = join(dir, 'empty');
    mkdirSync(empty);
    for (const file of ['SHA256SUMS', 'SHA256SUMS.sig'])
      writeFileSync(join(empty, file), readFileSync(join(dist, file)));
    const none = sums(['verify', '--dir', empty, `--public-key=${release.publicPem}`]);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/none of the files listed/);
  });

  it('detects a tampered file, naming it', () => {
    writeFileSync(join(dist, 'Tessera-1.4.0-x86_64.AppImage'), 'AppImage bytes, changed');
    const result = sums(['verify', '--dir', dist, `--public-key=${release.publicPem}`]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Tessera-1\.4\.0-x86_64\.AppImage: FAILED/);
    expect(result.stderr).toMatch(/tessera_1\.4\.0_amd64\.deb: OK/);
    expect(sh(guideCommand('sha256sum '), dist).status).not.toBe(0);
  });

  it('detects a SHA256SUMS rewritten to match a tampered file (the signature no longer fits)', () => {
    const file = join(dist, 'SHA256SUMS');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/^[0-9a-f]{64}/, '0'.repeat(64)));
    const result = sums(['verify', '--dir', dist, `--public-key=${release.publicPem}`]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/NOT a signature of SHA256SUMS by this key/);
    expect(sh(guideCommand(SUMS_VERIFY), dist).status).not.toBe(0);
  });

  it('rejects the signature with another key', () => {
    const other = keyPair();
    writeFileSync(join(dist, 'tessera-update-key.pub.pem'), other.publicPem);
    expect(sh(guideCommand(SUMS_VERIFY), dist).status).not.toBe(0);
    const result = sums(['verify', '--dir', dist, `--public-key=${other.publicPem}`]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/NOT a signature/);
  });

  it('explains its usage when arguments are missing', () => {
    for (const args of [[], ['verify', '--dir', dist], ['sign']]) {
      const result = sums(args);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/usage: tsx scripts\/release-sums\.ts/);
    }
  });
});
