import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { _electron, type ElectronApplication, expect, type Page, test } from '@playwright/test';
import type { TesseraBridge } from '../../common/ipc';
import type { TestServer } from '../../test/support/test-server';
import type { AppHost, ConnectionPrompt, UserSettingsFile } from './app-host';
import { recordPageConsole, seedUserSettings } from './app-host';
import type { LogBook } from './app-logs';
import { electronLaunchOptions } from './electron-launch';
import { skipWithReason } from './skip';

/** Why the managed-setting specs cannot run on the electron host (printed with the skip). */
export const ELECTRON_KEYCHAIN_SKIP =
  'electron host: main loads the real keychain module, and a keychain password prompt can be neither ' +
  'raised nor answered from a test (with-keyring.mjs runs an unlocked collection); the browser host ' +
  'runs the same main code with a stand-in whose read waits on a prompt the test answers';

export const ELECTRON_POLICY_SKIP =
  'electron host: the app reads its policy file only from the machine-wide location ' +
  '(policyPathFor: /etc/tessera/policy.json on Linux) and has no test override, so a policy cannot be ' +
  'installed per test; managed settings are covered by the browser host';

/** Why specs with OS policy (`osPolicy`) cannot run on the electron host (printed with the skip). */
export const ELECTRON_OS_POLICY_SKIP =
  'electron host: the app reads OS policy only from the real registry (Windows) or managed preferences ' +
  '(macOS), which a test cannot set; OS policy is covered by the browser host with a stand-in source';

/** Why specs with `mainLaunch` (main's environment and command line) skip on the electron host. */
export const ELECTRON_MAIN_LAUNCH_SKIP =
  'electron host: it launches the app with a fixed test environment and command line; settings from ' +
  'environment variables and command-line options are covered by the browser host';

export const ELECTRON_SYSTEM_LOCALES_SKIP =
  "electron host: the operating system's regional format cannot be set for Electron from the test; " +
  'main reading it is type-checked, and what it hands the window is covered by the browser host';

export interface ElectronHostDeps {
  /** node_modules/electron's binary (runs the repo's out/), or a packaged `npm run dist:e2e` executable. */
  executablePath: string;
  /** True for a packaged app (TESSERA_E2E_EXECUTABLE): it carries its own code, so no '.' argument. */
  packaged: boolean;
  /** X display for the window (Xvfb), when the machine has none of its own. */
  display?: string;
  repoRoot: string;
  server: TestServer;
  keychainService: string;
  workDir: string;
  logs: LogBook;
  /** Start as on first run: no user settings file, so no API has been chosen (the fixture's `firstRun`). */
  firstRun?: boolean;
  /**
   * Keys for the user settings file (the fixture's `userSettings`), over `{ apiBaseUrl: server.url }`.
   * Ignored with `firstRun`.
   */
  userSettings?: UserSettingsFile | null;
}

/**
 * The electron host: `_electron.launch` of the built app with a throw-away userData and keychain service,
 * pinned to en-US, light and UTC like the browser host (electron-launch.ts).
 */
export async function launchElectronHost(deps: ElectronHostDeps): Promise<AppHost> {
  const { logs } = deps;
  const userDataDir = join(deps.workDir, 'userData');
  if (!deps.firstRun) seedUserSettings(userDataDir, { apiBaseUrl: deps.server.url, ...deps.userSettings });
  const options = electronLaunchOptions({
    executablePath: deps.executablePath,
    packaged: deps.packaged,
    ...(deps.display ? { display: deps.display } : {}),
    repoRoot: deps.repoRoot,
    userDataDir,
    keychainService: deps.keychainService,
    env: process.env,
    platform: process.platform,
    uid: process.getuid?.(),
  });

  const launch = async (): Promise<{ electronApp: ElectronApplication; page: Page }> => {
    const electronApp = await _electron.launch(options);
    electronApp.process().stdout?.on('data', (chunk) => logs.append(String(chunk)));
    electronApp.process().stderr?.on('data', (chunk) => logs.append(String(chunk)));
    // Main's native confirmation (dialog.showMessageBox) answered as the spec says, and recorded.
    await electronApp.evaluate(({ dialog }, answer) => {
      const state = globalThis as unknown as { e2ePrompts: unknown[]; e2eAnswer: string };
      state.e2ePrompts = [];
      state.e2eAnswer = answer;
      const answerBox = async (...args: unknown[]) => {
        const options = args[args.length - 1] as { message: string; detail?: string };
        state.e2ePrompts.push({ message: options.message, detail: options.detail ?? '' });
        return { response: state.e2eAnswer === 'confirm' ? 1 : 0, checkboxChecked: false };
      };
      Object.assign(dialog, { showMessageBox: answerBox });
    }, confirmAnswer);
    await electronApp.context().tracing.start({ screenshots: true, snapshots: true });
    const page = await electronApp.firstWindow();
    recordPageConsole(page, logs.append);
    await page.waitForLoadState('domcontentloaded');
    return { electronApp, page };
  };

  let confirmAnswer: 'confirm' | 'cancel' = 'confirm';
  let current = await launch();

  const fileLogs = (): string => {
    const dir = join(userDataDir, 'logs');
    if (!existsSync(dir)) return '';
    return readdirSync(dir)
      .map((name) => readFileSync(join(dir, name), 'utf8'))
      .join('\n');
  };

  return {
    kind: 'electron',
    get window() {
      return current.page;
    },
    async restart() {
      await current.electronApp.close();
      current = await launch();
      return current.page;
    },
    async restartWithKeychain() {
      return skipWithReason(test.info(), ELECTRON_KEYCHAIN_SKIP);
    },
    async setPolicy() {
      return skipWithReason(test.info(), ELECTRON_POLICY_SKIP);
    },
    async changePolicy() {
      skipWithReason(test.info(), ELECTRON_POLICY_SKIP);
    },
    async accessToken() {
      // The page may ask the bridge for the token (that is the contract); main's memory is not reachable.
      return current.page.evaluate(async () => {
        const bridge = (
          globalThis as unknown as {
            tessera: { auth: { getAccessToken(): Promise<{ accessToken: string }> } };
          }
        ).tessera;
        try {
          return (await bridge.auth.getAccessToken()).accessToken;
        } catch {
          return null;
        }
      });
    },
    async keychainSettled() {
      // Through the page's bridge (main's own calls are out of reach): until "stay signed in" is off,
      // the keychain is unavailable, or the session's token is stored.
      await expect
        .poll(
          () =>
            current.page.evaluate(async () => {
              const { tessera } = globalThis as unknown as { tessera: TesseraBridge };
              const [session, settings] = await Promise.all([
                tessera.auth.getSession(),
                tessera.settings.get(),
              ]);
              const { keychain } = session;
              return (
                session.state !== 'active' ||
                !settings.values.staySignedIn ||
                keychain.persisted ||
                !keychain.available
              );
            }),
          { message: 'the keychain write behind the session did not end' },
        )
        .toBe(true);
    },
    async answerConnectionChanges(answer) {
      confirmAnswer = answer;
      await current.electronApp.evaluate((_electron, value) => {
        (globalThis as unknown as { e2eAnswer: string }).e2eAnswer = value;
      }, answer);
    },
    async connectionPrompts() {
      return current.electronApp.evaluate(
        () => (globalThis as unknown as { e2ePrompts: ConnectionPrompt[] }).e2ePrompts,
      );
    },
    logs: () => `${logs.text()}\n${fileLogs()}`,
    async close(options) {
      await current.electronApp.context().tracing.stop(options?.tracePath ? { path: options.tracePath } : {});
      await current.electronApp.close();
    },
  };
}
