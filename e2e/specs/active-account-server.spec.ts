import { expect, test } from '../fixtures';

// With an account on a second server active, every sentence that names "the server" names that one,
// not the configured address in Settings (which still points at the first server).
test.describe('messages name the active account’s server', () => {
  test('the request console’s path hint and its errors name the active account’s server, and follow a switch', async ({
    app,
    server,
    otherServer,
    signIn,
    addAccount,
    switchAccount,
  }) => {
    await signIn();
    await addAccount('demo', 'demo-password', otherServer.url);
    const window = app.window;
    await window.getByRole('link', { name: 'Request console' }).click();
    await expect(window.getByText(/^Requests go out as/)).toHaveText(
      `Requests go out as Demo User (@demo) on ${new URL(otherServer.url).host}.`,
    );
    await expect(window.getByText(/^Relative to/)).toHaveText(`Relative to ${otherServer.url}`);

    await otherServer.stop();
    await window.getByRole('button', { name: 'Send' }).click();
    const alert = window.getByRole('region', { name: 'Response' }).getByRole('alert');
    await expect(alert).toContainText(`Cannot reach the server at ${otherServer.url}.`);
    await otherServer.start();

    // Switching back in the header moves the hint along with the "sends as" line.
    await switchAccount('demo', server.url);
    await expect(window.getByText(/^Relative to/)).toHaveText(`Relative to ${server.url}`);
  });

  test('a sign-out the second server did not hear of names that server, not the configured one', async ({
    app,
    server,
    otherServer,
    signIn,
    addAccount,
  }) => {
    await signIn();
    await addAccount('demo', 'demo-password', otherServer.url);
    const window = app.window;
    // Only the second server's account stays, so signing out of it leads to the sign-in page.
    await window.getByRole('button', { name: /^Account/ }).click();
    await window
      .getByRole('menuitem', { name: `Sign out of Demo User on ${new URL(server.url).host}` })
      .click();
    await expect(window.getByRole('menu')).toBeHidden();
    await otherServer.stop();
    await window
      .getByRole('complementary', { name: 'Session' })
      .getByRole('button', { name: 'Sign out' })
      .click();
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
    await expect(window.getByRole('status').filter({ hasText: 'You signed out.' })).toContainText(
      `Tessera could not tell the server (Cannot reach the server at ${otherServer.url})`,
    );
    await otherServer.start();
  });
});
