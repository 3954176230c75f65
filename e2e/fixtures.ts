// The QA-facing API of the end-to-end suite: `import { test, expect } from '../fixtures'`.
// Every spec runs on two hosts (playwright.config.ts projects): `browser` (built renderer in Chromium,
// real bridge, real main-process core in this Node process) and `electron` (the built app).
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, test as base, expect, type Locator, type Page, type TestInfo } from '@playwright/test';
import type { TesseraBridge } from '../common/ipc';
import { redactText } from '../main/core/redact';
import type { RecordedRequest } from '../server/types';
import { CHROMIUM_LAUNCH } from '../test/support/chromium';
import { startRestartableServer, type TestServer } from '../test/support/test-server';
import type { AppHost, UserSettingsFile } from './support/app-host';
import { createLogBook, type LogBook } from './support/app-logs';
import { bundlePageBridge } from './support/bridge-bundle';
import { launchBrowserHost, type MainLaunch, type OsPolicyValues } from './support/browser-host';
import { ensureDisplay } from './support/display';
import {
  ELECTRON_MAIN_LAUNCH_SKIP,
  ELECTRON_OS_POLICY_SKIP,
  ELECTRON_SYSTEM_LOCALES_SKIP,
  launchElectronHost,
} from './support/electron-host';
import { BROWSER_APP_ORIGIN } from './support/host-names';
import { createTestKeychain, type TestKeychain } from './support/keychain';
import { skipWithReason } from './support/skip';
import { type StandInServer, startSimpleJwtStandIn } from './support/stand-in';

export type { TestServer } from '../test/support/test-server';
export type { PolicyFile, UserSettingsFile } from './support/app-host';
export { bridgeApiShape } from './support/bridge-shape';
export type { StandInServer } from './support/stand-in';
export { expect };

const REPO_ROOT = join(import.meta.dirname, '..');
const RENDERER_DIR = join(REPO_ROOT, 'out', 'renderer');
const SCREENSHOT_DIR = join(REPO_ROOT, 'docs', 'screenshots');

/** Which host runs the app; set per project in playwright.config.ts. */
export type HostKind = 'browser' | 'electron';

/** Views with a screenshot in docs/screenshots/. */
export type ScreenshotName =
  | 'sign-in'
  | 'home'
  | 'request-console'
  | 'settings'
  | 'session-ended'
  | 'connection-banner'
  /** The matrix of screenshots.spec.ts: `<view>-<locale>-<theme>-<width>x<height>`. */
  | `${'sign-in' | 'home' | 'settings'}-${'en' | 'ko'}-${'light' | 'dark'}-${number}x${number}`;

/** The running app as specs use it. */
export interface TesseraApp extends AppHost {
  /** The refresh token in the OS keychain for `username` (default: the last signed-in user), or null. */
  refreshToken(username?: string): Promise<string | null>;
}

/** The core's clock as specs move it. */
export interface CoreClock {
  /** Moves main's clock by `ms` (negative: back); it keeps running from there. */
  shift(ms: number): void;
  /** Main's current time. */
  now(): number;
}

export interface HostOptions {
  host: HostKind;
}

type HostEnvironment =
  | { kind: 'browser'; browser: Browser; bridgeScript: string }
  | { kind: 'electron'; executablePath: string; packaged: boolean; display: string | undefined }
  | { kind: 'skip'; reason: string };

interface WorkerFixtures extends HostOptions {
  hostEnvironment: HostEnvironment;
}

interface TesseraFixtures {
  /**
   * Option (`test.use({ serverSendsCors: false })`): `server` sends no CORS headers at all, so the page
   * works only because the host supplies them the shell's way (default true: it allow-lists the page).
   */
  serverSendsCors: boolean;
  /**
   * Option (`test.use({ osPolicy: { requestTimeoutMs: 20000, staySignedIn: 0 } })`): OS policy as the
   * Windows registry would hold it (a string is REG_SZ, a number REG_DWORD), from a stand-in source
   * the browser host hands to the composition root; electron-host tests using it are skipped.
   */
  osPolicy: OsPolicyValues | null;
  /**
   * Option (`test.use({ firstRun: true })`): the app starts with no user settings file, so no API has
   * been chosen (apiBaseUrl is its built-in default) and the sign-in page offers the connect wizard.
   */
  firstRun: boolean;
  /**
   * Option (`test.use({ mainLaunch: { env: { TESSERA_THEME: 'dark' }, argv: ['--locale=ko'] } })`): the
   * environment variables and command-line options main starts with (browser host; electron-host tests
   * using it are skipped, saying why).
   */
  mainLaunch: MainLaunch | null;
  /**
   * Option (`test.use({ systemLocales: ['en-GB', 'en-US'] })`): the operating system's regional format
   * and preferred languages as main reads them for a window (`app.getSystemLocale()`,
   * `app.getPreferredSystemLanguages()`), handed to the page bridge as main hands them to the preload.
   * Browser host; electron-host tests using it are skipped, saying why.
   */
  systemLocales: string[] | null;
  /**
   * Option (`test.use({ userSettings: { apiBaseUrl: 'https://api.example.com', apiProfile: 'simplejwt' } })`):
   * keys of the user settings file the app starts with, over `{ apiBaseUrl: server.url }`, on both hosts.
   * With another `apiBaseUrl` the app signs in to and calls that API (your own server) instead of
   * `server`; nothing is locked, as if the person had saved it in Settings. Ignored with `firstRun`.
   */
  userSettings: UserSettingsFile | null;
  /** A fresh reference server for this test (file database in a temp dir, free loopback port). */
  server: TestServer;
  /** A second, independent reference server (its own users and keys), for specs that switch the API. */
  otherServer: TestServer;
  /** A loopback stand-in answering the connect wizard's probe as SimpleJWT documents it (not a real server). */
  simpleJwtStandIn: StandInServer;
  /** The app, signed out, pointed at `server`, with a keychain namespace of its own. */
  app: TesseraApp;
  /** The app's window (after `app.restart()` on the electron host, use the page it returns). */
  window: Page;
  /** Signs in through the UI (default demo / demo-password) and waits for Home and its profile request. */
  signIn(username?: string, password?: string): Promise<void>;
  /**
   * Adds an account through the header's account switcher ("Add account"): on `apiBaseUrl` when given
   * (another server: the host confirms the prompt, and the window reloads for its CSP), else on the
   * configured API. Waits until the new account is the active one.
   */
  addAccount(username: string, password: string, apiBaseUrl?: string): Promise<void>;
  /** Opens "Add account" in the header's account switcher and returns its dialog "Add an account", once shown. */
  openAddAccount(): Promise<Locator>;
  /** Switches to the account of `username` (on the host of `apiBaseUrl`, when given) in the header's menu. */
  switchAccount(username: string, apiBaseUrl?: string): Promise<void>;
  /** Attaches a screenshot of the window; with TESSERA_UPDATE_SCREENSHOTS=1 the browser project also writes docs/screenshots/<view>.png. */
  saveScreenshot(view: ScreenshotName): Promise<void>;
  /**
   * The clock of the app's main process (browser host): `clock.shift(ms)` moves it as a wrong or
   * jumping machine clock would, for scheduling, expiry and skew. Playwright's `page.clock` and
   * `context.setOffline()` reach only the page, not main (the core), so use this and `server` instead.
   */
  clock: CoreClock;
  /** Plumbing (specs rarely need it): the test's temp dir (server database, userData, policy file). */
  workDir: string;
  /** Plumbing: the test's keychain service; its entries are deleted after the test. */
  keychain: TestKeychain;
  /** Plumbing: where the app's log lines are collected (read them with `app.logs()`). */
  logBook: LogBook;
  /** Plumbing: the core's system browser for OpenID Connect (browser host; e2e/support/oidc.ts sets it). */
  openExternal: ((url: string) => Promise<void>) | null;
}

/**
 * Ends the session without the person's doing: main is asked straight through the page's bridge (a
 * modal may leave nothing else to click); an expiry or an administrator ending it arrives the same way.
 */
export async function endSession(window: Page): Promise<void> {
  await window.evaluate(async () => {
    const { tessera } = globalThis as unknown as { tessera: TesseraBridge };
    await tessera.auth.signOut();
  });
}

/** What node_modules/electron (or ELECTRON_OVERRIDE_DIST_PATH) holds, as scripts/electron-binary.mjs finds it. */
export type ElectronBinary = { found: true; path: string } | { found: false; reason: string };

interface ElectronBinaryModule {
  findElectronBinary(): ElectronBinary;
  ELECTRON_HELP: string;
}

/** The executable the electron host launches, or why its tests are skipped. */
export type ElectronExecutable =
  | { found: true; path: string; packaged: boolean }
  | { found: false; reason: string };

/** Why `path` cannot be launched (missing, not a file, not executable), or undefined when it can. */
function unlaunchable(path: string): string | undefined {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch {
    return 'does not exist';
  }
  if (!isFile) return 'is not a file (give the executable inside the build, not its folder)';
  try {
    // Windows has no execute permission: there X_OK only checks that the file is there.
    accessSync(path, constants.X_OK);
  } catch {
    return 'is not executable';
  }
  return undefined;
}

/**
 * Picks the electron host's executable. `TESSERA_E2E_EXECUTABLE` asks for a packaged build by name, so
 * when it cannot be launched this throws and every electron test fails with the message: a typo or a
 * failed `npm run dist:e2e` must not turn into a green run that tested nothing. Without it, the
 * development binary from `findElectronBinary`; when that is missing, the tests are skipped with the
 * reason (a machine without Electron is expected, see e2e/README.md).
 */
export function electronExecutable(
  env: Readonly<Record<string, string | undefined>>,
  findElectronBinary: () => ElectronBinary,
  help: string,
): ElectronExecutable {
  const packaged = env.TESSERA_E2E_EXECUTABLE;
  if (packaged) {
    const problem = unlaunchable(packaged);
    if (problem !== undefined) {
      throw new Error(
        `electron host: TESSERA_E2E_EXECUTABLE is set to ${packaged}, which ${problem}. Build the ` +
          'packaged test app with `npm run dist:e2e` and point the variable at its executable ' +
          '(docs/first-launch-checklist.md), or unset it to test the development build.',
      );
    }
    return { found: true, path: packaged, packaged: true };
  }
  const binary = findElectronBinary();
  return binary.found
    ? { found: true, path: binary.path, packaged: false }
    : { found: false, reason: `electron host: ${binary.reason}. ${help}` };
}

/** Loaded by computed URL: scripts/ is plain .mjs without type declarations. */
async function loadElectronBinaryModule(): Promise<ElectronBinaryModule> {
  const url = new URL('../scripts/electron-binary.mjs', import.meta.url).href;
  return (await import(url)) as ElectronBinaryModule;
}

async function electronEnvironment(): Promise<{ env: HostEnvironment; stop(): void }> {
  const { findElectronBinary, ELECTRON_HELP } = await loadElectronBinaryModule();
  const executable = electronExecutable(process.env, () => findElectronBinary(), ELECTRON_HELP);
  if (!executable.found) return { env: { kind: 'skip', reason: executable.reason }, stop() {} };
  const display = await ensureDisplay();
  if (!display.ok) return { env: { kind: 'skip', reason: display.reason }, stop() {} };
  return {
    env: {
      kind: 'electron',
      executablePath: executable.path,
      packaged: executable.packaged,
      display: display.display,
    },
    stop: display.stop,
  };
}

/**
 * Prints why the electron tests are skipped, once per run however many workers find out: the first
 * worker creates a marker in the output folder (which Playwright empties at the start of every run).
 */
function reportSkipOnce(outputDir: string, reason: string): void {
  try {
    mkdirSync(outputDir, { recursive: true });
    writeFileSync(join(outputDir, '.electron-skip-reported'), reason, { flag: 'wx' });
  } catch {
    return; // another worker already printed it
  }
  console.log(`\n[e2e] every electron test is skipped: ${reason}\n`);
}

/**
 * What a reference server received and answered, one request a line: `POST /login 401`,
 * `GET /api/user/me 200 demo` (the user whose access token it carried), `reset` for a cut connection.
 * Only these four fields are written, never a whole entry, so a field added to RecordedRequest later
 * cannot carry a token here unnoticed; the path has no query string, and a token-shaped piece of it
 * (a spec sending one in the path) is redacted like a log line.
 */
export function serverRequestsReport(requests: readonly RecordedRequest[]): string {
  if (requests.length === 0) return '(no requests)\n';
  return requests
    .map(({ method, path, status, user }) =>
      [method, redactText(path), status === 0 ? 'reset' : String(status), ...(user ? [user] : [])].join(' '),
    )
    .join('\n')
    .concat('\n');
}

/** Attaches `server`'s requests to a test that failed, as `name` (next to the app logs and trace). */
async function attachRequestsOnFailure(testInfo: TestInfo, name: string, server: TestServer): Promise<void> {
  if (testInfo.status === testInfo.expectedStatus) return;
  await testInfo.attach(name, { body: serverRequestsReport(server.requests()), contentType: 'text/plain' });
}

/** A RegExp source matching the host of `url` as the account switcher shows it (any host when none). */
function hostPattern(url: string | undefined): string {
  return url ? new URL(url).host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : '';
}

/** The header's account button once `username` (on the host of `apiBaseUrl`) is the active account. */
function activeAccount(page: Page, username: string, apiBaseUrl?: string) {
  const name = new RegExp(`^Account: .*\\(@${username}\\) on ${hostPattern(apiBaseUrl)}`);
  return page.getByRole('button', { name });
}

export const test = base.extend<TesseraFixtures, WorkerFixtures>({
  host: ['browser', { option: true, scope: 'worker' }],

  hostEnvironment: [
    async ({ host, playwright }, use, workerInfo) => {
      if (host === 'browser') {
        const [browser, bridgeScript] = await Promise.all([
          playwright.chromium.launch({
            ...CHROMIUM_LAUNCH,
            // Chromium needs no D-Bus here; on the private keyring bus it only logs a11y-bus activations.
            env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'disabled:' },
          }),
          bundlePageBridge(),
        ]);
        await use({ kind: 'browser', browser, bridgeScript });
        await browser.close();
        return;
      }
      const { env, stop } = await electronEnvironment();
      if (env.kind === 'skip') reportSkipOnce(workerInfo.project.outputDir, env.reason);
      await use(env);
      stop();
    },
    { scope: 'worker' },
  ],

  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
  workDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-e2e-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },

  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
  logBook: async ({}, use) => {
    await use(createLogBook());
  },

  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
  keychain: async ({}, use, testInfo) => {
    const keychain = createTestKeychain(testInfo.workerIndex);
    await use(keychain);
    await keychain.clear();
  },

  serverSendsCors: [true, { option: true }],

  osPolicy: [null, { option: true }],

  firstRun: [false, { option: true }],

  mainLaunch: [null, { option: true }],

  systemLocales: [null, { option: true }],

  userSettings: [null, { option: true }],

  server: async ({ workDir, serverSendsCors }, use, testInfo) => {
    const server = await startRestartableServer({
      dataDir: workDir,
      corsOrigins: [BROWSER_APP_ORIGIN],
      sendsCors: serverSendsCors,
    });
    await use(server);
    await attachRequestsOnFailure(testInfo, 'server requests', server);
    await server.stop();
  },

  otherServer: async ({ workDir }, use, testInfo) => {
    const dataDir = join(workDir, 'other-server');
    mkdirSync(dataDir, { recursive: true });
    const server = await startRestartableServer({ dataDir, corsOrigins: [BROWSER_APP_ORIGIN] });
    await use(server);
    await attachRequestsOnFailure(testInfo, 'other server requests', server);
    await server.stop();
  },

  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
  simpleJwtStandIn: async ({}, use) => {
    const standIn = await startSimpleJwtStandIn();
    await use(standIn);
    await standIn.stop();
  },

  clock: async ({ hostEnvironment }, use, testInfo) => {
    let offset = 0;
    await use({
      shift(ms) {
        if (hostEnvironment.kind === 'electron') {
          skipWithReason(testInfo, "electron host: main's clock cannot be moved from the test process");
        }
        offset += ms;
      },
      now: () => Date.now() + offset,
    });
  },

  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern.
  openExternal: async ({}, use) => {
    await use(null);
  },

  app: async (
    {
      hostEnvironment,
      server,
      keychain,
      workDir,
      logBook,
      openExternal,
      osPolicy,
      mainLaunch,
      systemLocales,
      firstRun,
      userSettings,
      clock,
      viewport,
      locale,
      colorScheme,
      timezoneId,
    },
    use,
    testInfo,
  ) => {
    if (hostEnvironment.kind === 'skip') {
      skipWithReason(testInfo, hostEnvironment.reason);
    }
    if (hostEnvironment.kind === 'electron' && osPolicy) {
      skipWithReason(testInfo, ELECTRON_OS_POLICY_SKIP);
    }
    if (hostEnvironment.kind === 'electron' && mainLaunch) {
      skipWithReason(testInfo, ELECTRON_MAIN_LAUNCH_SKIP);
    }
    if (hostEnvironment.kind === 'electron' && systemLocales) {
      skipWithReason(testInfo, ELECTRON_SYSTEM_LOCALES_SKIP);
    }
    const host =
      hostEnvironment.kind === 'browser'
        ? await launchBrowserHost({
            browser: hostEnvironment.browser,
            bridgeScript: hostEnvironment.bridgeScript,
            rendererDir: RENDERER_DIR,
            page: { viewport, locale, colorScheme, timezoneId },
            now: clock.now,
            server,
            keychainService: keychain.service,
            workDir,
            logs: logBook,
            ...(openExternal ? { openExternal } : {}),
            osPolicy,
            mainLaunch,
            systemLocales,
            firstRun,
            userSettings,
          })
        : await launchElectronHost({
            executablePath: hostEnvironment.executablePath,
            packaged: hostEnvironment.packaged,
            display: hostEnvironment.display,
            repoRoot: REPO_ROOT,
            server,
            keychainService: keychain.service,
            workDir,
            logs: logBook,
            firstRun,
            userSettings,
          });
    const app: TesseraApp = Object.assign(host, {
      // Read once main's keychain calls have ended, as the app's next start finds the keychain.
      refreshToken: async (username?: string) => {
        await host.keychainSettled();
        return keychain.refreshToken(userSettings?.apiBaseUrl ?? server.url, username);
      },
    });
    await use(app);
    if (testInfo.status !== testInfo.expectedStatus) {
      const shot = await host.window.screenshot().catch(() => null);
      if (shot) await testInfo.attach('window at failure', { body: shot, contentType: 'image/png' });
      await testInfo.attach('app logs', { body: host.logs(), contentType: 'text/plain' });
    }
    const failed = testInfo.status !== testInfo.expectedStatus;
    const tracePath = failed ? testInfo.outputPath('trace.zip') : undefined;
    await host.close(tracePath ? { tracePath } : {});
    if (tracePath) await testInfo.attach('trace', { path: tracePath, contentType: 'application/zip' });
    // An uncaught exception in the window is a bug even when every assertion passed.
    const exceptions = host
      .logs()
      .split('\n')
      .filter((line) => line.startsWith('[page exception]'));
    if (testInfo.status === 'passed') expect(exceptions, 'uncaught exceptions in the app window').toEqual([]);
  },

  window: async ({ app }, use) => {
    await use(app.window);
  },

  openAddAccount: async ({ app }, use) => {
    await use(() =>
      test.step(
        'open "Add account"',
        async () => {
          const page = app.window;
          await page.getByRole('button', { name: /^Account/ }).click();
          await page.getByRole('menuitem', { name: 'Add account' }).click();
          const dialog = page.getByRole('dialog', { name: 'Add an account' });
          await expect(dialog).toBeVisible();
          return dialog;
        },
        { box: true },
      ),
    );
  },

  addAccount: async ({ app, openAddAccount }, use) => {
    await use((username, password, apiBaseUrl) =>
      test.step(
        `add account ${username}${apiBaseUrl ? ` on ${apiBaseUrl}` : ''}`,
        async () => {
          const page = app.window;
          const dialog = await openAddAccount();
          await dialog.getByRole('textbox', { name: 'Username' }).fill(username);
          await dialog.getByLabel('Password').fill(password);
          if (apiBaseUrl) await dialog.getByRole('textbox', { name: 'Server address' }).fill(apiBaseUrl);
          await dialog.getByRole('button', { name: 'Add account' }).click();
          try {
            await expect(dialog).toBeHidden();
          } catch {
            const said = await dialog.getByRole('alert').allInnerTexts();
            throw new Error(`adding the account failed; the dialog says: ${said.join(' | ') || 'nothing'}`);
          }
          await expect(activeAccount(page, username, apiBaseUrl)).toBeVisible();
        },
        { box: true },
      ),
    );
  },

  switchAccount: async ({ app }, use) => {
    await use((username, apiBaseUrl) =>
      test.step(
        `switch to ${username}`,
        async () => {
          const page = app.window;
          await page.getByRole('button', { name: /^Account/ }).click();
          const item = page.getByRole('menuitemradio', {
            name: new RegExp(`\\(@${username}\\) on ${apiBaseUrl ? hostPattern(apiBaseUrl) : ''}`),
          });
          await item.click();
          await expect(page.getByRole('menu')).toBeHidden();
          await expect(activeAccount(page, username, apiBaseUrl)).toBeVisible();
        },
        { box: true },
      ),
    );
  },

  signIn: async ({ app }, use) => {
    await use((username = 'demo', password = 'demo-password') =>
      test.step(
        `sign in as ${username}`,
        async () => {
          const page = app.window;
          const form = page.getByRole('textbox', { name: 'Username' });
          // Fail in seconds, saying what is on screen, instead of waiting out the test's timeout.
          await expect(
            form,
            'the sign-in form is not showing (already signed in, or another view)',
          ).toBeVisible();
          await form.fill(username);
          await page.getByLabel('Password').fill(password);
          await page.getByRole('button', { name: 'Sign in', exact: true }).click();
          const home = page.getByRole('heading', { level: 1, name: 'Home' });
          try {
            // The server's password check (scrypt) is the slow part: on a loaded 2-core machine it has
            // taken over 5 s, so this wait is longer than an expect's default.
            await expect(home).toBeVisible({ timeout: 15_000 });
          } catch {
            const said = await page.getByRole('alert').allInnerTexts();
            throw new Error(`sign-in did not reach Home; the page says: ${said.join(' | ') || 'nothing'}`);
          }
          // Settled: Home's own profile request has finished (loaded or failed), so it cannot race the spec.
          await expect(page.getByRole('region', { name: 'Profile' })).not.toHaveAttribute(
            'aria-busy',
            'true',
          );
        },
        { box: true },
      ),
    );
  },

  saveScreenshot: async ({ app }, use, testInfo) => {
    await use(async (view) => {
      const body = await app.window.screenshot({ animations: 'disabled', caret: 'hide' });
      await testInfo.attach(`${view}.png`, { body, contentType: 'image/png' });
      // The README's copies change only on request, so an ordinary test run leaves the tree clean.
      if (app.kind === 'browser' && process.env.TESSERA_UPDATE_SCREENSHOTS === '1') {
        mkdirSync(SCREENSHOT_DIR, { recursive: true });
        writeFileSync(join(SCREENSHOT_DIR, `${view}.png`), body);
      }
    });
  },
});
