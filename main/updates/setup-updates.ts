import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type AuthInfo, app, Notification, type Session } from 'electron';
import type { Locale } from '../../common/locale';
import { type Notice, updateAvailableNotice, updateReadyNotice } from '../shell/shell-words';
import { detectInstall, updateTargetDir } from './install-scope';
import { hasPublisherName, isDeveloperSigned, updateTarget } from './install-trust';
import { type NotifyReason, startUpdates, type UpdateLog, type UpdaterPort } from './run-updates';
import { UPDATE_PUBLIC_KEYS } from './update-key';
import { decideUpdates, type UpdateDecision, type UpdateSettings } from './update-policy';
import { downloadSignature, loadUpdateKeys } from './update-signature';

const CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

function isWritable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function readResource(name: string): string | null {
  try {
    return readFileSync(join(process.resourcesPath, name), 'utf8');
  } catch {
    return null;
  }
}

/** `codesign -dv` of the running .app bundle (it reports on stderr); empty when it cannot tell. */
function codesignDisplay(execPath: string): Promise<string> {
  const bundle = /^(.*?\.app)(\/|$)/.exec(execPath)?.[1];
  if (bundle === undefined) return Promise.resolve('');
  return new Promise((resolve) => {
    execFile('/usr/bin/codesign', ['-dv', '--verbose=2', bundle], { timeout: 15_000 }, (error, _out, err) =>
      resolve(error ? '' : String(err)),
    );
  });
}

/** Whether this build is signed in the way its platform's updater verifies (see install-trust.ts). */
async function isSignedBuild(platform: string, execPath: string): Promise<boolean> {
  // The same app-update.yml NsisUpdater reads its publisherName from.
  if (platform === 'win32') return hasPublisherName(readResource('app-update.yml') ?? '');
  if (platform === 'darwin') return isDeveloperSigned(await codesignDisplay(execPath));
  return false;
}

/** Shows a notification, where the OS supports them. */
function show(notice: Notice): void {
  if (Notification.isSupported()) new Notification(notice).show();
}

/**
 * Decides from settings and the install location whether to update, then wires electron-updater:
 * checks now and every 6 hours. Call after `app.whenReady()`. Returns the scope decision (for
 * logs/diagnostics); whether updates install or only notify is logged once the build's signature is known.
 */
export function setupUpdates(deps: {
  settings: UpdateSettings;
  /** The language the notifications are worded in, asked when one is shown (main/index.ts). */
  language: () => Locale;
  log: UpdateLog;
  notifyAvailable?: (version: string, reason: NotifyReason) => void;
  notifyReady?: (version: string) => void;
  /**
   * The proxy of the app's own requests (main/shell/apply-proxy.ts, proxy.ts): electron-updater sends its
   * requests through a session of its own, which takes the admin proxy settings only when it follows
   * them, and it hands a proxy's password request to its 'login' event, where nobody answering leaves the
   * request waiting for ever.
   */
  proxy: {
    follow(session: Session): Promise<void>;
    answerLogin(authInfo: AuthInfo, callback: (username?: string, password?: string) => void): void;
  };
}): UpdateDecision {
  const { platform, execPath, env } = process;
  const packageType = readResource('package-type');
  const install = detectInstall({
    platform,
    execPath,
    env,
    packageType,
    targetDirWritable: isWritable(updateTargetDir(platform, execPath, env)),
    // electron-builder names it after productName (its NSIS UNINSTALL_FILENAME).
    nsisUninstaller: existsSync(join(dirname(execPath), `Uninstall ${app.getName()}.exe`)),
  });
  const decision = decideUpdates({ settings: deps.settings, install, isPackaged: app.isPackaged });
  if (decision.mode === 'off') {
    deps.log.info('updates off', { reason: decision.reason, detail: decision.detail });
    return decision;
  }
  const { keys, problems, unreadable } = loadUpdateKeys(UPDATE_PUBLIC_KEYS);
  for (const problem of problems) deps.log.warn('update key ignored', { problem });

  void (async () => {
    // Loaded only here, once updates are on: electron-updater and what it loads at once (semver,
    // js-yaml, fs-extra, lodash.isequal…) would otherwise run at every launch, before Electron is ready.
    // It is CommonJS and defines `autoUpdater` as a lazy getter that Node's ESM named-export detection
    // cannot see: read it from the default export.
    const { autoUpdater } = (await import('electron-updater')).default;
    const updater: UpdaterPort = autoUpdater;
    // The callback is the request's own ClientRequest 'login' callback (electron.d.ts: called without
    // arguments it cancels), which electron-updater types as always taking both.
    autoUpdater.on('login', (authInfo, callback) =>
      deps.proxy.answerLogin(authInfo, callback as (username?: string, password?: string) => void),
    );
    // Before the first check, so it already goes through the configured proxy.
    await deps.proxy.follow(autoUpdater.netSession);
    const running = startUpdates(updater, decision, {
      log: deps.log,
      notifyAvailable:
        deps.notifyAvailable ??
        ((version, reason) => show(updateAvailableNotice(version, reason, deps.language()))),
      notifyReady: deps.notifyReady ?? ((version) => show(updateReadyNotice(version, deps.language()))),
      trust: {
        platform,
        target: updateTarget(install, packageType),
        signedBuild: await isSignedBuild(platform, execPath),
        keyUnreadable: unreadable,
      },
      publicKeys: keys,
      currentVersion: app.getVersion(),
      // The updater's own session (system proxy, no HTTP cache); a redirect fails: the .sig sits next to its file.
      fetchSignature: (url) =>
        downloadSignature((target) => autoUpdater.netSession.fetch(target, { redirect: 'error' }), url),
      onQuit: (handler) => app.once('quit', (_event, exitCode) => handler(exitCode)),
    });
    void running.check();
    setInterval(() => void running.check(), CHECK_INTERVAL_MS).unref();
  })().catch((error: unknown) =>
    deps.log.warn('updates not started', { error: error instanceof Error ? error.message : String(error) }),
  );
  return decision;
}
