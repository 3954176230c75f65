import { expect, test } from '../fixtures';

test.describe('refresh-token reuse', () => {
  test('signs out with the reason shown when the app presents an already-used refresh token', async ({
    window,
    server,
    app,
    signIn,
    saveScreenshot,
  }) => {
    await signIn();
    const copied = await app.refreshToken();
    expect(copied).toBeTruthy();
    // Someone else redeems the same token first: the server rotates it, so the app's copy is now reused.
    expect((await server.redeemRefreshToken(copied as string)).status).toBe(200);

    await window
      .getByRole('complementary', { name: 'Session' })
      .getByRole('button', { name: 'Refresh now' })
      .click();

    await expect(window.getByRole('alert')).toHaveText(
      /^Your session ended because the refresh token was reused\. Sign in again\./,
    );
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
    await expect(window.getByRole('complementary', { name: 'Session' })).toHaveCount(0);
    expect(server.requests('/token/refresh').at(-1)?.status).toBe(401);
    await expect.poll(() => app.refreshToken('demo')).toBeNull();
    await saveScreenshot('session-ended');
  });
});
