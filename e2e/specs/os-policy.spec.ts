import { SETTING_KEYS } from '../../common/settings';
import { expect, test } from '../fixtures';

// OS policy (Group Policy in the registry, macOS configuration profiles) from a stand-in source: the
// values below are what the registry would hold (text is REG_SZ, numbers REG_DWORD).
test.describe('settings locked by OS policy', () => {
  test.use({ osPolicy: { requestTimeoutMs: 20_000, staySignedIn: 0, theme: 'dark' } });

  test('are read-only with "Managed by your organization", and win over the policy file', async ({ app }) => {
    const window = await app.setPolicy({ managed: { requestTimeoutMs: 30_000 }, defaults: { locale: 'en' } });
    await window.getByRole('link', { name: 'Settings' }).click();

    const timeout = window.getByRole('textbox', { name: 'Request timeout (ms)' });
    await expect(timeout).toBeDisabled();
    await expect(timeout).toHaveValue('20000');
    await expect(timeout).toHaveAccessibleDescription(/Managed by your organization/);
    const stay = window.getByRole('checkbox', { name: 'Stay signed in' });
    await expect(stay).toBeDisabled();
    await expect(stay).not.toBeChecked();
    await expect(window.getByRole('combobox', { name: 'Theme' })).toBeDisabled();
    await expect(window.getByRole('combobox', { name: 'Theme' })).toHaveValue('dark');
    // Not named by any policy: still the person's.
    await expect(window.getByRole('textbox', { name: 'Login path' })).toBeEnabled();
  });
});

test.describe('About this configuration', () => {
  test.use({ osPolicy: { requestTimeoutMs: 20_000, colour: 'red' } });

  test('lists every setting with its value and source, and every policy problem', async ({ window }) => {
    await window.getByRole('link', { name: 'Settings' }).click();
    await window.locator('summary', { hasText: 'About this configuration' }).click();
    const table = window.getByRole('table', { name: 'About this configuration' });
    const timeout = table.getByRole('row', { name: /Request timeout \(ms\)/ });
    await expect(timeout.getByRole('cell')).toHaveText(['20000', 'Registry or managed preferences (locked)']);
    await expect(table.getByRole('row', { name: /Theme/ }).getByRole('cell')).toHaveText([
      '"system"',
      'Built-in default',
    ]);
    await expect(table.getByRole('row')).toHaveCount(1 + SETTING_KEYS.length);
    await expect(window.getByRole('list', { name: 'Problems' })).toContainText('unknown setting "colour"');
  });
});
