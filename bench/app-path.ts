// The app's token path without Electron: renderer ky client → preload bridge → in-process transport →
// IPC handler table → session, all built by the app's composition root (main/app-services.ts). The e2e
// browser host runs the same chain with a browser in front; benchmarks, the soak and the fault matrix
// drive it from Node.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expiredRuleOf } from '../common/auth-contract';
import type { Result } from '../common/errors';
import type { BridgeTransport, Channel, ResponseOf, TesseraBridge } from '../common/ipc';
import { type AppPorts, type AppServices, createAppServices } from '../main/app-services';
import { USER_SETTINGS_FILE } from '../main/core/config/settings-store';
import type { Session } from '../main/core/contracts';
import type { IpcHandlers } from '../main/core/ipc/handlers';
import { toWireSessionView } from '../main/core/ipc/wire-values';
import { createBridge } from '../preload/bridge';
import { type ApiClient, createApiClient } from '../renderer/src/api/client';
import { dispatch } from '../test/support/ipc-dispatch';
import { APP_EVENT } from '../test/support/ipc-fakes';

/** A transport that dispatches into the handler table in this process and relays session changes. */
export function inProcessTransport(handlers: IpcHandlers, session: Session): BridgeTransport {
  return {
    invoke<C extends Channel>(channel: C, request: unknown) {
      return dispatch(handlers, channel, APP_EVENT, request) as Promise<Result<ResponseOf<C>>>;
    },
    subscribe(_event, listener) {
      return session.onChange((view) => listener(toWireSessionView(view)));
    },
  };
}

/** One simulated window: its own bridge and its own renderer API client. */
export interface AppWindow {
  bridge: TesseraBridge;
  api: ApiClient;
}

/**
 * The app's services (built by the app's own composition root), plus a factory for windows. Its
 * `dispose()` and `close()` also end what the path holds: the settings subscription, and the
 * throw-away user data folder (one passed in as `userDataDir` stays). `close()` first waits for the
 * keychain, as quitting the app does: use it before another app or a keychain clean-up starts.
 */
export interface AppPath extends AppServices {
  openWindow(): AppWindow;
  /** The user data folder: the one passed in, or a throw-away one. */
  readonly userDataDir: string;
}

export interface AppPathOptions
  extends Omit<AppPorts, 'userDataDir' | 'policyPath' | 'env' | 'argv' | 'fetch'> {
  apiBaseUrl: string;
  fetch?: AppPorts['fetch'];
  /** Written to the user settings file together with `apiBaseUrl`. */
  requestTimeoutMs?: number;
  /**
   * More user-layer settings written to the settings file (an API contract, a profile path), as a
   * settings file that survived a restart holds them.
   */
  settings?: Readonly<Record<string, unknown>>;
  /** The user data folder (a restart reuses it; left in place at dispose); default a throw-away one. */
  userDataDir?: string;
}

/** Builds the whole main-process side with `createAppServices()` over a throw-away settings directory. */
export function createAppPath(options: AppPathOptions): AppPath {
  const { apiBaseUrl, requestTimeoutMs, fetch, settings, userDataDir, ...ports } = options;
  const dir = userDataDir ?? mkdtempSync(join(tmpdir(), 'tessera-app-path-'));
  // The user layer (not --api-url): a settings:update from a window must be able to change it.
  const user = { ...settings, apiBaseUrl, ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }) };
  writeFileSync(join(dir, USER_SETTINGS_FILE), JSON.stringify(user));
  const services = createAppServices({
    logSink: () => {},
    ...ports,
    userDataDir: dir,
    policyPath: null,
    env: {},
    argv: [],
    fetch: fetch ?? globalThis.fetch,
  });
  // The settings as a window holds them (renderer/src/app.ts reads its state on every request): a copy
  // replaced on every change main makes, not a fresh resolution of every layer per request.
  let settingsSeen = services.settings.current();
  const stopWatching = services.settings.onChange((next) => {
    settingsSeen = next;
  });
  /** What the path itself holds: the settings subscription, and the throw-away folder unless given. */
  const release = () => {
    stopWatching();
    if (!userDataDir) rmSync(dir, { recursive: true, force: true });
  };
  return {
    ...services,
    userDataDir: dir,
    openWindow() {
      const bridge = createBridge(inProcessTransport(services.handlers, services.session));
      const api = createApiClient({
        bridge,
        // The page and main share one clock in the app: a window judges a grant's expiry by the
        // clock the core stamped it with (a shifted `now` in a benchmark moves both).
        ...(ports.now ? { now: ports.now } : {}),
        getBaseUrl: () => settingsSeen.apiBaseUrl,
        getTimeoutMs: () => settingsSeen.requestTimeoutMs,
        getExpiredRule: () => expiredRuleOf(settingsSeen),
      });
      return { bridge, api };
    },
    dispose() {
      services.dispose();
      release();
    },
    async close() {
      await services.close();
      release();
    },
  };
}
