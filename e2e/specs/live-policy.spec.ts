import { expect, test } from '../fixtures';
import { expectLockedRequestSettings } from '../support/managed-settings';

// IT changes the policy while the app runs: no restart, the window shows the new locks, and moving the
// API signs the person out as a change they made themselves would (docs/it-guide.md, section 4).
test.describe('a policy changed while the app runs', () => {
  test('locks and unlocks settings without a restart, keeping the person signed in', async ({
    app,
    window,
    signIn,
  }) => {
    await signIn();
    // The window reloads to show the new policy: navigate once it has, or a click can land on the
    // page being replaced and be lost (the reload keeps the route, not a click in flight).
    const reloaded = window.waitForEvent('load');
    await app.changePolicy({ managed: { requestTimeoutMs: 30_000, staySignedIn: false } });
    await reloaded;
    await expectLockedRequestSettings(window, { requestTimeoutSeconds: '30', staySignedIn: false });
    await expect(window.getByRole('button', { name: 'Sign out' })).toBeVisible();

    await app.changePolicy({});
    await expect(window.getByRole('textbox', { name: 'Request timeout (seconds)' })).toBeEnabled();
    await expect(window.getByRole('checkbox', { name: 'Stay signed in' })).toBeEnabled();
  });

  test('signs out when the policy moves the API to another server', async ({
    app,
    window,
    signIn,
    otherServer,
  }) => {
    await signIn();
    await app.changePolicy({ managed: { apiBaseUrl: otherServer.url } });
    await expect(window.getByRole('alert')).toContainText('the server address changed');
    await expect(window.getByRole('button', { name: 'Sign in', exact: true })).toBeVisible();
    expect(await app.accessToken()).toBeNull();
    expect(app.logs()).toContain('policy changed: apiBaseUrl');
  });
});
