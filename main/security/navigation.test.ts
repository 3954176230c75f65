import { describe, expect, it } from 'vitest';
import { decideNavigation } from './navigation';

describe('decideNavigation()', () => {
  it('allows navigation within the app origin', () => {
    expect(decideNavigation('app://tessera/index.html#/settings', 'navigate')).toEqual({ action: 'allow' });
  });

  it('opens https links in the system browser instead of the app window', () => {
    expect(decideNavigation('https://example.com/help', 'navigate')).toEqual({
      action: 'openExternal',
      url: 'https://example.com/help',
    });
    expect(decideNavigation('https://example.com/', 'newWindow')).toMatchObject({ action: 'openExternal' });
  });

  it('never opens a new app window, even on the app origin', () => {
    expect(decideNavigation('app://tessera/index.html', 'newWindow')).toEqual({ action: 'deny' });
  });

  it.each([
    'http://example.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://host/share',
    'https://user:pw@example.com/',
    'garbage',
  ])('denies %s', (url) => {
    expect(decideNavigation(url, 'navigate')).toEqual({ action: 'deny' });
  });
});
