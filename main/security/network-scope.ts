import { isIP } from 'node:net';

// The one place that decides where a host lives. Settings, OpenID Connect and the permission
// handler all ask here; nothing else in the app parses host names for this.
//
// Decision on `*.localhost` (RFC 6761): it is NOT loopback for `isLoopbackHost`, it IS local for
// `isLoopbackOrPrivateHost`.
// - `isLoopbackHost` allows plain http (API base URL, OIDC issuer, discovery fetches, the sign-in
//   page opened in the system browser), so it must hold for every resolver the URL may reach, not only
//   Chromium's. Chromium maps `*.localhost` to loopback itself, but Node 20's fetch hands such a name to
//   the OS resolver (glibc without nss-myhostname asks DNS) and the sign-in page opens in whatever
//   browser is installed. Only names no resolver can send elsewhere count: `localhost`, 127.0.0.0/8, ::1.
// - `isLoopbackOrPrivateHost` only grants Chromium's Local Network Access permission to the app page
//   for the configured API (CSP still limits the page to that one origin), so it follows Chromium's
//   view of "not public", in which `*.localhost` is loopback.

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

/**
 * True for addresses Chromium's Local Network Access treats as non-public: loopback (including
 * `*.localhost`), RFC 1918, link-local, CGNAT, IPv6 unique-local and link-local, and single-label,
 * `.local` or `.internal` names.
 */
export function isLoopbackOrPrivateHost(hostname: string): boolean {
  const host = stripBrackets(hostname).toLowerCase();
  if (isLoopbackHost(host) || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) {
    const [a = 0, b = 0] = host.split('.').map(Number);
    return (
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (isIP(host) === 6) return /^f[cd]/.test(host) || /^fe[89ab]/.test(host);
  return !host.includes('.') || host.endsWith('.local') || host.endsWith('.internal');
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}
