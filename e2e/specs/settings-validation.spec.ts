import { expect, test } from '../fixtures';

test.describe('settings validation', () => {
  test('an API address main refuses is reported next to the field and not saved', async ({
    window,
    server,
  }) => {
    await window.getByRole('link', { name: 'Change API address' }).click();
    await expect(window.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    const apiUrl = window.getByRole('textbox', { name: 'API base URL' });
    await expect(apiUrl).toHaveValue(server.url);

    // http is allowed for loopback only.
    await apiUrl.fill('http://api.example.com');
    await window.getByRole('button', { name: 'Save' }).click();

    await expect(apiUrl).toHaveAttribute('aria-invalid', 'true');
    await expect(apiUrl).toHaveAccessibleDescription(
      /Enter a full https:\/\/ address \(http:\/\/ only for this computer\)\./,
    );
    await expect(apiUrl).toBeFocused();
    await expect(window.getByRole('status').filter({ hasText: 'Settings saved.' })).toHaveCount(0);
  });

  test('a valid change is saved and survives a restart', async ({ window, app }) => {
    await window.getByRole('link', { name: 'Settings' }).click();
    const timeout = window.getByRole('textbox', { name: 'Request timeout (ms)' });

    await timeout.fill('soon');
    await window.getByRole('button', { name: 'Save' }).click();
    await expect(timeout).toHaveAccessibleDescription(/Enter a timeout in milliseconds, as a whole number\./);

    await timeout.fill('20000');
    await window.getByRole('button', { name: 'Save' }).click();
    await expect(window.getByRole('status').filter({ hasText: 'Settings saved.' })).toBeVisible();
    await expect(timeout).not.toHaveAttribute('aria-invalid', 'true');

    const restarted = await app.restart();
    await restarted.getByRole('link', { name: 'Settings' }).click();
    await expect(restarted.getByRole('textbox', { name: 'Request timeout (ms)' })).toHaveValue('20000');
  });
});
