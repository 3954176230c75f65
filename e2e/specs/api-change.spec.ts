import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';

/** Opens Settings and proposes `url` as the server address (main then asks the person). */
async function proposeApi(window: Page, url: string): Promise<void> {
  await window.getByRole('link', { name: 'Settings' }).click();
  await window.getByRole('textbox', { name: 'Server address' }).fill(url);
  await window.getByRole('button', { name: 'Save' }).click();
}

test.describe('changing the server address', () => {
  test('after the person confirms in main: signs out of the old API, reloads the window, and works against the new one', async ({
    app,
    window,
    server,
    otherServer,
    signIn,
  }) => {
    await signIn();
    // A marker in the loaded document: a reload (the app's rule when the API origin changes) clears it.
    await window.evaluate(() => {
      (window as unknown as { beforeChange?: boolean }).beforeChange = true;
    });

    let loads = 0;
    window.on('load', () => {
      loads += 1;
    });
    const reloaded = window.waitForEvent('load');
    await proposeApi(window, otherServer.url);
    await reloaded;
    expect(await window.evaluate(() => (window as unknown as { beforeChange?: boolean }).beforeChange)).toBe(
      undefined,
    );
    // Main asked the person, naming where tokens went and where they would go.
    const [prompt, ...more] = await app.connectionPrompts();
    expect(more).toEqual([]);
    expect(prompt?.message).toBe('Connect Tessera to a different server?');
    expect(prompt?.detail).toContain(`From: ${server.url}\nTo: ${otherServer.url}`);

    // The reloaded window keeps its place (Settings); signed out, the navigation offers Sign in.
    await expect(window.getByRole('textbox', { name: 'Server address' })).toHaveValue(otherServer.url);
    await window.getByRole('link', { name: 'Sign in' }).click();
    await expect(
      window.getByText(
        'Your session ended because the server address changed. Sign in again to the new server.',
      ),
    ).toBeVisible();
    // The old API's refresh token was revoked at sign-out.
    await expect.poll(() => server.requests('/logout').length).toBe(1);

    // Signed in to the new API, the page's own call reaches it: the reloaded page's CSP allows its origin.
    await signIn();
    await window.getByRole('link', { name: 'Request console' }).click();
    otherServer.clearRequests();
    await window.getByRole('button', { name: 'Send' }).click();
    const response = window.getByRole('region', { name: 'Response' });
    await expect(response.getByRole('status')).toHaveText(/^200 OK/);
    expect(otherServer.requests('/api/user/me')).toHaveLength(1);
    // One reload for the whole change: the old API dropping out of the CSP (its account signed out)
    // waits for the next load instead of reloading a second time.
    expect(loads).toBe(1);
  });

  test('after that reload, Settings says the change was saved and why the session ended, its heading focused', async ({
    window,
    otherServer,
    signIn,
  }) => {
    await signIn();
    await window.getByRole('link', { name: 'Settings' }).click();
    await window.getByRole('textbox', { name: 'Server address' }).fill(otherServer.url);
    const reloaded = window.waitForEvent('load');
    await window.getByRole('button', { name: 'Save', exact: true }).focus();
    await window.keyboard.press('Enter');
    await reloaded;

    const heading = window.getByRole('heading', { level: 1, name: 'Settings' });
    const said =
      'Settings saved. Your session ended because the server address changed. Sign in again to the new server.';
    await expect(window.getByRole('status').filter({ hasText: 'Settings saved.' })).toHaveText(said);
    await expect(heading).toBeFocused();
    await expect(heading).toHaveAccessibleDescription(said);
    await expect(window.getByRole('textbox', { name: 'Server address' })).toHaveValue(otherServer.url);

    // Said for that reload only: the next load of the page does not say it again.
    await window.reload();
    await expect(window.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    await expect(window.getByText('Settings saved.')).toHaveCount(0);
  });

  test('"Save and sign out" with a new server address: confirmed in main, saved, signed out of the old server, and the next sign-in goes to the new one', async ({
    app,
    window,
    server,
    otherServer,
    signIn,
  }) => {
    // Two password sign-ins and a restart: longer than the 30 s default on a busy machine.
    test.slow();
    await signIn();
    const oldRefreshToken = await app.refreshToken();
    expect(oldRefreshToken).toEqual(expect.any(String));
    await window.getByRole('link', { name: 'Settings' }).click();
    await window.getByRole('textbox', { name: 'Server address' }).fill(otherServer.url);
    otherServer.clearRequests();
    await window
      .getByRole('complementary', { name: 'Session' })
      .getByRole('button', { name: 'Sign out' })
      .click();
    const dialog = window.getByRole('dialog', { name: 'Save your changes before signing out?' });
    await dialog.getByRole('button', { name: 'Save and sign out' }).click();

    // Main asked the person once, naming both servers; the page could not change the server by itself.
    await expect.poll(async () => (await app.connectionPrompts()).length).toBe(1);
    const [prompt] = await app.connectionPrompts();
    expect(prompt?.message).toBe('Connect Tessera to a different server?');
    expect(prompt?.detail).toContain(`From: ${server.url}\nTo: ${otherServer.url}`);

    // Signed out, on the sign-in page, saying why and what to do, for the new server.
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
    await expect(window.getByRole('alert')).toHaveText(
      'Your session ended because the server address changed. Sign in again to the new server.',
    );
    await expect(window.getByText(new URL(otherServer.url).host, { exact: true })).toBeVisible();

    // The old server's refresh token was revoked there and is gone from the keychain.
    await expect
      .poll(() => server.requests('/logout'))
      .toEqual([{ method: 'POST', path: '/logout', status: 204 }]);
    // By the user's own entry: sign-out deletes the last-user mark too, so a lookup through it would
    // find nothing even if the token stayed.
    expect(await app.refreshToken('demo')).toBeNull();
    expect((await server.redeemRefreshToken(oldRefreshToken as string)).status).toBe(401);
    // Nothing went to the new server with the old session.
    expect(otherServer.requests()).toEqual([]);

    // The new server is saved (a restart keeps it), and the next sign-in goes there.
    const restarted = await app.restart();
    await restarted.getByRole('link', { name: 'Settings' }).click();
    await expect(restarted.getByRole('textbox', { name: 'Server address' })).toHaveValue(otherServer.url);
    await restarted.getByRole('link', { name: 'Sign in' }).click();
    server.clearRequests();
    await signIn();
    expect(otherServer.requests('/login')).toEqual([{ method: 'POST', path: '/login', status: 200 }]);
    expect(server.requests()).toEqual([]);
  });

  test('when the person cancels in main: nothing is saved, the session and the page stay as they were', async ({
    app,
    server,
    otherServer,
    signIn,
  }) => {
    await signIn();
    await app.answerConnectionChanges('cancel');
    const { window } = app;
    await proposeApi(window, otherServer.url);

    await expect(
      window.getByRole('status').filter({ hasText: 'Not saved: you did not confirm the new server.' }),
    ).toBeVisible();
    expect(await app.connectionPrompts()).toHaveLength(1);
    await window.getByRole('link', { name: 'Home' }).click();
    await expect(window.getByRole('region', { name: 'Profile' })).toContainText('@demo');
    const restarted = await app.restart();
    await restarted.getByRole('link', { name: 'Settings' }).click();
    await expect(restarted.getByRole('textbox', { name: 'Server address' })).toHaveValue(server.url);
    expect(server.requests('/logout')).toHaveLength(0);
  });

  test('when the person cancels in main: the server fields go back, the other unsaved edits stay for another Save', async ({
    app,
    server,
    otherServer,
    signIn,
  }) => {
    await signIn();
    await app.answerConnectionChanges('cancel');
    const { window } = app;
    await window.getByRole('link', { name: 'Settings' }).click();
    const timeout = window.getByRole('textbox', { name: 'Request timeout (seconds)' });
    await timeout.fill('45');
    await proposeApi(window, otherServer.url);
    await expect(window.getByRole('status').filter({ hasText: /^Not saved/ })).toHaveText(
      'Not saved: you did not confirm the new server. The connection shows the saved server again; your other changes are still here, not saved: press Save to keep them.',
    );
    await expect(window.getByRole('textbox', { name: 'Server address' })).toHaveValue(server.url);
    await expect(timeout).toHaveValue('45');

    // The timeout alone needs no confirmation: saved, without a second prompt.
    await window.getByRole('button', { name: 'Save' }).click();
    await expect(window.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
    expect(await app.connectionPrompts()).toHaveLength(1);
    const restarted = await app.restart();
    await restarted.getByRole('link', { name: 'Settings' }).click();
    await expect(restarted.getByRole('textbox', { name: 'Request timeout (seconds)' })).toHaveValue('45');
  });
});
