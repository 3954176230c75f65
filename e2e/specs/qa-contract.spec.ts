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
