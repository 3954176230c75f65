// Proxies in the Electron shell: a proxy asking for a password answered through the `login` events with
// a small prompt window (createProxyAuthenticator decides when to ask). The admin settings are applied
// by apply-proxy.ts.
import { app } from 'electron';
import type { Locale } from '../../common/locale';
import {
  type AuthChallenge,
  createProxyAuthenticator,
  type ProxyAuthenticator,
  type ProxyCredentials,
  type ProxyPromptRequest,
} from '../core/network/proxy-auth';
import {
  cancelsPrompt,
  PROXY_PROMPT_SIZE,
  proxyLoginPage,
  readProxyLoginAnswer,
} from '../core/network/proxy-login-page';
import { createPromptWindow } from './secure-window';

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
 * submission is a navigation to tessera-proxy-login:, cancelled and read; closing the window or
 * Escape cancels.
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
      ...PROXY_PROMPT_SIZE,
      onNavigate: (url) => {
        const read = readProxyLoginAnswer(url);
        if (read !== undefined) finish(read);
      },
      cancels: cancelsPrompt,
      onCancel: () => finish(null),
    });
    window.on('closed', () => finish(null));
    void window.loadURL(
      `data:text/html;charset=utf-8,${encodeURIComponent(proxyLoginPage(request, language))}`,
    );
  });
}
