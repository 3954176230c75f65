import { describe, expect, it } from 'vitest';
import { decidePermission } from './permissions';

const page = { requestingUrl: 'app://tessera/index.html', isMainFrame: true };

describe('decidePermission()', () => {
  it.each(['local-network-access', 'loopback-network', 'local-network'])(
    'grants %s to the app page when the API is on loopback',
    (permission) => {
      expect(decidePermission({ ...page, permission, apiBaseUrl: 'http://127.0.0.1:4000' })).toBe(true);
    },
  );

  it('grants local network access for an intranet API on a private address', () => {
    expect(
      decidePermission({ ...page, permission: 'local-network-access', apiBaseUrl: 'https://10.1.2.3' }),
    ).toBe(true);
  });

  it('grants local network access for an API on a *.localhost name, which Chromium maps to loopback', () => {
    expect(
      decidePermission({ ...page, permission: 'local-network-access', apiBaseUrl: 'https://api.localhost' }),
    ).toBe(true);
  });

  it('refuses local network access when the configured API is public', () => {
    expect(
      decidePermission({
        ...page,
        permission: 'local-network-access',
        apiBaseUrl: 'https://api.example.com',
      }),
    ).toBe(false);
  });

  it('refuses local network access to subframes and to other origins', () => {
    const base = { permission: 'local-network-access', apiBaseUrl: 'http://127.0.0.1:4000' };
    expect(decidePermission({ ...base, requestingUrl: 'app://tessera/', isMainFrame: false })).toBe(false);
    expect(decidePermission({ ...base, requestingUrl: 'https://evil.example', isMainFrame: true })).toBe(
      false,
    );
  });

  it.each([
    'media',
    'geolocation',
    'notifications',
    'clipboard-read',
    'openExternal',
    'fullscreen',
    'unknown',
  ])('denies %s', (permission) => {
    expect(decidePermission({ ...page, permission, apiBaseUrl: 'http://127.0.0.1:4000' })).toBe(false);
  });
});
