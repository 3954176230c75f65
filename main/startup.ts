// What main/index.ts decides about the app itself — its Windows identity, its menu, how it comes to
// the front and how it fails to start — as electron-free functions with tests (startup.test.ts).
import type { MenuItemConstructorOptions } from 'electron';
import type { Locale } from '../common/locale';
import { redactText } from './core/redact';
import { type MenuRole, SHELL_WORDS } from './shell/shell-words';

/**
 * Windows' AppUserModelID: electron-builder's `appId` (startup.test.ts checks they match). Without it
 * Windows attributes notifications and the taskbar entry to electron.exe, and may never show them.
 */
export const APP_USER_MODEL_ID = 'dev.tessera.desktop';

/** The app's name where a menu shows it (electron-builder's productName). */
const APP_NAME = 'Tessera';

/**
 * The application menu. A packaged app has no Reload, Force Reload or Developer Tools (a reload
 * drops the page's state; DevTools would let anyone at the keyboard read the page's memory and its
 * access token); a development run (`npm start`) keeps them. Edit keeps the clipboard shortcuts, which
 * macOS text fields only get from the menu. Every menu and item is named in `locale` (the person's
 * language): an item made from a role (Undo, Zoom In, Quit, …) keeps the role for what it does, but
 * not Electron's English name; quitting is "Quit Tessera" everywhere, Windows included (not "Exit").
 * The menus Electron would fill from a role (appMenu, editMenu, …) are written out here for that.
 */
export function appMenuTemplate(options: {
  packaged: boolean;
  platform: NodeJS.Platform;
  /** Help → Save Diagnostics…: asks where, then writes the diagnostics bundle (main/diagnostics). */
  onSaveDiagnostics?: () => void;
  /** The language of the labels (resolveLocale of the `locale` setting); English when not given. */
  locale?: Locale;
}): MenuItemConstructorOptions[] {
  const words = SHELL_WORDS[options.locale ?? 'en'].menu;
  const item = (role: MenuRole): MenuItemConstructorOptions => ({ role, label: words.roles[role] });
  const separator: MenuItemConstructorOptions = { type: 'separator' };
  const mac = options.platform === 'darwin';
  const development: MenuItemConstructorOptions[] = options.packaged
    ? []
    : [item('reload'), item('forceReload'), item('toggleDevTools'), separator];
  const view: MenuItemConstructorOptions = {
    label: words.view,
    submenu: [
      ...development,
      item('resetZoom'),
      item('zoomIn'),
      item('zoomOut'),
      separator,
      item('togglefullscreen'),
    ],
  };
  // Electron's editMenu, item by item.
  const edit: MenuItemConstructorOptions = {
    label: words.edit,
    submenu: [
      item('undo'),
      item('redo'),
      separator,
      item('cut'),
      item('copy'),
      item('paste'),
      ...(mac
        ? [
            item('pasteAndMatchStyle'),
            item('delete'),
            item('selectAll'),
            separator,
            { label: words.speech, submenu: [item('startSpeaking'), item('stopSpeaking')] },
          ]
        : [item('delete'), separator, item('selectAll')]),
    ],
  };
  const onSave = options.onSaveDiagnostics;
  const help: MenuItemConstructorOptions[] = onSave
    ? [
        {
          role: 'help',
          label: words.help,
          submenu: [{ label: words.saveDiagnostics, click: () => onSave() }],
        },
      ]
    : [];
  if (mac)
    return [
      // Electron's appMenu; macOS shows the app's own name as this menu's title.
      {
        label: APP_NAME,
        submenu: [
          item('about'),
          separator,
          item('services'),
          separator,
          item('hide'),
          item('hideOthers'),
          item('unhide'),
          separator,
          item('quit'),
        ],
      },
      { label: words.file, submenu: [item('close')] },
      edit,
      view,
      // `window`: macOS lists the open windows in it.
      {
        role: 'window',
        label: words.window,
        submenu: [item('minimize'), item('zoom'), separator, item('front')],
      },
      ...help,
    ];
  return [
    { label: words.file, submenu: [item('quit')] },
    edit,
    view,
    { label: words.window, submenu: [item('minimize'), item('close')] },
    ...help,
  ];
}

/** The parts of a BrowserWindow that bringing it to the front uses. */
export interface RevealableWindow {
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
}

/**
 * Brings the window to the front for a second launch: restored when minimized, shown when hidden
 * (closed to the tray or not yet shown — focus() alone does nothing for a hidden window), then focused.
 */
export function revealWindow(window: RevealableWindow): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

export interface StartupFailureDeps {
  /** Where the failure is logged (stderr: the log file may not exist yet). */
  log(message: string): void;
  /** Electron's dialog.showErrorBox (safe before `ready`; on Linux before `ready` it prints instead). */
  showErrorBox(title: string, content: string): void;
  /** Electron's app.exit. */
  exit(code: number): void;
  /** The folder of the log file, when known. */
  logDir?: string;
  /**
   * The language of the box, asked when it is shown: the `locale` setting once it has been read, before
   * that (or when reading it is what failed) the OS language; English when not given.
   */
  locale?: () => Locale;
}

/**
 * The title and text of the start-up failure dialog, in `locale`; nothing token-shaped from the error
 * gets in. The error's own text (from Node or the OS) stays as it is.
 */
export function startupFailureMessage(
  error: unknown,
  logDir?: string,
  locale: Locale = 'en',
): { title: string; content: string } {
  const words = SHELL_WORDS[locale].startup;
  const text = redactText(error instanceof Error ? error.message : String(error))
    .trim()
    .replace(/\.$/, '');
  const reason = text || words.unexpected;
  return {
    title: words.title,
    content: [words.failed(reason), logDir ? words.adviceWithLog(logDir) : words.advice].join('\n\n'),
  };
}

/**
 * Runs the app's start-up. A throw (before the window is up, or anywhere start-up awaits) is logged,
 * shown in a native error box saying what failed, and ends the app with exit code 1 — instead of
 * Electron's generic "A JavaScript error occurred in the main process" and a process left running.
 */
export async function runStartup(start: () => Promise<void>, deps: StartupFailureDeps): Promise<void> {
  try {
    await start();
  } catch (error) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    deps.log(`[tessera] start-up failed: ${redactText(detail)}`);
    const { title, content } = startupFailureMessage(error, deps.logDir, languageOf(deps));
    deps.showErrorBox(title, content);
    deps.exit(1);
  }
}

/** The failure box's language: the deps' answer, English when there is none or asking it throws. */
function languageOf(deps: StartupFailureDeps): Locale {
  try {
    return deps.locale?.() ?? 'en';
  } catch {
    return 'en';
  }
}

/** What quitting needs from Electron and the services (main/index.ts wires them). */
export interface QuitPorts {
  /** Hides every window and stops what no longer answers (the proxy): gone from the screen at once. */
  hide(): void;
  /** `services.close()`: the keychain wait, at most CLOSE_WAIT_MS. */
  close(): Promise<void>;
  /** Electron's `app.quit()` (it sends `before-quit` again, which then lets it through). */
  quit(): void;
  /** Electron's `app.relaunch()`: the app starts again once this process has exited. */
  relaunch(): void;
  log(message: string, error?: unknown): void;
}

/** What main does with a launch (a second instance, a click on the dock icon). */
export type LaunchAnswer =
  /** Running: bring the window to the front, or open one. */
  | 'show'
  /** Quitting: nothing now; the app starts again once the keychain wait is over and it has quit. */
  | 'after-quit'
  /** The system is shutting down or logging off: the launch is not answered. */
  | 'ignore';

export interface QuitFlow {
  /** `running`; `closing` while the keychain wait runs (windows hidden); `closed` once it is over. */
  readonly state: 'running' | 'closing' | 'closed';
  /**
   * `before-quit`. True: hold the quit (`event.preventDefault()`) — the first one hides the windows
   * and starts the keychain wait, which quits again when it is over; later ones wait for the same.
   * False once the wait is over: the quit goes through.
   */
  beforeQuit(): boolean;
  /** A second instance or a dock click. */
  launch(): LaunchAnswer;
  /**
   * The system is about to shut down, restart or log off (Linux and macOS: powerMonitor's
   * `shutdown`). Starts the quit now and never relaunches. True: hold the shutdown while the
   * keychain wait runs (`event.preventDefault()`: on Linux logind's delay lock, released when the
   * process exits, at most its InhibitDelayMaxSec).
   */
  systemEnding(): boolean;
}

/**
 * Quitting waits (at most CLOSE_WAIT_MS) for keychain writes already under way, e.g. a refresh token
 * just rotated: cut off, the next start would present the old one and be signed out. A launch during
 * that wait (its single-instance lock is still held, so a second instance only reaches this one) is
 * not answered with a window the quit would close, and not lost either: the app starts again once it
 * has quit. A system shutdown or log-off quits the same way, and is held only as long as that wait.
 */
export function createQuitFlow(ports: QuitPorts): QuitFlow {
  let state: QuitFlow['state'] = 'running';
  let relaunch = false;
  let systemEnding = false;
  const beginClosing = () => {
    state = 'closing';
    ports.hide();
    void ports
      .close()
      .catch((error: unknown) => ports.log('closing the services failed', error))
      .finally(() => {
        state = 'closed';
        if (relaunch && !systemEnding) ports.relaunch();
        ports.quit();
      });
  };
  return {
    get state() {
      return state;
    },
    beforeQuit() {
      if (state === 'closed') return false;
      if (state === 'running') beginClosing();
      return true;
    },
    launch() {
      if (systemEnding) return 'ignore';
      if (state === 'running') return 'show';
      if (!relaunch) {
        relaunch = true;
        // Quit already under way (the wait is over): Electron still relaunches at the process's exit.
        if (state === 'closed') ports.relaunch();
      }
      return 'after-quit';
    },
    systemEnding() {
      systemEnding = true;
      if (state === 'closed') return false;
      if (state === 'running') beginClosing();
      return true;
    },
  };
}

/**
 * `app.relaunch()`'s options. An AppImage runs from a mount that goes away with the process, so it is
 * started again from the AppImage file itself (`APPIMAGE`, set by its runtime; only in a packaged app,
 * so a development run started from some other AppImage does not inherit it). Otherwise Electron's
 * default: this executable with this process's arguments.
 */
export function relaunchOptions(
  env: NodeJS.ProcessEnv,
  packaged: boolean,
  argv: readonly string[],
): { execPath: string; args: string[] } | undefined {
  const appImage = env.APPIMAGE;
  if (!packaged || !appImage) return undefined;
  return { execPath: appImage, args: argv.slice(1) };
}
