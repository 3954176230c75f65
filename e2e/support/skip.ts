import type { TestInfo } from '@playwright/test';

/**
 * Skips the running test, first printing why with its title (`[e2e] <title>: skipped: <reason>`), so
 * the run's output says what did not run and why; the reason is also the report's skip annotation.
 * Never returns: Playwright ends the test at the skip.
 */
export function skipWithReason(testInfo: TestInfo, reason: string): never {
  console.log(`[e2e] ${testInfo.title}: skipped: ${reason}`);
  testInfo.skip(true, reason);
  throw new Error(`unreachable: ${testInfo.title} was skipped (${reason})`);
}
