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
      await server.start();
      await expect(window.getByRole('alert')).toHaveCount(0, { timeout: 15_000 });

      // Someone else redeems the token: the next refresh ends the session with the reuse reason.
      expect((await server.redeemRefreshToken((await app.refreshToken()) as string)).status).toBe(200);
      await panel.getByRole('button', { name: 'Refresh now' }).click();
      await expect(window.getByRole('alert')).toContainText('the same session used twice');
      expect(await axeViolations(window)).toEqual([]);
    });
  });
}
