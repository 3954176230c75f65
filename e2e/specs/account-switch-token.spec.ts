import { expect, test } from '../fixtures';

test.describe('a token refresh held across an account switch', () => {
  test("demo's refreshed token never goes to admin's server, and admin's token never to demo's", async ({
    app,
    server,
    otherServer,
    signIn,
    addAccount,
    switchAccount,
  }) => {
    await signIn('demo', 'demo-password');
    await addAccount('admin', 'admin-password', otherServer.url);
    await switchAccount('demo', server.url);
    const window = app.window;
    await window.getByRole('link', { name: 'Request console' }).click();
    await expect(window.getByRole('textbox', { name: 'Path' })).toHaveValue('/api/user/me');
    server.clearRequests();
    otherServer.clearRequests();
    // demo's server now sees demo's token as expired (its clock jumps 20 minutes), and holds the refresh
    // that the app's retry asks for until the person has switched to admin, however long that takes.
    server.setClock(() => Date.now() + 20 * 60_000);
    const heldRefresh = server.holdNext('/token/refresh');
    await window.getByRole('button', { name: 'Send' }).click();
    await expect
      .poll(() => server.requests('/api/user/me'))
      .toEqual([{ method: 'GET', path: '/api/user/me', status: 401 }]);
    await expect.poll(() => heldRefresh.arrived).toBe(true);
    await switchAccount('admin', otherServer.url);
    // The race really happened: the switch was made while demo's refresh was still in flight (a request
    // is recorded once answered).
    expect(server.requests('/token/refresh')).toEqual([]);
    // The held refresh lands (for demo, whose session keeps the new token) after admin is shown.
    heldRefresh.release();
    await expect
      .poll(() => server.requests('/token/refresh'))
      .toEqual([{ method: 'POST', path: '/token/refresh', status: 200 }]);
    // Send is enabled again once the first request is over (its answer, or a view rebuilt for admin).
    await expect(window.getByRole('button', { name: 'Send' })).toBeEnabled();
    const response = window.getByRole('region', { name: 'Response' });

    // As admin: the console's request goes to admin's server with admin's token, not demo's new one.
    await expect(window.getByText(/^Requests go out as .*\(@admin\)/)).toBeVisible();
    await window.getByRole('button', { name: 'Send' }).click();
    await expect(response.getByRole('status')).toHaveText(/^200 OK/);
    await expect(response).toContainText('"username": "admin"');
    expect(otherServer.requests('/api/user/me')).toEqual([
      { method: 'GET', path: '/api/user/me', status: 200, user: 'admin' },
    ]);
    // demo's server never saw admin's token (after the refresh, main reads demo's profile there itself).
    expect(server.requests('/api/user/me').filter((request) => request.user !== 'demo')).toEqual([
      { method: 'GET', path: '/api/user/me', status: 401 },
    ]);
  });
});
