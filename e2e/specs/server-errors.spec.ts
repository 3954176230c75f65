import { expect, test } from '../fixtures';

test.describe('server errors', () => {
  test('a 503 during sign-in is explained and the next attempt works', async ({ window, server, signIn }) => {
    server.failNext(1, { status: 503, path: '/login' });
    await window.getByRole('textbox', { name: 'Username' }).fill('demo');
    await window.getByLabel('Password').fill('demo-password');
    await window.getByRole('button', { name: 'Sign in', exact: true }).click();

    await expect(window.getByRole('alert')).toHaveText(
      `The server at ${server.url} had a problem (HTTP 503). Try again in a moment.`,
    );
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();

    await signIn();
    expect(server.requests('/login').map((request) => request.status)).toEqual([503, 200]);
  });

  test('a 503 from the refresh endpoint keeps the session and is retried in the background', async ({
    window,
    server,
    signIn,
  }) => {
    await signIn();
    server.failNext(1, { status: 503, path: '/token/refresh' });
    const panel = window.getByRole('complementary', { name: 'Session' });

    await panel.getByRole('button', { name: 'Refresh now' }).click();

    const offline = panel.getByRole('status').filter({ hasText: /^Offline\./ });
    await expect(offline).toContainText(`The server at ${server.url} had a problem (HTTP 503).`);
    await expect(window.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
    // The backoff retry (about 1 s later) succeeds and the notice goes away by itself.
    await expect(offline).toHaveCount(0, { timeout: 10_000 });
    expect(server.requests('/token/refresh').map((request) => request.status)).toEqual([503, 200]);
  });
});
