import { isAppUrl } from './app-origin';

/** What to do with a navigation or `window.open` from the renderer. */
export type NavigationDecision =
  | { action: 'allow' }
  | { action: 'deny' }
  | { action: 'openExternal'; url: string };

/**
 * In-app navigation is only allowed within the app's own origin; https links open in the system
 * browser; everything else (http, file, javascript:, custom schemes) is denied.
 */
export function decideNavigation(url: string, kind: 'navigate' | 'newWindow'): NavigationDecision {
  if (kind === 'navigate' && isAppUrl(url)) return { action: 'allow' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { action: 'deny' };
  }
  if (parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '') {
    return { action: 'openExternal', url: parsed.href };
  }
  return { action: 'deny' };
}
