import { app, BrowserWindow, type BrowserWindowConstructorOptions, dialog, shell } from 'electron';
import { type LocaleSetting, resolveLocale } from '../../common/locale';
import { describeExternalLink } from '../core/config/dialog-words';
import type { Logger } from '../core/logger';
import { decideNavigation, type KnownOrigins, type NavigationDecision } from '../security/navigation';
import { secureWebPreferences } from '../security/web-preferences';

/** The one `new BrowserWindow`: every window gets secureWebPreferences(), nothing else. */
function newWindow(
  options: Omit<BrowserWindowConstructorOptions, 'webPreferences'>,
  preloadPath: string | null,
  javascript = true,
): BrowserWindow {
  return new BrowserWindow({ ...options, webPreferences: secureWebPreferences(preloadPath, { javascript }) });
}

/**
 * A small modal window for a script-free form (the proxy sign-in prompt): no preload, JavaScript off,
 * no pop-ups, no <webview>, and every navigation cancelled and handed to `onNavigate` (the form's
 * submission is how it answers).
 */
export function createPromptWindow(options: {
  title: string;
  width: number;
  height: number;
  onNavigate: (url: string) => void;
}): BrowserWindow {
  const parent = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  const window = newWindow(
    {
      width: options.width,
      height: options.height,
      title: options.title,
      resizable: false,
      minimizable: false,
      maximizable: false,
      autoHideMenuBar: true,
      ...(parent ? { parent, modal: true } : {}),
    },
    null,
    false,
  );
  const contents = window.webContents;
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    options.onNavigate(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  return window;
}

/**
 * The one place windows are created: fixed secure webPreferences, navigation and pop-ups
 * blocked (https links go to the system browser), no <webview>.
 */
export function createSecureWindow(options: {
  preloadPath: string;
  title: string;
  /** The API and provider origins (from the current settings): links there open without asking. */
  knownOrigins: () => KnownOrigins;
  /** The person's language setting (the current settings): the link prompt is worded in it. */
  locale: () => LocaleSetting;
  logger: Logger;
}): BrowserWindow {
  const window = newWindow(
    {
      width: 1100,
      height: 760,
      minWidth: 720,
      minHeight: 520,
      title: options.title,
      show: false,
      autoHideMenuBar: true,
    },
    options.preloadPath,
  );
  const contents = window.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    void leaveOnPurpose(window, decideNavigation(url, 'newWindow', options.knownOrigins()), options);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    const decision = decideNavigation(url, 'navigate', options.knownOrigins());
    if (decision.action === 'allow') return;
    event.preventDefault();
    void leaveOnPurpose(window, decision, options);
  });
  contents.on('will-redirect', (event, url) => {
    if (decideNavigation(url, 'navigate', options.knownOrigins()).action !== 'allow') event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  return window;
}

/** Acts on a decision to leave the app: open, ask the person first (showing the destination), or refuse. */
async function leaveOnPurpose(
  window: BrowserWindow,
  decision: NavigationDecision,
  { logger, locale }: { logger: Logger; locale: () => LocaleSetting },
): Promise<void> {
  if (decision.action === 'deny') {
    // The value itself is never logged: only that a link was refused, and why.
    if (decision.reason === 'carriesSecret')
      logger.warn('refused to open a link that carries a token-shaped value');
    return;
  }
  if (decision.action === 'openExternal') {
    await shell.openExternal(decision.url);
    return;
  }
  if (decision.action !== 'confirmExternal') return;
  const text = describeExternalLink(decision.url, resolveLocale(locale(), app.getLocale()));
  const answer = await dialog.showMessageBox(window, {
    type: 'question',
    message: text.message,
    detail: text.detail,
    buttons: [text.cancel, text.confirm],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  });
  if (answer.response === 1) await shell.openExternal(decision.url);
}
