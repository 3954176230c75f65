import { app, BrowserWindow, type BrowserWindowConstructorOptions, type Input, shell } from 'electron';
import { type LocaleSetting, resolveLocale } from '../../common/locale';
import { describeExternalLink } from '../core/config/dialog-words';
import type { Logger } from '../core/logger';
import {
  createLeave,
  decideNavigation,
  type KnownOrigins,
  type NavigationDecision,
} from '../security/navigation';
import { PAGE_QUESTIONS } from '../security/question-gate';
import { afterRendererGone } from '../security/renderer-gone';
import { secureWebPreferences } from '../security/web-preferences';
import { askQuestion } from './ask-question';

/** The one `new BrowserWindow`: every window gets secureWebPreferences(), nothing else. */
function newWindow(
  options: Omit<BrowserWindowConstructorOptions, 'webPreferences'>,
  preloadPath: string | null,
  { javascript = true, formatLocales = [] }: { javascript?: boolean; formatLocales?: readonly string[] } = {},
): BrowserWindow {
  return new BrowserWindow({
    ...options,
    webPreferences: secureWebPreferences(preloadPath, { javascript, formatLocales }),
  });
}

/**
 * A small modal window for a script-free form (the proxy sign-in prompt): no preload, JavaScript off,
 * no pop-ups, no <webview>, and every navigation cancelled and handed to `onNavigate` (the form's
 * submission is how it answers). `width` × `height` is the page's room (the frame comes on top); the
 * person may make it larger. A key `cancels` names is taken from the page and ends it (`onCancel`):
 * a page without script cannot act on Escape itself.
 */
export function createPromptWindow(options: {
  title: string;
  width: number;
  height: number;
  onNavigate: (url: string) => void;
  cancels: (input: Input) => boolean;
  onCancel: () => void;
}): BrowserWindow {
  const parent = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  const window = newWindow(
    {
      width: options.width,
      height: options.height,
      useContentSize: true,
      minWidth: options.width,
      minHeight: options.height,
      title: options.title,
      minimizable: false,
      maximizable: false,
      autoHideMenuBar: true,
      ...(parent ? { parent, modal: true } : {}),
    },
    null,
    { javascript: false },
  );
  // No app menu on a form (Windows and Linux show it with Alt: Reload would discard the question, and a
  // development build's menu has the developer tools).
  window.removeMenu();
  const contents = window.webContents;
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    options.onNavigate(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.on('before-input-event', (event, input) => {
    if (!options.cancels(input)) return;
    event.preventDefault();
    options.onCancel();
  });
  return window;
}

/**
 * The one place windows are created: fixed secure webPreferences, navigation and pop-ups
 * blocked (https links go to the system browser), no <webview>, and no `beforeunload` veto.
 */
export function createSecureWindow(options: {
  preloadPath: string;
  title: string;
  /** The API and provider origins (from the current settings): links there open without asking. */
  knownOrigins: () => KnownOrigins;
  /** The person's language setting (the current settings): the link prompt is worded in it. */
  locale: () => LocaleSetting;
  /**
   * The OS's regional format, then its preferred languages (`app.getSystemLocale()`,
   * `app.getPreferredSystemLanguages()`): the page writes dates and numbers in the first one of its
   * language (its own `navigator.languages` follows only the display language).
   */
  formatLocales: readonly string[];
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
    { formatLocales: options.formatLocales },
  );
  const contents = window.webContents;
  const leaveFor = leaveOnPurpose(window, options);
  const leave = (decision: NavigationDecision) =>
    void leaveFor(decision).catch((error: unknown) =>
      options.logger.warn(`could not open a link (${error instanceof Error ? error.name : 'failure'})`),
    );
  contents.setWindowOpenHandler(({ url }) => {
    leave(decideNavigation(url, 'newWindow', options.knownOrigins()));
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    const decision = decideNavigation(url, 'navigate', options.knownOrigins());
    if (decision.action === 'allow') return;
    event.preventDefault();
    leave(decision);
  });
  contents.on('will-redirect', (event, url) => {
    if (decideNavigation(url, 'navigate', options.knownOrigins()).action !== 'allow') event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // In Electron a `beforeunload` handler that returns a value cancels the close (or reload) silently, with
  // no question: the page could keep its window open, quitting stuck and a settings reload from happening.
  contents.on('will-prevent-unload', (event) => event.preventDefault());
  // A page process that crashed leaves a blank window: it is said in the log and reloaded (at most once
  // a minute, so a page that crashes at once is not reloaded in a loop). Main's session is unaffected.
  let reloadedAt: number | null = null;
  contents.on('render-process-gone', (_event, details) => {
    options.logger.warn("the window's page process ended", {
      reason: details.reason,
      exitCode: details.exitCode,
    });
    const now = performance.now();
    if (window.isDestroyed()) return;
    if (afterRendererGone(details.reason, reloadedAt === null ? null : now - reloadedAt) !== 'reload') return;
    reloadedAt = now;
    contents.reload();
  });
  window.once('ready-to-show', () => window.show());
  return window;
}

/**
 * Leaving the app from `window` (createLeave decides: one question at a time, direct opens spaced):
 * the system browser, and the question with the destination in the person's language.
 */
function leaveOnPurpose(
  window: BrowserWindow,
  { logger, locale }: { logger: Logger; locale: () => LocaleSetting },
) {
  return createLeave({
    // One question on screen at a time, with the connection questions too (confirm-connection.ts).
    screen: PAGE_QUESTIONS,
    open: (url) => shell.openExternal(url),
    confirm: (url) =>
      askQuestion(window, 'question', describeExternalLink(url, resolveLocale(locale(), app.getLocale()))),
    // The link itself is never logged: only that one was refused, and why.
    refused: (why) =>
      logger.warn(
        why === 'carriesSecret'
          ? 'refused to open a link that carries a token-shaped value'
          : 'dropped links the page sent while another was being opened or asked about',
      ),
  });
}
