import { expect, test } from '../fixtures';

// docs/screenshots/<view>.png (browser project; the session-ended view is taken by refresh-token-reuse.spec.ts).
test.describe('screenshots of each view', () => {
  test('sign-in, home, request console and settings', async ({ window, signIn, saveScreenshot }) => {
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
  });
});
