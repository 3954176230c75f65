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
    // The password is selected for retyping.
    await expect(window.getByLabel('Password')).toBeFocused();
    expect(server.requests('/login')).toEqual([{ method: 'POST', path: '/login', status: 401 }]);
    expect(await app.refreshToken('demo')).toBeNull();
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
