import { carriesSecret } from '../core/redact';
import { isAppUrl } from './app-origin';

/** What to do with a navigation or `window.open` from the renderer. */
export type NavigationDecision =
  | { action: 'allow' }
  | { action: 'deny'; reason?: 'carriesSecret' }
  | { action: 'openExternal'; url: string }
  /** A host the app does not talk to: the person sees the destination and must say yes first. */
  | { action: 'confirmExternal'; url: string };

/** The origins the app already trusts with the person's sign-in: its API and its OpenID Provider. */
export interface KnownOrigins {
  apiBaseUrl: string;
  oidcIssuer?: string;
}

function originOf(url: string): string | null {
  return URL.parse(url)?.origin ?? null;
}

/**
 * In-app navigation is only allowed within the app's own origin. An https link leaves the app for the
 * system browser only on purpose: a link to the API's or the provider's own site opens at once; any
 * other host is shown to the person first (a script cannot send them anywhere silently); a link that
 * carries anything token-shaped (a JWT, a long opaque value, `?code=`, `token=`) is refused, so tokens
 * never leave through the browser. Everything else (http, file, javascript:, custom schemes) is denied.
 */
export function decideNavigation(
  url: string,
  kind: 'navigate' | 'newWindow',
  known: KnownOrigins,
): NavigationDecision {
  if (kind === 'navigate' && isAppUrl(url)) return { action: 'allow' };
  const parsed = URL.parse(url);
  if (parsed === null || parsed.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '') {
    return { action: 'deny' };
  }
  if (carriesSecret(parsed.href) || carriesSecret(decodeURIComponentSafe(parsed.href))) {
    return { action: 'deny', reason: 'carriesSecret' };
  }
  const trusted = [originOf(known.apiBaseUrl), known.oidcIssuer ? originOf(known.oidcIssuer) : null];
  return trusted.includes(parsed.origin)
    ? { action: 'openExternal', url: parsed.href }
    : { action: 'confirmExternal', url: parsed.href };
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
