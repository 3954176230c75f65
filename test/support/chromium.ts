// Debian's Chromium as every browser-driven test launches it (never `playwright install`): the OIDC
// suites' system browser (test/oidc/browser.ts) and the e2e browser host (e2e/fixtures.ts).

/** The executable (override with TESSERA_E2E_CHROMIUM) and the flags; pass to `chromium.launch`. */
export const CHROMIUM_LAUNCH = {
  executablePath: process.env.TESSERA_E2E_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
