// scripts/sign-update.mjs signs Linux update files; the app checks them with checkUpdateStatement.
// Run as a release engineer would run it: the CLI, then the app's own check on what it wrote.
import { spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkUpdateStatement,
  type ExpectedUpdate,
  loadUpdateKeys,
  parsePublicKey,
} from '../../main/updates/update-signature';
import { ROOT } from './source-scan';

const PACKAGE_VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

/** What the app checks a downloaded `file` against when the feed offers it as `feedVersion`. */
function expected(file: string, feedVersion: string, currentVersion = '0.0.1'): ExpectedUpdate {
  return {
    file: basename(file),
    sha512: createHash('sha512').update(readFileSync(file)).digest('hex'),
    feedVersion,
    currentVersion,
    channel: 'latest',
  };
}

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
  it('writes <file>.sig, a signed statement, for each file; the app accepts exactly those files', () => {
    const keys = join(dir, 'keys');
    const printed = parsePublicKey(printedKey(signUpdate('--generate-key', keys).stdout));
    const appImage = join(dir, 'Tessera-2.0.0-x86_64.AppImage');
    const deb = join(dir, 'tessera_2.0.0_amd64.deb');
    writeFileSync(appImage, 'AppImage bytes');
    writeFileSync(deb, 'deb bytes');

    const result = signUpdate(
      '--key',
      join(keys, 'tessera-update-key.pem'),
      '--version',
      '2.0.0',
      appImage,
      deb,
    );
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`signed ${appImage} as Tessera 2.0.0 → ${appImage}.sig`);
    expect(parsePublicKey(printedKey(result.stdout)).equals(printed)).toBe(true);
    const sig = readFileSync(`${appImage}.sig`);
    const sha512 = createHash('sha512').update('AppImage bytes').digest('hex');
    expect(sig.toString()).toMatch(
      new RegExp(
        '^tessera-update-statement v1\nproduct: Tessera\nversion: 2\\.0\\.0\n' +
          `file: Tessera-2\\.0\\.0-x86_64\\.AppImage\nsha512: ${sha512}\nsignature: [A-Za-z0-9+/]{86}==\n$`,
      ),
    );
    expect(checkUpdateStatement(sig, [printed], expected(appImage, '2.0.0'))).toBeNull();
    expect(checkUpdateStatement(readFileSync(`${deb}.sig`), [printed], expected(deb, '2.0.0'))).toBeNull();

    // The statement binds the file, its bytes, the version and the key: nothing else passes.
    expect(checkUpdateStatement(sig, [printed], expected(deb, '2.0.0'))).toMatch(/is for the file/);
    expect(checkUpdateStatement(sig, [printed], expected(appImage, '9.9.9'))).toMatch(/offers it as 9\.9\.9/);
    expect(checkUpdateStatement(sig, [printed], expected(appImage, '2.0.0', '2.0.0'))).toMatch(/not newer/);
    writeFileSync(appImage, 'AppImage bytes, changed');
    expect(checkUpdateStatement(sig, [printed], expected(appImage, '2.0.0'))).toMatch(/sha512/);
    const other = parsePublicKey(printedKey(signUpdate('--generate-key', join(dir, 'other')).stdout));
    expect(checkUpdateStatement(readFileSync(`${deb}.sig`), [other], expected(deb, '2.0.0'))).toMatch(
      /not signed with the key/,
    );
  });

  it("signs this checkout's package.json version unless --version names one, and refuses a bad version", () => {
    const keys = join(dir, 'keys');
    signUpdate('--generate-key', keys);
    const file = join(dir, 'Tessera-x86_64.AppImage');
    writeFileSync(file, 'x');
    expect(signUpdate('--key', join(keys, 'tessera-update-key.pem'), file).status).toBe(0);
    expect(readFileSync(`${file}.sig`, 'utf8')).toContain(`\nversion: ${PACKAGE_VERSION}\n`);
    rmSync(`${file}.sig`);
    for (const bad of ['v2.0.0', '2.0', '2.0.0\nfile: evil']) {
      const result = signUpdate('--key', join(keys, 'tessera-update-key.pem'), '--version', bad, file);
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/is not a SemVer version/);
      expect(existsSync(`${file}.sig`)).toBe(false);
    }
  });

  it("the guide's OpenSSL check of a .sig accepts what the script wrote and nothing edited", () => {
    const guide = readFileSync(join(ROOT, 'docs/it-guide.md'), 'utf8');
    const block = /\n(f=Tessera-<version>-x86_64\.AppImage\n[^`]*)```/.exec(guide)?.[1];
    expect(block).toBeDefined();
    const script = (block ?? '').replace('<version>', '2.0.0');
    const keys = join(dir, 'keys');
    signUpdate('--generate-key', keys);
    copyFileSync(join(keys, 'tessera-update-key.pub.pem'), join(dir, 'tessera-update-key.pub.pem'));
    const file = join(dir, 'Tessera-2.0.0-x86_64.AppImage');
    writeFileSync(file, 'AppImage bytes');
    signUpdate('--key', join(keys, 'tessera-update-key.pem'), '--version', '2.0.0', file);
    const run = () => spawnSync('sh', ['-c', script], { cwd: dir, encoding: 'utf8' });

    const good = run();
    expect(good.stdout).toContain('Signature Verified Successfully');
    const sha512 = createHash('sha512').update('AppImage bytes').digest('hex');
    expect(good.stdout).toContain(`version: 2.0.0\nfile: Tessera-2.0.0-x86_64.AppImage\nsha512: ${sha512}\n`);
    expect(good.stdout).toMatch(new RegExp(`SHA2?-?512\\(Tessera-2\\.0\\.0-x86_64\\.AppImage\\)= ${sha512}`));

    const sig = readFileSync(`${file}.sig`, 'utf8');
    writeFileSync(`${file}.sig`, sig.replace('version: 2.0.0', 'version: 9.9.9'));
    const edited = run();
    expect(`${edited.stdout}${edited.stderr}`).toMatch(/Signature Verification Failure/);
    expect(edited.stdout).not.toContain('Signature Verified Successfully');
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
