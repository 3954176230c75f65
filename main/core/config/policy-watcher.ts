// Live policy: IT's changes apply while the app runs. The policy file's folder is watched (a
// configuration tool usually replaces the file, so the folder, not the file, sees it), and both
// sources — the file and the OS policy, whose registry and managed-preference changes no file event
// reports here — are read again on an interval. The store re-applies the layers with the same
// validation and fail-closed rules as at start-up (reloadPolicy), and the app acts on what changed.
import { watch as fsWatch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { SettingKey } from '../../../common/settings';
import type { PolicyReload, SettingsStore } from '../contracts';
import { realTimers, type Timers } from '../timers';

/**
 * Settings read once at start-up, so a live change waits for the next start: the updater is set up
 * once (setupUpdates). Every other key applies live — preferences and connection settings through the
 * store's listeners (a changed API signs out, as when the person changes it), logLevel and
 * logHistoryMiB at the next log line, the proxy settings with the next request.
 */
export const RESTART_KEYS: readonly SettingKey[] = ['updatesEnabled', 'updateUrl', 'updateChannel'];

/** Watches one folder; the default is `fs.watch`. */
export type WatchFolder = (folder: string, onChange: (file: string | null) => void) => { close(): void };

export interface PolicyWatchDeps {
  store: Pick<SettingsStore, 'reloadPolicy'>;
  /** The policy file (its folder is watched); null: no file, the OS source is polled only. */
  policyPath: string | null;
  /** How often both sources are read again, in ms. */
  pollMs: number;
  /** File events come in bursts (write, rename, chmod): one reload after the burst (default 300 ms). */
  debounceMs?: number;
  timers?: Timers;
  watchFolder?: WatchFolder;
  /** After each reload that changed something. */
  onReload(result: PolicyReload): void;
  logger: { info(message: string): void; warn(message: string): void };
}

const nodeWatchFolder: WatchFolder = (folder, onChange) => {
  const watcher = fsWatch(folder, { persistent: false }, (_event, file) =>
    onChange(file ? String(file) : null),
  );
  watcher.on('error', () => watcher.close());
  return watcher;
};

/** Starts watching; returns the stop function. */
export function watchPolicy(deps: PolicyWatchDeps): () => void {
  const timers = deps.timers ?? realTimers;
  const debounceMs = deps.debounceMs ?? 300;
  let stopped = false;
  let soon: unknown = null;
  let poll: unknown = null;
  let running: Promise<void> | null = null;
  let again = false;

  const reload = (): void => {
    if (stopped) return;
    // One reload at a time; a change during one triggers exactly one more.
    if (running) {
      again = true;
      return;
    }
    running = deps.store.reloadPolicy().then(
      (result) => {
        if (result.viewChanged && !stopped) deps.onReload(result);
      },
      (error: unknown) => deps.logger.warn(`policy reload failed: ${String(error)}`),
    );
    void running.finally(() => {
      running = null;
      if (again) {
        again = false;
        reload();
      }
    });
  };

  const schedulePoll = () => {
    poll = timers.setTimeout(() => {
      reload();
      if (!stopped) schedulePoll();
    }, deps.pollMs);
  };
  schedulePoll();

  let watcher: { close(): void } | null = null;
  if (deps.policyPath !== null) {
    const name = basename(deps.policyPath);
    const folder = dirname(deps.policyPath);
    try {
      // The file, or the folder itself: fs.watch names the watched folder for a change of its own mode
      // or owner (part of the file's protection, layers.ts) or its removal.
      watcher = (deps.watchFolder ?? nodeWatchFolder)(folder, (file) => {
        if (file !== null && file !== name && file !== basename(folder)) return;
        if (soon !== null) timers.clearTimeout(soon);
        soon = timers.setTimeout(() => {
          soon = null;
          reload();
        }, debounceMs);
      });
    } catch (error) {
      // No folder yet (no policy deployed): the interval still notices one that appears.
      deps.logger.info(
        `policy folder ${folder} not watched (${(error as NodeJS.ErrnoException).code ?? String(error)}); read every ${Math.round(deps.pollMs / 1000)} s`,
      );
    }
  }

  return () => {
    stopped = true;
    watcher?.close();
    if (soon !== null) timers.clearTimeout(soon);
    if (poll !== null) timers.clearTimeout(poll);
  };
}
