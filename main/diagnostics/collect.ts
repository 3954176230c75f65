import type { Settings } from '../../common/settings';
import type { Session, SettingsStore } from '../core/contracts';
import type { SessionEvent } from '../core/session/session-events';
import { type ConfigPorts, configStore, effectiveSettingsFor } from '../effective-settings';
import { readLogHistory } from '../logging/file-sink';
import type { DiagnosticsInput } from './bundle';

/** Bytes in a MiB (the unit of `logHistoryMiB`). */
export const MIB = 1024 * 1024;

/** The log history the settings ask for, in bytes. */
export function logHistoryBytes(settings: Pick<Settings, 'logHistoryMiB'>): number {
  return settings.logHistoryMiB * MIB;
}

/** What only the host knows: versions, the OS, the log folder, the clock. */
export interface DiagnosticsContext extends ConfigPorts {
  version: string;
  platform: string;
  versions: DiagnosticsInput['versions'];
  os: DiagnosticsInput['os'];
  /** The folder of tessera.log (userData/logs). */
  logDir: string;
  now(): number;
}

/** The running app's parts a bundle reads. */
export interface RunningApp {
  settings: Pick<SettingsStore, 'view'>;
  session: Pick<Session, 'getView'>;
  sessionEvents(): SessionEvent[];
}

/**
 * Gathers a bundle's contents: from the running app (its settings as applied, the session's keychain
 * status and last events), or with `app` omitted (the command line, no window) from the same sources
 * the app would read.
 */
export function collectDiagnostics(context: DiagnosticsContext, app?: RunningApp): DiagnosticsInput {
  const view = app ? app.settings.view() : configStore(context).view();
  return {
    generatedAt: context.now(),
    app: { name: 'Tessera', version: context.version },
    versions: context.versions,
    os: context.os,
    keychain: app
      ? app.session.getView().keychain
      : { checked: false, reason: 'made from the command line: the keychain was not opened' },
    settings: effectiveSettingsFor(view, context),
    sessionEvents: app ? app.sessionEvents() : null,
    env: context.env,
    logs: readLogHistory(context.logDir, logHistoryBytes(view.values)),
  };
}
