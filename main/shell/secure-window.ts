import { BrowserWindow, shell } from 'electron';
import { decideNavigation } from '../security/navigation';
import { secureWebPreferences } from '../security/web-preferences';

/**
 * The one place windows are created: fixed secure webPreferences, navigation and pop-ups
 * blocked (https links go to the system browser), no <webview>.
 */
export function createSecureWindow(options: { preloadPath: string; title: string }): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 520,
    title: options.title,
    show: false,
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(options.preloadPath),
  });
  const contents = window.webContents;
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideNavigation(url, 'newWindow');
    if (decision.action === 'openExternal') void shell.openExternal(decision.url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    const decision = decideNavigation(url, 'navigate');
    if (decision.action === 'allow') return;
    event.preventDefault();
    if (decision.action === 'openExternal') void shell.openExternal(decision.url);
  });
  contents.on('will-redirect', (event, url) => {
    if (decideNavigation(url, 'navigate').action !== 'allow') event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  window.once('ready-to-show', () => window.show());
  return window;
}
