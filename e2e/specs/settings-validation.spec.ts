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

test.describe('settings by trust level', () => {
  test('update settings are read-only in the page and refused from the bridge, only an administrator sets them', async ({
    window,
  }) => {
    await window.getByRole('link', { name: 'Settings' }).click();
    const feed = window.getByRole('textbox', { name: 'Update feed URL' });
    await expect(feed).toBeDisabled();
    await expect(feed).toHaveAccessibleDescription(/Set by your administrator/);
    await expect(window.getByRole('checkbox', { name: 'Check for updates' })).toBeDisabled();

    // Even a page that calls the bridge itself cannot point the updater at a feed of its choosing.
    const refusal = await window.evaluate(async () => {
      const bridge = (
        globalThis as unknown as { tessera: { settings: { update(p: unknown): Promise<unknown> } } }
      ).tessera;
      try {
        await bridge.settings.update({ updateUrl: 'https://attacker.example/feed' });
        return 'saved';
      } catch (error) {
        return (error as { code?: string }).code;
      }
    });
    expect(refusal).toBe('ADMIN_SETTING');
  });
});
