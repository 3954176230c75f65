import { readFile } from 'node:fs/promises';
import { protocol, type Session } from 'electron';
import { APP_SCHEME } from '../security/app-origin';
import { resolveAppAsset } from '../security/app-protocol';

/** Must run before `app.ready`: makes `app://` a standard, secure origin with fetch support. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/**
 * Serves the built renderer from `rootDir` on `app://tessera`, with the CSP header on documents.
 * The path decision (and traversal rejection) is the electron-free `resolveAppAsset`.
 */
export function setupAppProtocol(session: Session, rootDir: string, getCsp: () => string): void {
  session.protocol.handle(APP_SCHEME, async (request) => {
    const asset = resolveAppAsset(request.url, rootDir);
    if (!asset.ok) return new Response(asset.reason, { status: asset.status });
    try {
      const body = await readFile(asset.filePath);
      const headers: Record<string, string> = {
        'Content-Type': asset.mimeType,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
      };
      if (asset.isDocument) headers['Content-Security-Policy'] = getCsp();
      return new Response(body, { status: 200, headers });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}
