import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';

/** Signs in, waits for Home's profile, opens the request console on /api/user/me; the server's log cleared. */
async function openConsoleSignedIn(
  window: Page,
  server: { clearRequests(): void },
  signIn: () => Promise<unknown>,
): Promise<void> {
  await signIn();
  await expect(window.getByRole('region', { name: 'Profile' })).toContainText('Demo User');
  await window.getByRole('link', { name: 'Request console' }).click();
  await expect(window.getByRole('textbox', { name: 'Path' })).toHaveValue('/api/user/me');
  server.clearRequests();
}

test.describe('a 401 TokenExpiredError mid-request', () => {
  test('is answered by one refresh and one transparent retry', async ({ window, server, signIn }) => {
    await openConsoleSignedIn(window, server, signIn);
    // The server's clock jumps 20 minutes ahead: it now sees the 15-minute token as expired while
    // the app (which schedules by its own receive time) still thinks it is fresh.
    server.setClock(() => Date.now() + 20 * 60_000);

    await window.getByRole('button', { name: 'Send' }).click();

    const response = window.getByRole('region', { name: 'Response' });
    await expect(response.getByRole('status')).toHaveText(/^200 OK [\d.]+ (?:ms|sec) application\/json/);
    await expect(response).toContainText('"username": "demo"');
    await expect(window.getByRole('alert')).toHaveCount(0);
    const calls = server.requests('/api/user/me');
    expect(calls[0]).toEqual({ method: 'GET', path: '/api/user/me', status: 401 });
    expect(calls.slice(1).length).toBeGreaterThanOrEqual(1);
    expect(calls.slice(1).every((call) => call.status === 200)).toBe(true);
    expect(server.requests('/token/refresh')).toEqual([
      { method: 'POST', path: '/token/refresh', status: 200 },
    ]);
  });
});

test.describe('a 403 the contract names as an expired token (Directus answers INVALID_TOKEN so)', () => {
  test.use({
    userSettings: {
      authContract: {
        expired: {
          jsonPath: 'error',
          equals: ['TokenExpiredError', 'InvalidTokenError'],
          status: [401, 403],
        },
      },
    },
  });

  test('is answered by one refresh and one transparent retry', async ({ window, server, signIn }) => {
    await openConsoleSignedIn(window, server, signIn);
    server.failNext(1, { status: 403, path: '/api/user/me', body: '{"error":"InvalidTokenError"}' });

    await window.getByRole('button', { name: 'Send' }).click();

    const response = window.getByRole('region', { name: 'Response' });
    await expect(response.getByRole('status')).toHaveText(/^200 OK [\d.]+ (?:ms|sec) application\/json/);
    await expect(response).toContainText('"username": "demo"');
    // The retry, then (after the session change the refresh announced) the Profile's own reload.
    const [first, ...after] = server.requests('/api/user/me').map((call) => call.status);
    expect(first).toBe(403);
    expect(after.length).toBeGreaterThanOrEqual(1);
    expect(after.every((status) => status === 200)).toBe(true);
    expect(server.requests('/token/refresh')).toEqual([
      { method: 'POST', path: '/token/refresh', status: 200 },
    ]);
  });
});

test.describe('a plain 403', () => {
  test('is shown as it came: no refresh, no retry', async ({ window, server, signIn }) => {
    await openConsoleSignedIn(window, server, signIn);
    // The same body as above, under the default contract (its expired rule names 401 only).
    server.failNext(1, { status: 403, path: '/api/user/me', body: '{"error":"InvalidTokenError"}' });

    await window.getByRole('button', { name: 'Send' }).click();

    const response = window.getByRole('region', { name: 'Response' });
    await expect(response.getByRole('status')).toHaveText(/^403 Forbidden [\d.]+ (?:ms|sec)/);
    await expect(response).toContainText('InvalidTokenError');
    expect(server.requests('/api/user/me').map((call) => call.status)).toEqual([403]);
    expect(server.requests('/token/refresh')).toEqual([]);
  });
});
