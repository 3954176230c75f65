import { describe, expect, it } from 'vitest';
import type { SessionState, SessionView } from '../../common/session';
import { effectiveRoute, hashOf, isSignedIn, parseHash } from '../src/routes';

describe('routes', () => {
  it('parses the hash, ignoring anything that is not a page', () => {
    expect(parseHash('#/console')).toBe('console');
    expect(parseHash('#settings')).toBe('settings');
    expect(parseHash('#main-content')).toBeNull();
    expect(parseHash('')).toBeNull();
    expect(hashOf('home')).toBe('#/home');
  });

  it('signed out, shows only sign-in and settings', () => {
    expect(effectiveRoute('home', false)).toBe('sign-in');
    expect(effectiveRoute('console', false)).toBe('sign-in');
    expect(effectiveRoute('settings', false)).toBe('settings');
    expect(effectiveRoute(null, false)).toBe('sign-in');
  });

  it('signed in, sends sign-in (and nothing) to home', () => {
    expect(effectiveRoute('sign-in', true)).toBe('home');
    expect(effectiveRoute(null, true)).toBe('home');
    expect(effectiveRoute('console', true)).toBe('console');
  });

  it.each<[SessionState, boolean]>([
    ['active', true],
    ['refreshing', true],
    ['signedOut', false],
    ['signingIn', false],
  ])('treats %s as signed in: %s', (state, expected) => {
    expect(isSignedIn({ state } as SessionView)).toBe(expected);
  });
});
