import type { Settings } from '../../common/settings';
import type { FetchLike } from './auth-client';
import type { SessionCore } from './contracts';
import { createLogger, type Logger } from './logger';
import type { OpenExternal } from './oidc/oidc-protocol';
import { createSessionManager } from './session-manager';
import type { Timers } from './timers';
import { createVault, type KeytarLike, type Vault } from './vault';

/** Everything the app (or a test) hands the session core; only `settings` and `fetch` are required. */
export interface SessionCoreDeps {
  /** The effective settings at start-up. */
  settings: Settings;
  /** Electron's `net.fetch` (system proxy, OS certificates) in the app; Node's `fetch` in tests. */
  fetch: FetchLike;
  /** Keychain service name; default `Tessera`. */
  keychainService?: string;
  /** Lazy loader of the keychain module; default `import('keytar')`. */
  loadKeytar?: () => Promise<KeytarLike>;
  /** Replaces the keychain vault entirely (then `keychainService`/`loadKeytar` are unused). */
  vault?: Vault;
  now?: () => number;
  timers?: Timers;
  random?: () => number;
  /** Default: a console logger at `info`, redacting everything token-shaped. */
  logger?: Logger;
  /** Opens a URL in the system browser (`(url) => shell.openExternal(url)`); needed for oidc sign-in. */
  openExternal?: OpenExternal;
  /** How long an oidc sign-in waits for the browser (default 5 min); tests shorten it. */
  oidcCallbackTimeoutMs?: number;
}

/** Wires the session manager to the OS keychain: the one call `main/index.ts` needs. */
export function createSessionCore(deps: SessionCoreDeps): SessionCore {
  const logger = deps.logger ?? createLogger({ scope: 'tessera' });
  const vault =
    deps.vault ??
    createVault({
      ...(deps.keychainService ? { service: deps.keychainService } : {}),
      ...(deps.loadKeytar ? { loadKeytar: deps.loadKeytar } : {}),
      logger: logger.child('vault'),
    });
  return createSessionManager({ ...deps, vault, logger });
}
