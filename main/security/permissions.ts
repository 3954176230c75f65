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
 * Every permission is denied except Local Network Access, granted to the app's own top-level page only
 * — whatever the configured API's host. Chromium asks for it by the address a host resolves to (an
 * intranet API such as `https://api.corp.example` on 10.x needs it), while Electron's handler is not
 * told which address, so judging by the host name's text would refuse such an API. Granting it to the
 * app's page alone stays narrow: the page's CSP (connect-src) confines it to the configured API, and no
 * other frame or origin is granted anything.
 */
export function decidePermission(query: PermissionQuery): boolean {
  if (!LOCAL_NETWORK_PERMISSIONS.has(query.permission)) return false;
  return query.isMainFrame && isAppUrl(query.requestingUrl);
}
