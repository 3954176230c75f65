// The Electron shell: Electron's pieces handed to the composition root (app-services.ts) as ports,
// plus a list of Electron-only setups. Every decision lives in the core or in main/security.
import { writeSync } from 'node:fs';
import { join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, net, powerMonitor, session, shell } from 'electron';
import { type LocaleSetting, resolveLocale } from '../common/locale';
import { createAppServices } from './app-services';
import { clientRequestFetch } from './core/client-request-fetch';
import { osPolicySource } from './core/config/os-policy';
import { policyPathFor, regQuery, windowsProgramData } from './core/config/policy-path';
import { registerIpcHandlers } from './core/ipc/register';
import { loadKy } from './core/ky-loader';
import { consoleSink } from './core/logger';
import { warmUpKeychain } from './core/vault';
import { logHistoryBytes } from './diagnostics/collect';
import { SAVE_DIAGNOSTICS_FLAG, saveDiagnosticsCommand } from './diagnostics/save-diagnostics';
import {
  type ConfigPorts,
  PRINT_EFFECTIVE_SETTINGS_FLAG,
  printEffectiveSettings,
} from './effective-settings';
import { ignoreClosedOutput } from './logging/closed-output';
import { createFileSink, DEFAULT_LOG_HISTORY_BYTES, teeSink } from './logging/file-sink';
import { APP_START_URL, appPages } from './security/app-origin';
import { registerAppScheme, setupAppProtocol } from './shell/app-protocol';
import { setupProxy } from './shell/apply-proxy';
import { setupClientCertificates } from './shell/client-certificates';
import { confirmConnectionChange } from './shell/confirm-connection';
import { applyPathOverrides, builtPaths } from './shell/paths';
import { answer, createShellProxyAuthenticator, setupProxyLogin } from './shell/proxy';
import { saveDiagnostics, shellDiagnosticsContext } from './shell/save-diagnostics';
import { createSecureWindow } from './shell/secure-window';
import { setupSessionSecurity } from './shell/session-security';
import {
  APP_USER_MODEL_ID,
  appMenuTemplate,
  createQuitFlow,
  relaunchOptions,
  revealWindow,
  runStartup,
} from './startup';
import { setupUpdates } from './updates/setup-updates';

// Every log entry is also written to the console: a closed terminal or pipe must not crash main.
ignoreClosedOutput();
registerAppScheme();
/** The `locale` setting once start() has read the settings (following its changes); until then none. */
let localeSetting: LocaleSetting | undefined;
/**
 * The language of every text main shows itself (menu, dialogs, notifications, the proxy prompt, the
 * start-up failure box): the setting once read, else (and for `system`) the OS language.
 */
function currentLanguage() {
  // app.getLocale() is only reliable once Electron is ready (Windows); before that, English.
  return resolveLocale(localeSetting ?? 'system', app.isReady() ? app.getLocale() : undefined);
}
const overrides = applyPathOverrides(process.env, app);
// Windows ties notifications and the taskbar entry to this ID (electron-builder's appId).
if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

if (
  process.argv.some((arg) => arg === SAVE_DIAGNOSTICS_FLAG || arg.startsWith(`${SAVE_DIAGNOSTICS_FLAG}=`))
) {
  // `tessera --save-diagnostics <file>`: the diagnostics bundle without a window, like the flag below.
  let code = 1;
  try {
    code = saveDiagnosticsCommand({
      ...shellDiagnosticsContext(configPorts(), join(app.getPath('userData'), 'logs')),
      cwd: process.cwd(),
      write: (text) => writeSync(1, text),
      error: (text) => writeSync(2, text),
    });
  } catch (error) {
    console.error(
      `tessera ${SAVE_DIAGNOSTICS_FLAG}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  app.exit(code);
} else if (process.argv.includes(PRINT_EFFECTIVE_SETTINGS_FLAG)) {
  // `tessera --print-effective-settings`: JSON on stdout and exit, before any window or the
  // single-instance lock (a running copy must not swallow it as a second launch).
  let code = 1;
  try {
    code = printEffectiveSettings({
      ...configPorts(),
      version: app.getVersion(),
      platform: process.platform,
      write: (text) => writeSync(1, text),
    });
  } catch (error) {
    console.error(
      `tessera ${PRINT_EFFECTIVE_SETTINGS_FLAG}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  app.exit(code);
} else if (!app.requestSingleInstanceLock()) {
  // A second launch: the first instance focuses its window (see 'second-instance' below).
  app.quit();
} else {
  // The keychain connection opens while Electron gets ready (on Linux, the Secret Service over D-Bus),
  // so the silent sign-in after the window opens does not wait for it (see warmUpKeychain).
  void warmUpKeychain({
    platform: process.platform,
    userDataDir: app.getPath('userData'),
    ...(overrides.keychainService ? { service: overrides.keychainService } : {}),
  });
  // A start-up failure is shown in a native error box and ends the app with code 1.
  void runStartup(start, {
    log: (message) => console.error(message),
    showErrorBox: (title, content) => dialog.showErrorBox(title, content),
    exit: (code) => app.exit(code),
    logDir: join(app.getPath('userData'), 'logs'),
    // The settings' language when start-up failed after reading them, else the OS language.
    locale: currentLanguage,
  });
}

/** Where settings come from: the same for the app and for --print-effective-settings. */
function configPorts(): ConfigPorts {
  // Group Policy in the registry (Windows), configuration profiles (macOS); wins over the policy file.
  const policySource = osPolicySource(process.platform);
  return {
    userDataDir: app.getPath('userData'),
    policyPath: policyPathFor(
      process.platform,
      process.platform === 'win32' ? windowsProgramData(regQuery) : undefined,
    ),
    requireProtectedPolicy: true,
    ...(policySource ? { policySource } : {}),
    env: process.env,
    argv: process.argv,
  };
}

async function start(): Promise<void> {
  await app.whenReady();
  const userData = app.getPath('userData');
  const logDir = join(userData, 'logs');
  // Until the settings are read, the log keeps the default history; then it follows logHistoryMiB.
  let historyBytes = DEFAULT_LOG_HISTORY_BYTES;
  // One memory-only store of proxy credentials for the pages' and main's own requests.
  let proxyWarn = (message: string) => console.error(message);
  const proxyAuth = createShellProxyAuthenticator((message) => proxyWarn(message), currentLanguage);
  setupProxyLogin(proxyAuth);
  const fileSink = createFileSink({ dir: logDir, historyBytes: () => historyBytes });
  const services = createAppServices({
    ...configPorts(),
    // Chromium's network stack (system proxy, OS certificates) through net.request rather than
    // net.fetch, which cannot hand back a redirect (it rejects "Redirect was cancelled").
    fetch: clientRequestFetch(
      (options) => net.request(options),
      (challenge) => proxyAuth.authenticate(challenge),
    ),
    logSink: teeSink(consoleSink, fileSink),
    ...(overrides.keychainService ? { keychainService: overrides.keychainService } : {}),
    // OpenID Connect sign-in and sign-out pages open in the system browser (RFC 8252); the core only
    // passes https URLs (or http on loopback) from the provider's discovery document.
    openExternal: (url) => shell.openExternal(url),
    windows: () => BrowserWindow.getAllWindows(),
    reloadWindows: () => {
      for (const window of appPages(BrowserWindow.getAllWindows())) window.webContents.reload();
    },
    isOnline: () => net.isOnline(),
    // IT's policy changes apply while the app runs (file events at once, the OS policy within a minute).
    livePolicy: { pollMs: 60_000 },
    confirmConnectionChange,
  });
  const { settings, logger } = services;
  if (fileSink.problem) logger.warn(`logs go to the console only: ${fileSink.problem}`);
  historyBytes = logHistoryBytes(settings.current());
  localeSetting = settings.current().locale;
  // No Reload or Developer Tools in a packaged app (see appMenuTemplate); labels in the person's language.
  const diagnostics = shellDiagnosticsContext(configPorts(), logDir);
  const setMenu = () =>
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        appMenuTemplate({
          packaged: app.isPackaged,
          platform: process.platform,
          locale: currentLanguage(),
          onSaveDiagnostics: () =>
            void saveDiagnostics(diagnostics, services, logger.child('diagnostics'), currentLanguage()),
        }),
      ),
    );
  setMenu();
  settings.onChange((next) => {
    historyBytes = logHistoryBytes(next);
    if (next.locale === localeSetting) return;
    localeSetting = next.locale;
    setMenu();
  });
  proxyWarn = (message) => logger.child('proxy').warn(message);
  const proxy = setupProxy({
    session: session.defaultSession,
    settings,
    authenticator: proxyAuth,
    logger: logger.child('proxy'),
  });
  const { rendererDir, preloadPath } = builtPaths(import.meta.dirname);

  setupSessionSecurity(session.defaultSession, services.corsPatch);
  // A TLS client certificate only for the servers the person connected to: every account's API, the provider.
  setupClientCertificates(app, () => {
    const { oidcIssuer } = services.knownOrigins();
    return [...services.session.apiBaseUrls(), ...(oidcIssuer ? [oidcIssuer] : [])];
  });
  setupAppProtocol(session.defaultSession, rendererDir, services.csp);
  registerIpcHandlers(ipcMain, services.handlers);
  powerMonitor.on('resume', services.resumed);
  powerMonitor.on('unlock-screen', services.resumed);
  setupUpdates({
    settings: settings.current(),
    language: currentLanguage,
    log: logger.child('updates'),
    proxy: {
      follow: proxy.follow,
      answerLogin: (authInfo, callback) => answer(proxyAuth, authInfo, callback),
    },
  });

  const openWindow = () => {
    const window = createSecureWindow({
      preloadPath,
      title: 'Tessera',
      knownOrigins: services.knownOrigins,
      locale: () => settings.current().locale,
      // Read per window: the region may have changed since the last one was opened.
      formatLocales: [app.getSystemLocale(), ...app.getPreferredSystemLanguages()],
      logger: logger.child('navigation'),
    });
    void window.loadURL(APP_START_URL);
    return window;
  };
  // Quitting waits for the keychain; a launch meanwhile starts the app again after (createQuitFlow).
  const quit = createQuitFlow({
    hide: () => {
      // Gone from the screen at once: the services close first (they no longer answer the page), the
      // windows after them.
      for (const window of BrowserWindow.getAllWindows()) window.hide();
      proxy.stop();
    },
    close: () => services.close(),
    quit: () => app.quit(),
    relaunch: () => app.relaunch(relaunchOptions(process.env, app.isPackaged, process.argv)),
    log: (message, error) => logger.error(message, { error }),
  });
  const launched = () => {
    if (quit.launch() !== 'show') return undefined;
    const [window] = BrowserWindow.getAllWindows();
    if (!window) return openWindow();
    revealWindow(window);
    return window;
  };
  app.on('second-instance', launched);
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0 || quit.state !== 'running') launched();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', (event) => {
    if (quit.beforeQuit()) event.preventDefault();
  });
  // Shutdown, restart or log-off (Linux: logind; macOS): the same keychain wait, holding the shutdown
  // as long as it lasts. Windows sends neither this nor before-quit (see docs/architecture.md).
  powerMonitor.on('shutdown', (event?: Electron.Event) => {
    if (quit.systemEnding()) event?.preventDefault();
  });

  openWindow();
  // Main's HTTP client loads now that the window is on its way, not in the bundle that runs before
  // Electron is ready (main/core/ky-loader.ts); the silent sign-in below is its first use.
  await Promise.all([proxy.ready, loadKy()]);
  // Silent sign-in from the keychain; the window shows the session state as it changes.
  await services.start();
}
