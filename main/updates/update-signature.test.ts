import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UPDATE_PUBLIC_KEYS } from './update-key';
import {
  checkUpdateStatement,
  compareVersions,
  downloadSignature,
  loadUpdateKeys,
  MAX_SIGNATURE_FILE_BYTES,
  parsePublicKey,
  parseSignature,
  verifyDetachedSignature,
} from './update-signature';
import { formatStatementFile, formatUpdateStatement, parseStatementFile } from './update-statement.mjs';

const release = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');
/** The one-line form scripts/sign-update.mjs prints (base64 SPKI DER). */
const releaseKeyLine = release.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
const releaseKeyPem = release.publicKey.export({ format: 'pem', type: 'spki' }).toString();
const appImage = Buffer.from('\x7fELF… pretend this is Tessera-2.0.0-x86_64.AppImage');
const rawSignature = sign(null, appImage, release.privateKey);
const sigFile = Buffer.from(`${rawSignature.toString('base64')}\n`);

describe('verifyDetachedSignature()', () => {
  it('accepts the signature of the file by the built-in key (base64 line, PEM or KeyObject key)', () => {
    expect(verifyDetachedSignature(appImage, sigFile, releaseKeyLine)).toBe(true);
    expect(verifyDetachedSignature(appImage, sigFile, releaseKeyPem)).toBe(true);
    expect(verifyDetachedSignature(appImage, sigFile, release.publicKey)).toBe(true);
  });

  it('accepts a raw 64-byte signature (openssl pkeyutl -sign -rawin)', () => {
    expect(verifyDetachedSignature(appImage, rawSignature, release.publicKey)).toBe(true);
  });

  it('refuses a changed file, another key, or a signature of something else', () => {
    const tampered = Buffer.from(appImage);
    tampered[0] = 0;
    expect(verifyDetachedSignature(tampered, sigFile, release.publicKey)).toBe(false);
    expect(verifyDetachedSignature(appImage, sigFile, stranger.publicKey)).toBe(false);
    const otherSig = sign(null, Buffer.from('latest-linux.yml'), release.privateKey);
    expect(verifyDetachedSignature(appImage, otherSig, release.publicKey)).toBe(false);
    const byStranger = sign(null, appImage, stranger.privateKey);
    expect(verifyDetachedSignature(appImage, byStranger, release.publicKey)).toBe(false);
  });

  it('refuses malformed signatures and keys without throwing', () => {
    for (const bad of ['', 'not base64!', 'AAAA', `${sigFile.toString().trim()}AA`]) {
      expect(verifyDetachedSignature(appImage, Buffer.from(bad), release.publicKey)).toBe(false);
    }
    expect(verifyDetachedSignature(appImage, Buffer.alloc(65), release.publicKey)).toBe(false);
    expect(verifyDetachedSignature(appImage, sigFile, 'MCowBQYDK2VwAyEAnot-a-key')).toBe(false);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    expect(verifyDetachedSignature(appImage, sigFile, rsa.publicKey)).toBe(false);
  });
});

describe('parseSignature()', () => {
  it('reads the base64 line with surrounding whitespace and raw bytes, nothing else', () => {
    expect(parseSignature(Buffer.from(`  ${rawSignature.toString('base64')}\r\n`))).toEqual(rawSignature);
    expect(parseSignature(rawSignature)).toEqual(rawSignature);
    expect(parseSignature(Buffer.from(rawSignature.toString('base64url')))).toBeNull();
    expect(parseSignature(Buffer.alloc(MAX_SIGNATURE_FILE_BYTES + 1, 0x41))).toBeNull();
  });
});

describe('compareVersions()', () => {
  it('orders by SemVer precedence: numbers numerically, a pre-release before its release', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.9.0',
      '1.10.0',
      '2.0.0',
      '10.0.0',
      '99999999999999999999.0.0',
    ];
    for (let i = 0; i < ordered.length; i += 1) {
      for (let j = 0; j < ordered.length; j += 1) {
        expect(Math.sign(compareVersions(ordered[i] ?? '', ordered[j] ?? '') ?? Number.NaN)).toBe(
          Math.sign(i - j),
        );
      }
    }
    expect(compareVersions('1.0.0+build.2', '1.0.0+build.1')).toBe(0);
  });

  it('is null for what is not a SemVer version', () => {
    for (const bad of ['v1.0.0', '1.0', '01.0.0', '1.0.0-', '1.0.0-01', '', ' 1.0.0']) {
      expect(compareVersions(bad, '1.0.0')).toBeNull();
      expect(compareVersions('1.0.0', bad)).toBeNull();
    }
  });
});

describe('checkUpdateStatement()', () => {
  const bytes = 'the 2.0.0 AppImage';
  const fields = {
    product: 'Tessera',
    version: '2.0.0',
    file: 'Tessera-2.0.0-x86_64.AppImage',
    sha512: createHash('sha512').update(bytes).digest('hex'),
  };
  const expected = {
    file: fields.file,
    sha512: fields.sha512,
    feedVersion: '2.0.0',
    currentVersion: '1.0.0',
    channel: 'latest',
  };
  const signed = (overrides: Partial<typeof fields> = {}, key = release.privateKey) => {
    const text = formatUpdateStatement({ ...fields, ...overrides });
    return Buffer.from(formatStatementFile(text, sign(null, Buffer.from(text), key)));
  };

  it('accepts a statement by a built-in key that names this product, file, bytes and offered version', () => {
    expect(checkUpdateStatement(signed(), [stranger.publicKey, release.publicKey], expected)).toBeNull();
    expect(parseStatementFile(signed())).toMatchObject({ fields });
  });

  it('refuses a statement for another product signed with the same key', () => {
    expect(checkUpdateStatement(signed({ product: 'Other App' }), [release.publicKey], expected)).toMatch(
      /is for Other App, not Tessera/,
    );
  });

  it('refuses another key, and no key at all', () => {
    expect(checkUpdateStatement(signed({}, stranger.privateKey), [release.publicKey], expected)).toMatch(
      /not signed with the key/,
    );
    expect(checkUpdateStatement(signed(), [], expected)).toMatch(/not signed with the key/);
  });

  it('refuses statements that are not exactly the format, whatever they are signed with', () => {
    const good = signed().toString();
    for (const bad of [
      good.replace('product: ', 'product:  '),
      good.replace('\nversion', '\r\nversion'),
      good.replace(/^signature: .*\n/m, ''),
      good.replace(/\n$/, ''),
      good.replace('tessera-update-statement v1', 'tessera-update-statement v2'),
      good.replace(fields.sha512, fields.sha512.toUpperCase()),
    ]) {
      expect(checkUpdateStatement(Buffer.from(bad), [release.publicKey], expected)).toMatch(
        /update statement|not signed/,
      );
    }
    expect(checkUpdateStatement(Buffer.from([0xff, 0xfe]), [release.publicKey], expected)).toMatch(
      /not UTF-8/,
    );
    expect(() => formatUpdateStatement({ ...fields, file: '../evil.AppImage' })).toThrow(/path separator/);
    expect(() => formatUpdateStatement({ ...fields, version: '2.0.0\nfile: x' })).toThrow(/SemVer/);
  });
});

describe('parsePublicKey() and loadUpdateKeys()', () => {
  it('parses the printed line and the PEM to the same key', () => {
    const fromLine = parsePublicKey(releaseKeyLine);
    const fromPem = parsePublicKey(`\n${releaseKeyPem}\n`);
    expect(fromLine.equals(fromPem)).toBe(true);
    expect(fromLine.equals(release.publicKey)).toBe(true);
  });

  it('refuses a private key, a non-Ed25519 key and garbage', () => {
    const privatePem = release.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => parsePublicKey(privatePem)).toThrow(/private key/);
    const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    expect(() => parsePublicKey(ecKey.export({ format: 'pem', type: 'spki' }).toString())).toThrow(/Ed25519/);
    expect(() => parsePublicKey('ssh-ed25519 AAAA… user@host')).toThrow();
  });

  it('leaves out (and reports) a key that does not parse, keeping the others', () => {
    const { keys, problems, unreadable } = loadUpdateKeys([releaseKeyLine, 'oops']);
    expect(keys).toHaveLength(1);
    expect(problems).toEqual([expect.stringMatching(/^update key 2: /)]);
    expect(unreadable).toBe(false);
  });

  it('calls the keys unreadable only when some were built in and none parsed', () => {
    expect(loadUpdateKeys(['oops', 'MCow-not-a-key']).unreadable).toBe(true);
    expect(loadUpdateKeys([]).unreadable).toBe(false);
    expect(loadUpdateKeys([releaseKeyLine]).unreadable).toBe(false);
  });

  it('every key built into this source tree parses (none by default)', () => {
    expect(loadUpdateKeys(UPDATE_PUBLIC_KEYS).problems).toEqual([]);
  });
});

describe('downloadSignature()', () => {
  // A local update server: Node's fetch stands in for Electron's session.fetch, the same Fetch API.
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((request, response) => {
      if (request.url === '/feed/app.AppImage.sig') return void response.end(sigFile);
      if (request.url === '/feed/huge.sig') return void response.end(Buffer.alloc(64 * 1024, 0x41));
      response.writeHead(404).end('not found');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/feed/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('returns the .sig bytes', async () => {
    const bytes = await downloadSignature((url) => fetch(url), `${base}app.AppImage.sig`);
    expect(verifyDetachedSignature(appImage, bytes, release.publicKey)).toBe(true);
  });

  it('rejects a missing signature and one too large to be a signature', async () => {
    await expect(downloadSignature((url) => fetch(url), `${base}missing.sig`)).rejects.toThrow(/404/);
    await expect(downloadSignature((url) => fetch(url), `${base}huge.sig`)).rejects.toThrow(/larger/);
  });
});
