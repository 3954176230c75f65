import { join, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppAsset } from './app-protocol';

const root = resolve('/srv/tessera/renderer');

describe('resolveAppAsset()', () => {
  it('serves index.html for the root and files inside the renderer folder', () => {
    expect(resolveAppAsset('app://tessera/', root)).toEqual({
      ok: true,
      filePath: join(root, 'index.html'),
      mimeType: 'text/html; charset=utf-8',
      isDocument: true,
    });
    const asset = resolveAppAsset('app://tessera/assets/index-abc.js?v=1#x', root);
    expect(asset).toMatchObject({
      ok: true,
      filePath: join(root, 'assets', 'index-abc.js'),
      isDocument: false,
    });
  });

  it.each([
    'app://tessera/../secret.html',
    'app://tessera/%2e%2e/secret.html',
    'app://tessera/assets/%2E%2E/%2E%2E/%2E%2E/etc/passwd.txt',
  ])('keeps the dot-segment URL %s inside the renderer folder', (url) => {
    const result = resolveAppAsset(url, root);
    expect(result.ok && result.filePath.startsWith(root + sep)).toBe(true);
  });

  it.each([
    'app://tessera/assets/..%2f..%2fsecret.js',
    'app://tessera/assets/..%2F..%2F..%2Fetc%2Fpasswd.txt',
    'app://tessera/a/%2e%2e%2f%2e%2e%2fsecret.html',
  ])('refuses the encoded traversal attempt %s', (url) => {
    expect(resolveAppAsset(url, root)).toMatchObject({ ok: false, status: 403 });
  });

  it.each([
    'app://tessera/assets%5c..%5c..%5csecret.js',
    'app://tessera/index.html%00.js',
    'app://tessera/%E0%A4%A',
  ])('refuses the malformed path %s', (url) => {
    expect(resolveAppAsset(url, root)).toMatchObject({ ok: false, status: 400 });
  });

  it.each([
    'app://tessera/com1.txt',
    'app://tessera/assets/CON.json',
    'app://tessera/LPT9.svg',
    'app://tessera/aux',
    'app://tessera/nul.tar.json',
    'app://tessera/index.html:stream.js',
    'app://tessera/index.html.',
    'app://tessera/index.html%20',
  ])('refuses the Windows device name, stream or trailing dot or space in %s on every platform', (url) => {
    // On Windows these open a device (a serial port a read blocks on), an NTFS stream, or another name.
    expect(resolveAppAsset(url, root)).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses other hosts and schemes', () => {
    expect(resolveAppAsset('app://evil/index.html', root)).toMatchObject({ ok: false, status: 403 });
    expect(resolveAppAsset('file:///srv/tessera/renderer/index.html', root)).toMatchObject({
      ok: false,
      status: 403,
    });
  });

  it('answers 404 for file types it does not serve', () => {
    expect(resolveAppAsset('app://tessera/main.ts', root)).toMatchObject({ ok: false, status: 404 });
  });
});
