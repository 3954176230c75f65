import { isIPv4, isIPv6 } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env';
import { errorResponse } from './errors';

/** The names every loopback server answers to, as they appear in a `Host` header (without the port). */
export const LOOPBACK_HOST_NAMES = ['127.0.0.1', '[::1]', 'localhost'] as const;

/** A host name as it is compared: lower case, an IPv6 literal in brackets. */
function normalize(name: string): string {
  const lower = name.trim().toLowerCase();
  return isIPv6(lower) ? `[${lower}]` : lower;
}

/** True for a listen address only this machine can reach: 127.0.0.0/8, ::1 (or ::ffff:127.x), localhost. */
export function isLoopbackAddress(host: string): boolean {
  const name = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost') return true;
  if (isIPv4(name)) return name.startsWith('127.');
  if (!isIPv6(name)) return false;
  const canonical = new URL(`http://[${name}]`).hostname;
  return canonical === '[::1]' || canonical.startsWith('[::ffff:7f');
}

/**
 * The `Host` names (without the port) a server listening on `listenHost` answers: on a loopback
 * address, 127.0.0.1, [::1], localhost, the address itself and `extra`; elsewhere every name
 * (undefined: no check).
 */
export function allowedHostNames(
  listenHost: string,
  extra: readonly string[] = [],
): ReadonlySet<string> | undefined {
  if (!isLoopbackAddress(listenHost)) return undefined;
  return new Set([...LOOPBACK_HOST_NAMES, normalize(listenHost), ...extra.map(normalize)]);
}

// `name` or `name:port`; an IPv6 literal in brackets. Anything else (user info, a path) is refused.
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[^:[\]@/\s]+)(?::\d*)?$/;

/**
 * Refuses a request whose `Host` is not one of `allowed` (with any port) with 421 Misdirected Request.
 * A loopback server is reachable from a web page through DNS rebinding: a page on
 * `http://rebind.attacker.example:4000`, its name then resolved to 127.0.0.1, talks to the server
 * as its own origin, so the CORS allow-list does not apply. Such a request carries the page's name
 * as its Host, and browsers never let a page set Host.
 */
export function hostCheck(allowed: ReadonlySet<string>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const name = HOST_HEADER.exec(c.req.header('host')?.toLowerCase() ?? '')?.[1];
    if (name !== undefined && allowed.has(name)) return next();
    return errorResponse(
      c,
      421,
      'MisdirectedRequestError',
      'This server answers only requests addressed to 127.0.0.1, [::1] or localhost',
    );
  };
}
