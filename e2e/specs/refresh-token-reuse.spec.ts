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

    const panel = window.getByRole('complementary', { name: 'Session' });
    await panel.getByText('Details', { exact: true }).click();
    await panel.getByRole('button', { name: 'Refresh now' }).click();

    // What happened, then what to do about it: sign in, change the password, tell the administrator.
    await expect(window.getByRole('alert')).toHaveText(
      /^Your session was ended to protect your account: the server saw the same session used twice\. Sign in again and change your password\. .*tell your administrator/,
    );
    // The person signed out automatically is offered their username again.
    await expect(window.getByRole('textbox', { name: 'Username' })).toHaveValue('demo');
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
    await expect(window.getByRole('complementary', { name: 'Session' })).toHaveCount(0);
    expect(server.requests('/token/refresh').at(-1)?.status).toBe(401);
    await expect.poll(() => app.refreshToken('demo')).toBeNull();
    await saveScreenshot('session-ended');
  });
});
