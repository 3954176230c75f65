// Where a connection sends secrets, and whether IT's allow-list lets it: the one rule behind the
// confirmation dialogs (every new origin is named), the settings store (a change to an origin outside
// `allowedApiOrigins` is refused), the account registry (a sign-in there is refused), and the connect
// wizard's trial sign-in and probe (refused before any request).
import { contractSource } from '../../../common/auth-contract';
import type { Result } from '../../../common/errors';
import type { Settings } from '../../../common/settings';
import { originOf } from '../session/model';

/**
 * The origin of one endpoint of a contract, as the auth client resolves it (auth-client.ts `target`):
 * the API's for a path, the URL's own for an absolute one.
 */
function endpointOrigin(path: unknown, apiBaseUrl: string): string | null {
  if (typeof path !== 'string') return null;
  return originOf(path.startsWith('/') ? apiBaseUrl : path);
}

/**
 * Every origin a sign-in with these settings sends the password or a token to, the API's first: the
 * API (the access token on every call), and with password sign-in each endpoint of the contract
 * (login gets the password; refresh and logout get the refresh token). With OpenID Connect the contract
 * is not used; the provider (`oidcIssuer`) is named on its own wherever the person is asked.
 */
export function sendsTo(settings: Settings): string[] {
  const origins = new Set([originOf(settings.apiBaseUrl)]);
  if (settings.authMode !== 'password') return [...origins];
  const source = contractSource(settings) as Record<string, { path?: unknown } | null> | null;
  for (const section of ['login', 'refresh', 'logout'] as const) {
    const origin = endpointOrigin(source?.[section]?.path, settings.apiBaseUrl);
    if (origin !== null) origins.add(origin);
  }
  return [...origins];
}

/** The origin a password sign-in with these settings sends the password to (null with OpenID Connect). */
function passwordOrigin(settings: Settings): string | null {
  if (settings.authMode !== 'password') return null;
  const source = contractSource(settings) as { login?: { path?: unknown } | null } | null;
  return endpointOrigin(source?.login?.path, settings.apiBaseUrl) ?? originOf(settings.apiBaseUrl);
}

/**
 * Where the connections `after` would send the password or a token that `before` sends nothing to — and
 * where the password would go that `before` sends it nowhere near: an origin `before` only sent tokens
 * to (a logout endpoint there) was never trusted with the password. In order, once each: what the
 * confirmation dialogs name.
 */
export function newDestinations(after: readonly Settings[], before: Settings): string[] {
  const passwordTo = passwordOrigin(before);
  const moved = after.map(passwordOrigin).filter((to): to is string => to !== null && to !== passwordTo);
  return [...new Set([...newOrigins(after.flatMap(sendsTo), sendsTo(before)), ...moved])];
}

/** The origins in `after` that are in none of `before` (what a change adds), in order. */
export function newOrigins(after: readonly string[], ...before: (readonly string[])[]): string[] {
  const known = new Set(before.flat());
  return [...new Set(after)].filter((origin) => !known.has(origin));
}

/** The origins IT's allow-list (`allowedApiOrigins`, separated by spaces) names; none when it is empty. */
export function allowedOriginList(allowedApiOrigins: string): string[] {
  return allowedApiOrigins.split(' ').filter(Boolean);
}

/**
 * IT's allow-list (`allowedApiOrigins`, origins separated by spaces; empty allows any) against the
 * origins a connection would send secrets to: MANAGED_SETTING naming the first one it does not list
 * (`origin`, so the page can say which server and mark the field behind it without parsing `message`).
 */
export function checkAllowedOrigins(allowedApiOrigins: string, origins: readonly string[]): Result<void> {
  const list = allowedOriginList(allowedApiOrigins);
  const refused = list.length === 0 ? undefined : origins.find((origin) => !list.includes(origin));
  if (refused === undefined) return { ok: true, value: undefined };
  return {
    ok: false,
    error: {
      code: 'MANAGED_SETTING',
      key: 'allowedApiOrigins',
      origin: refused,
      message: `Your organization does not allow Tessera to send sign-ins or tokens to ${refused} (allowedApiOrigins).`,
    },
  };
}
