// What main/index.ts decides about the app itself — its Windows identity, its menu, how it comes to
// the front and how it fails to start — as electron-free functions with tests (startup.test.ts).

/**
 * Windows' AppUserModelID: electron-builder's `appId` (startup.test.ts checks they match). Without it
 * Windows attributes notifications and the taskbar entry to electron.exe, and may never show them.
 */
export const APP_USER_MODEL_ID = 'dev.tessera.desktop';
