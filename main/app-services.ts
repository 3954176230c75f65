// The composition root: the one place the main-process core is assembled. The Electron shell
// (main/index.ts), the e2e browser host, the benchmarks and the fault tests all call
// createAppServices(); none wires the core by hand, so every host runs the same rules.

import type { SessionView } from '../common/session';
import { createAccountStore } from './core/accounts/account-store';
import { accountVault, sharedVault } from './core/accounts/account-vault';
import { type AccountRegistry, createAccountRegistry } from './core/accounts/registry';
import type { FetchLike } from './core/auth-client';
import { type ConnectService, createConnectService } from './core/config/connect-service';
import type { ConfirmConnectionChange } from './core/config/connection-change';
import type { PolicySource } from './core/config/policy-source';
import { RESTART_KEYS, watchPolicy } from './core/config/policy-watcher';
import { createSettingsStore } from './core/config/settings-store';
import type { SettingsStore } from './core/contracts';
import { broadcastSessionChanges, type WindowLike } from './core/ipc/broadcast';
import { createIpcHandlers, type IpcHandlers } from './core/ipc/handlers';
import { createWriteJournal } from './core/keychain-journal';
import { consoleSink, createLogger, type Logger, type LogLevel, type LogSink } from './core/logger';
import type { OpenExternal } from './core/oidc/oidc-protocol';
import { createSession } from './core/session/session';
import { recordSessionEvents, type SessionEvent } from './core/session/session-events';
import { realTimers, type Timers } from './core/timers';
import { createVault, DEFAULT_KEYCHAIN_TIMEOUT_MS, type KeytarLike, type Vault } from './core/vault';
import { watchOnline } from './power/online-watcher';
import { APP_ORIGIN, isAppUrl } from './security/app-origin';
import { type CorsPatch, type CorsResponse, patchCorsHeaders } from './security/cors';
import { createCspTracker } from './security/csp';
import type { KnownOrigins } from './security/navigation';

/** What the host provides: Electron's pieces in the app, stand-ins in tests and benchmarks. */
export interface AppPorts {
  /** Electron's `app.getPath('userData')`: the user settings file lives here. */
  userDataDir: string;
  /** The IT policy file (`policyPathFor(platform, programData)`); null for none. */
  policyPath: string | null;
  /** The policy file must be owned by root and writable by no one else (the app: true; tests: temp files). */
  requireProtectedPolicy?: boolean;
  /**
   * OS policy (`osPolicySource(process.platform)`: the Windows registry, macOS managed preferences; none
   * on Linux); a fake in the e2e browser host. Its values win over the policy file's.
   */
  policySource?: PolicySource;
  env: Readonly<Record<string, string | undefined>>;
  argv: readonly string[];
  /** Electron's `net.fetch` (system proxy, OS certificates) in the app; Node's `fetch` elsewhere. */
  fetch: FetchLike;
  /**
   * Live policy: watch the policy file's folder and read the policy again every `pollMs` (the OS
   * sources have no event here); the app passes it, tests that need it too. Omitted: read at start only.
   */
  livePolicy?: { pollMs: number; debounceMs?: number };
  /** Where log lines go; default the console. Everything token-shaped is redacted before it. */
  logSink?: LogSink;
  /**
   * Lowest level logged, overriding the `logLevel` setting (tests scanning for leaks use `debug`);
   * without it the setting decides (policy, command line or environment; default `info`).
   */
  logLevel?: LogLevel;
  /** Keychain service name; default `Tessera`. */
  keychainService?: string;
  /** Lazy loader of the keychain module; default `import('keytar')`. */
  loadKeytar?: () => Promise<KeytarLike>;
  /** How long a keychain call may take before it counts as unanswered; default 5 s (tests shorten it). */
  keychainTimeoutMs?: number;
  /** Replaces the keychain vault entirely (tests that must not touch a keychain). */
  vault?: Vault;
  /** Opens a URL in the system browser (`shell.openExternal`); needed for OpenID Connect sign-in. */
  openExternal?: OpenExternal;
  /** How long an OpenID Connect sign-in waits for the browser (default 5 min). */
  oidcCallbackTimeoutMs?: number;
  /**
   * Asks the person to confirm a change of server or sign-in method the page proposed (a native dialog
   * in the app). Without it, such changes are refused with CONFIRMATION_REQUIRED.
   */
  confirmConnectionChange?: ConfirmConnectionChange;
  /** The origin of the app's own page, the only sender the IPC handlers trust; default `app://tessera`. */
  appOrigin?: string;
  /** The open windows: session changes are broadcast to them. */
  windows?: () => Iterable<WindowLike>;
  /** Reloads every window (a loaded page keeps the CSP it came with). */
  reloadWindows?: () => void;
  /** Whether the machine is online (Electron's `net.isOnline`): polled to retry at once when it returns. */
  isOnline?: () => boolean;
  now?: () => number;
  timers?: Timers;
  random?: () => number;
}

/** The assembled main-process core. */
export interface AppServices {
  logger: Logger;
  settings: SettingsStore;
  vault: Vault;
  /**
   * The session the page sees: the account registry (main/core/accounts/), whose active account answers
   * every `Session` call; each account is one `createSession` instance of its own.
   */
  session: AccountRegistry;
  handlers: IpcHandlers;
  /** The last 100 session changes, oldest first (memory only), for the diagnostics bundle. */
  sessionEvents(): SessionEvent[];
  /** The connect wizard's probe and trial sign-in, over the same fetch port and settings. */
  connect: ConnectService;
  /**
   * The Content-Security-Policy for a document of the app's page being loaded now, following the API
   * origins (main notes that a page holds it: see createCspTracker for when windows reload).
   */
  csp(): string;
  /**
   * The CORS headers for a response the app's page receives (null: leave it as it is): added for the
   * configured API origin only, merged with the API's own. The shell applies it to every response
   * (session-security.ts), the e2e browser host to the page's API requests: one rule for both.
   */
  corsPatch(response: CorsResponse): CorsPatch | null;
  /**
   * The origins links may leave for without asking (the API, and the OIDC issuer when signing in
   * with a provider): read at the moment of each navigation, so they follow settings changes.
   */
  knownOrigins(): KnownOrigins;
  /** Fed by the host on system resume / screen unlock: timers drift during sleep. */
  resumed(): void;
  /** Silent sign-in from the keychain; the window shows the session state as it changes. */
  start(): Promise<SessionView>;
  /** Stops timers, feeds and subscriptions (at quit, and between tests). */
  dispose(): void;
  /**
   * Resolves once every keychain operation asked for so far has finished (each is bounded by the
   * keychain's timeout). A session writes its refresh token behind it: a sign-in or refresh answers
   * first, and the keychain holds the new token once this resolves.
   */
  keychainSettled(): Promise<void>;
  /**
   * `dispose()`, then waits until the start-up sign-in and every keychain operation already asked for
   * have finished — at most `CLOSE_WAIT_MS` — so a refresh token being written is not cut off when the
   * process ends, and the next app (a restart, the next test) starts on a quiet keychain. A refresh
   * still on the network is not waited for. Calling it again answers the same promise.
   */
  close(): Promise<void>;
}

/** The longest `close()` waits: one keychain call's own limit, and a second more. */
export const CLOSE_WAIT_MS = DEFAULT_KEYCHAIN_TIMEOUT_MS + 1_000;

/** Builds logger, settings, vault, session, IPC handler table, feeds and settings subscriptions. */
export function createAppServices(ports: AppPorts): AppServices {
  // The settings are read with this logger, so its level follows the `logLevel` setting once known
  // (configuration warnings before that are written at the default, info).
  let level: LogLevel = ports.logLevel ?? 'info';
  const logger = createLogger({ scope: 'tessera', sink: ports.logSink ?? consoleSink, level: () => level });
  const settings = createSettingsStore({
    userDataDir: ports.userDataDir,
    policyPath: ports.policyPath,
    env: ports.env,
    argv: ports.argv,
    logger: logger.child('config'),
    ...(ports.confirmConnectionChange ? { confirmConnectionChange: ports.confirmConnectionChange } : {}),
    requireProtectedPolicy: ports.requireProtectedPolicy === true,
    ...(ports.policySource ? { policySource: ports.policySource } : {}),
  });
  // An admin setting: the page cannot change it; a live policy change can (listener below).
  if (!ports.logLevel) level = settings.current().logLevel;
  const keychain = ports.vault
    ? null
    : createVault({
        ...(ports.keychainService ? { service: ports.keychainService } : {}),
        ...(ports.loadKeytar ? { loadKeytar: ports.loadKeytar } : {}),
        ...(ports.keychainTimeoutMs ? { timeoutMs: ports.keychainTimeoutMs } : {}),
        logger: logger.child('vault'),
        // Which writes never confirmed, kept across runs: a reuse refusal at the next start then reads
        // as the app's own interrupted save.
        journal: createWriteJournal(ports.userDataDir, logger.child('vault')),
      });
  const vault: Vault = ports.vault ?? (keychain as Vault);
  const session = createAccountRegistry({
    settings: () => settings.current(),
    // Each account: one session with its own keychain entry, schedule, single flight and backoff.
    makeSession: (accountSettings, accountVaultPort) =>
      createSession({
        settings: accountSettings,
        fetch: ports.fetch,
        vault: accountVaultPort,
        logger,
        ...(ports.openExternal ? { openExternal: ports.openExternal } : {}),
        ...(ports.oidcCallbackTimeoutMs ? { oidcCallbackTimeoutMs: ports.oidcCallbackTimeoutMs } : {}),
        ...(ports.now ? { now: ports.now } : {}),
        ...(ports.timers ? { timers: ports.timers } : {}),
        ...(ports.random ? { random: ports.random } : {}),
      }),
    vaultFor: (username) => (keychain ? accountVault(keychain, username) : sharedVault(vault)),
    store: createAccountStore(ports.userDataDir, logger.child('accounts')),
    ...(ports.confirmConnectionChange ? { confirmConnectionChange: ports.confirmConnectionChange } : {}),
    // A managed value that could not be used is in force from that policy source, with its issue.
    lockedClosed: (key) => {
      const view = settings.view();
      return view.issues.some((issue) => issue.key === key && issue.source === view.sources[key]);
    },
    logger,
  });
  const appOrigin = ports.appOrigin ?? APP_ORIGIN;
  const connect = createConnectService({
    fetch: ports.fetch,
    settings,
    logger: logger.child('connect'),
    ...(ports.confirmConnectionChange ? { confirm: ports.confirmConnectionChange } : {}),
    ...(ports.now ? { now: ports.now } : {}),
  });
  const handlers = createIpcHandlers({
    session,
    settings,
    connect,
    isAppUrl: (url) => isAppUrl(url, appOrigin),
    logger: logger.child('ipc'),
  });
  const csp = createCspTracker(() => session.apiBaseUrls());

  const stops: (() => void)[] = [];
  const sessionEvents = recordSessionEvents(session, ports.now ? { now: ports.now } : {});
  stops.push(sessionEvents.stop);
  // Saved settings reach the session (a changed API signs out of the old one) before the save is answered.
  stops.push(settings.onChange((next) => session.applySettings(next)));
  // A loaded page keeps its CSP: when a change adds an API origin, reload so connect-src allows it
  // (a change that only drops one waits for the next load: createCspTracker). Deferred, so the page
  // hears the answer to its own settings:update before it reloads.
  // One reload for however many changes one action makes (an API change also moves its accounts).
  let reloadQueued = false;
  const followCsp = () => {
    if (!csp.update() || !ports.reloadWindows || reloadQueued) return;
    reloadQueued = true;
    setTimeout(() => {
      reloadQueued = false;
      ports.reloadWindows?.();
    }, 0);
  };
  stops.push(settings.onChange(followCsp));
  // An account on another API widens connect-src: reload so the page may reach it. Signing out of the
  // last account on an API narrows it without a reload (a menu the person has open stays open).
  stops.push(session.onAccountsChange(followCsp));
  if (!ports.logLevel)
    stops.push(
      settings.onChange((next) => {
        level = next.logLevel;
      }),
    );
  if (ports.livePolicy) {
    const policyLog = logger.child('policy');
    stops.push(
      watchPolicy({
        store: settings,
        policyPath: ports.policyPath,
        pollMs: ports.livePolicy.pollMs,
        ...(ports.livePolicy.debounceMs !== undefined ? { debounceMs: ports.livePolicy.debounceMs } : {}),
        ...(ports.timers ? { timers: ports.timers } : {}),
        logger: policyLog,
        onReload: ({ changed }) => {
          if (changed.length > 0) policyLog.info(`policy changed: ${changed.join(', ')}`);
          const later = changed.filter((key) => RESTART_KEYS.includes(key));
          if (later.length > 0)
            policyLog.warn(`policy change of ${later.join(', ')} applies at the next start`);
          // The page reads settings (values, locks, problems) when it loads: show it the new policy.
          if (ports.reloadWindows) setTimeout(ports.reloadWindows, 0);
        },
      }),
    );
  }
  const keychainSettled = async (): Promise<void> => {
    await keychain?.settled();
  };
  /** The silent sign-in `start()` began (it reads and may write the keychain), for `close()`. */
  let starting: Promise<void> = Promise.resolve();
  let closing: Promise<void> | null = null;
  const dispose = () => {
    for (const stop of stops.splice(0)) stop();
    connect.dispose();
    session.dispose();
  };

  if (ports.windows) stops.push(broadcastSessionChanges(session, ports.windows, logger.child('ipc')));
  if (ports.isOnline)
    stops.push(watchOnline({ isOnline: ports.isOnline, onOnline: () => session.onOnline() }));

  return {
    logger,
    settings,
    vault,
    session,
    handlers,
    sessionEvents: () => sessionEvents.events(),
    connect,
    csp: () => csp.forDocument(),
    corsPatch: (response) => {
      for (const apiBaseUrl of session.apiBaseUrls()) {
        const patch = patchCorsHeaders(response, apiBaseUrl, appOrigin);
        if (patch) return patch;
      }
      return null;
    },
    knownOrigins: () => {
      const current = settings.current();
      return {
        apiBaseUrl: current.apiBaseUrl,
        ...(current.authMode === 'oidc' ? { oidcIssuer: current.oidcIssuer } : {}),
      };
    },
    resumed: () => session.onResume(),
    start: () => {
      const started = session.start();
      starting = started.then(
        () => undefined,
        () => undefined,
      );
      return started;
    },
    dispose,
    keychainSettled,
    close() {
      closing ??= (async () => {
        dispose();
        const quiet = starting.then(keychainSettled);
        const timers = ports.timers ?? realTimers;
        await new Promise<void>((resolve) => {
          const timer = timers.setTimeout(resolve, CLOSE_WAIT_MS);
          void quiet.then(() => {
            timers.clearTimeout(timer);
            resolve();
          });
        });
      })();
      return closing;
    },
  };
}
