import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../test/support/default-settings';
import { connectionChange, describeConnectionChange } from './connection-change';

describe('connectionChange()', () => {
  const isConnection = (key: string) =>
    key === 'apiBaseUrl' || key === 'loginPath' || key === 'authMode' || key === 'oidcIssuer';
  const before = { ...defaultSettings(), apiBaseUrl: 'https://api.example.com/v1' };

  it('is null when no connection setting changes', () => {
    expect(connectionChange(before, { ...before, theme: 'dark' }, isConnection)).toBeNull();
  });

  it('lists the changed connection settings with the old and new origin and the new provider', () => {
    const after = {
      ...before,
      apiBaseUrl: 'https://api.other.example',
      authMode: 'oidc' as const,
      oidcIssuer: 'https://id.example',
    };
    expect(connectionChange(before, after, isConnection)).toEqual({
      keys: ['apiBaseUrl', 'authMode', 'oidcIssuer'],
      fromOrigin: 'https://api.example.com',
      toOrigin: 'https://api.other.example',
      toIssuer: 'https://id.example',
    });
  });
});

describe('describeConnectionChange()', () => {
  it('names the old and new server, the provider, and what a yes costs', () => {
    const text = describeConnectionChange({
      keys: ['apiBaseUrl', 'authMode', 'oidcIssuer'],
      fromOrigin: 'https://api.example.com',
      toOrigin: 'https://api.other.example',
      toIssuer: 'https://login.other.example',
    });
    expect(text.message).toBe('Connect Tessera to a different server?');
    expect(text.detail).toContain('From: https://api.example.com\nTo: https://api.other.example');
    expect(text.detail).toContain('Sign-in provider: https://login.other.example');
    expect(text.detail).toContain('signed out');
    expect([text.confirm, text.cancel]).toEqual(['Connect', 'Cancel']);
    const paths = describeConnectionChange({
      keys: ['loginPath'],
      fromOrigin: 'https://api.example.com',
      toOrigin: 'https://api.example.com',
      toIssuer: null,
    });
    expect(paths).toMatchObject({ message: 'Change how Tessera signs in?', confirm: 'Change' });
    expect(paths.detail).toContain('Changed: loginPath');
  });

  it("for the wizard's trial sign-in: names the server the password goes to, and that nothing is kept", () => {
    const text = describeConnectionChange({
      keys: ['apiBaseUrl', 'apiProfile'],
      fromOrigin: 'https://api.example.com',
      toOrigin: 'https://cms.other.example',
      toIssuer: null,
      purpose: 'trySignIn',
    });
    expect(text.message).toBe('Try signing in to a different server?');
    expect(text.detail).toContain('Server: https://cms.other.example');
    expect(text.detail).toContain('Nothing is saved');
    expect([text.confirm, text.cancel]).toEqual(['Try sign-in', 'Cancel']);
  });
});
