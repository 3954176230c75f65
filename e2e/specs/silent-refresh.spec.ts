import { expect, test } from '../fixtures';

test.describe('silent refresh', () => {
  test('short-lived tokens are refreshed in the background while the person keeps working', async ({
    window,
    server,
    signIn,
  }) => {
    // 4 s tokens: exp is the whole second of issue + 4 s, so the answer says expiresIn 3 (or 4), and the
    // app refreshes a quarter of that (~0.75 s, less some jitter) before it runs out.
    server.setTokenLifetimes({ accessSeconds: 4 });
    await signIn();
    await window.getByRole('link', { name: 'Request console' }).click();
    const send = window.getByRole('button', { name: 'Send' });
    const statusLine = window.getByRole('region', { name: 'Response' }).getByRole('status');

    for (let round = 1; round <= 3; round += 1) {
      // Waiting on the server's log is waiting out a real token lifetime, not an arbitrary sleep.
      await expect
        .poll(() => server.requests('/token/refresh').length, { timeout: 10_000 })
        .toBeGreaterThanOrEqual(round);
      await send.click();
      await expect(statusLine).toHaveText(/^200 OK/);
    }

    // Judged from what the server recorded (its own clock, when it issued each token), not the test's
    // clock, so a slow machine cannot turn a correct schedule into a failure.
    const issued = server.issuedTokens();
    expect(issued.length).toBeGreaterThanOrEqual(4);
    expect(issued.map((token) => `${token.path} ${token.user}`)).toEqual([
      '/login demo',
      ...issued.slice(1).map(() => '/token/refresh demo'),
    ]);
    // The server rotates refresh tokens and refuses one presented a second time (401, the session
    // revoked), so with one sign-in, every refresh answered 200 means each presented the refresh token
    // the one before it was issued: never two refreshes for one token.
    expect(server.requests('/login')).toHaveLength(1);
    expect(server.requests('/token/refresh').filter((request) => request.status !== 200)).toEqual([]);
    // Each refresh against the access token it replaced.
    const refreshes = issued.flatMap((replaced, index) => {
      const token = issued[index + 1];
      if (!token) return [];
      return [
        {
          refresh: index + 1,
          msAfterIssue: token.issuedAt - replaced.issuedAt,
          lifetimeMs: replaced.expiresIn * 1000,
          msBeforeExpiry: replaced.expiresAt - token.issuedAt,
        },
      ];
    });
    // Never a missed expiry: each refresh came before the token it replaced expired.
    expect(refreshes.filter((refresh) => refresh.msBeforeExpiry <= 0)).toEqual([]);
    // Never a storm: none came before 60 % of the lifetime the app was told had passed. The app waits
    // for 70-75 % of it (the lead less jitter) after receiving the token, which the server issued
    // earlier still, so a slow machine only adds to that; two refreshes per token would come at 50 %.
    expect(refreshes.filter((refresh) => refresh.msAfterIssue < 0.6 * refresh.lifetimeMs)).toEqual([]);
    // The API never saw an expired token: nothing had to be retried.
    expect(server.requests('/api/user/me').filter((request) => request.status !== 200)).toEqual([]);
    await expect(window.getByRole('alert')).toHaveCount(0);
    await expect(window.getByRole('heading', { level: 1, name: 'Request console' })).toBeVisible();
  });
});
