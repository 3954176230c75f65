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

test.describe('accessibility (axe)', () => {
  test('the sign-in page has no violations, also with errors shown', async ({ window }) => {
    await expect(window.getByRole('heading', { level: 1, name: 'Sign in to Tessera' })).toBeVisible();
    expect(await axeViolations(window)).toEqual([]);

    await window.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(window.getByRole('textbox', { name: 'Username' })).toHaveAttribute('aria-invalid', 'true');
    expect(await axeViolations(window)).toEqual([]);
  });

  test('Home, the request console with a response, and Settings have no violations', async ({
    window,
    signIn,
  }) => {
    await signIn();
    await expect(window.getByRole('region', { name: 'Profile' })).toContainText('Demo User');
    expect(await axeViolations(window)).toEqual([]);

    await window.getByRole('link', { name: 'Request console' }).click();
    await window.getByRole('button', { name: 'Send' }).click();
    await expect(window.getByRole('region', { name: 'Response' }).getByRole('status')).toHaveText(/^200 OK/);
    expect(await axeViolations(window)).toEqual([]);

    await window.getByRole('link', { name: 'Settings' }).click();
    await expect(window.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
    expect(await axeViolations(window)).toEqual([]);
  });
});
