import { isAppUrl } from './app-origin';
import { isLoopbackOrPrivateHost } from './network-scope';

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
  /** The configured API base URL. */
  apiBaseUrl: string;
}

/**
 * Every permission is denied except Local Network Access, which is granted only to the app's
 * own top-level page and only when the configured API itself lives on a loopback or private
 * address — the one case in which Chromium needs it to let the renderer reach the API.
 * (Electron's handler does not say which address a request targets, so the API origin's own
 * scope is what decides; the CSP's connect-src still limits the page to that one origin.)
 */
export function decidePermission(query: PermissionQuery): boolean {
  if (!LOCAL_NETWORK_PERMISSIONS.has(query.permission)) return false;
  if (!query.isMainFrame || !isAppUrl(query.requestingUrl)) return false;
  let host: string;
  try {
    host = new URL(query.apiBaseUrl).hostname;
  } catch {
    return false;
  }
  return isLoopbackOrPrivateHost(host);
}
