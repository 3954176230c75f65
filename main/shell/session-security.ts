import type { Session } from 'electron';
import type { CorsPatch, CorsResponse } from '../security/cors';
import { decidePermission } from '../security/permissions';

/**
 * Permission handlers (deny all but Local Network Access for the app's own page), the spell checker off
 * (no dictionary download), downloads cancelled, and CORS headers for the configured API origin only (`corsPatch`: the
 * composition root's rule, the one the e2e browser host applies too). Decisions are electron-free functions in ../security; this only
 * adapts Electron's callbacks to them.
 */
export function setupSessionSecurity(
  session: Session,
  corsPatch: (response: CorsResponse) => CorsPatch | null,
): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(
      decidePermission({
        permission,
        requestingUrl: details.requestingUrl,
        isMainFrame: details.isMainFrame,
      }),
    );
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    decidePermission({
      permission,
      requestingUrl: details.requestingUrl ?? requestingOrigin,
      isMainFrame: details.isMainFrame ?? false,
    }),
  );
  session.setDevicePermissionHandler(() => false);
  // webPreferences.spellcheck is off in every window, but the session's spell checker still fetched the
  // OS language's Hunspell dictionary from Google's servers at start (electron/electron#22995): off too.
  session.setSpellCheckerEnabled(false);
  // The page never downloads anything (main saves diagnostics itself), and Electron's default for a
  // download is a save dialog per file, without limit: one a page starts is cancelled, so it can neither
  // stack dialogs nor have the person write a file of its choosing to disk.
  session.on('will-download', (event) => event.preventDefault());
  session.webRequest.onHeadersReceived((details, callback) => {
    const patch = corsPatch({
      method: details.method,
      url: details.url,
      statusCode: details.statusCode,
      responseHeaders: details.responseHeaders ?? {},
    });
    if (!patch) {
      callback({});
      return;
    }
    callback(
      patch.statusLine ? { responseHeaders: patch.responseHeaders, statusLine: patch.statusLine } : patch,
    );
  });
}
