import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { APP_HOST, APP_SCHEME } from './app-origin';

/** Outcome of mapping an `app://` request to a file of the built renderer. */
export type AppAssetResolution =
  | { ok: true; filePath: string; mimeType: string; isDocument: boolean }
  | { ok: false; status: 400 | 403 | 404; reason: string };

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Windows device names: `com1.txt` opens a serial port (a read can block main's file threads), `nul.json` the null device. */
const WINDOWS_DEVICE =
  /^(?:con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]|conin\$|conout\$)$/i;

/**
 * A path segment Windows reads as something else than a file of that name: a device (whatever the
 * extension), an NTFS stream (`index.html:x.js`), or a name it trims (a trailing dot or space). The
 * built renderer has no such file, so they are refused on every platform.
 */
function windowsSpecialName(segment: string): boolean {
  const base = segment.split('.', 1)[0]?.trimEnd() ?? '';
  return WINDOWS_DEVICE.test(base) || segment.includes(':') || /[. ]$/.test(segment);
}

/**
 * Maps `app://tessera/<path>` to a file inside `rootDir`, refusing anything that could escape it:
 * other hosts, `..` segments (raw or percent-encoded), backslashes, NUL bytes, absolute paths, and names
 * Windows reads as a device, a stream or another name.
 */
export function resolveAppAsset(requestUrl: string, rootDir: string): AppAssetResolution {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'malformed URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) {
    return { ok: false, status: 403, reason: 'not the app origin' };
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'malformed percent-encoding' };
  }
  if (pathname.includes('\0') || pathname.includes('\\')) {
    return { ok: false, status: 400, reason: 'forbidden character in path' };
  }
  const segments = pathname.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.')) {
    return { ok: false, status: 403, reason: 'path traversal' };
  }
  if (segments.some(windowsSpecialName)) {
    return { ok: false, status: 400, reason: 'forbidden name in path' };
  }
  const relativePath = segments.length === 0 ? 'index.html' : segments.join(sep);
  const root = resolve(rootDir);
  const filePath = resolve(root, relativePath);
  const rel = relative(root, filePath);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    return { ok: false, status: 403, reason: 'path traversal' };
  }
  const extension = extname(filePath).toLowerCase();
  const mimeType = MIME_TYPES[extension];
  if (!mimeType) return { ok: false, status: 404, reason: 'unknown file type' };
  return { ok: true, filePath, mimeType, isDocument: extension === '.html' };
}
