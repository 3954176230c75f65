import { describe, expect, it } from 'vitest';
import { DIALOG_WORDS } from '../../main/core/config/dialog-words';
import { POLICY_TITLES_EN, POLICY_WORDS_KO } from '../../main/core/config/policy-strings';
import { proxyLoginPage } from '../../main/core/network/proxy-login-page';
import { SHELL_WORDS } from '../../main/shell/shell-words';
import { en } from '../src/i18n/en';
import { catalogues, createTranslator, formatLocale, interpolate, resolveLocale } from '../src/i18n/index';
import { ko } from '../src/i18n/ko';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  it('Korean has exactly the English keys', () => {
    expect(Object.keys(ko).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(Object.entries(catalogues))('%s has no empty strings', (_locale, messages) => {
    const empty = Object.entries(messages).filter(([, text]) => text.trim() === '');
    expect(empty).toEqual([]);
  });

  it('every Korean message uses the same placeholders as its English source', () => {
    const mismatched = Object.entries(en)
      .filter(([key, text]) => placeholders(text).join() !== placeholders(ko[key as keyof typeof en]).join())
      .map(([key]) => key);
    expect(mismatched).toEqual([]);
  });

  it('names the API base URL one way to the person: "Server address" (서버 주소), the connect wizard’s term', () => {
    expect(en['settings.apiBaseUrl']).toBe(en['connect.url']);
    expect(en['accounts.apiBaseUrl']).toBe(en['connect.url']);
    expect(ko['settings.apiBaseUrl']).toBe(ko['connect.url']);
    expect(ko['accounts.apiBaseUrl']).toBe(ko['connect.url']);
    const otherNames = /API (base )?(URL|address)|API 주소|API 기본 URL/;
    for (const messages of [en, ko]) {
      expect(Object.entries(messages).filter(([, text]) => otherNames.test(text))).toEqual([]);
    }
    expect(en['error.BAD_RESPONSE.next']).toContain('Check the server address in Settings.');
    expect(ko['error.BAD_RESPONSE.next']).toContain('설정에서 서버 주소를 확인하세요.');
  });

  it('speaks to the person, not the developer: no token, JWT, HTTP or IPC in what everyone reads', () => {
    // Sign-in, sessions, accounts, errors, Home and the banner; the console, Settings' technical fields and
    // the session's "Details" (session.expiresIn, for support and QA) may name the technical thing.
    const everyone = /^(reason|error|signIn|accounts|banner|home|session|request|fatal)\./;
    const forSupport = new Set(['session.expiresIn']);
    const jargon = /token|토큰|JWT|HTTP|IPC|keychain entry/i;
    for (const messages of [en, ko]) {
      const found = Object.entries(messages).filter(
        ([key, text]) => everyone.test(key) && !forSupport.has(key) && jargon.test(text),
      );
      expect(found).toEqual([]);
    }
  });

  it('writes Korean particles that fit the word, never a machine-like "을(를)" or "(으)로"', () => {
    expect(
      Object.entries(ko).filter(([, text]) => /\((을|를|으|이|가|은|는|와|과)\)|을\(를\)/.test(text)),
    ).toEqual([]);
  });

  it('names things one way in Korean: the sign-in provider is 제공자 (never 공급자)', () => {
    expect(Object.entries(ko).filter(([, text]) => text.includes('공급자'))).toEqual([]);
    expect(ko['settings.authMode.oidc']).toContain('제공자');
  });

  it('translates one English text one way: the same English never has two Korean texts', () => {
    const koreanOf = new Map<string, Set<string>>();
    const add = (text: string, korean: string) =>
      koreanOf.set(text, (koreanOf.get(text) ?? new Set()).add(korean));
    for (const [key, text] of Object.entries(en)) add(text, ko[key as keyof typeof en]);
    // The policy titles IT sees in the Group Policy editor name the same settings as the page does.
    for (const [key, text] of Object.entries(POLICY_TITLES_EN))
      add(text, POLICY_WORDS_KO[key as keyof typeof POLICY_TITLES_EN].name);
    expect(
      [...koreanOf].filter(([, korean]) => korean.size > 1).map(([text, korean]) => [text, [...korean]]),
    ).toEqual([]);
  });

  it('says in Korean that the session ended wherever the English does', () => {
    const ended = Object.keys(en).filter((key) =>
      en[key as keyof typeof en].startsWith('Your session ended'),
    );
    expect(ended.length).toBeGreaterThan(5);
    expect(ended.filter((key) => !ko[key as keyof typeof en].includes('세션이 종료되었습니다'))).toEqual([]);
  });

  it('says quitting Tessera one way in the page and in main: "quit" and 끄다, never close/exit or 종료', () => {
    // Every text of main's catalogues; a function gets ['X'] for each parameter (a template prints X).
    const textsOf = (words: unknown): string[] =>
      typeof words === 'string'
        ? [words]
        : typeof words === 'function'
          ? textsOf(words(...Array.from({ length: words.length }, () => ['X'])))
          : words && typeof words === 'object'
            ? Object.values(words).flatMap(textsOf)
            : [];
    const prompt = { proxy: 'p:8080', realm: 'r', scheme: 'basic', retry: true, attempt: 2, maxAttempts: 3 };
    const all = (locale: 'en' | 'ko') => [
      ...Object.values(catalogues[locale]),
      ...textsOf(SHELL_WORDS[locale]),
      ...textsOf(DIALOG_WORDS[locale]),
      proxyLoginPage(prompt, locale),
    ];
    // "Close" is for a window (the console's history lives in the window's page), never for the app.
    expect(all('en').filter((text) => /Tessera (clos|exit)|(close|exit)s? Tessera/i.test(text))).toEqual([]);
    // 종료 is for a session ending (세션이 종료되었습니다); 닫다 is for a window (창).
    expect(all('ko').filter((text) => /(?<!세션[^.]{0,12})종료|Tessera를 닫/.test(text))).toEqual([]);
    expect(ko['session.signedInUntilQuit']).toContain('Tessera를 끌 때까지');
    expect(SHELL_WORDS.ko.updates.ready('2.1.0')).toContain('Tessera를 끄면 설치됩니다');
  });

  it('says "Tessera could not start" the same on the page and in main’s start-up error box', () => {
    expect(en['fatal.title']).toBe(SHELL_WORDS.en.startup.title);
    expect(ko['fatal.title']).toBe(SHELL_WORDS.ko.startup.title);
  });

  it('names the Settings group "Sign-in method" as the page shows it when a message points to it', () => {
    expect(en['connect.reason.openidProvider']).toContain(`under ${en['settings.signInMethod']}`);
    expect(ko['connect.reason.openidProvider']).toContain(`${ko['settings.signInMethod']}에서`);
  });

  it('names the "Details" disclosure as the page labels it when a message points to it', () => {
    expect(en['error.NOT_SAVED.next']).toContain(`(${en['message.details']} names it)`);
    expect(ko['error.NOT_SAVED.next']).toContain(`(${ko['message.details']}에 나옴)`);
  });

  it('says in Korean that the headers the browser may block are the ones the person added, not the server', () => {
    expect(ko['console.headersBlocked']).toMatch(/^추가한 헤더 중 하나를 서버가 허용하지 않으면/);
  });

  it('keeps the accessible names QA selects by', () => {
    expect(en['signIn.username']).toBe('Username');
    expect(en['signIn.password']).toBe('Password');
    expect(en['signIn.submit']).toBe('Sign in');
    expect(en['console.method']).toBe('Method');
    expect(en['console.path']).toBe('Path');
    expect(en['console.body']).toBe('Request body');
    expect(en['console.send']).toBe('Send');
    expect(en['session.refreshNow']).toBe('Refresh now');
    expect(en['session.signOut']).toBe('Sign out');
    expect(en['settings.save']).toBe('Save');
    expect(en['settings.saved']).toBe('Settings saved.');
    expect(en['settings.lock.managed']).toBe('Set by your organization');
  });
});

describe('resolveLocale()', () => {
  it('follows the OS language when set to system', () => {
    expect(resolveLocale('system', 'ko-KR')).toBe('ko');
    expect(resolveLocale('system', 'ko')).toBe('ko');
    expect(resolveLocale('system', 'en-GB')).toBe('en');
    expect(resolveLocale('system', 'de')).toBe('en');
    expect(resolveLocale('system', undefined)).toBe('en');
  });

  it('lets the setting win over the OS language', () => {
    expect(resolveLocale('en', 'ko-KR')).toBe('en');
    expect(resolveLocale('ko', 'en-US')).toBe('ko');
  });
});

describe('createTranslator()', () => {
  it('fills in parameters and knows its locale', () => {
    const t = createTranslator('ko');
    expect(t.locale).toBe('ko');
    expect(t('error.NETWORK', { url: 'https://api.example' })).toBe(
      'https://api.example 서버에 연결할 수 없습니다.',
    );
  });

  it("formats in the person's region within its language: the page's navigator.languages", () => {
    expect(createTranslator('en', ['en-GB', 'en-US']).formatLocale).toBe('en-GB');
    expect(createTranslator('ko', ['en-GB', 'ko-KR']).formatLocale).toBe('ko-KR');
    // None given (tests): the UI language itself, whatever machine the test runs on.
    expect(createTranslator('en').formatLocale).toBe('en');
  });

  it('leaves an unknown placeholder visible rather than blank', () => {
    expect(interpolate('Hello {name} and {other}', { name: 'Ada' })).toBe('Hello Ada and {other}');
  });
});

describe('formatLocale()', () => {
  it('takes the first preferred tag in the UI language, as written by BCP 47', () => {
    expect(formatLocale('en', ['en-GB'])).toBe('en-GB');
    expect(formatLocale('en', ['en-AU', 'en-GB'])).toBe('en-AU');
    expect(formatLocale('en', ['ko-KR', 'en-CA', 'en-US'])).toBe('en-CA');
    expect(formatLocale('en', ['EN-gb'])).toBe('en-GB');
    expect(formatLocale('ko', ['en-US', 'ko-KR'])).toBe('ko-KR');
    expect(formatLocale('en', ['en'])).toBe('en');
  });

  it('keeps the UI language when no preferred tag is in it: a Korean UI on a British system writes Korean', () => {
    expect(formatLocale('ko', ['en-GB'])).toBe('ko');
    expect(formatLocale('en', ['ko-KR', 'fr-FR'])).toBe('en');
    expect(formatLocale('en', [])).toBe('en');
    expect(formatLocale('ko', undefined)).toBe('ko');
    // The language subtag is matched whole, once canonical: Middle English (`enm`) is not `en`, while
    // `eng-GB` (the ISO 639-2 code) is `en-GB`.
    expect(formatLocale('en', ['enm-GB'])).toBe('en');
    expect(formatLocale('en', ['eng-GB'])).toBe('en-GB');
  });

  it('passes over a tag that is not BCP 47 (a POSIX name, an empty string)', () => {
    expect(formatLocale('en', ['en_GB', '', 'en-AU'])).toBe('en-AU');
    expect(formatLocale('en', ['en_GB.UTF-8'])).toBe('en');
    expect(formatLocale('ko', ['ko_KR', 'x'])).toBe('ko');
  });

  it('gives British day-month order and a 24-hour clock where the US locale gives neither', () => {
    const at = Date.UTC(2026, 11, 14, 15, 5);
    const write = (locale: string) =>
      new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }).format(
        at,
      );
    expect(write(formatLocale('en', ['en-GB']))).toBe('14 Dec 2026, 15:05');
    expect(write(formatLocale('en', ['en-US']))).toBe('Dec 14, 2026, 3:05 PM');
  });
});
