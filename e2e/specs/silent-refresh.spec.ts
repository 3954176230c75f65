import { expect, test } from '../fixtures';

test.describe('silent refresh', () => {
  test('short-lived tokens are refreshed in the background while the person keeps working', async ({
    window,
    server,
    signIn,
  }) => {
    // 3 s tokens: the app refreshes ~0.75 s before expiry (25 % lead), so about every 2.2 s.
    server.setTokenLifetimes({ accessSeconds: 3 });
    await signIn();
    const signedInAt = Date.now();
    await window.getByRole('link', { name: 'Request console' }).click();
    const send = window.getByRole('button', { name: 'Send' });
    const statusLine = window.getByRole('region', { name: 'Response' }).getByRole('status');

    for (let round = 1; round <= 3; round += 1) {
      // Waiting on the server's log is waiting out a real token lifetime, not an arbitrary sleep.
      await expect
        .poll(() => server.requests('/token/refresh').length, { timeout: 5_000 })
        .toBeGreaterThanOrEqual(round);
      await send.click();
      await expect(statusLine).toHaveText(/^200 OK/);
    }

    const elapsedMs = Date.now() - signedInAt;
    const refreshes = server.requests('/token/refresh');
    expect(refreshes.every((request) => request.status === 200)).toBe(true);
    // About one refresh per token lifetime: never a storm, never a missed expiry.
    expect(refreshes.length).toBeLessThanOrEqual(Math.ceil(elapsedMs / 2_000) + 1);
    expect(refreshes.length).toBeGreaterThanOrEqual(Math.floor(elapsedMs / 3_000));
    // The API never saw an expired token: nothing had to be retried.
    expect(server.requests('/api/user/me').every((request) => request.status === 200)).toBe(true);
    await expect(window.getByRole('alert')).toHaveCount(0);
    await expect(window.getByRole('heading', { level: 1, name: 'Request console' })).toBeVisible();
  });
});
