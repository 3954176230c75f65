import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { endSession, expect, test } from '../fixtures';

/** axe's findings (rule and targets), empty when the page has no violations. */
async function axeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((violation) => ({
    rule: violation.id,
    targets: violation.nodes.map((node) => node.target.join(' ')),
  }));
}

/** Sends GET /api/user/me from the request console and waits for its 200. */
async function sendFromConsole(window: Page): Promise<void> {
  await window.getByRole('link', { name: 'Request console' }).click();
  await window.getByRole('button', { name: 'Send' }).click();
  await expect(window.getByRole('region', { name: 'Response' }).getByRole('status')).toHaveText(/^200 OK/);
}

test.describe('several accounts at once', () => {
  test('demo and an admin on one API and demo on a second server: switched, restored after a restart, one signed out', async ({
    app,
    server,
    otherServer,
    signIn,
    addAccount,
    switchAccount,
  }) => {
    await signIn('demo', 'demo-password');
    await addAccount('admin', 'admin-password');
    await addAccount('demo', 'demo-password', otherServer.url);
    // The new server was confirmed in main, naming it, and saying the other accounts stay.
    const [prompt] = await app.connectionPrompts();
    expect(prompt?.message).toBe('Add an account on a different server?');
    expect(prompt?.detail).toContain(`To: ${otherServer.url}`);

    // Home loads the profile from the active account's own server.
    let window = app.window;
    await expect(window.getByRole('region', { name: 'Profile' })).toContainText('@demo');
    await expect(window.getByRole('region', { name: 'Profile' })).not.toHaveAttribute('aria-busy', 'true');
    expect(server.requests('/api/user/me').filter((request) => request.status !== 200)).toEqual([]);
    // The console says who a request goes out as, and the server's log shows that user.
    await sendFromConsole(window);
    await expect(window.getByText(/^Requests go out as Demo User \(@demo\) on 127\.0\.0\.1:/)).toBeVisible();
    expect(otherServer.requests('/api/user/me').at(-1)).toMatchObject({ status: 200, user: 'demo' });

    await switchAccount('admin', server.url);
    await expect(window.getByText(/^Requests go out as .*\(@admin\)/)).toBeVisible();
    server.clearRequests();
    await window.getByRole('button', { name: 'Send' }).click();
    await expect(window.getByRole('region', { name: 'Response' }).getByRole('status')).toHaveText(/^200 OK/);
    expect(server.requests('/api/user/me')).toEqual([
      { method: 'GET', path: '/api/user/me', status: 200, user: 'admin' },
    ]);

    window = await app.restart();
    // The last active account is active again, and all three were restored without a prompt.
    const button = window.getByRole('button', { name: /^Account: .*\(@admin\)/ });
    await expect(button).toBeVisible();
    await button.click();
    const accounts = window.getByRole('menuitemradio');
    await expect(accounts).toHaveCount(3);
    await expect(accounts.filter({ hasText: 'Signed in' })).toHaveCount(3);
    await expect(window.getByRole('menuitemradio', { name: /@admin/ })).toHaveAttribute(
      'aria-checked',
      'true',
    );

    // Signing out of one leaves the other two, and that one's session is revoked on its server.
    // Its API was the only one on that server: the page's CSP narrows for its next load, without a
    // reload now, which would throw away what the person has open (a marker on the page shows none came).
    otherServer.clearRequests();
    const marked = () => window.evaluate(() => (window as unknown as { notReloaded?: true }).notReloaded);
    await window.evaluate(() => {
      (window as unknown as { notReloaded?: true }).notReloaded = true;
    });
    await window
      .getByRole('menuitem', {
        name: new RegExp(`^Sign out of Demo User on ${new URL(otherServer.url).host}`),
      })
      .click();
    await expect.poll(() => otherServer.requests('/logout').length).toBe(1);
    // The menu closed on the choice; opened again, it lists the two left.
    await expect(window.getByRole('menu')).toBeHidden();
    await button.click();
    await expect(window.getByRole('menuitemradio')).toHaveCount(2);
    expect(await marked()).toBe(true);
    await window.keyboard.press('Escape');
    await expect(window.getByRole('menu')).toBeHidden();
    await expect(button).toBeFocused();
    await switchAccount('demo', server.url);
    await sendFromConsole(window);
    expect(server.requests('/api/user/me').at(-1)).toMatchObject({ user: 'demo' });
  });

  test('Home shows the profile of the active account: the one just added, then the one switched back to', async ({
    window,
    server,
    signIn,
    addAccount,
    switchAccount,
  }) => {
    await signIn('demo', 'demo-password');
    const profile = window.getByRole('region', { name: 'Profile' });
    await expect(profile).toContainText('@demo');
    // Home stays mounted through both changes: its profile follows the active account.
    await addAccount('admin', 'admin-password');
    await expect(profile).toContainText('@admin');
    await expect(profile).not.toContainText('@demo');
    await expect(profile).not.toHaveAttribute('aria-busy', 'true');
    await switchAccount('demo', server.url);
    await expect(profile).toContainText('@demo');
    await expect(profile).not.toContainText('@admin');
    // Each profile went out as its own account.
    expect(
      server
        .requests('/api/user/me')
        .slice(-2)
        .map((request) => request.user),
    ).toEqual(['admin', 'demo']);
  });

  test('the request console’s history is the active account’s own, also when the account changes while it is open', async ({
    window,
    signIn,
    addAccount,
  }) => {
    await signIn('demo', 'demo-password');
    await sendFromConsole(window);
    const entries = window.getByRole('region', { name: 'History' }).getByRole('listitem');
    await expect(entries).toHaveCount(1);
    // Admin becomes the active account with the console open: demo's requests are not listed as admin's …
    await addAccount('admin', 'admin-password');
    await expect(window.getByText(/^Requests go out as .*\(@admin\)/)).toBeVisible();
    await expect(entries).toHaveCount(0);
    await expect(window.getByText('No requests yet.')).toBeVisible();
    await window.getByRole('button', { name: 'Send' }).click();
    await expect(entries).toHaveCount(1);
    // … and admin's own stay when the console opens again.
    await window.getByRole('link', { name: 'Home' }).click();
    await window.getByRole('link', { name: 'Request console' }).click();
    await expect(entries).toHaveCount(1);
  });

  test('a console request in flight when another account becomes active: its answer is not shown or kept as that account’s', async ({
    window,
    server,
    signIn,
    addAccount,
    switchAccount,
  }) => {
    await signIn('demo', 'demo-password');
    await addAccount('admin', 'admin-password');
    await window.getByRole('link', { name: 'Request console' }).click();
    await window.getByRole('textbox', { name: 'Path' }).fill('/api/admin/stats');
    // Admin's request waits at the server while the person switches to demo in the header.
    const held = server.holdNext('/api/admin/stats');
    await window.getByRole('button', { name: 'Send' }).click();
    await held.arrived;
    await switchAccount('demo');
    await expect(window.getByText(/^Requests go out as .*\(@demo\)/)).toBeVisible();
    held.release();
    await expect.poll(() => server.requests('/api/admin/stats').length).toBe(1);

    const response = window.getByRole('region', { name: 'Response' });
    await expect(response).toContainText(
      'Another account became active before the answer came: the request went out as the account before, so its answer is not shown here and not kept in this account’s history.',
    );
    await expect(window.getByRole('button', { name: 'Send' })).toBeEnabled();
    await expect(response.getByRole('status')).toHaveText('');
    await expect(response.getByRole('region', { name: 'Body' })).toHaveCount(0);
    await expect(window.getByRole('region', { name: 'History' }).getByRole('listitem')).toHaveCount(0);
    // The focus stays on the account button the switch left it on.
    await expect(window.getByRole('button', { name: /^Account: .*\(@demo\)/ })).toBeFocused();
    expect(server.requests('/api/admin/stats')[0]).toMatchObject({ user: 'admin' });
  });

  test('the switcher works from the keyboard alone and has no axe violations, open or adding', async ({
    window,
    signIn,
    addAccount,
    openAddAccount,
  }) => {
    // Two sign-ins and two full axe scans (seconds each on a busy 2-core machine): three times the time.
    test.slow();
    await signIn('demo', 'demo-password');
    await addAccount('admin', 'admin-password');
    const button = window.getByRole('button', { name: /^Account: .*\(@admin\)/ });
    await button.focus();
    await window.keyboard.press('ArrowDown');
    const menu = window.getByRole('menu', { name: 'Accounts' });
    await expect(menu).toBeVisible();
    // Focus starts on the active account; the next item down is the other one.
    await expect(window.getByRole('menuitemradio', { name: /@admin/ })).toBeFocused();
    expect(await axeViolations(window)).toEqual([]);
    await window.keyboard.press('Home');
    await expect(window.getByRole('menuitemradio', { name: /@demo/ })).toBeFocused();
    await window.keyboard.press('Enter');
    await expect(menu).toBeHidden();
    await expect(window.getByRole('button', { name: /^Account: .*\(@demo\)/ })).toBeFocused();

    const dialog = await openAddAccount();
    await expect(dialog.getByRole('textbox', { name: 'Username' })).toBeFocused();
    expect(await axeViolations(window)).toEqual([]);
    await window.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });

  test('the menu opened while a sign-out waits for the server lists the accounts left, not the ones before', async ({
    server,
    otherServer,
    signIn,
    addAccount,
    switchAccount,
    window,
  }) => {
    await signIn('demo', 'demo-password');
    await addAccount('demo', 'demo-password', otherServer.url);
    await switchAccount('demo', server.url);
    // The other server takes its time to answer the sign-out of the account there.
    otherServer.failNext(1, { path: '/logout', delayMs: 1_500 });
    const button = window.getByRole('button', { name: /^Account: .*\(@demo\)/ });
    await button.click();
    await window
      .getByRole('menuitem', {
        name: new RegExp(`^Sign out of Demo User on ${new URL(otherServer.url).host}`),
      })
      .click();
    // Opened again at once (the choice gave focus back to the button): it lists the account left.
    await expect(button).toBeFocused();
    await window.keyboard.press('ArrowDown');
    await expect(window.getByRole('menuitemradio')).toHaveCount(1);
    await expect(window.getByRole('menuitemradio')).toHaveAccessibleName(
      new RegExp(new URL(server.url).host),
    );
    expect(otherServer.requests('/logout')).toHaveLength(1);
  });

  test('"Sign out" in the Session panel with another account signed in: that one is active and its "Sign out" works', async ({
    window,
    server,
    signIn,
    addAccount,
  }) => {
    await signIn('demo', 'demo-password');
    await addAccount('admin', 'admin-password');
    // The server does not hear of admin's sign-out (its connection is cut): a warning for a sign-in page.
    server.failNext(1, { path: '/logout', resetConnection: true });
    const signOut = window
      .getByRole('complementary', { name: 'Session' })
      .getByRole('button', { name: 'Sign out' });
    await signOut.click();

    // Demo is still signed in and active, on Home; the panel's button is ready for demo's sign-out.
    await expect(window.getByRole('button', { name: /^Account: .*\(@demo\)/ })).toBeVisible();
    await expect(window.getByRole('region', { name: 'Profile' })).toContainText('@demo');
    await expect(signOut).toBeEnabled();
    await expect(signOut).toHaveText('Sign out');
    expect(server.requests('/logout')).toEqual([{ method: 'POST', path: '/logout', status: 0 }]);

    // Demo's session then ends without the person's doing: the sign-in page says nothing of admin's
    // sign-out the server did not hear of (before, the stale warning was shown here).
    await endSession(window);
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
    await expect(window.getByRole('status').filter({ hasText: 'You signed out.' })).toHaveText(
      'You signed out.',
    );
  });

  test('a sign-out that leaves another account, and a switch, are said politely: who went, who is active, a server not told', async ({
    window,
    server,
    signIn,
    addAccount,
    switchAccount,
  }) => {
    await signIn('demo', 'demo-password');
    await addAccount('admin', 'admin-password');
    const host = new URL(server.url).host;
    const said = window.locator('[aria-live="polite"]').filter({ hasText: /Now using/ });
    server.failNext(1, { path: '/logout', resetConnection: true });
    const signOut = window
      .getByRole('complementary', { name: 'Session' })
      .getByRole('button', { name: 'Sign out' });
    await signOut.focus();
    await window.keyboard.press('Enter');
    await expect(said).toHaveText(
      `Signed out of Admin User on ${host}. Now using Demo User (@demo) on ${host}. ` +
        `Tessera could not tell the server (Cannot reach the server at ${server.url}). ` +
        'Your old session still ends on its own when it expires; you don’t need to do anything.',
    );
    await expect(signOut).toBeFocused();

    // A switch in the header's menu says who is active now.
    await addAccount('admin', 'admin-password');
    await switchAccount('demo');
    await expect(said).toHaveText(`Now using Demo User (@demo) on ${host}.`);
  });

  test('an account the server signed out is signed in again from its menu item, and has no "Sign out of" item', async ({
    app,
    server,
    signIn,
  }) => {
    await signIn();
    const window = app.window;
    // Someone else used a copy of the session: the server ends it, and Tessera signs out on its own.
    await server.redeemRefreshToken((await app.refreshToken()) as string);
    const panel = window.getByRole('complementary', { name: 'Session' });
    await panel.getByText('Details', { exact: true }).click();
    await panel.getByRole('button', { name: 'Refresh now' }).click();
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();

    const host = new URL(server.url).host;
    await window.getByRole('button', { name: /^Account/ }).click();
    const menu = window.getByRole('menu', { name: 'Accounts' });
    await expect(menu.getByRole('menuitem', { name: /^Sign out of demo/ })).toHaveCount(0);
    await expect(menu.getByRole('menuitem', { name: `Remove demo on ${host} from the list` })).toBeVisible();
    await menu
      .getByRole('menuitemradio', { name: `demo (@demo) on ${host}, Signed out — sign in again` })
      .click();

    const dialog = window.getByRole('dialog', { name: 'Sign in again' });
    await expect(dialog.getByRole('textbox', { name: 'Username' })).toHaveValue('demo');
    await expect(dialog.getByLabel('Password')).toBeFocused();
    await dialog.getByLabel('Password').fill('demo-password');
    await dialog.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(dialog).toBeHidden();
    await expect(window.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
    await expect(window.getByRole('region', { name: 'Profile' })).toContainText('@demo');
  });

  test('the "Add an account" dialog goes with its window when the only session ends while it is open', async ({
    window,
    signIn,
    openAddAccount,
  }) => {
    await signIn();
    const dialog = await openAddAccount();
    await dialog.getByRole('textbox', { name: 'Username' }).fill('admin');
    // The session ends without the person's doing (main is asked straight through the bridge, as the
    // modal leaves nothing else to click; an expiry or an administrator ending it arrives the same way).
    await endSession(window);
    // Before, the dialog stayed open over the sign-in page and kept it inert.
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
    await expect(dialog).toHaveCount(0);
    const username = window.getByRole('textbox', { name: 'Username' });
    await username.fill('demo');
    await expect(username).toHaveValue('demo');
  });
});

test.describe('the account menu while accounts are restored', () => {
  test('an open menu follows an account still being restored until it is signed in, without reopening', async ({
    app,
    server,
    otherServer,
    signIn,
    addAccount,
  }) => {
    await signIn('demo', 'demo-password');
    await addAccount('admin', 'admin-password', otherServer.url);
    // After the restart admin (the active one) is restored at once; demo's refresh is held.
    const held = server.holdNext('/token/refresh');
    const window = await app.restart();
    const button = window.getByRole('button', { name: /^Account: .*\(@admin\)/ });
    await expect(button).toBeVisible();
    await expect.poll(() => held.arrived).toBe(true);
    await button.click();
    const demo = window.getByRole('menuitemradio', { name: /@demo/ });
    await expect(demo).toContainText('Signing in…');
    held.release();
    await expect(demo).toContainText('Signed in');
    await expect(window.getByRole('menu')).toBeVisible();
  });
});
