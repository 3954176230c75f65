import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../common/session';
import { createTranslator } from '../src/i18n/index';
import { initials } from '../src/views/home';
import { countdownText, keychainText } from '../src/views/session-panel';
import { needsKeychainWarning } from '../src/views/sign-in';

const t = createTranslator('en');
const base: SessionView = {
  state: 'active',
  apiOrigin: 'http://127.0.0.1:4000',
  user: { sub: 'u1', username: 'demo', name: 'Demo User', role: 'user' },
  expiresAt: 1_000_000,
  lifetimeMs: 900_000,
  lastRefreshAt: 100_000,
  nextRefreshAt: 900_000,
  offline: false,
  lastError: null,
  keychain: { available: true, persisted: true },
  reason: null,
  clockSkewMs: 0,
};

describe('countdownText()', () => {
  it('counts down to the access token expiry', () => {
    expect(countdownText(base, 1_000_000 - 125_000, t)).toBe('2:05');
  });

  it('says expired, refreshing or unknown when there is no time left to show', () => {
    expect(countdownText(base, 1_000_001, t)).toBe('Expired');
    expect(countdownText({ ...base, state: 'refreshing' }, 0, t)).toBe('Refreshing…');
    expect(countdownText({ ...base, expiresAt: null }, 0, t)).toBe('Unknown');
  });
});

describe('keychainText()', () => {
  it('describes each "stay signed in" situation', () => {
    expect(keychainText(base, true, t)).toBe('On — kept in the system keychain.');
    expect(keychainText({ ...base, keychain: { available: true, persisted: false } }, true, t)).toBe(
      'On — not stored yet.',
    );
    expect(keychainText(base, false, t)).toMatch(/^Off/);
    expect(
      keychainText(
        { ...base, keychain: { available: false, persisted: false, reason: 'no Secret Service' } },
        true,
        t,
      ),
    ).toBe('Unavailable: no Secret Service');
  });
});

describe('needsKeychainWarning()', () => {
  it('warns only when staying signed in was asked for and cannot work', () => {
    const noKeychain = { ...base, keychain: { available: false, persisted: false } };
    expect(needsKeychainWarning(noKeychain, true)).toBe(true);
    expect(needsKeychainWarning(noKeychain, false)).toBe(false);
    expect(needsKeychainWarning(base, true)).toBe(false);
    expect(
      needsKeychainWarning({ ...base, lastError: { code: 'KEYCHAIN_UNAVAILABLE', message: 'locked' } }, true),
    ).toBe(true);
  });
});

describe('initials()', () => {
  it.each([
    ['Demo User', 'DU'],
    ['Ada Augusta King Lovelace', 'AL'],
    ['admin', 'A'],
    ['김철수', '김'],
  ])('takes the first and last word: %s → %s', (name, letters) => {
    expect(initials(name)).toBe(letters);
  });
});
