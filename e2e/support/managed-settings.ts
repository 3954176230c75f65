import { expect, type Page } from '@playwright/test';

/**
 * Opens Settings and checks the request timeout and "Stay signed in" are locked by policy at the given
 * values, each saying it is managed, while the login path stays the person's.
 */
export async function expectLockedRequestSettings(
  window: Page,
  locked: { requestTimeoutMs: string; staySignedIn: boolean },
): Promise<void> {
  await window.getByRole('link', { name: 'Settings' }).click();
  const timeout = window.getByRole('textbox', { name: 'Request timeout (ms)' });
  await expect(timeout).toBeDisabled();
  await expect(timeout).toHaveValue(locked.requestTimeoutMs);
  await expect(timeout).toHaveAccessibleDescription(/Managed by your organization/);
  const stay = window.getByRole('checkbox', { name: 'Stay signed in' });
  await expect(stay).toBeDisabled();
  await expect(stay).toBeChecked({ checked: locked.staySignedIn });
  // Not named by any policy: still the person's.
  await expect(window.getByRole('textbox', { name: 'Login path' })).toBeEnabled();
}
