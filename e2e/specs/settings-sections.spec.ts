import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { USER_SETTINGS_FILE } from '../../main/core/config/settings-store';
import { endSession, expect, test } from '../fixtures';

/** Signed in, on Settings: its request-timeout field (an Advanced setting) and the panel's Sign out. */
async function settingsSignedIn(window: Page, signIn: () => Promise<unknown>) {
  await signIn();
  await window.getByRole('link', { name: 'Settings' }).click();
  return {
    timeout: window.getByRole('textbox', { name: 'Request timeout (seconds)' }),
    signOut: window.getByRole('complementary', { name: 'Session' }).getByRole('button', { name: 'Sign out' }),
  };
}

test.describe('the Settings page', () => {
  test('has three sections: Preferences, Connection and Advanced, each with its own settings', async ({
    window,
  }) => {
    await window.getByRole('link', { name: 'Settings' }).click();
    const preferences = window.getByRole('region', { name: 'Preferences' });
    const connection = window.getByRole('region', { name: 'Connection' });
    const advanced = window.getByRole('region', { name: 'Advanced' });

    await expect(preferences.getByRole('combobox', { name: 'Language' })).toBeVisible();
    await expect(preferences.getByRole('combobox', { name: 'Theme' })).toBeVisible();
    await expect(preferences.getByRole('checkbox', { name: 'Stay signed in' })).toBeVisible();
    await expect(preferences.getByRole('button', { name: 'Save' })).toHaveCount(0);
    await expect(connection.getByRole('textbox', { name: 'Server address' })).toBeVisible();
    await expect(connection.getByRole('combobox', { name: 'Sign in with' })).toBeVisible();
    await expect(connection.getByRole('textbox', { name: 'Login path' })).toBeVisible();
    await expect(advanced.getByRole('textbox', { name: 'Request timeout (seconds)' })).toBeVisible();
    await expect(advanced.getByRole('textbox', { name: 'Update channel' })).toBeDisabled();
    await expect(advanced.getByRole('combobox', { name: 'Log level' })).toBeDisabled();
  });

  test('applies a preference at once, without Save, and keeps unsaved edits of the form meanwhile', async ({
    window,
    app,
  }) => {
    await window.getByRole('link', { name: 'Settings' }).click();
    const loginPath = window.getByRole('textbox', { name: 'Login path' });
    await loginPath.fill('/signin');

    await window.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    await expect(window.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(window.getByRole('status').filter({ hasText: /^Saved\.$/ })).toBeVisible();
    await expect(loginPath).toHaveValue('/signin');

    // A language change re-renders the whole app: the draft survives it too.
    await window.getByRole('combobox', { name: 'Language' }).selectOption({ label: '한국어' });
    await expect(window.getByRole('heading', { level: 1, name: '설정' })).toBeVisible();
    await expect(window.getByRole('textbox', { name: '로그인 경로' })).toHaveValue('/signin');
    await window.getByRole('combobox', { name: '언어' }).selectOption({ label: 'English' });
    await expect(window.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();

    const restarted = await app.restart();
    await expect(restarted.locator('html')).toHaveAttribute('data-theme', 'dark');
    await restarted.getByRole('link', { name: 'Settings' }).click();
    // The form's edit was never saved.
    await expect(restarted.getByRole('textbox', { name: 'Login path' })).toHaveValue('/login');
  });

  test('"Saved." and "Settings saved." are said once: session events (each refresh) do not write them again', async ({
    window,
    signIn,
  }) => {
    const { timeout } = await settingsSignedIn(window, signIn);
    await window.getByRole('combobox', { name: 'Theme' }).selectOption('dark');
    const saved = window.getByRole('status').filter({ hasText: /^Saved\.$/ });
    await expect(saved).toBeVisible();
    await timeout.fill('20');
    await window.getByRole('button', { name: 'Save', exact: true }).click();
    const settingsSaved = window.getByRole('status').filter({ hasText: 'Settings saved.' });
    await expect(settingsSaved).toBeVisible();
    // Every change of either live region from now on (a screen reader may say a rewritten text again).
    await window.evaluate(() => {
      const changes: string[] = [];
      (globalThis as unknown as { changes: string[] }).changes = changes;
      for (const region of document.querySelectorAll('[role="status"]')) {
        if (!/^(Saved\.|Settings saved\.)$/.test(region.textContent ?? '')) continue;
        new MutationObserver(() => changes.push(region.textContent ?? '')).observe(region, {
          subtree: true,
          childList: true,
          characterData: true,
        });
      }
    });
    const panel = window.getByRole('complementary', { name: 'Session' });
    await panel.getByText('Details', { exact: true }).click();
    const refresh = panel.getByRole('button', { name: 'Refresh now' });
    for (let i = 0; i < 2; i++) {
      await refresh.click();
      await expect(refresh).toBeEnabled();
    }
    await expect(settingsSaved).toBeVisible();
    await expect(saved).toBeVisible();
    expect(await window.evaluate(() => (globalThis as unknown as { changes: string[] }).changes)).toEqual([]);
  });

  test('a preference main could not save says so in the person’s words, main’s reason under a closed Details', async ({
    window,
    workDir,
  }) => {
    await window.getByRole('link', { name: 'Settings' }).click();
    // A folder where the settings file goes: main's save really fails (as on a read-only or full disk).
    const file = join(workDir, 'userData', USER_SETTINGS_FILE);
    rmSync(file);
    mkdirSync(file);

    const theme = window.getByRole('combobox', { name: 'Theme' });
    await theme.selectOption('dark');
    // A sentence, never main's English or a developer's text; before, the field said "This value is
    // not allowed." (as if dark were refused), and an error that was not main's showed its raw text.
    await expect(theme).toHaveAccessibleDescription(
      'Your change was not saved. Something went wrong inside Tessera. Try again. If it happens again, restart Tessera and report it to your administrator.',
    );
    await expect(theme).toHaveAttribute('aria-invalid', 'true');
    // The saved value again: nothing pretends the change applied.
    await expect(theme).toHaveValue('system');
    await expect(window.locator('html')).not.toHaveAttribute('data-theme', 'dark');
    await expect(window.getByRole('status').filter({ hasText: /^Saved\.$/ })).toHaveCount(0);
    // Main's reason, for support: under a closed "Details" beside the field, not in its description.
    const preferences = window.getByRole('region', { name: 'Preferences' });
    const reason = preferences.getByText(
      'Could not save settings: the settings file could not be read, copied or moved aside (EISDIR), and saving would lose what it holds.',
      { exact: true },
    );
    await expect(reason).toBeHidden();
    await preferences.getByText('Details', { exact: true }).click();
    await expect(reason).toBeVisible();

    // Once the file can be written again, the next change saves and the problem is gone.
    rmSync(file, { recursive: true });
    await theme.selectOption('dark');
    await expect(window.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(window.getByRole('status').filter({ hasText: /^Saved\.$/ })).toBeVisible();
    await expect(theme).not.toHaveAttribute('aria-invalid');
    await expect(preferences.getByText('Details', { exact: true })).toHaveCount(0);
  });

  test('asks before leaving with unsaved edits: Stay keeps them, Leave drops them', async ({ window }) => {
    await window.getByRole('link', { name: 'Settings' }).click();
    await window.getByRole('textbox', { name: 'Login path' }).fill('/signin');

    await window.getByRole('link', { name: 'Sign in' }).click();
    const dialog = window.getByRole('dialog', { name: 'Leave without saving?' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveAccessibleDescription(
      'Your changes to the connection and advanced settings are not saved yet.',
    );
    await expect(dialog.getByRole('button', { name: 'Stay on Settings' })).toBeFocused();
    await window.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(window.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    await expect(window.getByRole('textbox', { name: 'Login path' })).toHaveValue('/signin');
    await expect(window).toHaveURL(/#\/settings$/);

    await window.getByRole('link', { name: 'Sign in' }).click();
    await dialog.getByRole('button', { name: 'Leave without saving' }).click();
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
    await window.getByRole('link', { name: 'Settings' }).click();
    await expect(window.getByRole('textbox', { name: 'Login path' })).toHaveValue('/login');
    // Nothing to lose: leaving does not ask.
    await window.getByRole('link', { name: 'Sign in' }).click();
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
  });

  test('signing out with unsaved edits asks first: Don’t sign out keeps them, or sign out without saving', async ({
    window,
    signIn,
  }) => {
    const { timeout, signOut } = await settingsSignedIn(window, signIn);
    const saved = await timeout.inputValue();
    await timeout.fill('42');
    await signOut.click();
    // Before, the sign-out went through at once and the edit was gone without a question.
    const dialog = window.getByRole('dialog', { name: 'Save your changes before signing out?' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveAccessibleDescription(
      'Your changes to the connection and advanced settings are not saved yet.',
    );
    await expect(dialog.getByRole('button')).toHaveText([
      'Don’t sign out',
      'Save and sign out',
      'Sign out without saving',
    ]);
    await expect(dialog.getByRole('button', { name: 'Don’t sign out' })).toBeFocused();
    await window.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(signOut).toBeFocused();
    await expect(window.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    await expect(timeout).toHaveValue('42');

    await signOut.click();
    await dialog.getByRole('button', { name: 'Sign out without saving' }).click();
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
    await window.getByRole('link', { name: 'Settings' }).click();
    await expect(timeout).toHaveValue(saved);
  });

  test('"Save and sign out" saves first, and stays signed in with the form’s errors when the save is refused', async ({
    window,
    signIn,
  }) => {
    const { timeout, signOut } = await settingsSignedIn(window, signIn);
    const dialog = window.getByRole('dialog', { name: 'Save your changes before signing out?' });

    // A value main refuses: nothing is saved and nobody is signed out; the field says why.
    await timeout.fill('500');
    await signOut.click();
    await dialog.getByRole('button', { name: 'Save and sign out' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(timeout).toHaveAccessibleDescription(/Enter a number of seconds from 1 to 120\./);
    await expect(timeout).toBeFocused();
    await expect(signOut).toBeVisible();

    await timeout.fill('42');
    await signOut.click();
    await dialog.getByRole('button', { name: 'Save and sign out' }).click();
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
    await window.getByRole('link', { name: 'Settings' }).click();
    await expect(timeout).toHaveValue('42');
  });

  // The person's own sign-out asks; one that is not the person's cannot wait for an answer: the question
  // goes with its page, and Settings keeps the edit (it needs no session).
  for (const [question, ask] of [
    ['Leave without saving?', (window: Page) => window.getByRole('link', { name: 'Home' }).click()],
    [
      'Save your changes before signing out?',
      (window: Page) =>
        window
          .getByRole('complementary', { name: 'Session' })
          .getByRole('button', { name: 'Sign out' })
          .click(),
    ],
  ] as const) {
    test(`the question "${question}" goes with its page when the session ends while it is open`, async ({
      window,
      signIn,
    }) => {
      await signIn();
      await window.getByRole('link', { name: 'Settings' }).click();
      await window.getByRole('textbox', { name: 'Login path' }).fill('/signin');
      await ask(window);
      const dialog = window.getByRole('dialog', { name: question });
      await expect(dialog).toBeVisible();
      await endSession(window);
      // Before, the leave question stayed open over the sign-in page and kept it inert.
      await expect(dialog).toHaveCount(0);
      // An automatic sign-out keeps the page: Settings again, signed out, with the edit, and usable.
      await expect(window.getByRole('link', { name: 'Sign in' })).toBeVisible();
      await expect(window.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
      const loginPath = window.getByRole('textbox', { name: 'Login path' });
      await expect(loginPath).toHaveValue('/signin');
      await loginPath.fill('/sign-in');
      await expect(loginPath).toHaveValue('/sign-in');
    });
  }

  test('policy problems are one sentence for the person, the details for IT behind a disclosure', async ({
    app,
  }) => {
    const window = await app.setPolicy({
      managed: { requestTimeoutMs: 'soon' as unknown as number, apiBaseUrl: 'http://api.example.com' },
    });
    await window.getByRole('link', { name: 'Settings' }).click();
    const notice = window.getByRole('region', { name: 'Configuration problems' });
    await expect(notice).toContainText('Some settings from your organization could not be applied.');
    const details = notice.getByText('Details for IT');
    await expect(notice.getByText(/requestTimeoutMs/)).toBeHidden();
    await details.click();
    await expect(notice.getByText(/requestTimeoutMs/)).toBeVisible();
    // Locked all the same (fails closed), and saying who locked it.
    const timeout = window.getByRole('textbox', { name: 'Request timeout (seconds)' });
    await expect(timeout).toBeDisabled();
    await expect(timeout).toHaveAccessibleDescription(/Set by your organization/);
  });
});

test.describe('settings from the command line and the environment', () => {
  test.use({
    mainLaunch: { env: { TESSERA_REQUEST_TIMEOUT_MS: '30000' }, argv: ['--login-path=/auth/login'] },
  });

  test('are read-only, naming where they come from, and never sent from the page', async ({ window }) => {
    await window.getByRole('link', { name: 'Settings' }).click();
    const timeout = window.getByRole('textbox', { name: 'Request timeout (seconds)' });
    await expect(timeout).toHaveValue('30');
    await expect(timeout).toBeDisabled();
    await expect(timeout).toHaveAccessibleDescription(/Set by an environment variable/);
    const loginPath = window.getByRole('textbox', { name: 'Login path' });
    await expect(loginPath).toHaveValue('/auth/login');
    await expect(loginPath).toBeDisabled();
    await expect(loginPath).toHaveAccessibleDescription(/Set by a command-line option/);
    await expect(window.getByRole('textbox', { name: 'Refresh path' })).toBeEnabled();
  });
});
