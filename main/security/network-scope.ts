import { isIP } from 'node:net';

// The one place that decides whether a host is loopback. Settings and OpenID Connect ask here; nothing
// else in the app parses host names for this. (Local Network Access is not decided by host name at
// all: see permissions.ts.)
//
// `isLoopbackHost` allows plain http (API base URL, OIDC issuer, discovery fetches, the sign-in page
// opened in the system browser), so it must hold for every resolver the URL may reach, not only
// Chromium's. Chromium maps `*.localhost` to loopback itself, but Node 20's fetch hands such a name to
// the OS resolver (glibc without nss-myhostname asks DNS) and the sign-in page opens in whatever browser
// is installed. Only names no resolver can send elsewhere count: `localhost`, 127.0.0.0/8, ::1.

/**
 * True for hosts whose traffic can never leave the machine, so plain http cannot be sniffed:
 * `localhost`, 127.0.0.0/8 and ::1 (bracketed as in `URL.hostname`, or bare). Not `*.localhost`,
 * `localhost.`, IPv4-mapped `::ffff:127.0.0.1` or lookalikes such as `127.0.0.1.example.com`.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = stripBrackets(hostname).toLowerCase();
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
