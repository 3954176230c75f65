// Debian's Chromium as every browser-driven test launches it (never `playwright install`): the OIDC
// suites' system browser (test/oidc/browser.ts) and the e2e browser host (e2e/fixtures.ts).
import { statSync } from 'node:fs';

/** The variable that says where Chromium is; empty counts as unset. */
export const CHROMIUM_VARIABLE = 'TESSERA_E2E_CHROMIUM';

/** The Chromium executable: TESSERA_E2E_CHROMIUM, or Debian's /usr/bin/chromium when unset or empty. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  // `||`, not `??`: an empty value would send Playwright to its own browser cache ("npx playwright install").
  return env[CHROMIUM_VARIABLE] || '/usr/bin/chromium';
}

/** Null when Chromium is where `chromiumPath` says; else one message naming the path and the variable. */
export function chromiumMissing(env: NodeJS.ProcessEnv = process.env): string | null {
  const path = chromiumPath(env);
  try {
    if (statSync(path).isFile()) return null;
  } catch {
    // missing: reported below
  }
  const from = env[CHROMIUM_VARIABLE]
    ? `from ${CHROMIUM_VARIABLE}`
    : `the default; ${CHROMIUM_VARIABLE} is unset`;
  return (
    `Chromium not found at ${path} (${from}). Set ${CHROMIUM_VARIABLE} to your Chromium binary ` +
    '(e.g. /usr/bin/chromium-browser on Fedora, /snap/bin/chromium on Ubuntu); never `npx playwright install`.'
  );
}

/**
 * The executable and the flags; pass to `chromium.launch` (or spread it). Reading `executablePath`
 * checks it, so a wrong or missing Chromium fails with `chromiumMissing`'s message, not Playwright's.
 */
export const CHROMIUM_LAUNCH = {
  get executablePath(): string {
    const missing = chromiumMissing();
    if (missing) throw new Error(missing);
    return chromiumPath();
  },
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};
