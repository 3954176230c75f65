// The Electron shell: a list of setups wiring the electron-free core (main/core) to Electron.
// Every decision lives in the core or in main/security; this file only connects them.
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, net, powerMonitor, session, shell } from 'electron';
import { createLogger, createSessionCore } from './core';
import { createSettingsStore, policyPathFor } from './core/config';
import { broadcastSessionChanges, createIpcHandlers, registerIpcHandlers } from './core/ipc';
import { consoleSink } from './core/logger';
import { createFileSink, teeSink } from './logging/file-sink';
import { watchOnline } from './power/online-watcher';
import { APP_START_URL, isAppUrl } from './security/app-origin';
import { createCspTracker } from './security/csp';
import { registerAppScheme, setupAppProtocol } from './shell/app-protocol';
import { applyPathOverrides, builtPaths } from './shell/paths';
import { createSecureWindow } from './shell/secure-window';
import { setupSessionSecurity } from './shell/session-security';
import { setupUpdates } from './updates/setup-updates';

registerAppScheme();
applyPathOverrides(process.env);

if (!app.requestSingleInstanceLock()) {
  // A second launch: the first instance focuses its window (see 'second-instance' below).
  app.quit();
} else {
  void start();
}

async function start(): Promise<void> {
  await app.whenReady();
  const userData = app.getPath('userData');
  const logger = createLogger({
    scope: 'tessera',
    sink: teeSink(consoleSink, createFileSink({ dir: join(userData, 'logs') })),
  });
  const settings = createSettingsStore({
    userDataDir: userData,
    policyPath: policyPathFor(process.platform, process.env),
    env: process.env,
    argv: process.argv,
    logger: logger.child('config'),
  });
  const core = createSessionCore({
    settings: settings.current(),
    fetch: (input, init) => net.fetch(input as string | Request, init),
    ...(process.env.TESSERA_KEYCHAIN_SERVICE
      ? { keychainService: process.env.TESSERA_KEYCHAIN_SERVICE }
      : {}),
    logger,
    // OpenID Connect sign-in and sign-out pages open in the system browser (RFC 8252); the core only
    // passes https URLs (or http on loopback) from the provider's discovery document.
    openExternal: (url) => shell.openExternal(url),
  });
  const apiBaseUrl = () => settings.current().apiBaseUrl;
  const { rendererDir, preloadPath } = builtPaths(import.meta.dirname);

  setupSessionSecurity(session.defaultSession, apiBaseUrl);
  const csp = createCspTracker(apiBaseUrl);
  setupAppProtocol(session.defaultSession, rendererDir, () => csp.current());
  // A loaded page keeps its CSP: after the API origin changes, reload so connect-src follows it.
  settings.onChange(() => {
    if (csp.update()) for (const window of BrowserWindow.getAllWindows()) window.webContents.reload();
  });
  registerIpcHandlers(
    ipcMain,
    createIpcHandlers({ session: core, settings, isAppUrl, logger: logger.child('ipc') }),
  );
  broadcastSessionChanges(core, () => BrowserWindow.getAllWindows(), logger.child('ipc'));
  powerMonitor.on('resume', () => core.onResume());
  powerMonitor.on('unlock-screen', () => core.onResume());
  const stopOnlineWatch = watchOnline({ isOnline: () => net.isOnline(), onOnline: () => core.onOnline() });
  setupUpdates({ settings: settings.current(), log: logger.child('updates') });

  const openWindow = () => {
    const window = createSecureWindow({ preloadPath, title: 'Tessera' });
    void window.loadURL(APP_START_URL);
    return window;
  };
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (!window) return openWindow();
    if (window.isMinimized()) window.restore();
    window.focus();
    return window;
  });
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('before-quit', () => {
    stopOnlineWatch();
    core.dispose();
  });

  openWindow();
  // Silent sign-in from the keychain; the window shows the session state as it changes.
  await core.start();
}
