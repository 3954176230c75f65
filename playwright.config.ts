import { defineConfig } from '@playwright/test';
import type { HostOptions } from './e2e/fixtures';

/**
 * End-to-end suite: the same specs on two hosts. `browser` runs the built renderer in Debian's
 * Chromium with the real bridge and core; `electron` launches the built app (its tests are skipped,
 * with the reason printed, where no Electron binary exists). Run it through `npm run test:e2e`
 * (a private keyring session). Never `playwright install`.
 */
export default defineConfig<HostOptions>({
  testDir: 'e2e/specs',
  globalSetup: './e2e/global-setup.ts',
  outputDir: 'test-results',
  // Two cores: one worker each. Every test has its own server, keychain service and temp dir.
  workers: 2,
  fullyParallel: true,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  forbidOnly: Boolean(process.env.CI),
  reporter: [['list'], ['html', { outputFolder: 'playwright-report', open: 'never' }]],
  // What every page gets unless a spec says otherwise with test.use({ … }) (screenshots use these).
  // The hosts record their own trace and keep it when a test fails (attached as "trace").
  use: { viewport: { width: 1200, height: 800 }, locale: 'en-US', colorScheme: 'light', timezoneId: 'UTC' },
  projects: [
    { name: 'browser', use: { host: 'browser' } },
    { name: 'electron', use: { host: 'electron' } },
  ],
});
