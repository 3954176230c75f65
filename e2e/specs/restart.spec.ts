import { expect, test } from '../fixtures';

test.describe('restarting the app', () => {
  test('stays signed in: the refresh token from the keychain restores the session', async ({
    server,
    app,
    signIn,
  }) => {
    await signIn();
    await expect.poll(() => app.refreshToken('demo')).not.toBeNull();

    const window = await app.restart();

    await expect(window.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
    await expect(window.getByRole('region', { name: 'Profile' })).toContainText('Demo User');
    expect(server.requests('/login')).toHaveLength(1);
    expect(server.requests('/token/refresh')).toEqual([
      { method: 'POST', path: '/token/refresh', status: 200 },
    ]);
  });

  test('with "Stay signed in" off, nothing is kept and the app starts signed out', async ({
    window,
    app,
    signIn,
  }) => {
    await signIn();
    await window.getByRole('link', { name: 'Settings' }).click();
    // A preference: saved as soon as it changes.
    await window.getByRole('checkbox', { name: 'Stay signed in' }).uncheck();
    await expect(window.getByRole('status').filter({ hasText: 'Saved.' })).toBeVisible();
    await expect.poll(() => app.refreshToken('demo')).toBeNull();

    const restarted = await app.restart();

    await expect(restarted.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
  });
});
