// `tessera --print-effective-settings`: every setting, its value and where it came from, and every
// configuration problem, as JSON on stdout, without a window. Electron-free: main/index.ts calls it
// before anything else (no single-instance lock, no window), tests call it in Node.
import { join } from 'node:path';
import {
  type ConfigIssue,
  SETTING_KEYS,
  type SettingKey,
  type SettingSource,
  type SettingsView,
  type SettingTrust,
  settingTrust,
} from '../common/settings';
import type { AppPorts } from './app-services';
import { createSettingsStore, USER_SETTINGS_FILE } from './core/config/settings-store';
import { SETTINGS_TABLE, shownSetting } from './core/config/settings-table';
import type { SettingsStore } from './core/contracts';
import { redactedJson } from './core/redact';

/** The command-line flag. */
export const PRINT_EFFECTIVE_SETTINGS_FLAG = '--print-effective-settings';

/** Where the settings come from: the same ports the app's composition root gets. */
export type ConfigPorts = Pick<
  AppPorts,
  'userDataDir' | 'policyPath' | 'requireProtectedPolicy' | 'policySource' | 'env' | 'argv'
>;

/** The kind of source, in the words of the IT guide. */
export type SourceWord =
  | 'default'
  | 'policy file'
  | 'registry'
  | 'managed preferences'
  | 'OS policy'
  | 'user file'
  | 'environment'
  | 'command line';

export interface EffectiveSetting {
  key: SettingKey;
  value: unknown;
  /** Which kind of source won. */
  source: SourceWord;
  /** Exactly where: the file and section, the variable, the flag, the registry key or profile. */
  from: string;
  /** Locked by policy (the file's `managed` section or OS policy): nobody else can change it. */
  locked: boolean;
  /** Who may change it (preference, connection, admin). */
  trust: SettingTrust;
}

export interface EffectiveSettingsReport {
  tessera: { version: string; platform: string };
  policyFile: string | null;
  osPolicy: string | null;
  userFile: string;
  settings: EffectiveSetting[];
  /** Every configuration problem: rejected values, unreadable or unprotected policy, unknown keys. */
  problems: ConfigIssue[];
}

/** The kind word of an OS policy source, from its name ("registry …", "managed preferences …"). */
function osWord(name: string | null): SourceWord {
  if (name?.startsWith('registry')) return 'registry';
  if (name?.startsWith('managed preferences')) return 'managed preferences';
  return 'OS policy';
}

/** The report of a settings view: each key's value and source, and every problem. */
export function effectiveSettingsReport(
  view: SettingsView,
  where: Omit<EffectiveSettingsReport, 'settings' | 'problems'>,
): EffectiveSettingsReport {
  const sourceOf = (key: SettingKey, source: SettingSource): { source: SourceWord; from: string } => {
    const row = SETTINGS_TABLE[key];
    switch (source) {
      case 'default':
        return { source: 'default', from: 'built-in default' };
      case 'policyDefaults':
        return { source: 'policy file', from: `${where.policyFile} (defaults)` };
      case 'policyManaged':
        return { source: 'policy file', from: `${where.policyFile} (managed)` };
      case 'policyOs':
        return { source: osWord(where.osPolicy), from: where.osPolicy ?? 'OS policy' };
      case 'user':
        return { source: 'user file', from: where.userFile };
      case 'env':
        return { source: 'environment', from: row.env };
      case 'cli':
        return { source: 'command line', from: row.cli };
    }
  };
  return {
    ...where,
    settings: SETTING_KEYS.map((key) => ({
      key,
      value: shownSetting(key, view.values[key]),
      ...sourceOf(key, view.sources[key]),
      locked: view.managed.includes(key),
      trust: settingTrust(key),
    })),
    problems: view.issues,
  };
}

/** A settings store reading the same sources as the app, silently (problems go into reports). */
export function configStore(ports: ConfigPorts): SettingsStore {
  return createSettingsStore({
    userDataDir: ports.userDataDir,
    policyPath: ports.policyPath,
    env: ports.env,
    argv: ports.argv,
    logger: { warn() {}, error() {} },
    requireProtectedPolicy: ports.requireProtectedPolicy === true,
    ...(ports.policySource ? { policySource: ports.policySource } : {}),
  });
}

/** The report of `view` for the app reading `ports` (the paths and names of its sources). */
export function effectiveSettingsFor(
  view: SettingsView,
  ports: ConfigPorts & { version: string; platform: string },
): EffectiveSettingsReport {
  return effectiveSettingsReport(view, {
    tessera: { version: ports.version, platform: ports.platform },
    policyFile: ports.policyPath,
    osPolicy: ports.policySource?.name ?? null,
    userFile: join(ports.userDataDir, USER_SETTINGS_FILE),
  });
}

/**
 * Builds the settings store from the same sources as the app and writes the report as JSON. Problems
 * go into the report, not the log. Returns the exit code (0: printed, whatever the problems).
 */
export function printEffectiveSettings(
  ports: ConfigPorts & { version: string; platform: string; write: (text: string) => void },
): number {
  const report = effectiveSettingsFor(configStore(ports).view(), ports);
  // Redacted as the diagnostics bundle is: the output is often saved to a file or pasted into a ticket.
  ports.write(redactedJson(report));
  return 0;
}
