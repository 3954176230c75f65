import { describe, expect, it } from 'vitest';
import type { Settings } from '../../common/settings';
import { defaultSettings } from '../../test/support/default-settings';
import { buildPatch, formValuesOf } from '../src/settings-form';

const current: Settings = { ...defaultSettings(), requestTimeoutMs: 10000, updatesEnabled: false };

describe('buildPatch()', () => {
  it('sends nothing when nothing changed', () => {
    expect(buildPatch(current, formValuesOf(current), [])).toEqual({ patch: {} });
  });

  it('sends only changed keys, trimmed and typed', () => {
    const form = {
      ...formValuesOf(current),
      apiBaseUrl: ' https://api.example.com ',
      requestTimeoutMs: '5000',
      theme: 'dark' as const,
    };
    expect(buildPatch(current, form, [])).toEqual({
      patch: { apiBaseUrl: 'https://api.example.com', requestTimeoutMs: 5000, theme: 'dark' },
    });
  });

  it('trims the update feed and channel', () => {
    const form = {
      ...formValuesOf(current),
      updateUrl: ' https://updates.example.com/feed ',
      updateChannel: ' beta ',
    };
    expect(buildPatch(current, form, [])).toEqual({
      patch: { updateUrl: 'https://updates.example.com/feed', updateChannel: 'beta' },
    });
  });

  it('sends the sign-in method and its provider fields, trimmed', () => {
    const form = {
      ...formValuesOf(current),
      authMode: 'oidc' as const,
      oidcIssuer: ' https://sso.example.com/realms/main ',
      oidcClientId: ' tessera ',
      oidcProviderName: ' Example SSO ',
    };
    expect(buildPatch(current, form, [])).toEqual({
      patch: {
        authMode: 'oidc',
        oidcIssuer: 'https://sso.example.com/realms/main',
        oidcClientId: 'tessera',
        oidcProviderName: 'Example SSO',
      },
    });
  });

  it('never sends a managed key', () => {
    const form = { ...formValuesOf(current), apiBaseUrl: 'https://other.example.com', staySignedIn: false };
    expect(buildPatch(current, form, ['apiBaseUrl'])).toEqual({ patch: { staySignedIn: false } });
  });

  it.each(['', 'abc', '1.5', '-3', '10 s'])('refuses the timeout %j', (value) => {
    expect(buildPatch(current, { ...formValuesOf(current), requestTimeoutMs: value }, [])).toEqual({
      invalid: 'requestTimeoutMs',
    });
  });
});
