import { describe, expect, it } from 'vitest';
import { isLoopbackHost, isLoopbackOrPrivateHost } from './network-scope';

describe('isLoopbackHost()', () => {
  it.each(['localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1', 'app.localhost'])('is true for %s', (h) => {
    expect(isLoopbackHost(h)).toBe(true);
  });
  it.each(['10.0.0.1', 'example.com', '128.0.0.1', '::2', 'localhost.example.com'])(
    'is false for %s',
    (h) => {
      expect(isLoopbackHost(h)).toBe(false);
    },
  );
});

describe('isLoopbackOrPrivateHost()', () => {
  it.each([
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.1',
    '192.168.1.1',
    '169.254.1.1',
    'fd00::1',
    'intranet',
    'nas.local',
  ])('is true for %s', (h) => {
    expect(isLoopbackOrPrivateHost(h)).toBe(true);
  });
  it.each(['8.8.8.8', '172.32.0.1', 'api.example.com', '2001:db8::1'])('is false for %s', (h) => {
    expect(isLoopbackOrPrivateHost(h)).toBe(false);
  });
});
