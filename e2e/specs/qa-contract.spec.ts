import { expect, test } from '../fixtures';

// The promises the QA guide (e2e/README.md) makes about the fixtures themselves.
test.describe('the QA contract', () => {
  test.describe('with test.use({ locale, viewport })', () => {
    test.use({ locale: 'ko-KR', viewport: { width: 800, height: 600 } });

    test('the host opens the app in that locale and size', async ({ window }) => {
      await expect(window.locator('html')).toHaveAttribute('lang', 'ko');
      await expect(window.getByRole('heading', { level: 1, name: 'Tessera에 로그인' })).toBeVisible();
      expect(window.viewportSize()).toEqual({ width: 800, height: 600 });
    });
  });

  test('signIn() fails in seconds with what the page says when the password is wrong', async ({ signIn }) => {
    await expect(signIn('demo', 'not-the-password')).rejects.toThrow(/Wrong username or password/);
  });

  test("clock.shift() moves main's clock: a token past its lifetime is refreshed before it is handed out", async ({
    app,
    clock,
    server,
    signIn,
  }) => {
    await signIn();
    const before = await app.accessToken();
    server.clearRequests();
    clock.shift(20 * 60_000);
    const after = await app.accessToken();
    expect(after).not.toBeNull();
    expect(after).not.toBe(before);
    expect(server.requests('/token/refresh')).toHaveLength(1);
  });
});

// "Your own server": userSettings points the app at another API from the start, on both hosts. Here
// otherServer stands in for it (a spec that knows its URL up front writes test.use({ userSettings })).
const onOwnServer = test.extend({
  userSettings: async ({ otherServer }, use) => {
    await use({ apiBaseUrl: otherServer.url });
  },
});

onOwnServer(
  'userSettings: { apiBaseUrl } signs in to and calls that API, and never the reference server',
  async ({ app, window, server, otherServer, signIn }) => {
    otherServer.addUser({ username: 'qa', password: 'qa-password', role: 'user' });
    await signIn('qa', 'qa-password');
    await expect(window.getByRole('button', { name: /^Account/ })).toContainText(
      new URL(otherServer.url).host,
    );
    await window.getByRole('link', { name: 'Request console' }).click();
    await window.getByRole('button', { name: 'Send' }).click();
    await expect(window.getByRole('region', { name: 'Response' })).toContainText('"username": "qa"');
    // app.refreshToken() reads the keychain entry of that API: the token is live there.
    const refreshToken = await app.refreshToken();
    expect(refreshToken).not.toBeNull();
    expect((await otherServer.redeemRefreshToken(refreshToken ?? '')).status).toBe(200);
    expect(otherServer.requests('/login')).toEqual([{ method: 'POST', path: '/login', status: 200 }]);
    expect(server.requests()).toEqual([]);
  },
);
