import { expect, test } from '../fixtures';
import { expectLockedRequestSettings } from '../support/managed-settings';

test.describe('settings managed by an IT policy', () => {
  test('are shown read-only with "Set by your organization"', async ({ app }) => {
    const window = await app.setPolicy({
      managed: { requestTimeoutMs: 20_000, staySignedIn: true },
      defaults: { theme: 'dark' },
    });
    await expectLockedRequestSettings(window, { requestTimeoutSeconds: '20', staySignedIn: true });
    // A policy default is only a starting value: still editable.
    await expect(window.getByRole('combobox', { name: 'Theme' })).toBeEnabled();
    await expect(window.getByRole('combobox', { name: 'Theme' })).toHaveValue('dark');
  });

  test('"stay signed in" locked off by a value that could not be used: the sign-in page says the organization’s settings could not be read, and the fix brings the account back', async ({
    app,
    signIn,
  }) => {
    await signIn();
    const window = await app.setPolicy({ managed: { staySignedIn: 'ture' } });
    // The account is held back (its stored sign-in kept for the fix), and the page says why.
    await expect(window.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
    expect(await app.accessToken()).toBeNull();
    await expect(window.getByRole('alert')).toContainText(
      'Your organization’s settings for Tessera could not be read, so Tessera cannot keep you signed in. Sign in to continue; until your administrator fixes the settings, you sign in again each time Tessera starts.',
    );
    await expect(window.getByText('This setting is managed by your organization.')).toHaveCount(0);

    // IT fixes the value while the app runs: the held-back account comes back without a restart.
    await app.changePolicy({ managed: { staySignedIn: true } });
    await expect(window.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
    await expect(window.getByRole('region', { name: 'Profile' })).toContainText('Demo User');
    expect(await app.accessToken()).not.toBeNull();
  });
});
