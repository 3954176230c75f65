import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';

// docs/screenshots/<view>.png (browser project; the session-ended view is taken by refresh-token-reuse.spec.ts),
// and the matrix docs/screenshots/<view>-<locale>-<theme>-<width>x<height>.png shown in docs/screenshots.md.
test.describe('screenshots of each view', () => {
  test('sign-in, home, request console, settings and the connection banner', async ({
    window,
    server,
    signIn,
    saveScreenshot,
  }) => {
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
    await saveScreenshot('sign-in');

    await signIn();
    await expect(window.getByRole('region', { name: 'Profile' })).toContainText('Demo User');
    await saveScreenshot('home');

    await window.getByRole('link', { name: 'Request console' }).click();
    await window.getByRole('button', { name: 'Send' }).click();
    await expect(window.getByRole('region', { name: 'Response' }).getByRole('status')).toHaveText(/^200 OK/);
    await saveScreenshot('request-console');

    await window.getByRole('link', { name: 'Settings' }).click();
    await expect(window.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    await saveScreenshot('settings');

    await window.getByRole('link', { name: 'Home' }).click();
    await server.stop();
    const panel = window.getByRole('complementary', { name: 'Session' });
    await panel.getByText('Details', { exact: true }).click();
    await panel.getByRole('button', { name: 'Refresh now' }).click();
    await expect(window.getByRole('alert')).toContainText('Can’t reach');
    await saveScreenshot('connection-banner');
    await server.start();
  });
});

/** The words the matrix signs in with, per language (the signIn fixture speaks English). */
const WORDS = {
  en: {
    signInTitle: 'Sign in to Tessera',
    username: 'Username',
    password: 'Password',
    signIn: 'Sign in',
    home: 'Home',
    profile: 'Profile',
    settings: 'Settings',
  },
  ko: {
    signInTitle: 'Tessera에 로그인',
    username: '사용자 이름',
    password: '비밀번호',
    signIn: '로그인',
    home: '홈',
    profile: '프로필',
    settings: '설정',
  },
} as const;

async function signInAs(window: Page, words: (typeof WORDS)['en' | 'ko']): Promise<void> {
  await window.getByRole('textbox', { name: words.username }).fill('demo');
  await window.getByLabel(words.password, { exact: true }).fill('demo-password');
  await window.getByRole('button', { name: words.signIn, exact: true }).click();
  await expect(window.getByRole('region', { name: words.profile })).toContainText('Demo User');
}

for (const lang of ['en', 'ko'] as const) {
  for (const theme of ['light', 'dark'] as const) {
    for (const viewport of [
      { width: 800, height: 600 },
      { width: 1200, height: 800 },
    ]) {
      const size = `${viewport.width}x${viewport.height}` as const;
      // en, light, 1200×800 is the README's set above.
      if (lang === 'en' && theme === 'light' && viewport.width === 1200) continue;
      test.describe(`screenshots in ${lang}, ${theme}, ${size}`, () => {
        test.use({ locale: lang === 'ko' ? 'ko-KR' : 'en-US', colorScheme: theme, viewport });

        test('sign-in, home and settings', async ({ window, saveScreenshot }) => {
          const words = WORDS[lang];
          await expect(window.getByRole('heading', { level: 1, name: words.signInTitle })).toBeVisible();
          await saveScreenshot(`sign-in-${lang}-${theme}-${size}`);
          await signInAs(window, words);
          await saveScreenshot(`home-${lang}-${theme}-${size}`);
          await window.getByRole('link', { name: words.settings }).click();
          await expect(window.getByRole('heading', { level: 1, name: words.settings })).toBeVisible();
          await saveScreenshot(`settings-${lang}-${theme}-${size}`);
        });
      });
    }
  }
}
