import { expect, test } from '../fixtures';

test.describe('the sign-in form', () => {
  test('shows the password on request, hints at Caps Lock, and signs in on Enter', async ({ window }) => {
    const password = window.getByLabel('Password');
    const toggle = window.getByRole('button', { name: 'Show password' });
    await expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await password.fill('demo-password');
    await expect(password).toHaveAttribute('type', 'password');

    await toggle.click();
    await expect(toggle).toHaveAttribute('aria-pressed', 'true');
    await expect(password).toHaveAttribute('type', 'text');
    await toggle.click();
    await expect(password).toHaveAttribute('type', 'password');

    // Playwright's keyboard does not model Caps Lock, so the key event carries the modifier itself.
    await password.dispatchEvent('keydown', { key: 'A', modifierCapsLock: true });
    await expect(window.getByRole('status').filter({ hasText: 'Caps Lock is on.' })).toBeVisible();
    await password.dispatchEvent('keyup', { key: 'a', modifierCapsLock: false });
    await expect(window.getByText('Caps Lock is on.')).toHaveCount(0);

    await window.getByRole('textbox', { name: 'Username' }).fill('demo');
    await password.press('Enter');
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
});
