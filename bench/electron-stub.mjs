// A stand-in for the `electron` module, for bench/main-start-child.mjs only: Electron cannot be launched
// on the machines this benchmark was written on (its binary is not downloaded), so main's bundle is
// evaluated in Node with this in Electron's place. Every name is an object whose members are no-op
// functions; `app` answers what main reads before it is ready (the user data folder, the
// single-instance lock) and its `whenReady()` never settles, so nothing after `await app.whenReady()`
// runs: what is timed is what main runs before Electron could be ready.
const userData = process.env.TESSERA_BENCH_USER_DATA ?? '/nonexistent';
const appMembers = {
  getPath: () => userData,
  requestSingleInstanceLock: () => true,
  whenReady: () => new Promise(() => {}),
  isPackaged: false,
  getVersion: () => '0.0.0',
  getLocale: () => 'en-US',
  getSystemLocale: () => 'en-US',
  getPreferredSystemLanguages: () => ['en-US'],
};

/** Any member is a function that returns another such object; `then` is absent (not a promise). */
function anything() {
  return new Proxy(function stub() {}, {
    get: (_target, name) => (name === 'then' ? undefined : anything()),
    apply: () => anything(),
    construct: () => anything(),
  });
}
const withDefaults = (target) =>
  new Proxy(target, { get: (object, name) => (name in object ? object[name] : anything()) });

const electron = withDefaults({ app: withDefaults(appMembers) });
export default electron;
export const {
  app,
  BrowserWindow,
  Menu,
  Notification,
  dialog,
  ipcMain,
  net,
  powerMonitor,
  protocol,
  session,
  shell,
  safeStorage,
  nativeTheme,
  screen,
  systemPreferences,
  webContents,
  autoUpdater,
  clipboard,
  nativeImage,
  Tray,
  utilityProcess,
} = electron;
