import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from './network-scope';

// One row per host: [hostname as URL.hostname gives it (or bare), isLoopbackHost].
const HOSTS: Array<[string, boolean]> = [
  // Loopback: plain http is allowed.
  ['localhost', true],
  ['LOCALHOST', true],
  ['127.0.0.1', true],
  ['127.1.2.3', true],
  ['127.255.255.255', true],
  ['[::1]', true],
  ['::1', true],
  ['[0:0:0:0:0:0:0:1]', true],
  // RFC 6761 names: loopback to Chromium, not to every resolver: no plain http.
  ['app.localhost', false],
  ['a.b.localhost', false],
  // Lookalikes and near misses.
  ['localhost.', false],
  ['localhost.example.com', false],
  ['127.0.0.1.example.com', false],
  ['[::ffff:7f00:1]', false],
  ['128.0.0.1', false],
  ['::2', false],
  // Private networks: no plain http.
  ['10.0.0.1', false],
  ['10.1.2.3', false],
  ['172.16.0.1', false],
  ['172.31.255.1', false],
  ['192.168.1.1', false],
  ['169.254.1.1', false],
  ['100.64.0.1', false],
  ['[fd00::1]', false],
  ['fe80::1', false],
  ['intranet', false],
  ['nas.local', false],
  ['build.internal', false],
  // Public.
  ['8.8.8.8', false],
  ['172.32.0.1', false],
  ['100.128.0.1', false],
  ['example.com', false],
  ['api.example.com', false],
  ['2001:db8::1', false],
];

describe('network scope', () => {
  it.each(HOSTS)('%s: loopback %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });

  it('reads hosts as the URL parser normalises them', () => {
    const hostOf = (url: string) => new URL(url).hostname;
    expect(isLoopbackHost(hostOf('http://0x7f.1:4000'))).toBe(true);
    expect(isLoopbackHost(hostOf('http://[0:0::1]'))).toBe(true);
    expect(isLoopbackHost(hostOf('http://[::ffff:127.0.0.1]'))).toBe(false);
    expect(isLoopbackHost(hostOf('http://API.localhost'))).toBe(false);
  });
});
