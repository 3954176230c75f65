import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import globalSetup, { browserProjectSelected } from '../../e2e/global-setup';

// The real Playwright launch and the real e2e global setup, with TESSERA_E2E_CHROMIUM set as a tester
// sets it: before anything is loaded (in a child process); nothing is launched when the path is wrong.
const saved = process.env.TESSERA_E2E_CHROMIUM;
afterEach(() => {
  if (saved === undefined) delete process.env.TESSERA_E2E_CHROMIUM;
  else process.env.TESSERA_E2E_CHROMIUM = saved;
});

/** Runs `code` (an ES module with CHROMIUM_LAUNCH and Playwright's chromium in scope) and returns its output. */
function withChromiumVariable(value: string, code: string): string {
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `import { chromium } from '@playwright/test';\nimport { CHROMIUM_LAUNCH } from './test/support/chromium.ts';\n${code}`,
    ],
    { env: { ...process.env, TESSERA_E2E_CHROMIUM: value }, encoding: 'utf8', timeout: 60_000 },
  );
  return `${result.stdout}${result.stderr}`;
}

describe('TESSERA_E2E_CHROMIUM', () => {
  it('counts as unset when empty: Debian’s Chromium, not Playwright’s own browser cache', () => {
    const output = withChromiumVariable('', 'console.log(JSON.stringify(CHROMIUM_LAUNCH.executablePath));');
    expect(output.trim()).toBe('"/usr/bin/chromium"');
  });

  it('a wrong path fails the launch with a message naming the path and the variable', () => {
    const output = withChromiumVariable(
      '/nonexistent/chromium/chrome',
      'await chromium.launch(CHROMIUM_LAUNCH).then((b) => b.close().then(() => console.log("launched")), (e) => console.log(e.message));',
    );
    expect(output).toContain(
      'Chromium not found at /nonexistent/chromium/chrome (from TESSERA_E2E_CHROMIUM). Set TESSERA_E2E_CHROMIUM',
    );
  });

  it('a wrong path stops the e2e run once, in the global setup, before anything is built', () => {
    process.env.TESSERA_E2E_CHROMIUM = '/nonexistent/chromium/chrome';
    const argv = process.argv;
    process.argv = [argv[0] ?? 'node', 'playwright', 'test'];
    try {
      expect(() => globalSetup()).toThrow('e2e: Chromium not found at /nonexistent/chromium/chrome');
    } finally {
      process.argv = argv;
    }
  });

  it('is not needed for a run of the electron project alone', () => {
    expect(browserProjectSelected(['node', 'playwright', 'test', '--project=electron'])).toBe(false);
    expect(browserProjectSelected(['node', 'playwright', 'test', '--project', 'electron'])).toBe(false);
    expect(browserProjectSelected(['node', 'playwright', 'test', '--project=browser'])).toBe(true);
    expect(browserProjectSelected(['node', 'playwright', 'test'])).toBe(true);
  });
});
