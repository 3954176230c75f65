import type { Locator } from '@playwright/test';
import { expect, test } from '../fixtures';

/** The password field in `scope` shows the password on request and hints at Caps Lock, like the sign-in page's. */
async function expectPasswordHelp(scope: Locator) {
  const password = scope.getByLabel('Password');
  const toggle = scope.getByRole('button', { name: 'Show password' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await password.fill('demo-password');
  await expect(password).toHaveAttribute('type', 'password');
  await toggle.click();
  await expect(password).toHaveAttribute('type', 'text');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await toggle.click();
  await expect(password).toHaveAttribute('type', 'password');
  // The hint's live region is in the accessibility tree before it has anything to say (else it is not
  // announced): one empty status in the password's field.
  const field = scope.locator('.field', { has: scope.page().getByLabel('Password') });
  await expect(field.getByRole('status')).toHaveText('');
  // Playwright's keyboard does not model Caps Lock, so the key event carries the modifier itself.
  await password.dispatchEvent('keydown', { key: 'A', modifierCapsLock: true });
  await expect(scope.getByRole('status').filter({ hasText: 'Caps Lock is on.' })).toBeVisible();
  await password.dispatchEvent('keyup', { key: 'a', modifierCapsLock: false });
  await expect(scope.getByText('Caps Lock is on.')).toHaveCount(0);
}

test.describe('the sign-in form', () => {
  test('shows the password on request, hints at Caps Lock, and signs in on Enter', async ({ window }) => {
    await expectPasswordHelp(window.getByRole('main'));

    await window.getByRole('textbox', { name: 'Username' }).fill('demo');
    await window.getByLabel('Password').press('Enter');
    await expect(window.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
  });

  test('shows the API host small and offers no change when IT manages the address', async ({
    app,
    server,
  }) => {
    const window = await app.setPolicy({ managed: { apiBaseUrl: server.url } });
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
    await expect(window.getByText(new URL(server.url).host, { exact: true })).toBeVisible();
    await expect(window.getByRole('link', { name: 'Change server address' })).toHaveCount(0);
  });

  test('"Add account" and the connect wizard ask for a password the same way: "Show password" and the Caps Lock hint', async ({
    window,
    server,
    signIn,
    openAddAccount,
  }) => {
    await signIn();
    const dialog = await openAddAccount();
    await expectPasswordHelp(dialog);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await window.getByRole('link', { name: 'Settings' }).click();
    await window.getByRole('button', { name: 'Connect to a server…' }).click();
    const wizard = window.getByRole('region', { name: 'Connect to a server' });
    // The trial sign-in's fields come with the proposal for a checked server.
    await wizard.getByRole('textbox', { name: 'Server address' }).fill(server.url);
    await wizard.getByRole('button', { name: 'Check server' }).click();
    await expectPasswordHelp(wizard);
  });

  test('a slow sign-in is announced while it runs (the busy button has no focus), and a double click signs in once', async ({
    window,
    server,
  }) => {
    // Held until the checks are done, however long they take.
    const login = server.holdNext('/login');
    await window.getByRole('textbox', { name: 'Username' }).fill('demo');
    await window.getByLabel('Password').fill('demo-password');
    await window.getByRole('button', { name: 'Sign in', exact: true }).dblclick();
    await expect(window.getByRole('status').filter({ hasText: 'Signing in…' })).toHaveText('Signing in…');
    // The busy label is what a sighted person reads meanwhile: not faded like a disabled button (3.5:1).
    await expect(window.getByRole('button', { name: 'Signing in…' })).toHaveCSS('opacity', '1');
    await expect.poll(() => login.arrived).toBe(true);
    // Nothing answered yet: a second sign-in from the double click would not be held.
    expect(server.requests('/login')).toEqual([]);
    login.release();
    await expect(window.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
    expect(server.requests('/login')).toEqual([{ method: 'POST', path: '/login', status: 200 }]);
  });

  test('"Add account" says it is adding while a slow server answers', async ({
    server,
    signIn,
    openAddAccount,
  }) => {
    await signIn();
    const dialog = await openAddAccount();
    await dialog.getByRole('textbox', { name: 'Username' }).fill('admin');
    await dialog.getByLabel('Password').fill('admin-password');
    const login = server.holdNext('/login');
    await dialog.getByLabel('Password').press('Enter');
    await expect(dialog.getByRole('status').filter({ hasText: 'Adding…' })).toHaveText('Adding…');
    await expect.poll(() => login.arrived).toBe(true);
    login.release();
    await expect(dialog).toBeHidden();
  });
});
