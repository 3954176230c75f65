import { SETTING_KEYS } from '../../common/settings';
import { expect, test } from '../fixtures';
import { expectLockedRequestSettings } from '../support/managed-settings';

// OS policy (Group Policy in the registry, macOS configuration profiles) from a stand-in source: the
// values below are what the registry would hold (text is REG_SZ, numbers REG_DWORD).
test.describe('settings locked by OS policy', () => {
  test.use({ osPolicy: { requestTimeoutMs: 20_000, staySignedIn: 0, theme: 'dark' } });

  test('are read-only with "Set by your organization", and win over the policy file', async ({ app }) => {
    const window = await app.setPolicy({ managed: { requestTimeoutMs: 30_000 }, defaults: { locale: 'en' } });
    await expectLockedRequestSettings(window, { requestTimeoutSeconds: '20', staySignedIn: false });
    await expect(window.getByRole('combobox', { name: 'Theme' })).toBeDisabled();
    await expect(window.getByRole('combobox', { name: 'Theme' })).toHaveValue('dark');
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
