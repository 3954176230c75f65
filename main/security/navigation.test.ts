import { describe, expect, it } from 'vitest';
import { decideNavigation } from './navigation';

const KNOWN = { apiBaseUrl: 'https://api.example.com/v1', oidcIssuer: 'https://login.example.com/realms/x' };

describe('decideNavigation()', () => {
  it('allows navigation within the app origin', () => {
    expect(decideNavigation('app://tessera/index.html#/settings', 'navigate', KNOWN)).toEqual({
      action: 'allow',
    });
  });

  it.each([
    {
      title: "opens links to the API's and the provider's own sites in the system browser at once",
      action: 'openExternal',
      url: 'https://api.example.com/docs',
      newWindow: 'https://login.example.com/account',
    },
    {
      title: 'asks the person before any other host, showing where the link goes',
      action: 'confirmExternal',
      url: 'https://example.com/help',
      newWindow: 'https://api.example.com.evil.test/',
    },
  ])('$title', ({ action, url, newWindow }) => {
    expect(decideNavigation(url, 'navigate', KNOWN)).toEqual({ action, url });
    expect(decideNavigation(newWindow, 'newWindow', KNOWN)).toMatchObject({ action });
  });

  it.each([
    'https://attacker.example/c?t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln',
    'https://api.example.com/cb#access_token=abc',
    'https://attacker.example/x?code=SplxlOBeZQQYbYS6WxSbIA',
    'https://attacker.example/x/QmFzZTY0LW9wYXF1ZS1yZWZyZXNoLXRva2VuLXZhbHVlLTEyMzQ1Njc4',
    'https://attacker.example/?t=eyJhbGciOiJIUzI1NiJ9%2EeyJzdWIiOiIxIn0',
  ])('refuses a link carrying a token-shaped value: %s', (url) => {
    expect(decideNavigation(url, 'newWindow', KNOWN)).toEqual({ action: 'deny', reason: 'carriesSecret' });
  });

  it('never opens a new app window, even on the app origin', () => {
    expect(decideNavigation('app://tessera/index.html', 'newWindow', KNOWN)).toEqual({ action: 'deny' });
  });

  it.each([
    'http://example.com/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://host/share',
    'https://user:pw@example.com/',
    'garbage',
  ])('denies %s', (url) => {
    expect(decideNavigation(url, 'navigate', KNOWN)).toEqual({ action: 'deny' });
  });
});
