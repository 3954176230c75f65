import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures';

/** axe's findings in a form that reads well in a failure message. */
async function axeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(' ')),
  }));
}

for (const colorScheme of ['light', 'dark'] as const) {
  test.describe(`accessibility (axe), ${colorScheme}`, () => {
    test.use({ colorScheme });
    // Each full axe scan takes seconds; the test with three of them took 29-30 s alone on a 2-core
    // machine (before this session's changes as after), at the 30 s default: three times the time.
    test.slow();

    test('the sign-in page has no violations, also with errors shown and the password visible', async ({
      window,
    }) => {
      await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
      expect(await axeViolations(window)).toEqual([]);

      await window.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(window.getByRole('textbox', { name: 'Username' })).toHaveAttribute('aria-invalid', 'true');
      await window.getByRole('button', { name: 'Show password' }).click();
      expect(await axeViolations(window)).toEqual([]);

      await window.getByRole('textbox', { name: 'Username' }).fill('demo');
      await window.getByRole('textbox', { name: 'Password' }).fill('wrong');
      await window.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(window.getByRole('alert')).toContainText('Wrong username or password.');
      expect(await axeViolations(window)).toEqual([]);
    });

    test('Home with the session details open, the request console with a response, and Settings have no violations', async ({
      window,
      signIn,
    }) => {
      await signIn();
      await expect(window.getByRole('region', { name: 'Profile' })).toContainText('Demo User');
      await window
        .getByRole('complementary', { name: 'Session' })
        .getByText('Details', { exact: true })
        .click();
      await expect(window.getByRole('timer', { name: 'Access token expires in' })).toBeVisible();
      expect(await axeViolations(window)).toEqual([]);

      await window.getByRole('link', { name: 'Request console' }).click();
      await window.getByRole('button', { name: 'Send' }).click();
      await expect(window.getByRole('region', { name: 'Response' }).getByRole('status')).toHaveText(
        /^200 OK/,
      );
      expect(await axeViolations(window)).toEqual([]);

      await window.getByRole('link', { name: 'Settings' }).click();
      await expect(window.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
      expect(await axeViolations(window)).toEqual([]);
    });

    test('the connection banner and a session ended for a reason have no violations', async ({
      window,
      server,
      signIn,
      app,
    }) => {
      await signIn();
      await server.stop();
      const panel = window.getByRole('complementary', { name: 'Session' });
      await panel.getByText('Details', { exact: true }).click();
      await panel.getByRole('button', { name: 'Refresh now' }).click();
      await expect(window.getByRole('alert')).toContainText('Can’t reach');
      expect(await axeViolations(window)).toEqual([]);
      // Beside Settings' "Connection" section, the banner is a landmark of another name.
      await window.getByRole('link', { name: 'Settings' }).click();
      await expect(window.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
      expect(await axeViolations(window)).toEqual([]);
      await expect(window.getByRole('region', { name: 'Connection problem' })).toBeVisible();
      await window.getByRole('link', { name: 'Home' }).click();
      await server.start();
      await expect(window.getByRole('alert')).toHaveCount(0, { timeout: 15_000 });

      // Someone else redeems the token: the next refresh ends the session with the reuse reason.
      expect((await server.redeemRefreshToken((await app.refreshToken()) as string)).status).toBe(200);
      await panel.getByRole('button', { name: 'Refresh now' }).click();
      await expect(window.getByRole('alert')).toContainText('the same session used twice');
      expect(await axeViolations(window)).toEqual([]);
    });
  });

  test.describe(`accessibility (axe) of the console and Settings states, ${colorScheme}`, () => {
    test.use({ colorScheme });
    test.slow();

    test('the console with headers, a refused header, history and a request that could not reach the server; Settings with every error and the leave dialog (locked fields: next test)', async ({
      window,
      server,
      signIn,
    }) => {
      await signIn();
      await window.getByRole('link', { name: 'Request console' }).click();
      const headers = window.getByRole('group', { name: 'Request headers' });
      await headers.getByRole('button', { name: 'Add header' }).click();
      await headers.getByRole('textbox', { name: 'Header 1 name' }).fill('Authorization');
      await window.getByRole('button', { name: 'Send' }).click();
      await expect(headers.getByRole('textbox', { name: 'Header 1 name' })).toHaveAttribute(
        'aria-invalid',
        'true',
      );
      expect(await axeViolations(window)).toEqual([]);

      await headers.getByRole('button', { name: 'Remove header 1' }).click();
      server.failNext(1, { resetConnection: true, path: '/api/user/me' });
      await window.getByRole('button', { name: 'Send' }).click();
      await expect(window.getByRole('alert')).toContainText('Cannot reach the server');
      await window.getByRole('button', { name: 'Send' }).click();
      await expect(window.getByRole('region', { name: 'Response' }).getByRole('status')).toHaveText(
        /^200 OK/,
      );
      await expect(window.getByRole('region', { name: 'History' }).getByRole('listitem')).toHaveCount(2);
      expect(await axeViolations(window)).toEqual([]);

      await window.getByRole('link', { name: 'Settings' }).click();
      await window.getByRole('textbox', { name: 'Server address' }).fill('ftp://x');
      await window.getByRole('textbox', { name: 'Request timeout (seconds)' }).fill('0');
      await window.getByRole('button', { name: 'Save' }).click();
      await expect(window.getByRole('alert')).toContainText('Not saved. Check these fields:');
      expect(await axeViolations(window)).toEqual([]);

      await window.getByRole('link', { name: 'Home' }).click();
      await expect(window.getByRole('dialog', { name: 'Leave without saving?' })).toBeVisible();
      expect(await axeViolations(window)).toEqual([]);
    });

    test('Settings with organization problems and locked fields', async ({ app }) => {
      const window = await app.setPolicy({ managed: { requestTimeoutMs: 'soon' as unknown as number } });
      await window.getByRole('link', { name: 'Settings' }).click();
      await expect(window.getByRole('region', { name: 'Configuration problems' })).toBeVisible();
      await window.getByText('Details for IT').click();
      expect(await axeViolations(window)).toEqual([]);
    });
  });
}
