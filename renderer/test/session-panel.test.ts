import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../common/session';
import { createTranslator } from '../src/i18n/index';
import { initials } from '../src/views/account-chip';
import { bannerMessage, connectionProblem, retryText } from '../src/views/connection-banner';
import { countdownText, keychainText, statusText } from '../src/views/session-panel';
import { needsKeychainWarning } from '../src/views/sign-in';

const t = createTranslator('en');
const base: SessionView = {
  state: 'active',
  apiOrigin: 'http://127.0.0.1:4000',
  user: { sub: 'u1', username: 'demo', name: 'Demo User', role: 'user' },
  expiresAt: 1_000_000,
  lifetimeMs: 900_000,
  refreshExpiresAt: 1_209_600_000,
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
    ).toBe('Unavailable — the system keychain refused the request.');
    const locked = { available: false, persisted: false, reason: 'The keychain is locked: org.freedesktop…' };
    expect(keychainText({ ...base, keychain: locked }, true, createTranslator('ko'))).toBe(
      '사용할 수 없음 — 시스템 키체인이 잠겨 있습니다. 잠금을 푼 뒤 다시 로그인하세요.',
    );
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

describe('statusText()', () => {
  const now = Date.UTC(2026, 10, 30, 12, 0);
  const until = Date.UTC(2026, 11, 14, 12, 0);

  it('says until when the person stays signed in, from the end of the session', () => {
    expect(statusText({ ...base, refreshExpiresAt: until }, true, now, t)).toBe(
      'Signed in · until December 14',
    );
    expect(statusText({ ...base, refreshExpiresAt: until }, true, now, createTranslator('ko'))).toBe(
      '로그인됨 · 12월 14일까지',
    );
  });

  it("writes the day in the person's region within the UI language (British English: day first)", () => {
    const british = createTranslator('en', ['en-GB']);
    expect(statusText({ ...base, refreshExpiresAt: until }, true, now, british)).toBe(
      'Signed in · until 14 December',
    );
    const koreanOnBritish = createTranslator('ko', ['en-GB']);
    expect(statusText({ ...base, refreshExpiresAt: until }, true, now, koreanOnBritish)).toBe(
      '로그인됨 · 12월 14일까지',
    );
  });

  it('says "stays signed in" when the server names no end, and "until you quit" when nothing keeps it', () => {
    expect(statusText({ ...base, refreshExpiresAt: null }, true, now, t)).toBe('Signed in · stays signed in');
    expect(statusText({ ...base, refreshExpiresAt: until }, false, now, t)).toBe(
      'Signed in · until you quit Tessera',
    );
    expect(statusText({ ...base, keychain: { available: false, persisted: false } }, true, now, t)).toBe(
      'Signed in · until you quit Tessera',
    );
  });

  it('says "Reconnecting…" while refreshes fail for a passing reason', () => {
    expect(statusText({ ...base, offline: true }, true, now, t)).toBe('Reconnecting…');
  });
});

describe('connectionProblem()', () => {
  const offline = { ...base, offline: true, nextRefreshAt: 5_000 };

  it("shows the session's failing refresh first, with main's retry time", () => {
    expect(
      connectionProblem({ ...offline, lastError: { code: 'NETWORK', message: '' } }, 'failing', 9_000),
    ).toEqual({ cause: 'unreachable', retryAt: 5_000 });
    expect(
      connectionProblem({ ...offline, lastError: { code: 'SERVER', status: 503, message: '' } }, null, null),
    ).toEqual({ cause: 'busy', retryAt: 5_000 });
    expect(
      connectionProblem({ ...offline, lastError: { code: 'RATE_LIMITED', message: '' } }, null, null),
    ).toEqual({ cause: 'busy', retryAt: 5_000 });
  });

  it('names a refresh failure that is no connection problem by what it is (a refused redirect, TLS)', () => {
    const error = {
      code: 'BAD_RESPONSE' as const,
      message: 'The refresh was redirected to http://127.0.0.1:4000',
    };
    expect(connectionProblem({ ...offline, lastError: error }, null, null)).toEqual({
      cause: 'other',
      error,
      retryAt: 5_000,
    });
  });

  it('says the network may need a sign-in when a captive portal answered the refresh (main gives its status)', () => {
    const portal = { code: 'NETWORK' as const, status: 302, message: 'redirected to another origin' };
    const problem = connectionProblem({ ...offline, lastError: portal }, null, null);
    expect(problem).toEqual({ cause: 'unreachable', retryAt: 5_000, networkSignIn: true });
    const where = { url: 'https://api.example.com', host: 'api.example.com' };
    expect(problem && bannerMessage(problem, t, where)).toEqual({
      title: 'Can’t reach api.example.com.',
      next: t('banner.networkSignIn'),
      kept: true,
      detail: null,
    });
    expect(t('banner.networkSignIn')).toContain('sign in');
    expect(createTranslator('ko')('banner.networkSignIn')).not.toBe(t('banner.networkSignIn'));
    // A proxy's 407 has its own prompt: no portal hint.
    const proxy = { code: 'NETWORK' as const, status: 407, message: '' };
    expect(connectionProblem({ ...offline, lastError: proxy }, null, null)).toEqual({
      cause: 'unreachable',
      retryAt: 5_000,
    });
  });

  it('else a failed page load on its own schedule, and nothing when all is well', () => {
    expect(connectionProblem(base, 'unreachable', 9_000)).toEqual({ cause: 'unreachable', retryAt: 9_000 });
    expect(connectionProblem(base, null, null)).toBeNull();
  });
});

describe('bannerMessage()', () => {
  const where = { url: 'https://api.example.com', host: 'api.example.com' };

  it('tells a refresh failure that is no connection problem with its own next step', () => {
    const tls = bannerMessage(
      { cause: 'other', error: { code: 'TLS', message: 'self-signed certificate' }, retryAt: null },
      t,
      where,
    );
    expect(tls).toEqual({
      title: 'Cannot connect securely to https://api.example.com: its certificate is not trusted.',
      next: t('error.TLS.next'),
      // "You stay signed in." is no comfort next to "someone may be intercepting the connection".
      kept: false,
      detail: 'self-signed certificate',
    });
    const bad = bannerMessage(
      { cause: 'other', error: { code: 'BAD_RESPONSE', message: '' }, retryAt: null },
      t,
      where,
    );
    expect(bad).toMatchObject({ next: t('error.BAD_RESPONSE.next'), kept: true, detail: null });
  });

  it('keeps the short connection sentences, with the reassurance', () => {
    expect(bannerMessage({ cause: 'unreachable', retryAt: null }, t, where)).toEqual({
      title: 'Can’t reach api.example.com.',
      next: null,
      kept: true,
      detail: null,
    });
    expect(bannerMessage({ cause: 'busy', retryAt: null }, t, where).title).toBe('The server is busy.');
  });
});

describe('retryText()', () => {
  it('counts whole seconds down to the retry, then says it is retrying', () => {
    expect(retryText(10_000, 2_000, t)).toBe('Retrying in 8 s');
    expect(retryText(10_000, 9_500, t)).toBe('Retrying…');
    expect(retryText(null, 0, t)).toBe('Retrying…');
    expect(retryText(10_000, 2_000, createTranslator('ko'))).toBe('8초 후 다시 시도');
  });
});
