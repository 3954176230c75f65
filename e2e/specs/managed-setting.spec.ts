import { expect, test } from '../fixtures';

test.describe('settings managed by an IT policy', () => {
  test('are shown read-only with "Managed by your organization"', async ({ app }) => {
    const window = await app.setPolicy({
      managed: { requestTimeoutMs: 20_000, staySignedIn: true },
      defaults: { theme: 'dark' },
    });
    await window.getByRole('link', { name: 'Settings' }).click();

    const timeout = window.getByRole('textbox', { name: 'Request timeout (ms)' });
    await expect(timeout).toBeDisabled();
    await expect(timeout).toHaveValue('20000');
    await expect(timeout).toHaveAccessibleDescription(/Managed by your organization/);
    const stay = window.getByRole('checkbox', { name: 'Stay signed in' });
    await expect(stay).toBeDisabled();
    await expect(stay).toBeChecked();
    // A policy default is only a starting value: still editable.
    await expect(window.getByRole('combobox', { name: 'Theme' })).toBeEnabled();
    await expect(window.getByRole('combobox', { name: 'Theme' })).toHaveValue('dark');
    await expect(window.getByRole('textbox', { name: 'Login path' })).toBeEnabled();
  });
});
