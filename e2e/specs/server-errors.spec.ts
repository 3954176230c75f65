import type { Page } from '@playwright/test';
import { expect, type TestServer, test } from '../fixtures';

/** Home loads the profile again (back from the console) and gets `fault`: the profile card's alert. */
async function profileAlertAfter(
  window: Page,
  server: TestServer,
  fault: Parameters<TestServer['failNext']>[1],
) {
  await window.getByRole('link', { name: 'Request console' }).click();
  server.failNext(1, { ...fault, path: '/api/user/me' });
  await window.getByRole('link', { name: 'Home' }).click();
  return window.getByRole('region', { name: 'Profile' }).getByRole('alert');
}

test.describe('server errors', () => {
  test('a 503 during sign-in is explained and the next attempt works', async ({ window, server, signIn }) => {
    server.failNext(1, { status: 503, path: '/login' });
    await window.getByRole('textbox', { name: 'Username' }).fill('demo');
    await window.getByLabel('Password').fill('demo-password');
    await window.getByRole('button', { name: 'Sign in', exact: true }).click();

    // The sentence says what happened and what to do; the status code is for support, under "Details".
    const alert = window.getByRole('alert');
    await expect(alert).toContainText(
      `The server at ${server.url} had a problem. The problem is on the server’s side, and your session is safe. Try again in a moment; if it keeps happening, tell your administrator.`,
    );
    await expect(alert.getByText('HTTP 503')).toBeHidden();
    await alert.getByText('Details', { exact: true }).click();
    await expect(alert.getByText('HTTP 503', { exact: true })).toBeVisible();
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();

    await signIn();
    expect(server.requests('/login').map((request) => request.status)).toEqual([503, 200]);
  });

  test('a 503 from the refresh endpoint says "busy", keeps the session and is retried in the background', async ({
    window,
    server,
    signIn,
  }) => {
    await signIn();
    server.failNext(1, { status: 503, path: '/token/refresh' });
    const panel = window.getByRole('complementary', { name: 'Session' });

    await panel.getByText('Details', { exact: true }).click();
    await panel.getByRole('button', { name: 'Refresh now' }).click();

    const banner = window.getByRole('alert');
    await expect(banner).toHaveText('The server is busy. You stay signed in.');
    await expect(panel.getByRole('alert')).toHaveCount(0);
    await expect(window.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
    // The backoff retry (about 1 s later) succeeds and the banner goes away by itself.
    await expect(banner).toHaveCount(0, { timeout: 10_000 });
    expect(server.requests('/token/refresh').map((request) => request.status)).toEqual([503, 200]);
  });

  test('a refresh answer Tessera cannot read is named for what it is, not "can’t reach"', async ({
    window,
    server,
    signIn,
  }) => {
    await signIn();
    // Twice: the click's refresh and main's first retry (a second later) get it.
    server.failNext(2, { status: 200, path: '/token/refresh', body: 'not json' });
    const panel = window.getByRole('complementary', { name: 'Session' });
    await panel.getByText('Details', { exact: true }).click();
    await panel.getByRole('button', { name: 'Refresh now' }).click();

    // The server answered: no connection banner ("can't reach"), the panel says what went wrong.
    const alert = panel.getByRole('alert');
    await expect(alert).toContainText(
      `Tessera could not renew your session. The server at ${new URL(server.url).origin} gave an answer Tessera does not understand. Check the server address in Settings. If it is right, the server may not be one Tessera supports: ask your administrator.`,
    );
    await expect(window.getByRole('alert')).toHaveCount(1);
    await expect(window.getByRole('alert')).not.toContainText('Can’t reach');
    // A later retry on main's timer gets a good answer and the alert goes away by itself.
    await expect(alert).toHaveCount(0, { timeout: 15_000 });
    await expect(window.getByRole('alert')).toHaveCount(0);
  });

  test('a busy server’s Retry-After sets when the banner tries the profile again; "Retry now" does not wait', async ({
    window,
    server,
    signIn,
  }) => {
    await signIn();
    await profileAlertAfter(window, server, { status: 503, retryAfterSeconds: 120 });
    // Not the banner's own first retry (8 s): the 2 minutes the server asked for.
    const countdown = window.getByText(/^Retrying in \d+ s$/);
    await expect(countdown).toBeVisible();
    const seconds = Number((await countdown.textContent())?.match(/\d+/)?.[0]);
    expect(seconds).toBeGreaterThan(100);
    expect(seconds).toBeLessThanOrEqual(120);
    await window.getByRole('button', { name: 'Retry now' }).click();
    await expect(window.getByRole('region', { name: 'Profile' })).toContainText('Demo User');
    await expect(countdown).toHaveCount(0);
    expect(server.requests('/api/user/me').map((request) => request.status)).toEqual(
      expect.arrayContaining([503, 200]),
    );
  });

  test('a profile answer that is not JSON (an HTML page) is "an answer Tessera does not understand", in plain words', async ({
    window,
    server,
    signIn,
  }) => {
    await signIn();
    const alert = await profileAlertAfter(window, server, {
      status: 200,
      body: '<!doctype html><html>Sign in to the Wi-Fi</html>',
    });
    await expect(alert).toContainText(
      `Your profile could not be loaded. The server at ${server.url} gave an answer Tessera does not understand.`,
    );
    // What is shown says it in plain words; what went wrong, for support, waits under a closed "Details".
    await expect(alert).not.toContainText('JSON', { useInnerText: true });
    await expect(alert).not.toContainText('Unexpected token');
    const details = alert.locator('details');
    await expect(details).not.toHaveAttribute('open');
    await expect(details).toContainText('Profile is not JSON');
  });

  test('a profile the server refuses (403) says what it means and what to do, without the status code in the sentence', async ({
    window,
    server,
    signIn,
  }) => {
    await signIn();
    const alert = await profileAlertAfter(window, server, { status: 403 });
    await expect(alert).toContainText(
      'Your profile could not be loaded. Your account is not allowed to do this. If you need it, ask your administrator for access.',
    );
    await expect(alert.getByText(/HTTP|403/)).toBeHidden();
    await alert.getByText('Details', { exact: true }).click();
    await expect(alert.getByText('HTTP 403 Forbidden', { exact: true })).toBeVisible();
  });
});
