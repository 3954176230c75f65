// The admin proxy settings applied with session.setProxy (the decision is proxyConfigFor, electron-free
// and tested), to the default session and to any session that follows it (electron-updater's). Only
// Electron's types are imported, so it runs in tests with stand-in sessions.
import type { Session } from 'electron';
import type { Settings } from '../../common/settings';
import type { Logger } from '../core/logger';
import type { ProxyAuthenticator } from '../core/network/proxy-auth';
import {
  type ProxyConfig,
  pacUrlForLog,
  proxyConfigFor,
  sameProxyConfig,
} from '../core/network/proxy-config';

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
}): {
  ready: Promise<void>;
  stop: () => void;
  /** Another session (electron-updater's own) takes the same proxy, now and whenever it changes. */
  follow: (session: Session) => Promise<void>;
} {
  let applied: ProxyConfig = { mode: 'system' };
  const sessions: Session[] = [deps.session];
  const applyTo = async (session: Session, config: ProxyConfig): Promise<void> => {
    try {
      await session.setProxy(config);
      await session.closeAllConnections();
    } catch (error) {
      deps.logger.error(`could not apply the proxy settings: ${String(error)}`);
    }
  };
  const apply = async (settings: Settings): Promise<void> => {
    const { config, ignored } = proxyConfigFor(settings);
    if (ignored.length > 0) deps.logger.warn(`proxy settings ignored: ${ignored.join('; ')}`);
    if (sameProxyConfig(config, applied)) return;
    applied = config;
    // Credentials typed for the old proxy are not offered to a new one.
    deps.authenticator.forget();
    const pac = config.pacScript === undefined ? {} : { pacScript: pacUrlForLog(config.pacScript) };
    deps.logger.info(`proxy: ${config.mode}`, { ...config, ...pac });
    await Promise.all(sessions.map((session) => applyTo(session, config)));
  };
  // Sign-in at start-up waits for this, so its first request already takes the configured proxy.
  const ready = apply(deps.settings.current());
  const follow = async (session: Session): Promise<void> => {
    if (sessions.includes(session)) return;
    sessions.push(session);
    await ready;
    // Nothing set: the session keeps Chromium's own choice, as the default session does.
    if (!sameProxyConfig(applied, { mode: 'system' })) await applyTo(session, applied);
  };
  return { ready, stop: deps.settings.onChange(apply), follow };
}
