import type { _electron } from '@playwright/test';

/** What the electron host launches with, pinned the way the browser host pins its context. */
export const PINNED_PAGE = { locale: 'en-US', colorScheme: 'light', timezoneId: 'UTC' } as const;

/** The POSIX locale of PINNED_PAGE.locale, for the app's environment on Linux. */
export const PINNED_LINUX_LOCALE = 'en_US.UTF-8';

export interface ElectronLaunchInput {
  /** node_modules/electron's binary, or a packaged `npm run dist:e2e` executable. */
  executablePath: string;
  /** A packaged app carries its own code: no '.' argument. */
  packaged: boolean;
  /** X display (Xvfb) when the machine has none of its own. */
  display?: string;
  repoRoot: string;
  /** The test's throw-away userData folder. */
  userDataDir: string;
  /** The test's own keychain service name. */
  keychainService: string;
  /** The environment to start from (the test process's). */
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  /** `process.getuid()` where it exists (not on Windows). */
  uid: number | undefined;
}

export type ElectronLaunchOptions = NonNullable<Parameters<typeof _electron.launch>[0]>;

/**
 * The `_electron.launch` options of one test's app. Pure, so every OS's options are checked here:
 * - en-US, light theme and UTC for the page, as in the browser host, so text, dates and screenshots
 *   do not follow the machine (and main's clock is UTC too, through TZ); on Linux the locale
 *   environment is en-US as well (LC_ALL), since main hands the page the OS's regional format
 *   (`app.getSystemLocale()`, which follows it there; macOS and Windows read their own settings);
 * - its own userData folder and keychain service on every OS (main reads both from the environment),
 *   and none of the developer's TESSERA_* settings, which would outrank the test's seeded settings;
 * - no ELECTRON_RUN_AS_NODE, which would start the binary as a plain Node;
 * - `--no-sandbox` only as root on Linux, where Chromium refuses to start sandboxed (containers).
 */
export function electronLaunchOptions(input: ElectronLaunchInput): ElectronLaunchOptions {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.env)) {
    if (value === undefined || name.startsWith('TESSERA_') || name === 'ELECTRON_RUN_AS_NODE') continue;
    env[name] = value;
  }
  Object.assign(env, {
    TESSERA_USER_DATA_DIR: input.userDataDir,
    TESSERA_KEYCHAIN_SERVICE: input.keychainService,
    TZ: PINNED_PAGE.timezoneId,
    ...(input.platform === 'linux' ? { LC_ALL: PINNED_LINUX_LOCALE } : {}),
    ...(input.display ? { DISPLAY: input.display } : {}),
  });
  const asRootOnLinux = input.platform === 'linux' && input.uid === 0;
  return {
    executablePath: input.executablePath,
    args: [...(input.packaged ? [] : ['.']), ...(asRootOnLinux ? ['--no-sandbox'] : [])],
    cwd: input.repoRoot,
    env,
    ...PINNED_PAGE,
  };
}
