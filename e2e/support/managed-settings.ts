import { expect, type Page } from '@playwright/test';

/**
 * Opens Settings and checks the request timeout and "Stay signed in" are locked by policy at the given
 * values, each saying who set it, while the login path stays the person's.
 */
export async function expectLockedRequestSettings(
  window: Page,
  locked: { requestTimeoutSeconds: string; staySignedIn: boolean },
): Promise<void> {
  await window.getByRole('link', { name: 'Settings' }).click();
  const timeout = window.getByRole('textbox', { name: 'Request timeout (seconds)' });
  await expect(timeout).toBeDisabled();
  await expect(timeout).toHaveValue(locked.requestTimeoutSeconds);
  await expect(timeout).toHaveAccessibleDescription(/Set by your organization/);
  const stay = window.getByRole('checkbox', { name: 'Stay signed in' });
  await expect(stay).toBeDisabled();
  await expect(stay).toBeChecked({ checked: locked.staySignedIn });
  // Not named by any policy: still the person's.
  await expect(window.getByRole('textbox', { name: 'Login path' })).toBeEnabled();
}
