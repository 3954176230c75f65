import { expect, test } from '../fixtures';

test.describe('a failed sign-in', () => {
  test('a wrong password shows an alert, keeps the sign-in page and stores nothing', async ({
    window,
    server,
    app,
  }) => {
    await window.getByRole('textbox', { name: 'Username' }).fill('demo');
    await window.getByLabel('Password').fill('not-the-password');
    await window.getByRole('button', { name: 'Sign in', exact: true }).click();

    await expect(window.getByRole('alert')).toHaveText(
      'Wrong username or password. Check both and try again. If you have forgotten your password, ask your administrator to reset it.',
    );
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
    // The password is selected for retyping; both fields are marked, and the focused password reads the
    // alert again (a screen reader may cut the alert short when focus moves).
    const password = window.getByLabel('Password');
    await expect(password).toBeFocused();
    const refused =
      'Wrong username or password. Check both and try again. If you have forgotten your password, ask your administrator to reset it.';
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await expect(password).toHaveAccessibleDescription(refused);
    await expect(window.getByRole('textbox', { name: 'Username' })).toHaveAttribute('aria-invalid', 'true');
    expect(server.requests('/login')).toEqual([{ method: 'POST', path: '/login', status: 401 }]);
    expect(await app.refreshToken('demo')).toBeNull();

    // The next attempt starts clean.
    await password.fill('demo-password');
    await password.press('Enter');
    await expect(window.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
  });

  test('a wrong password in "Add account" is said again by the password field it focuses', async ({
    signIn,
    openAddAccount,
  }) => {
    await signIn();
    const dialog = await openAddAccount();
    await dialog.getByRole('textbox', { name: 'Username' }).fill('admin');
    await dialog.getByLabel('Password').fill('not-the-password');
    await dialog.getByRole('button', { name: 'Add account' }).click();
    await expect(dialog.getByRole('alert')).toContainText('Wrong username or password.');
    const password = dialog.getByLabel('Password');
    await expect(password).toBeFocused();
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await expect(password).toHaveAccessibleDescription(/^Wrong username or password\. Check both/);
  });

  test('empty fields are reported next to them without calling the server', async ({ window, server }) => {
    await window.getByRole('button', { name: 'Sign in', exact: true }).click();

    await expect(window.getByRole('textbox', { name: 'Username' })).toHaveAccessibleDescription(
      'Enter your username.',
    );
    await expect(window.getByLabel('Password')).toHaveAccessibleDescription('Enter your password.');
    await expect(window.getByRole('textbox', { name: 'Username' })).toBeFocused();
    expect(server.requests('/login')).toEqual([]);
  });
});
