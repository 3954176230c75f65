// Proxies in the Electron shell: the admin settings applied with session.setProxy (the decision is
// proxyConfigFor, electron-free and tested), and a proxy asking for a password answered through the
// `login` events with a small prompt window (createProxyAuthenticator decides when to ask).
import { app, type Session } from 'electron';
import type { Locale } from '../../common/locale';
import type { Settings } from '../../common/settings';
import type { Logger } from '../core/logger';
import {
  type AuthChallenge,
  createProxyAuthenticator,
  type ProxyAuthenticator,
  type ProxyCredentials,
  type ProxyPromptRequest,
} from '../core/network/proxy-auth';
import { type ProxyConfig, proxyConfigFor, sameProxyConfig } from '../core/network/proxy-config';
import { proxyLoginPage, readProxyLoginAnswer } from '../core/network/proxy-login-page';
import { createPromptWindow } from './secure-window';

/**
 * Applies the proxy settings now and whenever they change (live policy). With none set, Chromium's
 * default is left alone at start-up (the system proxy and PAC, or Chromium's own --proxy-server
 * switch); setProxy({ mode: 'system' }) is only sent to undo an earlier explicit configuration.
 */
export function setupProxy(deps: {
  session: Session;
  settings: { current(): Settings; onChange(listener: (settings: Settings) => void): () => void };
  authenticator: ProxyAuthenticator;
  logger: Logger;
}): { ready: Promise<void>; stop: () => void } {
  let applied: ProxyConfig = { mode: 'system' };
  const apply = async (settings: Settings): Promise<void> => {
    const { config, ignored } = proxyConfigFor(settings);
    if (ignored.length > 0) deps.logger.warn(`proxy settings ignored: ${ignored.join('; ')}`);
    if (sameProxyConfig(config, applied)) return;
    applied = config;
    // Credentials typed for the old proxy are not offered to a new one.
    deps.authenticator.forget();
    deps.logger.info(`proxy: ${config.mode}`, { ...config });
    try {
      await deps.session.setProxy(config);
      await deps.session.closeAllConnections();
    } catch (error) {
      deps.logger.error(`could not apply the proxy settings: ${String(error)}`);
    }
  };
  // Sign-in at start-up waits for this, so its first request already takes the configured proxy.
  const ready = apply(deps.settings.current());
  return { ready, stop: deps.settings.onChange(apply) };
}

/** The authenticator the app's `login` event and main's own requests share, prompting in a window. */
export function createShellProxyAuthenticator(
  warn: (message: string) => void,
  /** The language of the sign-in prompt, asked each time it opens (the `locale` setting, resolved). */
  language: () => Locale,
): ProxyAuthenticator {
  return createProxyAuthenticator({
    prompt: (request) => promptForProxyCredentials(request, language()),
    onRefused: (proxy, why) => warn(`proxy ${proxy} not answered: ${why}`),
  });
}

/** Answers the pages' and the app's `login` events (proxies only; a server's request is cancelled). */
export function setupProxyLogin(authenticator: ProxyAuthenticator): void {
  app.on('login', (event, _webContents, _details, authInfo, callback) => {
    event.preventDefault();
    answer(authenticator, authInfo, callback);
  });
}

/** Answers one `login` callback from the authenticator's decision. */
export function answer(
  authenticator: ProxyAuthenticator,
  authInfo: AuthChallenge,
  callback: (username?: string, password?: string) => void,
): void {
  authenticator.authenticate(authInfo).then(
    (credentials) => (credentials ? callback(credentials.username, credentials.password) : callback()),
    () => callback(),
  );
}

/**
 * A small modal window (createPromptWindow) with a script-free form (proxy-login-page.ts): its
 * submission is a navigation to tessera-proxy-login:, cancelled and read; closing the window cancels.
 */
function promptForProxyCredentials(
  request: ProxyPromptRequest,
  language: Locale,
): Promise<ProxyCredentials | null> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (credentials: ProxyCredentials | null) => {
      if (done) return;
      done = true;
      resolve(credentials);
      if (!window.isDestroyed()) window.close();
    };
    const window = createPromptWindow({
      title: 'Tessera',
      width: 420,
      height: 300,
      onNavigate: (url) => {
        const read = readProxyLoginAnswer(url);
        if (read !== undefined) finish(read);
      },
    });
    window.on('closed', () => finish(null));
    void window.loadURL(
      `data:text/html;charset=utf-8,${encodeURIComponent(proxyLoginPage(request, language))}`,
    );
  });
}
