import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '../fixtures';

test.describe('the Korean locale', () => {
  test('choosing 한국어 in Settings switches the whole interface to Korean', async ({ window }) => {
    // A sign-in and a full axe scan: in a CI run whose machine was busy, injecting axe alone took 6 s
    // and the test ran past the 30 s default at the scan. Three times the time, as the axe specs get.
    test.slow();
    await window.getByRole('link', { name: 'Settings' }).click();
    // Each language is named in itself, and marked so that a screen reader says it in that language.
    const language = window.getByRole('combobox', { name: 'Language' });
    await expect(language.getByRole('option', { name: '한국어' })).toHaveAttribute('lang', 'ko');
    await expect(language.getByRole('option', { name: 'English' })).toHaveAttribute('lang', 'en');
    // A preference: applied as soon as it is chosen, no Save.
    await language.selectOption({ label: '한국어' });

    await expect(window.locator('html')).toHaveAttribute('lang', 'ko');
    const korean = window.getByRole('combobox', { name: '언어' });
    await expect(korean.getByRole('option', { name: 'English' })).toHaveAttribute('lang', 'en');
    await expect(korean.getByRole('option', { name: '시스템 설정' })).not.toHaveAttribute('lang', /./);
    await expect(window.getByRole('heading', { level: 1, name: '설정' })).toBeVisible();
    // Lines break between words, never inside one, in a Hangul system font.
    await expect(window.locator('body')).toHaveCSS('word-break', 'keep-all');
    await expect(window.locator('body')).toHaveCSS(
      'font-family',
      /Apple SD Gothic Neo.*Malgun Gothic.*Noto Sans CJK KR/,
    );
    await expect(window.getByRole('status').filter({ hasText: '저장했습니다.' })).toBeVisible();

    await window.getByRole('link', { name: '로그인', exact: true }).click();
    await expect(window.getByRole('heading', { level: 1, name: 'Tessera에 로그인' })).toBeVisible();
    await window.getByRole('textbox', { name: '사용자 이름' }).fill('demo');
    await window.getByLabel('비밀번호').fill('demo-password');
    await window.getByRole('button', { name: '로그인', exact: true }).click();
    await expect(window.getByRole('heading', { level: 1, name: '홈' })).toBeVisible();
    // The role is named in Korean too (the server sends "user").
    const profile = window.getByRole('region', { name: '프로필' });
    await expect(profile.locator('.badge-role')).toHaveText('역할: 사용자');
    await expect(profile.getByRole('definition').filter({ hasText: /^user$/ })).toHaveCount(0);
    await expect(profile.getByRole('definition').filter({ hasText: /^사용자$/ })).toHaveCount(1);
    // What support asks for, in Korean words too, behind its closed disclosure.
    const source = profile.getByText(/에서 받은 프로필 정보입니다\.$/);
    await expect(source).toBeHidden();
    await profile.getByText('문의할 때 필요한 정보', { exact: true }).click();
    await expect(profile.getByRole('term').filter({ hasText: /^계정 ID$/ })).toBeVisible();
    await expect(source).toBeVisible();
    const panel = window.getByRole('complementary', { name: '세션' });
    await expect(panel.getByRole('status')).toHaveText(/^로그인됨 · \d+월 \d+일까지$/);
    await panel.getByText('자세한 정보', { exact: true }).click();
    await expect(panel.getByRole('button', { name: '지금 갱신' })).toBeVisible();
    // The Korean interface has no axe violations either.
    const results = await new AxeBuilder({ page: window }).analyze();
    expect(results.violations.map((violation) => violation.id)).toEqual([]);
  });
});
