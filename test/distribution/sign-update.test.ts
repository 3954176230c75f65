// scripts/sign-update.mjs signs Linux update files; the app checks them with verifyDetachedSignature.
// Run as a release engineer would run it: the CLI, then the app's own check on what it wrote.
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadUpdateKeys, parsePublicKey, verifyDetachedSignature } from '../../main/updates/update-signature';
import { ROOT } from './source-scan';

function signUpdate(...args: string[]) {
  const result = spawnSync(process.execPath, ['scripts/sign-update.mjs', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The key line the script prints after its "Public key (add it to …)" heading. */
function printedKey(stdout: string): string {
  const lines = stdout.trim().split('\n');
  const at = lines.findIndex((line) => line.startsWith('Public key (add it to UPDATE_PUBLIC_KEYS'));
  expect(at).toBeGreaterThanOrEqual(0);
  return lines[at + 1] ?? '';
}

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-sign-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('sign-update.mjs --generate-key', () => {
  it('writes a private key only its owner can read and prints the public key the app parses', () => {
    const keys = join(dir, 'keys');
    const result = signUpdate('--generate-key', keys);
    expect(result.status).toBe(0);
    const privatePath = join(keys, 'tessera-update-key.pem');
    const publicPath = join(keys, 'tessera-update-key.pub.pem');
    expect(readFileSync(privatePath, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    if (process.platform !== 'win32') expect(statSync(privatePath).mode & 0o777).toBe(0o600);
    const printed = printedKey(result.stdout);
    expect(printed).toMatch(/^MCowBQYDK2VwAyEA[A-Za-z0-9+/]{43}=$/);
    expect(parsePublicKey(printed).equals(parsePublicKey(readFileSync(publicPath, 'utf8')))).toBe(true);
    expect(loadUpdateKeys([printed]).problems).toEqual([]);
    expect(result.stdout).not.toContain('PRIVATE KEY');
  });

  it('never replaces an existing key', () => {
    const keys = join(dir, 'keys');
    expect(signUpdate('--generate-key', keys).status).toBe(0);
    const before = readFileSync(join(keys, 'tessera-update-key.pem'), 'utf8');
    const again = signUpdate('--generate-key', keys);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/exists; not replacing a signing key/);
    expect(readFileSync(join(keys, 'tessera-update-key.pem'), 'utf8')).toBe(before);
  });
});

describe('sign-update.mjs --key', () => {
  it('writes <file>.sig for each file, and the app accepts exactly those files with the printed key', () => {
    const keys = join(dir, 'keys');
    const printed = printedKey(signUpdate('--generate-key', keys).stdout);
    const appImage = join(dir, 'Tessera-2.0.0-x86_64.AppImage');
    const deb = join(dir, 'tessera_2.0.0_amd64.deb');
    writeFileSync(appImage, 'AppImage bytes');
    writeFileSync(deb, 'deb bytes');

    const result = signUpdate('--key', join(keys, 'tessera-update-key.pem'), appImage, deb);
    expect(result.status).toBe(0);
    expect(printedKey(result.stdout)).toBe(printed);
    const sig = readFileSync(`${appImage}.sig`);
    expect(sig.toString()).toMatch(/^[A-Za-z0-9+/]{86}==\n$/);
    expect(verifyDetachedSignature(readFileSync(appImage), sig, printed)).toBe(true);
    expect(verifyDetachedSignature(readFileSync(deb), readFileSync(`${deb}.sig`), printed)).toBe(true);

    // The signature binds the bytes and the key: another file or another key does not verify.
    expect(verifyDetachedSignature(readFileSync(deb), sig, printed)).toBe(false);
    const other = printedKey(signUpdate('--generate-key', join(dir, 'other')).stdout);
    expect(verifyDetachedSignature(readFileSync(appImage), sig, other)).toBe(false);
  });

  it('refuses a key that is not Ed25519 and writes no signature', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const keyPath = join(dir, 'rsa.pem');
    writeFileSync(keyPath, rsa.privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
    const file = join(dir, 'a.AppImage');
    writeFileSync(file, 'x');
    const result = signUpdate('--key', keyPath, file);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/rsa key; Tessera signatures need an Ed25519 key/);
    expect(existsSync(`${file}.sig`)).toBe(false);
  });

  it('fails for a file it cannot read, still signing the others', () => {
    const keys = join(dir, 'keys');
    signUpdate('--generate-key', keys);
    const file = join(dir, 'a.AppImage');
    writeFileSync(file, 'x');
    const result = signUpdate(
      '--key',
      join(keys, 'tessera-update-key.pem'),
      join(dir, 'missing.AppImage'),
      file,
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/missing\.AppImage: .*ENOENT/);
    expect(existsSync(`${file}.sig`)).toBe(true);
  });

  it('explains its usage when arguments are missing', () => {
    for (const args of [[], ['--key', join(dir, 'k.pem')], ['--generate-key', dir, 'extra']]) {
      const result = signUpdate(...args);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/usage: node scripts\/sign-update\.mjs/);
    }
  });
});
