import { isAppUrl } from './app-origin';

/** Names Chromium has used for the Local Network Access permission. */
const LOCAL_NETWORK_PERMISSIONS: ReadonlySet<string> = new Set([
  'local-network-access',
  'loopback-network',
  'local-network',
]);

export interface PermissionQuery {
  permission: string;
  /** URL (or origin) of the frame asking. */
  requestingUrl: string;
  /** Whether the asking frame is the top-level frame. */
  isMainFrame: boolean;
}

/**
 * Writing to the clipboard (`navigator.clipboard.writeText`: the request console's "Copy body"). A
 * browser grants it to a focused page by itself; in Electron the session's permission handlers decide,
 * so denied here every copy failed in the app (the page fell back to "press Ctrl+C"). Chromium still
 * asks only for a focused document, and writes text only (sanitized); reading stays denied.
 */
const CLIPBOARD_WRITE = 'clipboard-sanitized-write';

/**
 * Every permission is denied except Local Network Access and clipboard writing, granted to the app's
 * own top-level page only. Local Network Access is granted whatever the configured API's host:
 * Chromium asks for it by the address a host resolves to (an intranet API such as
 * `https://api.corp.example` on 10.x needs it), while Electron's handler is not told which address, so
 * judging by the host name's text would refuse such an API. Granting it to the app's page alone stays
 * narrow: the page's CSP (connect-src) confines it to the configured API, and no other frame or origin
 * is granted anything.
 */
export function decidePermission(query: PermissionQuery): boolean {
  if (!LOCAL_NETWORK_PERMISSIONS.has(query.permission) && query.permission !== CLIPBOARD_WRITE) return false;
  return query.isMainFrame && isAppUrl(query.requestingUrl);
}
