// The app's token path without Electron: renderer ky client → preload bridge → in-process transport →
// IPC handler table → session core. The e2e browser host runs the same chain with a browser in front;
// benchmarks, the soak and the fault matrix drive it from Node.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Result } from '../common/errors';
import type { BridgeTransport, Channel, ResponseOf, TesseraBridge } from '../common/ipc';
import { createSettingsStore, USER_SETTINGS_FILE } from '../main/core/config';
import type { SessionCore, SettingsStore } from '../main/core/contracts';
import { createIpcHandlers, dispatch, type IpcHandlers, isAppOrigin } from '../main/core/ipc';
import type { InvokeEventLike } from '../main/core/ipc/sender';
import { toWireSessionView } from '../main/core/ipc/wire-values';
import { silentLogger } from '../main/core/logger';
import { createSessionCore, type SessionCoreDeps } from '../main/core/session-core';
import { createBridge } from '../preload/bridge';
import { type ApiClient, createApiClient } from '../renderer/src/api/client';

/** The IPC event of the app's own top-level page (what Electron's senderFrame looks like for it). */
export const APP_PAGE_EVENT: InvokeEventLike = {
  senderFrame: { url: 'app://tessera/index.html', parent: null },
};

/** A transport that dispatches into the handler table in this process and relays session changes. */
export function inProcessTransport(handlers: IpcHandlers, core: SessionCore): BridgeTransport {
  return {
    invoke<C extends Channel>(channel: C, request: unknown) {
      return dispatch(handlers, channel, APP_PAGE_EVENT, request) as Promise<Result<ResponseOf<C>>>;
    },
    subscribe(_event, listener) {
      return core.onChange((view) => listener(toWireSessionView(view)));
    },
  };
}

/** One simulated window: its own bridge and its own renderer API client. */
export interface AppWindow {
  bridge: TesseraBridge;
  api: ApiClient;
}

/** A session core with its settings store and handler table, plus a factory for windows. */
export interface AppPath {
  core: SessionCore;
  settings: SettingsStore;
  handlers: IpcHandlers;
  openWindow(): AppWindow;
  dispose(): void;
}

export interface AppPathOptions extends Omit<SessionCoreDeps, 'settings' | 'fetch'> {
  apiBaseUrl: string;
  fetch?: SessionCoreDeps['fetch'];
  /** Written to the user settings file together with `apiBaseUrl`. */
  requestTimeoutMs?: number;
  /** A core built elsewhere (a test harness's); otherwise one is created from the other options. */
  core?: SessionCore;
}

/** Builds the whole main-process side over a throw-away settings directory. */
export function createAppPath(options: AppPathOptions): AppPath {
  const { apiBaseUrl, requestTimeoutMs, core: given, ...deps } = options;
  const dir = mkdtempSync(join(tmpdir(), 'tessera-app-path-'));
  // The user layer (not --api-url): a settings:update from a window must be able to change it.
  const user = { apiBaseUrl, ...(requestTimeoutMs === undefined ? {} : { requestTimeoutMs }) };
  writeFileSync(join(dir, USER_SETTINGS_FILE), JSON.stringify(user));
  const settings = createSettingsStore({
    userDataDir: dir,
    policyPath: null,
    env: {},
    argv: [],
    logger: silentLogger,
  });
  const core =
    given ??
    createSessionCore({ ...deps, fetch: deps.fetch ?? globalThis.fetch, settings: settings.current() });
  const handlers = createIpcHandlers({
    session: core,
    settings,
    isAppUrl: (url) => isAppOrigin(url),
    logger: silentLogger,
  });
  return {
    core,
    settings,
    handlers,
    openWindow() {
      const bridge = createBridge(inProcessTransport(handlers, core));
      const api = createApiClient({ bridge, getBaseUrl: () => settings.current().apiBaseUrl });
      return { bridge, api };
    },
    dispose() {
      core.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
