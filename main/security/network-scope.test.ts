import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isLoopbackOrPrivateHost } from './network-scope';

// One row per host: [hostname as URL.hostname gives it (or bare), isLoopbackHost, isLoopbackOrPrivateHost].
const HOSTS: Array<[string, boolean, boolean]> = [
  // Loopback: plain http is allowed, and the permission is granted.
  ['localhost', true, true],
  ['LOCALHOST', true, true],
  ['127.0.0.1', true, true],
  ['127.1.2.3', true, true],
  ['127.255.255.255', true, true],
  ['[::1]', true, true],
  ['::1', true, true],
  ['[0:0:0:0:0:0:0:1]', true, true],
  // RFC 6761 names: loopback to Chromium (permission granted), not to every resolver (no plain http).
  ['app.localhost', false, true],
  ['a.b.localhost', false, true],
  // Lookalikes and near misses: neither.
  ['localhost.', false, false],
  ['localhost.example.com', false, false],
  ['127.0.0.1.example.com', false, false],
  ['[::ffff:7f00:1]', false, false],
  ['128.0.0.1', false, false],
  ['::2', false, false],
  // Private networks: no plain http, permission granted.
  ['10.0.0.1', false, true],
  ['10.1.2.3', false, true],
  ['172.16.0.1', false, true],
  ['172.31.255.1', false, true],
  ['192.168.1.1', false, true],
  ['169.254.1.1', false, true],
  ['100.64.0.1', false, true],
  ['[fd00::1]', false, true],
  ['fe80::1', false, true],
  ['intranet', false, true],
  ['nas.local', false, true],
  ['build.internal', false, true],
  // Public: neither.
  ['8.8.8.8', false, false],
  ['172.32.0.1', false, false],
  ['100.128.0.1', false, false],
  ['example.com', false, false],
  ['api.example.com', false, false],
  ['2001:db8::1', false, false],
];

describe('network scope', () => {
  it.each(HOSTS)('%s: loopback %s, loopback or private %s', (host, loopback, local) => {
    expect(isLoopbackHost(host)).toBe(loopback);
    expect(isLoopbackOrPrivateHost(host)).toBe(local);
  });

  it('reads hosts as the URL parser normalises them', () => {
    const hostOf = (url: string) => new URL(url).hostname;
    expect(isLoopbackHost(hostOf('http://0x7f.1:4000'))).toBe(true);
    expect(isLoopbackHost(hostOf('http://[0:0::1]'))).toBe(true);
    expect(isLoopbackHost(hostOf('http://[::ffff:127.0.0.1]'))).toBe(false);
    expect(isLoopbackHost(hostOf('http://API.localhost'))).toBe(false);
  });
});
