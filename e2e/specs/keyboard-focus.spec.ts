import type { Page } from '@playwright/test';
import { proxyLoginPage, readProxyLoginAnswer } from '../../main/core/network/proxy-login-page';
import { expect, test } from '../fixtures';

// Keyboard users keep their place: no action leaves focus on the page body.
test.describe('focus stays where the person works', () => {
  test('changing a preference with the keyboard keeps focus on it, a language change included', async ({
    window,
    signIn,
  }) => {
    await signIn();
    await window.getByRole('link', { name: 'Settings' }).click();
    const preferences = window.getByRole('region', { name: 'Preferences' });
    const saved = preferences.getByRole('status');

    const stay = window.getByRole('checkbox', { name: 'Stay signed in' });
    await stay.focus();
    await window.keyboard.press('Space');
    await expect(saved).toHaveText('Saved.');
    await expect(stay).not.toBeChecked();
    await expect(stay).toBeFocused();
    // The next Tab goes on from there, not back to the first preference.
    await window.keyboard.press('Tab');
    expect(await window.evaluate(() => document.activeElement?.getAttribute('name'))).not.toBe('locale');

    const theme = window.getByRole('combobox', { name: 'Theme' });
    await theme.focus();
    await window.keyboard.press('ArrowDown');
    await expect(theme).toHaveValue('light');
    await expect(saved).toHaveText('Saved.');
    await expect(theme).toBeFocused();

    // System → English (same language: the page re-renders) → 한국어 (the whole window re-renders).
    const language = window.getByRole('combobox', { name: 'Language' });
    await language.focus();
    await window.keyboard.press('ArrowDown');
    await expect(language).toHaveValue('en');
    await expect(saved).toHaveText('Saved.');
    await expect(language).toBeFocused();
    await window.keyboard.press('ArrowDown');
    const korean = window.getByRole('combobox', { name: '언어' });
    await expect(korean).toHaveValue('ko');
    await expect(korean).toBeFocused();
  });

  test('a sign-in that fails for a reason other than the password gives focus back to "Sign in"', async ({
    window,
    server,
  }) => {
    await server.stop();
    await window.getByRole('textbox', { name: 'Username' }).fill('demo');
    await window.getByLabel('Password').fill('demo-password');
    const submit = window.getByRole('button', { name: 'Sign in', exact: true });
    await submit.click();
    await expect(window.getByRole('alert')).toContainText(`Cannot reach the server at ${server.url}.`);
    await expect(submit).toBeFocused();
    // The next Enter tries again, now that the server is back.
    await server.start();
    await window.keyboard.press('Enter');
    await expect(window.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
  });

  test('"Save" in Settings and "Refresh now" keep focus once they are done (they are disabled while they run)', async ({
    window,
    server,
    signIn,
  }) => {
    await signIn();
    await window.getByRole('link', { name: 'Settings' }).click();
    await window.getByRole('textbox', { name: 'Request timeout (seconds)' }).fill('20');
    const save = window.getByRole('button', { name: 'Save', exact: true });
    await save.focus();
    await window.keyboard.press('Enter');
    await expect(window.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
    await expect(save).toBeFocused();

    const panel = window.getByRole('complementary', { name: 'Session' });
    await panel.getByText('Details', { exact: true }).click();
    const refresh = panel.getByRole('button', { name: 'Refresh now' });
    server.clearRequests();
    await refresh.focus();
    await window.keyboard.press('Enter');
    await expect.poll(() => server.requests('/token/refresh').length).toBe(1);
    await expect(refresh).toBeEnabled();
    await expect(refresh).toBeFocused();
  });

  test('Enter in a Settings field saves and leaves focus on that field, also when main’s question is declined', async ({
    window,
    app,
    otherServer,
    signIn,
  }) => {
    await signIn();
    await window.getByRole('link', { name: 'Settings' }).click();
    const timeout = window.getByRole('textbox', { name: 'Request timeout (seconds)' });
    await timeout.fill('20');
    await timeout.press('Enter');
    await expect(window.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
    await expect(timeout).toBeFocused();
    await expect(timeout).toHaveValue('20');

    // Another server, declined in main: the server field goes back, the timeout edit stays, focus too.
    await app.answerConnectionChanges('cancel');
    await window.getByRole('textbox', { name: 'Server address' }).fill(otherServer.url);
    await timeout.fill('25');
    await timeout.press('Enter');
    await expect(window.getByRole('status').filter({ hasText: 'Not saved' })).toBeVisible();
    await expect(timeout).toHaveValue('25');
    await expect(timeout).toBeFocused();
  });

  test('Home’s "Try again" from the keyboard leaves focus on the outcome, failed again or loaded', async ({
    window,
    server,
    signIn,
  }) => {
    await signIn();
    // The profile is refused twice (not a connection problem: Home says so itself, with "Try again").
    server.failNext(2, { status: 404, path: '/api/user/me' });
    await window.getByRole('link', { name: 'Request console' }).click();
    await window.getByRole('link', { name: 'Home' }).click();
    const profile = window.getByRole('region', { name: 'Profile' });
    const retry = profile.getByRole('button', { name: 'Try again' });
    await retry.focus();
    await window.keyboard.press('Enter');
    // Failed again: the new "Try again" has focus, so the next Enter tries again …
    await expect.poll(() => server.requests('/api/user/me').filter((r) => r.status === 404).length).toBe(2);
    await expect(profile).not.toHaveAttribute('aria-busy', 'true');
    await expect(retry).toBeFocused();
    await window.keyboard.press('Enter');
    // … and once the profile loads, focus is on the profile's heading, not on the page body.
    await expect(profile).toContainText('@demo');
    await expect(profile.getByRole('heading', { name: 'Profile' })).toBeFocused();
  });

  test('while a console request is in flight, focus is on "Cancel request", and Escape cancels it', async ({
    window,
    server,
    signIn,
  }) => {
    await signIn();
    await window.getByRole('link', { name: 'Request console' }).click();
    server.failNext(1, { delayMs: 10_000, path: '/api/user/me' });
    await window.getByRole('button', { name: 'Send' }).focus();
    await window.keyboard.press('Enter');
    const cancel = window.getByRole('button', { name: 'Cancel request' });
    await expect(cancel).toBeFocused();
    await window.keyboard.press('Escape');
    const response = window.getByRole('region', { name: 'Response' });
    await expect(response).toContainText('You cancelled the request.');
    await expect(response.getByRole('heading', { name: 'Response' })).toBeFocused();
  });

  test('the Add-account dialog focuses the missing field, shows it is busy, and stays until the sign-in ends', async ({
    window,
    server,
    signIn,
    openAddAccount,
  }) => {
    await signIn();
    const dialog = await openAddAccount();
    await dialog.getByRole('textbox', { name: 'Username' }).fill('admin');
    await dialog.getByRole('button', { name: 'Add account' }).click();
    await expect(dialog.getByLabel('Password')).toBeFocused();
    await expect(dialog.getByLabel('Password')).toHaveAccessibleDescription('Enter your password.');

    // A slow server (its answer held until the checks are done): the button says what is happening, and
    // neither Cancel nor Escape drops the sign-in.
    const login = server.holdNext('/login');
    await dialog.getByLabel('Password').fill('admin-password');
    await dialog.getByRole('button', { name: 'Add account' }).click();
    const busy = dialog.getByRole('button', { name: 'Adding…' });
    await expect(busy).toHaveAttribute('aria-busy', 'true');
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeDisabled();
    await expect.poll(() => login.arrived).toBe(true);
    await window.keyboard.press('Escape');
    await expect(dialog).toBeVisible();
    await expect(busy).toHaveAttribute('aria-busy', 'true');
    // All of it while admin's sign-in was in flight: only demo's has been answered.
    expect(server.requests('/login')).toEqual([{ method: 'POST', path: '/login', status: 200 }]);
    // Then it ends, and the dialog with it: the new account is the active one.
    login.release();
    await expect(dialog).toBeHidden();
    await expect(window.getByRole('button', { name: /^Account: .*\(@admin\)/ })).toBeVisible();
  });
  test('the Add-account dialog keeps the typed password: a server down tries again with Enter, a wrong one is selected', async ({
    window,
    server,
    signIn,
    openAddAccount,
  }) => {
    await signIn();
    const dialog = await openAddAccount();
    const password = dialog.getByLabel('Password');
    await dialog.getByRole('textbox', { name: 'Username' }).fill('admin');
    await password.fill('wrong-password');
    const submit = dialog.getByRole('button', { name: 'Add account' });
    await submit.click();
    // Refused: both fields in question, the password kept, focused and selected (typing replaces it).
    await expect(dialog.getByRole('alert')).toContainText('Wrong username or password.');
    await expect(password).toHaveValue('wrong-password');
    await expect(password).toBeFocused();
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await window.keyboard.type('admin-password');
    await expect(password).toHaveValue('admin-password');

    // The server cannot be reached: nothing was wrong with what was typed, so it all stays, and focus
    // is back on "Add account", so Enter tries again once the server is back.
    await server.stop();
    await submit.click();
    await expect(dialog.getByRole('alert')).toContainText(`Cannot reach the server at ${server.url}.`);
    await expect(password).toHaveValue('admin-password');
    await expect(submit).toBeFocused();
    await server.start();
    await window.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(window.getByRole('button', { name: /^Account: .*\(@admin\)/ })).toBeVisible();
  });
});

test.describe('in a narrow window (800×600)', () => {
  test.use({ viewport: { width: 800, height: 600 } });

  test('the session panel drawn above the page comes first in focus order too, and follows the width', async ({
    window,
    signIn,
  }) => {
    await signIn();
    await window.getByRole('link', { name: 'Request console' }).click();
    const panel = window.getByRole('complementary', { name: 'Session' });
    const signOut = panel.getByRole('button', { name: 'Sign out' });
    const heading = window.getByRole('heading', { level: 1, name: 'Request console' });
    // Drawn above the page's heading …
    expect((await panel.boundingBox())?.y).toBeLessThan((await heading.boundingBox())?.y ?? 0);
    // … and reached by Tab right after the header, before the page's controls.
    await window.getByRole('button', { name: /^Account/ }).focus();
    await window.keyboard.press('Tab');
    await expect(signOut).toBeFocused();
    const panelFirst = () =>
      window.evaluate(() => {
        const aside = document.querySelector('aside');
        const main = document.querySelector('main');
        return Boolean(
          aside && main && aside.compareDocumentPosition(main) & Node.DOCUMENT_POSITION_FOLLOWING,
        );
      });
    expect(await panelFirst()).toBe(true);

    // Wide, the panel sits beside the page and after it; focus stays where it was through the move.
    await window.setViewportSize({ width: 1200, height: 800 });
    await expect.poll(panelFirst).toBe(false);
    await expect(signOut).toBeFocused();
    await window.setViewportSize({ width: 800, height: 600 });
    await expect.poll(panelFirst).toBe(true);
    await expect(signOut).toBeFocused();
  });
});

test.describe('the proxy sign-in prompt (a page without script: its form answers by navigating)', () => {
  /** The prompt's page in a tab of its own, and the answer main reads from the navigation its form starts. */
  async function openPrompt(window: Page) {
    const page = await window.context().newPage();
    const prompt = { proxy: 'proxy.corp.example:8080', realm: 'Corp proxy', scheme: 'basic' };
    await page.setContent(proxyLoginPage({ ...prompt, retry: false, attempt: 1, maxAttempts: 3 }, 'en'));
    const answer = new Promise<ReturnType<typeof readProxyLoginAnswer>>((resolve) => {
      // An unknown scheme: Chromium reports the navigation that main's window cancels and reads.
      const read = (url: string) => {
        if (url.startsWith('tessera-proxy-login:')) resolve(readProxyLoginAnswer(url));
      };
      page.on('request', (request) => read(request.url()));
      page.on('framenavigated', (frame) => read(frame.url()));
    });
    return { page, answer };
  }

  test('Enter in a field answers "Sign in" with what was typed', async ({ window }) => {
    const { page, answer } = await openPrompt(window);
    await expect(page.getByLabel('User name')).toBeFocused();
    await page.keyboard.type('alice');
    await page.getByLabel('Password').fill('s3cret');
    await page.getByLabel('Password').press('Enter');
    expect(await answer).toEqual({ username: 'alice', password: 's3cret' });
  });

  test('"Cancel" answers nothing, and does not send what was typed', async ({ window }) => {
    const { page, answer } = await openPrompt(window);
    let sent = '';
    page.on('request', (request) => {
      sent = request.url();
    });
    await page.getByLabel('User name').fill('alice');
    await page.getByLabel('Password').fill('s3cret');
    await page.getByRole('button', { name: 'Cancel' }).click();
    expect(await answer).toBeNull();
    expect(sent).not.toContain('s3cret');
  });
});
