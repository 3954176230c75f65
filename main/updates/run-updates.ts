import { createHash, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { checkFeedUrl, checkUpdateFiles, guardUpdateRequests, type UpdateFilesLike } from './feed-guard';
import { decideInstall, type InstallDecision, type InstallTrustInput } from './install-trust';
import type { UpdateDecision, UpdateFeed } from './update-policy';
import { checkUpdateStatement } from './update-signature';

/** What this reads of electron-updater's `UpdateInfo`. */
export interface UpdateInfoLike extends UpdateFilesLike {
  version: string;
}

/** electron-updater's `update-downloaded` event: the update info and where the file was saved. */
export interface UpdateDownloadedLike extends UpdateInfoLike {
  downloadedFile: string;
}

/** The slice of electron-updater's `AppUpdater` this module drives (a fake in tests). */
export interface UpdaterPort {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  disableWebInstaller: boolean;
  logger: UpdaterLogger | null;
  /** electron-updater's HTTP client (missing from its typings): guarded so no request leaves the feed. */
  httpExecutor?: unknown;
  setFeedURL(options: UpdateFeed): void;
  /** AppUpdater's own 'error' listener only echoes each error into its logger: it is replaced. */
  removeAllListeners(event: 'error'): unknown;
  checkForUpdates(): Promise<{ isUpdateAvailable?: boolean; updateInfo: UpdateInfoLike } | null>;
  downloadUpdate(): Promise<unknown>;
  /** BaseUpdater (Windows, Linux): runs the installer of the downloaded update (what it does on quit). */
  install?(isSilent?: boolean, isForceRunAfter?: boolean): boolean;
  on(event: 'update-downloaded', listener: (event: UpdateDownloadedLike) => void): unknown;
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

/**
 * Why the person is only told about a version: `managed`, an administrator installs updates on this
 * computer (section 3 of the IT guide); `unverified`, this copy cannot verify updates (or this one
 * failed verification), so it does not install them itself.
 */
export type NotifyReason = 'managed' | 'unverified';

export interface UpdateDeps {
  log: UpdateLog;
  /** Tells the person a newer version exists that this copy does not install itself. */
  notifyAvailable(version: string, reason: NotifyReason): void;
  /** Tells the person a verified update is downloaded and installs when the app quits. */
  notifyReady(version: string): void;
  /** What this build can prove about its updates (install-trust.ts); the key and result come from here. */
  trust: Omit<InstallTrustInput, 'publicKey' | 'signatureValid'>;
  /** The Ed25519 keys built into the app (update-key.ts), parsed. None: Linux updates only notify. */
  publicKeys: readonly KeyObject[];
  /** The running app's version (`app.getVersion()`): a Linux update installs only when its signed version is newer. */
  currentVersion: string;
  /**
   * Downloads a file's signed update statement (`<file>.sig`, update-statement.mjs) from the feed; rejects
   * on an error, a redirect or more than MAX_SIGNATURE_FILE_BYTES.
   */
  fetchSignature(url: string): Promise<Uint8Array>;
  /** Calls `handler` once when the app quits, with the exit code (Electron's app `quit` event). */
  onQuit(handler: (exitCode: number) => void): void;
}

export interface RunningUpdates {
  /** What the updater does: `auto` only when the install scope allows it and the build can verify updates. */
  mode: 'auto' | 'notify';
  /** How updates are verified before they install (`auto`), or why they only notify. */
  install: InstallDecision;
  /** Checks the feed once (at start-up, then periodically). Never throws. */
  check(): Promise<void>;
  /** Resolves once the last downloaded update has been handled (its signature checked). Never throws. */
  settled(): Promise<void>;
}

function toText(message: unknown): string {
  return message instanceof Error ? message.message : String(message);
}

/** The longest `problem` an updater failure logs. */
const MAX_PROBLEM_LENGTH = 200;

/**
 * What the log says of an updater failure: its code, the HTTP status if there was one, and one short
 * line of its message. Never the update server's answer: electron-updater puts it into some messages
 * (the whole body after `rawData:` when the metadata is not YAML, the parsed metadata after `No files
 * provided:`), always after the first ": " of an `ERR_UPDATER_*` message, so that part is dropped;
 * other messages keep their first line (an HTTP error's headers follow it). URL queries are dropped.
 */
export function describeUpdaterError(error: unknown): { problem: string; code?: string; status?: number } {
  const { code, statusCode } = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    statusCode?: unknown;
  };
  let problem = toText(error).split('\n', 1)[0] ?? '';
  if (typeof code === 'string' && code.startsWith('ERR_UPDATER_')) problem = problem.split(': ', 1)[0] ?? '';
  problem = problem.replace(/(\bhttps?:\/\/[^\s?#)]*)[?#][^\s)]*/g, '$1');
  if (problem.length > MAX_PROBLEM_LENGTH) problem = `${problem.slice(0, MAX_PROBLEM_LENGTH)}…`;
  // GenericProvider raises ERR_UPDATER_CHANNEL_FILE_NOT_FOUND for a 404 of the metadata only.
  const status =
    typeof statusCode === 'number' && statusCode > 0
      ? statusCode
      : code === 'ERR_UPDATER_CHANNEL_FILE_NOT_FOUND'
        ? 404
        : undefined;
  return {
    problem,
    ...(typeof code === 'string' ? { code } : {}),
    ...(status !== undefined ? { status } : {}),
  };
}

/** The `.sig` URL of the metadata's file that was saved as `downloadedFile`, or null if none matches. */
function signatureUrl(event: UpdateDownloadedLike, feedUrl: string): string | null {
  const name = basename(event.downloadedFile);
  for (const file of event.files ?? []) {
    const url = URL.parse(file.url, feedUrl);
    if (url === null || basename(decodeURIComponent(url.pathname)) !== name) continue;
    url.pathname += '.sig';
    url.search = '';
    url.hash = '';
    return url.href;
  }
  return null;
}

/** SHA-512 of a file, lowercase hex, read as a stream (an AppImage is large). */
function sha512Hex(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha512');
    createReadStream(path)
      .on('error', reject)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/**
 * Configures electron-updater for an enabled decision and returns `check()`. Nothing is downloaded before
 * the metadata's files are known to stay in the configured feed folder, and nothing installs unless the
 * update is verified by more than the feed's own checksum (install-trust.ts):
 * - Windows (signed build): electron-updater checks the installer's publisher before it accepts the
 *   download; it then installs on quit. With a key built in, the installer's `.sig` statement is also
 *   checked as on Linux (below) before the app itself installs it on a clean quit.
 * - macOS (signed app): Squirrel.Mac installs on quit only an update signed like the running app.
 * - Linux (AppImage, a key built in): after the download, `<file>.sig` from the feed must be a statement
 *   signed with a built-in key naming this file, its SHA-512 and the version the feed offers, newer than
 *   the running one (update-signature.ts `checkUpdateStatement`): the feed alone cannot pass off an older
 *   signed release as a newer one. Then the update installs on quit, otherwise the file is deleted and
 *   the person told.
 * - Otherwise (`notify`): never download; tell the person once per version.
 * Failures (offline, feed missing) are logged, never thrown: updates must not break the app.
 */
export function startUpdates(
  updater: UpdaterPort,
  decision: Exclude<UpdateDecision, { mode: 'off' }>,
  deps: UpdateDeps,
): RunningUpdates {
  const { feed } = decision;
  const { log } = deps;
  const hasKey = deps.publicKeys.length > 0;
  updater.logger = {
    info: (message) => log.info(toText(message)),
    warn: (message) => log.warn(toText(message)),
    error: (message) => log.warn(toText(message)),
  };

  const guarded = guardUpdateRequests(updater.httpExecutor, feed.url, (url, problem) =>
    log.warn('update request refused', { url, problem }),
  );
  let install = decideInstall({ ...deps.trust, publicKey: hasKey });
  if (install.action !== 'notify' && !guarded) {
    install = {
      action: 'notify',
      reason: "electron-updater's HTTP client is not the one this app can guard",
    };
  }
  const mode = decision.mode === 'auto' && install.action !== 'notify' ? 'auto' : 'notify';
  const notifyReason: NotifyReason = decision.mode === 'notify' ? 'managed' : 'unverified';

  // Downloads start only from check(), after the metadata is checked. electron-updater's own quit
  // handler installs only what electron-updater verified itself (Windows publisher) or what macOS will.
  updater.autoDownload = false;
  updater.autoInstallOnAppQuit = mode === 'auto' && install.action === 'install';
  updater.disableWebInstaller = true;
  updater.setFeedURL({ ...feed });
  // electron-updater turns allowDowngrade on whenever a channel is set: pin it off afterwards.
  updater.allowDowngrade = decision.allowDowngrade;
  // Each failure is logged once, short, without the server's answer (describeUpdaterError): AppUpdater
  // would log it through `logger.error` from its own 'error' listener (with the stack and any raw body),
  // this listener once more, and check()'s catch a third time, as the promise rejects with it too.
  // Without an 'error' listener an updater error would be thrown as an unhandled EventEmitter error.
  const reported = new WeakSet<object>();
  let stage: 'check' | 'download' | null = null;
  const report = (error: unknown) => {
    if (typeof error === 'object' && error !== null) {
      if (reported.has(error)) return;
      reported.add(error);
    }
    const what =
      stage === 'check'
        ? 'update check failed'
        : stage === 'download'
          ? 'update download failed'
          : 'updater failed';
    log.warn(what, { url: feed.url, ...describeUpdaterError(error) });
  };
  updater.removeAllListeners('error');
  updater.on('error', report);

  const told = new Set<string>();
  const tell = (version: string, reason: NotifyReason) => {
    if (told.has(version)) return;
    told.add(version);
    deps.notifyAvailable(version, reason);
  };
  const readied = new Set<string>();
  const ready = (version: string) => {
    if (readied.has(version)) return;
    readied.add(version);
    deps.notifyReady(version);
  };
  /** Versions whose download failed verification: not downloaded again in this run. */
  const refused = new Set<string>();
  /** The download electron-updater would install, and whether it verified. */
  let pending: { version: string; file: string; verified: boolean } | null = null;

  /** Why the download is not vouched for by its signed statement, or null when it is. */
  const verifyDownload = async (event: UpdateDownloadedLike): Promise<string | null> => {
    const url = signatureUrl(event, feed.url);
    const problem =
      url === null ? 'no file in the metadata matches the download' : checkFeedUrl(url, feed.url);
    if (url === null || problem !== null) {
      log.warn('update signature not fetched', { version: event.version, problem });
      return `its signature was not fetched: ${problem}`;
    }
    let statement: Uint8Array;
    let sha512: string;
    try {
      [sha512, statement] = await Promise.all([sha512Hex(event.downloadedFile), deps.fetchSignature(url)]);
    } catch (error) {
      log.warn('update signature not checked', { version: event.version, url, error: toText(error) });
      return 'its signature could not be checked';
    }
    return checkUpdateStatement(statement, deps.publicKeys, {
      file: basename(event.downloadedFile),
      sha512,
      feedVersion: event.version,
      currentVersion: deps.currentVersion,
      channel: feed.channel,
    });
  };

  const downloaded = async (event: UpdateDownloadedLike): Promise<void> => {
    const current = { version: event.version, file: event.downloadedFile, verified: false };
    pending = current;
    if (install.action === 'install') {
      current.verified = true;
      log.info('update downloaded', { version: event.version, verifiedBy: install.verifiedBy });
      ready(event.version);
      return;
    }
    const refusal = await verifyDownload(event);
    if (pending !== current) return; // another download replaced this one meanwhile
    const after = decideInstall({ ...deps.trust, publicKey: hasKey, signatureValid: refusal === null });
    if (after.action === 'install') {
      current.verified = true;
      log.info('update verified', { version: event.version, verifiedBy: after.verifiedBy });
      ready(event.version);
      return;
    }
    pending = null;
    refused.add(event.version);
    await rm(event.downloadedFile, { force: true }).catch((error: unknown) =>
      log.warn('could not delete the refused update', { file: event.downloadedFile, error: toText(error) }),
    );
    log.warn('update refused', {
      version: event.version,
      reason: refusal ?? (after.action === 'notify' ? after.reason : 'not verified'),
    });
    tell(event.version, 'unverified');
  };

  let handling: Promise<void> = Promise.resolve();
  if (mode === 'auto') {
    updater.on('update-downloaded', (event) => {
      handling = downloaded(event).catch((error: unknown) =>
        log.warn('update not handled', { version: event.version, error: toText(error) }),
      );
    });
    if (install.action === 'verify-download') {
      // electron-updater's quit handler is off (autoInstallOnAppQuit): this one installs only a verified file.
      deps.onQuit((exitCode) => {
        if (exitCode !== 0 || pending?.verified !== true) return;
        if (typeof updater.install !== 'function') {
          log.warn('update not installed: this updater cannot install on quit');
          return;
        }
        log.info('installing the verified update', { version: pending.version });
        updater.install(true, false);
      });
    }
  }

  deps.log.info('updates enabled', {
    mode,
    url: feed.url,
    channel: feed.channel,
    ...(install.action === 'notify' ? { notifyOnly: install.reason } : {}),
    ...(install.action === 'notify' ? {} : { verifiedBy: install.verifiedBy }),
  });

  const check = async (): Promise<void> => {
    try {
      stage = 'check';
      const result = await updater.checkForUpdates();
      if (result?.isUpdateAvailable !== true) return;
      const info = result.updateInfo;
      const problems = checkUpdateFiles(info, feed.url);
      if (problems.length > 0) {
        log.warn('update refused: the metadata points outside the update folder', {
          version: info.version,
          problems,
        });
        return;
      }
      if (mode === 'notify') return tell(info.version, notifyReason);
      if (refused.has(info.version)) return tell(info.version, 'unverified');
      if (pending?.version === info.version && pending.verified) return;
      // The download replaces the file electron-updater would install: nothing is verified until it is done.
      pending = null;
      stage = 'download';
      await updater.downloadUpdate();
    } catch (error) {
      report(error); // unless the 'error' event already did
    } finally {
      stage = null;
    }
  };
  return { mode, install, check, settled: () => handling };
}
