import { expect, test } from '../fixtures';

test.describe('the server going away', () => {
  test('shows a clear offline error, keeps the session, and recovers when the server is back', async ({
    window,
    server,
    app,
    signIn,
  }) => {
    await signIn();
    const panel = window.getByRole('complementary', { name: 'Session' });
    await server.stop();

    await panel.getByRole('button', { name: 'Refresh now' }).click();

    const offline = panel.getByRole('status').filter({ hasText: /^Offline\./ });
    await expect(offline).toBeVisible();
    await expect(offline).toContainText(`Cannot reach the server at ${server.url}.`);
    await expect(panel.getByRole('alert')).toContainText('The token could not be refreshed.');
    // Still signed in: same page, same person, refresh token still in the keychain.
    await expect(window.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
    await expect(panel).toContainText('Demo User');
    expect(await app.refreshToken('demo')).not.toBeNull();

    await server.start();

    // The app retries on its own (backoff 1 s, 2 s, 4 s …): no click needed.
    await expect(offline).toHaveCount(0, { timeout: 15_000 });
    expect(server.requests('/token/refresh').at(-1)?.status).toBe(200);
    await expect(window.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
  });
});
