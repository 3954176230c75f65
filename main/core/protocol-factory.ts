import type { Settings } from '../../common/settings';
import { createAuthClient } from './auth-client';
import type { AuthProtocol } from './auth-protocol';
import { silentLogger } from './logger';
import { createOidcProtocol } from './oidc/oidc-protocol';
import { createPasswordProtocol } from './password-protocol';
import type { SessionDeps } from './session/session';

/** Builds the protocol the settings ask for; both share the API's auth client (oidc uses it for `mePath`). */
export function protocolFactory(deps: SessionDeps): (settings: Settings) => AuthProtocol {
  const logger = deps.logger ?? silentLogger;
  return (settings) => {
    const api = createAuthClient({
      fetch: deps.fetch,
      endpoints: settings,
      logger: logger.child('auth'),
      ...(deps.now ? { now: deps.now } : {}),
    });
    if (settings.authMode !== 'oidc') return createPasswordProtocol(api, settings.mePath, deps.now);
    return createOidcProtocol({
      settings,
      fetch: deps.fetch,
      api,
      logger: logger.child('oidc'),
      ...(deps.openExternal ? { openExternal: deps.openExternal } : {}),
      ...(deps.timers ? { timers: deps.timers } : {}),
      ...(deps.now ? { now: deps.now } : {}),
      ...(deps.oidcCallbackTimeoutMs ? { callbackTimeoutMs: deps.oidcCallbackTimeoutMs } : {}),
    });
  };
}
