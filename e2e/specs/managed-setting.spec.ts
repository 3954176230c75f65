import { expect, test } from '../fixtures';
import { expectLockedRequestSettings } from '../support/managed-settings';

test.describe('settings managed by an IT policy', () => {
  test('are shown read-only with "Set by your organization"', async ({ app }) => {
    const window = await app.setPolicy({
      managed: { requestTimeoutMs: 20_000, staySignedIn: true },
      defaults: { theme: 'dark' },
    });
    await expectLockedRequestSettings(window, { requestTimeoutSeconds: '20', staySignedIn: true });
    // A policy default is only a starting value: still editable.
    await expect(window.getByRole('combobox', { name: 'Theme' })).toBeEnabled();
    await expect(window.getByRole('combobox', { name: 'Theme' })).toHaveValue('dark');
  });
});
