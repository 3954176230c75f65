import { statSync } from 'node:fs';
import { z } from 'zod';
import {
  type ConfigIssue,
  isSettingKey,
  type SettingKey,
  type SettingSource,
  type Settings,
  settingTrust,
} from '../../../common/settings';
import { readJsonFile } from './read-json-file';
import {
  assignSetting,
  describeZodError,
  parseSetting,
  parseSettingText,
  SETTINGS_TABLE,
  TABLE_KEYS,
} from './settings-table';

/** The validated values one source supplies, and what it supplied that was rejected. */
export interface Layer {
  values: Partial<Settings>;
  issues: ConfigIssue[];
}

/** Any JSON object; arrays, strings and null are not a settings object. */
const jsonObjectSchema = z.record(z.string(), z.unknown());

/**
 * `value` itself when it is a JSON object, else null. The original is returned, not zod's copy,
 * because the copy silently drops a `__proto__` key that should be reported as unknown.
 */
export function asJsonObject(value: unknown): Record<string, unknown> | null {
  return jsonObjectSchema.safeParse(value).success ? (value as Record<string, unknown>) : null;
}

/** Quotes a name from a file for a message, bounded so a hostile file cannot flood the log. */
function quote(name: string): string {
  return JSON.stringify(name.length > 64 ? `${name.slice(0, 64)}…` : name);
}

/** Validates each key of a settings object on its own: a bad key is dropped, its neighbours still apply. */
function parseSettingsObject(object: Record<string, unknown>, source: SettingSource, label: string): Layer {
  const layer: Layer = { values: {}, issues: [] };
  for (const [key, raw] of Object.entries(object)) {
    if (!isSettingKey(key)) {
      layer.issues.push({ key, source, message: `${label}: unknown setting ${quote(key)}, ignored` });
      continue;
    }
    const parsed = parseSetting(key, raw);
    if (parsed.success) assignSetting(layer.values, key, parsed.data);
    else
      layer.issues.push({
        key,
        source,
        message: `${label}: ${key} ${describeZodError(parsed.error)}; ignored`,
      });
  }
  return layer;
}

/** The environment layer (`TESSERA_API_URL`, …). An empty variable counts as unset, as in most tools. */
export function readEnvLayer(env: Readonly<Record<string, string | undefined>>): Layer {
  const layer: Layer = { values: {}, issues: [] };
  for (const key of TABLE_KEYS) {
    const name = SETTINGS_TABLE[key].env;
    const text = env[name];
    if (text === undefined || text === '') continue;
    const parsed = parseSettingText(key, text);
    if (parsed.success) assignSetting(layer.values, key, parsed.data);
    else
      layer.issues.push({
        key,
        source: 'env',
        message: `environment variable ${name}: ${key} ${describeZodError(parsed.error)}; ignored`,
      });
  }
  return layer;
}

/** The user settings file (flat `{ key: value }`). Missing is normal; broken is one issue and ignored. */
export function readUserFile(path: string): Layer {
  const label = `user settings file ${path}`;
  const read = readJsonFile(path);
  if (read.kind === 'missing') return { values: {}, issues: [] };
  if (read.kind === 'invalid')
    return {
      values: {},
      issues: [{ key: '', source: 'userFile', message: `${label} ${read.reason}; ignored` }],
    };
  const object = asJsonObject(read.data);
  if (object === null)
    return {
      values: {},
      issues: [{ key: '', source: 'userFile', message: `${label} must contain a JSON object; ignored` }],
    };
  const layer = parseSettingsObject(object, 'user', label);
  // The user file is the page's layer: an admin setting (updates) there is refused like from the page.
  for (const key of TABLE_KEYS) {
    if (settingTrust(key) !== 'admin' || layer.values[key] === undefined) continue;
    delete layer.values[key];
    layer.issues.push({
      key,
      source: 'user',
      message: `${label}: ${key} can only be set by policy, command line or environment; ignored`,
    });
  }
  return layer;
}

/** Both sections of the IT policy file, plus issues about the file itself. */
export interface PolicyLayers {
  managed: Layer;
  defaults: Layer;
  fileIssues: ConfigIssue[];
}

const POLICY_SECTIONS = { managed: 'policyManaged', defaults: 'policyDefaults' } as const;

/**
 * What a managed key is locked to when IT's value cannot be used: updates off, anything else its
 * built-in default. The lock holds either way: a typo in the policy must never unlock a setting.
 */
export function closedValue<K extends SettingKey>(key: K): Settings[K] {
  if (key === 'updatesEnabled') return false as Settings[K];
  if (key === 'updateUrl') return '' as Settings[K];
  return SETTINGS_TABLE[key].default;
}

/** What to check about the policy file before trusting it. */
export interface PolicyReadOptions {
  /**
   * The system policy file must be protected: owned by root and not writable by group or others
   * (POSIX). A file anyone may edit is no one's policy: it is ignored with a warning.
   */
  requireProtected?: boolean;
  /** `fs.statSync` (tests pass a stand-in owner and mode). */
  stat?: (path: string) => { uid: number; mode: number };
}

/** Why a policy file's owner or mode makes it untrustworthy (POSIX), or null when it is protected. */
export function policyProtectionProblem(
  stat: { uid: number; mode: number },
  platform: string,
): string | null {
  // Windows ACLs need the OS to judge; the installer creates the folder for administrators only.
  if (platform === 'win32') return null;
  if (stat.uid !== 0) return 'is not owned by root';
  if ((stat.mode & 0o022) !== 0) return 'is writable by users other than root';
  return null;
}

/**
 * The IT policy file: `{ "managed": {…}, "defaults": {…} }`. Missing is normal (no policy). It fails
 * closed: an invalid managed value locks its key to `closedValue`, and a file that is unreadable, not
 * JSON, or has anything but those two sections locks every admin and connection setting.
 */
export function readPolicyFile(path: string | null, options: PolicyReadOptions = {}): PolicyLayers {
  const empty = (): Layer => ({ values: {}, issues: [] });
  const result: PolicyLayers = { managed: empty(), defaults: empty(), fileIssues: [] };
  if (path === null) return result;
  const label = `policy file ${path}`;
  const fileIssue = (key: string, message: string) =>
    result.fileIssues.push({ key, source: 'policyFile', message: `${label}${message}` });
  let broken = false;
  const lockAll = () => {
    if (broken) return;
    broken = true;
    fileIssue('', ': admin and connection settings are locked to their built-in defaults until it is fixed');
  };

  const read = readJsonFile(path);
  if (read.kind === 'missing') return result;
  if (options.requireProtected) {
    const problem = protectionProblem(path, options);
    if (problem !== null) {
      fileIssue('', ` ${problem}; ignored (IT's policy must be writable by administrators only)`);
      return result;
    }
  }
  const root = read.kind === 'ok' ? asJsonObject(read.data) : null;
  if (read.kind === 'invalid') {
    fileIssue('', ` ${read.reason}`);
    lockAll();
  } else if (root === null) {
    fileIssue('', ' must contain a JSON object with "managed" and/or "defaults"');
    lockAll();
  }
  for (const [name, section] of Object.entries(root ?? {})) {
    if (name !== 'managed' && name !== 'defaults') {
      fileIssue(name, `: unknown section ${quote(name)} (expected exactly "managed" or "defaults")`);
      lockAll();
      continue;
    }
    const object = asJsonObject(section);
    if (object === null) {
      fileIssue(name, `: "${name}" must be an object of settings`);
      lockAll();
      continue;
    }
    result[name] = parseSettingsObject(object, POLICY_SECTIONS[name], `${label} (${name})`);
  }
  // A managed key whose value is invalid stays locked, to its closed value.
  for (const issue of result.managed.issues) {
    if (!isSettingKey(issue.key)) continue;
    assignSetting(result.managed.values, issue.key, closedValue(issue.key));
    issue.message = issue.message.replace(/; ignored$/, '; locked to the built-in default');
  }
  if (broken) {
    for (const key of TABLE_KEYS) {
      if (settingTrust(key) === 'preference' || result.managed.values[key] !== undefined) continue;
      assignSetting(result.managed.values, key, closedValue(key));
    }
  }
  return result;
}

function protectionProblem(path: string, options: PolicyReadOptions): string | null {
  try {
    return policyProtectionProblem((options.stat ?? statSync)(path), process.platform);
  } catch (error) {
    return `cannot be checked (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
}
