import type { UpdateDecision, UpdateFeed } from './update-policy';

/** The slice of electron-updater's `AppUpdater` this module drives (a fake in tests). */
export interface UpdaterPort {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  logger: UpdaterLogger | null;
  setFeedURL(options: UpdateFeed): void;
  checkForUpdates(): Promise<unknown>;
  checkForUpdatesAndNotify(): Promise<unknown>;
  on(event: 'update-available', listener: (info: { version: string }) => void): unknown;
  on(event: 'error', listener: (error: Error, message?: string) => void): unknown;
}

/** electron-updater's logger shape. */
export interface UpdaterLogger {
  info(message?: unknown): void;
  warn(message?: unknown): void;
  error(message?: unknown): void;
  debug?(message: string): void;
}

export interface UpdateLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface UpdateDeps {
  log: UpdateLog;
  /** Tells the person a newer version exists (notify mode: an administrator installs it). */
  notifyAvailable(version: string): void;
}

function toText(message: unknown): string {
  return message instanceof Error ? message.message : String(message);
}

/**
 * Configures the updater for an enabled decision and returns `check()` (call it at start-up and then
 * periodically). `auto`: download in the background, install on quit, OS notification when ready.
 * `notify`: check only, never download, and hand the version to `notifyAvailable`.
 * Failures (offline, feed missing) are logged, never thrown: updates must not break the app.
 */
export function startUpdates(
  updater: UpdaterPort,
  decision: Exclude<UpdateDecision, { mode: 'off' }>,
  deps: UpdateDeps,
): () => Promise<void> {
  const auto = decision.mode === 'auto';
  updater.logger = {
    info: (message) => deps.log.info(toText(message)),
    warn: (message) => deps.log.warn(toText(message)),
    error: (message) => deps.log.warn(toText(message)),
  };
  updater.autoDownload = auto;
  updater.autoInstallOnAppQuit = auto;
  updater.setFeedURL({ ...decision.feed });
  // electron-updater turns allowDowngrade on whenever a channel is set: pin it off afterwards.
  updater.allowDowngrade = decision.allowDowngrade;
  // Without an 'error' listener an updater error would be thrown as an unhandled EventEmitter error.
  updater.on('error', (error) => deps.log.warn('update check failed', { error: error.message }));
  if (!auto) updater.on('update-available', (info) => deps.notifyAvailable(info.version));

  deps.log.info('updates enabled', {
    mode: decision.mode,
    url: decision.feed.url,
    channel: decision.feed.channel,
  });
  return async () => {
    try {
      await (auto ? updater.checkForUpdatesAndNotify() : updater.checkForUpdates());
    } catch (error) {
      deps.log.warn('update check failed', { error: toText(error) });
    }
  };
}
