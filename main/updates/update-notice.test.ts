import { describe, expect, it } from 'vitest';
import { resolveLocale } from '../../common/locale';
import { type UpdateNotice, updateAvailableNotice, updateReadyNotice } from './update-notice';

/** Every notice in `locale`, for version 2.1.0. */
function notices(locale: 'en' | 'ko'): UpdateNotice[] {
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
    expect(updateReadyNotice('2.1.0', 'ko').body).toMatch(/종료하면 설치됩니다/);
  });

  it('differ by language and by reason', () => {
    const all = [...notices('en'), ...notices('ko')].map((notice) => notice.body);
    expect(new Set(all).size).toBe(all.length);
  });
});
