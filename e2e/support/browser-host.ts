import { renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page, Route } from '@playwright/test';
import { type AppServices, createAppServices } from '../../main/app-services';
import { describeConnectionChange } from '../../main/core/config/connection-change';
import { type OsValue, osPolicyRead } from '../../main/core/config/os-policy';
import type { PolicySource } from '../../main/core/config/policy-source';
import { APP_ORIGIN } from '../../main/security/app-origin';
import { resolveAppAsset } from '../../main/security/app-protocol';
import { secureWebPreferences } from '../../main/security/web-preferences';
import { routeCorsPatch } from '../../test/support/cors-route';
import { dispatch } from '../../test/support/ipc-dispatch';
import type { TestServer } from '../../test/support/test-server';
import type { AppHost, ConnectionPrompt, KeychainStandIn, PolicyFile, UserSettingsFile } from './app-host';
import { recordPageConsole, seedUserSettings } from './app-host';
import type { LogBook } from './app-logs';
import { BROWSER_APP_ORIGIN, HOST_ARGV_SYMBOL, HOST_EVENT_SYMBOL, INVOKE_BINDING } from './host-names';

/** Stands for the preload path in the window's webPreferences: the bridge script plays the preload. */
const BROWSER_PRELOAD = 'page-bridge (init script)';

export interface BrowserHostDeps {
  browser: Browser;
  server: TestServer;
  keychainService: string;
  /** Per-test temp dir: userData and the policy file go here. */
  workDir: string;
  /** The bundled page bridge (bridge-bundle.ts). */
  bridgeScript: string;
  /** out/renderer. */
  rendererDir: string;
  logs: LogBook;
  /** The page's viewport, locale, colour scheme and time zone (a spec's `test.use({...})`). */
  page: PageOptions;
  /** The core's clock (Date.now plus what the spec shifted it by). */
  now: () => number;
  /** The "system browser" for OpenID Connect sign-in (main passes shell.openExternal); none by default. */
  openExternal?: (url: string) => Promise<void>;
  /** OS policy as the registry would hold it (the `osPolicy` option): REG_SZ text or REG_DWORD numbers. */
  osPolicy?: OsPolicyValues | null;
  /** Start as on first run: no user settings file, so no API has been chosen (the fixture's `firstRun`). */
  firstRun?: boolean;
  /**
   * Keys for the user settings file (the fixture's `userSettings`), over `{ apiBaseUrl: server.url }`.
   * Ignored with `firstRun`.
   */
  userSettings?: UserSettingsFile | null;
  /**
   * Record a Playwright trace (screenshots and DOM snapshots) from launch on (default true). The
   * benchmarks turn it off: recording costs the page time on every frame.
   */
  trace?: boolean;
  /** Environment variables and command-line options main starts with (the `mainLaunch` option). */
  mainLaunch?: MainLaunch | null;
  /**
   * The OS's regional format and preferred languages, as main reads them for a window (the
   * `systemLocales` option); none: the page has only its own `navigator.languages` (the page locale).
   */
  systemLocales?: readonly string[] | null;
  /** What the benchmarks watch (bench/browser-bench.ts); the e2e specs pass none. */
  probe?: HostProbe;
}

/**
 * Watches the host's two edges for the benchmarks: page calls handed to the handler table, and the
 * core's requests handed to fetch. Observers only: the calls and requests, their order and their answers
 * are the same with or without one, and the core knows nothing of it (it stays out of main/).
 */
export interface HostProbe {
  /**
   * A page call is being handed to the handler table; what it returns (if anything) gets the handler's
   * answer (the Result the page will get) once it answered.
   */
  call?(channel: unknown, payload: unknown): ((answer: unknown) => void) | undefined;
  /** The core is handing a request to fetch; what it returns (if anything) runs once the response (or error) came. */
  request?(url: string): (() => void) | undefined;
}

/** What main is launched with: its environment variables and command-line options. */
export interface MainLaunch {
  env?: Record<string, string>;
  argv?: string[];
}

/** Registry values by name: a string is REG_SZ, a number REG_DWORD. */
export type OsPolicyValues = Record<string, string | number>;

/**
 * A stand-in for the Windows registry (it cannot be read here): the values go through the app's own
 * decoding (`osPolicyRead`) and then the same validation and locks as in the app.
 */
export function fakeRegistryPolicy(values: OsPolicyValues): PolicySource {
  const name = 'registry HKLM and HKCU\\Software\\Policies\\Tessera (e2e stand-in)';
  const place = {
    name: 'registry HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera (e2e stand-in)',
    values: new Map(
      Object.entries(values).map(([key, value]): [string, OsValue] => [
        key,
        typeof value === 'number' ? { type: 'number', value } : { type: 'text', text: value },
      ]),
    ),
  };
  return { name, read: () => osPolicyRead(name, [place], []) };
}

/** What a spec may set with `test.use({ viewport, locale, colorScheme, timezoneId })`. */
export interface PageOptions {
  viewport: { width: number; height: number } | null;
  locale: string | undefined;
  colorScheme: 'light' | 'dark' | 'no-preference' | null | undefined;
  timezoneId: string | undefined;
}

/**
 * The browser host: the built renderer in Chromium on BROWSER_APP_ORIGIN (served by `context.route`
 * from out/renderer with the CSP main would send), the real preload bridge in the page, and the real
 * main-process core, built by the app's own composition root, in this Node process behind a
 * Playwright binding.
 */
export async function launchBrowserHost(deps: BrowserHostDeps): Promise<AppHost> {
  const { server, logs } = deps;
  const userDataDir = join(deps.workDir, 'userData');
  const policyPath = join(deps.workDir, 'policy.json');
  if (!deps.firstRun) seedUserSettings(userDataDir, { apiBaseUrl: server.url, ...deps.userSettings });

  const context = await deps.browser.newContext({ ...deps.page, serviceWorkers: 'block' });
  // Recorded always, kept only when the test fails (the fixture passes a path then).
  const tracing = deps.trace !== false;
  if (tracing) await context.tracing.start({ screenshots: true, snapshots: true });
  // Chromium's Local Network Access: this https origin may fetch the loopback API only when granted
  // (in Electron, main's permission handler grants it for the configured API only).
  await context.grantPermissions(['local-network-access'], { origin: BROWSER_APP_ORIGIN });
  // The shell's CORS rule (main/shell/session-security.ts), from the same composition root, on the
  // page's API requests (test/support/cors-route.ts): an API that sends none works here as in the app.
  await routeCorsPatch(context, BROWSER_APP_ORIGIN, (response) => main?.corsPatch(response) ?? null);
  const page = await context.newPage();
  recordPageConsole(page, logs.append);

  let main: AppServices | null = null;
  // Main's native confirmation of a server change: answered as the spec says, and recorded.
  let confirmAnswer: 'confirm' | 'cancel' = 'confirm';
  const prompts: ConnectionPrompt[] = [];
  const pageWindow = {
    isDestroyed: () => page.isClosed(),
    webContents: {
      isDestroyed: () => page.isClosed(),
      send(channel: string, payload: unknown) {
        page
          .evaluate(
            ([key, event, value]) => {
              const deliver = (globalThis as unknown as Record<symbol, unknown>)[Symbol.for(key as string)];
              if (typeof deliver === 'function') deliver(event, value);
            },
            [HOST_EVENT_SYMBOL, channel, payload],
          )
          // A page that is navigating or closing misses the event; on load it asks for the session anyway.
          .catch(() => {});
      },
    },
  };
  // The keychain module of the next start (`restartWithKeychain`); null: the real one.
  let standIn: KeychainStandIn | null = null;
  // The app's own composition root, with the page standing in for the BrowserWindow.
  const boot = (): AppServices => {
    const services = createAppServices({
      userDataDir,
      policyPath,
      ...(deps.osPolicy ? { policySource: fakeRegistryPolicy(deps.osPolicy) } : {}),
      env: deps.mainLaunch?.env ?? {},
      argv: deps.mainLaunch?.argv ?? [],
      fetch: (input, init) => {
        const answered = deps.probe?.request?.(input.url);
        const response = fetch(input, init);
        return answered ? response.finally(answered) : response;
      },
      logSink: logs.sink,
      logLevel: 'debug',
      now: deps.now,
      keychainService: deps.keychainService,
      ...(standIn ? { loadKeytar: standIn.loadKeytar, keychainTimeoutMs: standIn.timeoutMs } : {}),
      ...(deps.openExternal ? { openExternal: deps.openExternal } : {}),
      // The page's origin here stands in for app://tessera: the same exact-origin sender rule.
      appOrigin: BROWSER_APP_ORIGIN,
      windows: () => [pageWindow],
      confirmConnectionChange: async (change) => {
        const { message, detail } = describeConnectionChange(change);
        prompts.push({ message, detail });
        return confirmAnswer === 'confirm';
      },
      reloadWindows: () => {
        if (!page.isClosed()) void page.reload().catch(() => {});
      },
      // As in the app: the policy file's folder is watched (the interval re-read is not needed here).
      livePolicy: { pollMs: 3_600_000, debounceMs: 100 },
    });
    // Like main/index.ts: the window opens while the silent sign-in from the keychain runs.
    void services.start();
    return services;
  };
  // As the app's quit does: stop, and let the keychain calls already asked for finish, so the next
  // app (a restart) or the test's keychain clean-up never runs beside them (keytar's findCredentials
  // crashes the process when an entry it found is deleted meanwhile).
  const shutdown = async () => {
    const closing = main?.close();
    main = null;
    await closing;
  };

  const serve = async (route: Route) => {
    const url = new URL(route.request().url());
    // The same path rules as the app:// protocol handler (traversal, file types), on the same files.
    const asset = resolveAppAsset(`${APP_ORIGIN}${url.pathname}`, deps.rendererDir);
    if (!asset.ok) return route.fulfill({ status: asset.status, body: asset.reason });
    const body = await readFile(asset.filePath).catch(() => null);
    if (body === null) return route.fulfill({ status: 404, body: 'not found' });
    const headers: Record<string, string> = {
      'Content-Type': asset.mimeType,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    };
    if (asset.isDocument && main) headers['Content-Security-Policy'] = main.csp();
    return route.fulfill({ status: 200, headers, body });
  };
  await context.route(`${BROWSER_APP_ORIGIN}/**`, serve);

  await page.exposeBinding(INVOKE_BINDING, async (source, channel: unknown, payload: unknown) => {
    if (!main) return { ok: false, error: { code: 'INTERNAL', message: 'The app core is not running.' } };
    const frame = source.frame;
    const answered = deps.probe?.call?.(channel, payload);
    const answer = dispatch(
      main.handlers,
      channel,
      { senderFrame: { url: frame.url(), parent: frame.parentFrame() } },
      payload,
    );
    // dispatch never rejects (ipc-dispatch.ts): the answer passes through unchanged.
    return answered
      ? answer.then((result) => {
          answered(result);
          return result;
        })
      : answer;
  });
  // Before the bridge: the additionalArguments main gives the window (its own webPreferences).
  const { additionalArguments: preloadArgv = [] } = secureWebPreferences(BROWSER_PRELOAD, {
    formatLocales: deps.systemLocales ?? [],
  });
  await page.addInitScript({
    content: `Object.defineProperty(globalThis, Symbol.for(${JSON.stringify(HOST_ARGV_SYMBOL)}), { value: ${JSON.stringify(preloadArgv)}, configurable: true });`,
  });
  await page.addInitScript({ content: deps.bridgeScript });

  const start = async () => {
    main = boot();
    // A relaunched app opens a new window on its start page (main/index.ts loads APP_START_URL).
    await page.goto(`${BROWSER_APP_ORIGIN}/index.html`);
  };
  const restart = async (keychain: KeychainStandIn | null = null): Promise<Page> => {
    await shutdown();
    standIn = keychain;
    await start();
    return page;
  };
  await start();

  return {
    kind: 'browser',
    window: page,
    restart: () => restart(),
    restartWithKeychain: (keychain) => restart(keychain),
    async setPolicy(policy: PolicyFile) {
      writeFileSync(policyPath, `${JSON.stringify(policy, null, 2)}\n`);
      return restart();
    },
    async changePolicy(policy: PolicyFile) {
      // Written aside and renamed over it, as configuration tools replace files.
      writeFileSync(`${policyPath}.new`, `${JSON.stringify(policy, null, 2)}\n`);
      renameSync(`${policyPath}.new`, policyPath);
    },
    async accessToken() {
      if (!main) return null;
      const grant = await main.session.getAccessToken();
      return grant.ok ? grant.value.accessToken : null;
    },
    async keychainSettled() {
      await main?.keychainSettled();
    },
    async answerConnectionChanges(answer) {
      confirmAnswer = answer;
    },
    async connectionPrompts() {
      return [...prompts];
    },
    logs: logs.text,
    async close(options) {
      await shutdown();
      if (tracing) await context.tracing.stop(options?.tracePath ? { path: options.tracePath } : {});
      await context.close();
    },
  };
}
