import { isIP } from 'node:net';

/** True for loopback hosts: localhost, 127.0.0.0/8, ::1. */
export function isLoopbackHost(hostname: string): boolean {
  const host = stripBrackets(hostname).toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * True for addresses Chromium's Local Network Access treats as non-public: loopback, RFC 1918,
 * link-local, CGNAT, IPv6 unique-local and link-local, and single-label or `.local` names.
 */
export function isLoopbackOrPrivateHost(hostname: string): boolean {
  const host = stripBrackets(hostname).toLowerCase();
  if (isLoopbackHost(host)) return true;
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
