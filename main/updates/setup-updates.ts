import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { app, Notification } from 'electron';
// electron-updater is CommonJS and defines `autoUpdater` as a lazy getter that Node's ESM named-export
// detection cannot see: import the default and read it only when updates are on.
import electronUpdater from 'electron-updater';
import { detectInstall, updateTargetDir } from './install-scope';
import { startUpdates, type UpdateLog, type UpdaterPort } from './run-updates';
import { decideUpdates, type UpdateDecision, type UpdateSettings } from './update-policy';

const CHECK_INTERVAL_MS = 6 * 60 * 60 * 1000;

function isWritable(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function readPackageType(): string | null {
  try {
    return readFileSync(join(process.resourcesPath, 'package-type'), 'utf8');
  } catch {
    return null;
  }
}

function showAvailable(version: string): void {
  if (!Notification.isSupported()) return;
  const body = `Tessera ${version} is available. Your administrator installs updates on this computer.`;
  new Notification({ title: 'Tessera update available', body }).show();
}

/**
 * Decides from settings and the install location whether to update, then wires electron-updater:
 * checks now and every 6 hours. Call after `app.whenReady()`. Returns the decision (for logs/diagnostics).
 */
export function setupUpdates(deps: {
  settings: UpdateSettings;
  log: UpdateLog;
  notifyAvailable?: (version: string) => void;
}): UpdateDecision {
  const { platform, execPath, env } = process;
  const install = detectInstall({
    platform,
    execPath,
    env,
    packageType: readPackageType(),
    targetDirWritable: isWritable(updateTargetDir(platform, execPath, env)),
  });
  const decision = decideUpdates({ settings: deps.settings, install, isPackaged: app.isPackaged });
  if (decision.mode === 'off') {
    deps.log.info('updates off', { reason: decision.reason, detail: decision.detail });
    return decision;
  }
  const updater: UpdaterPort = electronUpdater.autoUpdater;
  const check = startUpdates(updater, decision, {
    log: deps.log,
    notifyAvailable: deps.notifyAvailable ?? showAvailable,
  });
  void check();
  setInterval(() => void check(), CHECK_INTERVAL_MS).unref();
  return decision;
}
