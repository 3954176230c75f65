import { describe, expect, it } from 'vitest';
import { type LocaleSetting, resolveLocale } from '../../common/locale';
import {
  diagnosticsNotSavedMessage,
  type Notice,
  SHELL_WORDS,
  saveDiagnosticsDialogText,
  updateAvailableNotice,
  updateReadyNotice,
} from './shell-words';

/**
 * Every text of a catalogue by its path (a group of texts maps to ''); a function is called with a
 * marker for each of its parameters, ⟦0⟧, ⟦1⟧, …
 */
function texts(words: object, prefix = ''): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of Object.entries(words)) {
    const path = `${prefix}${key}`;
    if (typeof value === 'string') found.set(path, value);
    else if (typeof value === 'function')
      found.set(path, value(...Array.from({ length: value.length }, (_, i) => `⟦${i}⟧`)));
    else {
      found.set(path, '');
      for (const [k, v] of texts(value, `${path}.`)) found.set(k, v);
    }
  }
  return found;
}

/** How many parameters each function of a catalogue takes, by path. */
function arities(words: object, prefix = ''): Map<string, number> {
  const found = new Map<string, number>();
  for (const [key, value] of Object.entries(words)) {
    if (typeof value === 'function') found.set(`${prefix}${key}`, value.length);
    else if (value && typeof value === 'object')
      for (const [k, v] of arities(value, `${prefix}${key}.`)) found.set(k, v);
  }
  return found;
}

/** The markers a text carries: where a parameter went. */
const markers = (text: string) => (text.match(/⟦\d+⟧/g) ?? []).sort();

describe('main’s own words (menu, Save Diagnostics, start-up failure, update notifications)', () => {
  const en = texts(SHELL_WORDS.en);
  const ko = texts(SHELL_WORDS.ko);

  it('exist in English and Korean alike, each with the same placeholders', () => {
    expect([...ko.keys()]).toEqual([...en.keys()]);
    for (const [path, text] of en) {
      if (text === '') continue; // a group
      expect(text.trim(), path).not.toBe('');
      expect(ko.get(path)?.trim(), path).not.toBe('');
      expect(markers(ko.get(path) ?? ''), path).toEqual(markers(text));
    }
  });

  it('take the same parameters in both languages and use each one', () => {
    const taken = arities(SHELL_WORDS.en);
    expect([...taken.values()].every((n) => n > 0)).toBe(true);
    expect(arities(SHELL_WORDS.ko)).toEqual(taken);
    for (const catalogue of [en, ko])
      for (const [path, text] of catalogue)
        expect(new Set(markers(text)).size, path).toBe(taken.get(path) ?? 0);
  });

  it('are Korean in Korean: only the names Tessera, ZIP and IT stay in Latin letters', () => {
    for (const [path, text] of ko) {
      const rest = text.replace(/⟦\d+⟧/g, '').replace(/Tessera|ZIP|IT/g, '');
      expect(rest, path).not.toMatch(/[A-Za-z]/);
    }
    const differ = [...en].filter(([path, text]) => text !== '' && ko.get(path) !== text);
    expect(differ.length).toBe([...en.values()].filter((text) => text !== '').length);
  });

  it.each([
    ['en', 'ko-KR', 'en'],
    ['ko', 'en-US', 'ko'],
    ['system', 'ko-KR', 'ko'],
    ['system', 'ko', 'ko'],
    ['system', 'de-DE', 'en'],
    ['system', '', 'en'],
  ] as Array<[LocaleSetting, string, 'en' | 'ko']>)(
    'the setting %s on an OS in %s gives %s',
    (setting, os, expected) => {
      const language = resolveLocale(setting, os);
      expect(saveDiagnosticsDialogText(language)).toEqual(
        expected === 'ko'
          ? { title: '진단 정보 저장', filterName: 'ZIP 압축 파일' }
          : { title: 'Save Diagnostics', filterName: 'Zip archive' },
      );
      expect(diagnosticsNotSavedMessage('EACCES', language)).toEqual({
        title: 'Tessera',
        content:
          expected === 'ko'
            ? '진단 정보를 저장하지 못했습니다(EACCES). 다른 폴더를 선택해 보세요.'
            : 'The diagnostics could not be saved (EACCES). Try another folder.',
      });
    },
  );
});

/** Every update notice in `locale`, for version 2.1.0. */
function notices(locale: 'en' | 'ko'): Notice[] {
  return [
    updateAvailableNotice('2.1.0', 'managed', locale),
    updateAvailableNotice('2.1.0', 'unverified', locale),
    updateReadyNotice('2.1.0', locale),
  ];
}

describe('update notifications', () => {
  it('are in Korean for a Korean setting, or for `system` on a Korean OS: only the name and version stay', () => {
    for (const locale of [resolveLocale('ko', 'en-US'), resolveLocale('system', 'ko-KR')]) {
      for (const notice of notices(locale)) {
        const words = `${notice.title} ${notice.body}`;
        expect(words).toContain('Tessera');
        expect(notice.body).toContain('2.1.0');
        expect(words.replaceAll('Tessera', '')).not.toMatch(/[A-Za-z]/);
      }
    }
  });

  it('say why a copy does not install the update, and that a verified one installs on quit', () => {
    expect(updateAvailableNotice('2.1.0', 'managed', 'en')).toEqual({
      title: 'Tessera update available',
      body: 'Tessera 2.1.0 is available. Your administrator installs updates on this computer.',
    });
    expect(updateAvailableNotice('2.1.0', 'unverified', 'en').body).toMatch(/cannot verify updates itself/);
    expect(updateReadyNotice('2.1.0', 'en').body).toMatch(/installed when you quit Tessera/);
    expect(updateAvailableNotice('2.1.0', 'managed', 'ko').body).toMatch(/관리자가 업데이트를 설치합니다/);
    expect(updateAvailableNotice('2.1.0', 'unverified', 'ko').body).toMatch(/검증할 수 없어/);
    expect(updateReadyNotice('2.1.0', 'ko').body).toMatch(/끄면 설치됩니다/);
  });

  it('differ by language and by reason', () => {
    const all = [...notices('en'), ...notices('ko')].map((notice) => notice.body);
    expect(new Set(all).size).toBe(all.length);
  });
});
