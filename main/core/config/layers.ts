import { lstatSync, readlinkSync, realpathSync, type Stats, statSync } from 'node:fs';
import { dirname, parse, resolve } from 'node:path';
import { z } from 'zod';
import {
  type ConfigIssue,
  isSettingKey,
  type SettingKey,
  type SettingSource,
  type Settings,
  settingTrust,
} from '../../../common/settings';
import { originOf } from '../session/model';
import type { PolicyProblem, PolicyRead, PolicySource } from './policy-source';
import { quoteName as quote, readJsonFile } from './read-json-file';
import {
  assignSetting,
  describeZodError,
  parseSetting,
  parseSettingText,
  SETTINGS_TABLE,
  TABLE_KEYS,
} from './settings-table';
import { type PolicyAcl, readWindowsPolicyAcl, windowsAclProblem } from './windows-acl';

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

/** Validates each key of a settings object on its own: a bad key is dropped, its neighbours still apply. */
function parseSettingsObject(
  object: Record<string, unknown>,
  source: SettingSource,
  labelOf: string | ((key: string) => string),
): Layer {
  const label = (key: string) => (typeof labelOf === 'string' ? labelOf : labelOf(key));
  const layer: Layer = { values: {}, issues: [] };
  for (const [key, raw] of Object.entries(object)) {
    if (!isSettingKey(key)) {
      layer.issues.push({ key, source, message: `${label(key)}: unknown setting ${quote(key)}, ignored` });
      continue;
    }
    const parsed = parseSetting(key, raw);
    if (parsed.success) assignSetting(layer.values, key, parsed.data);
    else
      layer.issues.push({
        key,
        source,
        message: `${label(key)}: ${key} ${describeZodError(parsed.error)}; ignored`,
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

/** The user settings file as read: its layer, and the keys this version does not know, as written. */
export interface UserFileLayer extends Layer {
  /**
   * Top-level keys that are no setting of this version (a newer Tessera's), with their values as
   * written: never validated or applied, only written back when a change is saved, so running an older
   * release once loses nothing. A null-prototype object, so a key named `__proto__` stays a key.
   */
  unknown: Record<string, unknown>;
}

/** The user settings file (flat `{ key: value }`). Missing is normal; broken is one issue and ignored. */
export function readUserFile(path: string): UserFileLayer {
  const label = `user settings file ${path}`;
  const read = readJsonFile(path);
  const unknown: Record<string, unknown> = Object.create(null);
  if (read.kind === 'missing') return { values: {}, issues: [], unknown };
  if (read.kind === 'invalid')
    return {
      values: {},
      issues: [{ key: '', source: 'userFile', message: `${label} ${read.reason}; ignored` }],
      unknown,
    };
  const object = asJsonObject(read.data);
  if (object === null)
    return {
      values: {},
      issues: [{ key: '', source: 'userFile', message: `${label} must contain a JSON object; ignored` }],
      unknown,
    };
  for (const [key, value] of Object.entries(object)) if (!isSettingKey(key)) unknown[key] = value;
  const layer = { ...parseSettingsObject(object, 'user', label), unknown };
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

/** Both sections of one IT policy source, plus issues about the source itself. */
export interface PolicyLayers {
  managed: Layer;
  defaults: Layer;
  /** Problems with the source as a whole (unreadable, unknown sections, not protected). */
  fileIssues: ConfigIssue[];
  /**
   * Managed keys locked only because the source could not be read whole (not named by it): another
   * policy source that names them may still set them (see `combinePolicies`).
   */
  lockedUnnamed: SettingKey[];
  /** Managed keys locked to their closed value (invalid, unreadable, or `lockedUnnamed`). */
  closed: SettingKey[];
  /** Read the source again at the next reload even if it did not change (`PolicyRead.recheck`). */
  recheck?: boolean;
  /** The policy file does not exist (`PolicyRead.missing`). */
  missing?: boolean;
  /**
   * The source could not be read whole (a `lockAll` problem): its name and those problems. While the
   * app runs, the policy in force before stays instead (`keepUsablePolicy`).
   */
  unusable?: { name: string; issues: ConfigIssue[] };
}

/** How one policy source's layers and issues are named. */
export interface PolicyNaming {
  /** The layer its `managed` values feed. */
  managed: 'policyManaged' | 'policyOs';
  /** The source of issues about the source as a whole. */
  issues: 'policyFile' | 'policyOs';
  /** How a value's messages name where it came from. */
  label(section: 'managed' | 'defaults', key: string): string;
}

/**
 * `allowedApiOrigins`' closed value when no valid managed `apiBaseUrl` names the one origin to allow:
 * no API origin is "none" (origins are `https://…`), so no account's API matches it — while `""`
 * would allow every origin.
 */
export const NO_API_ORIGIN = 'none';

/**
 * The closed value of each key whose built-in default is the permissive end of what IT restricts
 * with it; every other key locks to its built-in default (docs/it-guide.md, section 4, lists both).
 * `valid` is what the same policy source did set validly.
 */
const CLOSED_VALUES: { readonly [K in SettingKey]?: (valid: Partial<Settings>) => Settings[K] } = {
  // Updates install software: off, and no feed.
  updatesEnabled: () => false,
  updateUrl: () => '',
  // No refresh token kept in the keychain: the person signs in again after a restart.
  staySignedIn: () => false,
  // The app never sees the password (and without a valid oidcIssuer no one signs in at all).
  authMode: () => 'oidc',
  // One account at a time.
  maxAccounts: () => 1,
  // Only the API IT set, or none: "" (the default) would allow every origin.
  allowedApiOrigins: (valid) => (valid.apiBaseUrl ? originOf(valid.apiBaseUrl) : NO_API_ORIGIN),
};

/**
 * What a managed key is locked to when IT's value cannot be used: the restrictive end of what the key
 * restricts (updates off, staySignedIn off, authMode oidc, maxAccounts 1, allowedApiOrigins only the
 * origin of the source's valid `apiBaseUrl` or none), anything else its built-in default. The lock
 * holds either way: a typo in the policy must never unlock a setting, nor loosen it.
 */
export function closedValue<K extends SettingKey>(key: K, valid: Partial<Settings> = {}): Settings[K] {
  const closed = CLOSED_VALUES[key] as ((valid: Partial<Settings>) => Settings[K]) | undefined;
  return closed ? closed(valid) : SETTINGS_TABLE[key].default;
}

/** How an issue names the value a key was locked to: "the built-in default", or the value itself. */
function closedText<K extends SettingKey>(key: K, value: Settings[K]): string {
  // Which origin it allows depends on every policy source (`closeAcrossSources`).
  if (key === 'allowedApiOrigins') return "the managed apiBaseUrl's origin (none without a valid one)";
  if (value === SETTINGS_TABLE[key].default) return 'the built-in default';
  return JSON.stringify(value);
}

/** The managed values a source set validly: what is not locked to a closed value. */
function validValues(layers: PolicyLayers): Partial<Settings> {
  const valid = { ...layers.managed.values };
  for (const key of layers.closed) delete valid[key];
  return valid;
}

/**
 * The managed values of the OS policy and the policy file, once both are read: a closed
 * `allowedApiOrigins` in either allows the origin of an `apiBaseUrl` that IT set validly in either
 * (the OS policy's first) — the one API IT named — or none.
 */
export function closeAcrossSources(
  os: PolicyLayers,
  file: PolicyLayers,
): { os: Partial<Settings>; file: Partial<Settings> } {
  const valid = { ...validValues(file), ...validValues(os) };
  const close = (layers: PolicyLayers): Partial<Settings> => {
    const values = { ...layers.managed.values };
    if (layers.closed.includes('allowedApiOrigins'))
      values.allowedApiOrigins = closedValue('allowedApiOrigins', valid);
    return values;
  };
  return { os: close(os), file: close(file) };
}

/**
 * The one set of rules for every policy source (the JSON file, the Windows registry, macOS managed
 * preferences): each value is validated by the settings table on its own; a managed value that is
 * invalid, or that the source could not read, keeps its key locked to `closedValue`; a source that
 * could not be read whole locks every admin and connection setting it does not name.
 */
export function policyLayers(read: PolicyRead, naming: PolicyNaming): PolicyLayers {
  const result: PolicyLayers = {
    managed: { values: {}, issues: [] },
    defaults: { values: {}, issues: [] },
    fileIssues: [],
    lockedUnnamed: [],
    closed: [],
    ...(read.recheck ? { recheck: true } : {}),
    ...(read.missing ? { missing: true } : {}),
  };
  let broken = false;
  const unreadable: ConfigIssue[] = [];
  for (const problem of read.problems) {
    if (problem.effect === 'lockKey' && isSettingKey(problem.key)) {
      unreadable.push({ key: problem.key, source: naming.managed, message: problem.message });
      continue;
    }
    const issue: ConfigIssue = { key: problem.key, source: naming.issues, message: problem.message };
    result.fileIssues.push(issue);
    if (problem.effect === 'lockAll') {
      result.unusable ??= { name: read.name, issues: [] };
      result.unusable.issues.push(issue);
    }
    if (problem.effect === 'lockAll' && !broken) {
      broken = true;
      result.fileIssues.push({
        key: '',
        source: naming.issues,
        message: `${read.name}: admin and connection settings are locked until it is fixed: updates off, authMode oidc, maxAccounts 1, allowedApiOrigins the managed apiBaseUrl's origin or none, the rest their built-in defaults`,
      });
    }
  }
  for (const section of ['managed', 'defaults'] as const) {
    const object = read[section];
    if (object)
      result[section] = parseSettingsObject(
        object,
        section === 'managed' ? naming.managed : 'policyDefaults',
        (key) => naming.label(section, key),
      );
  }
  // A managed key whose value is invalid, or could not be read, stays locked, to its closed value.
  result.managed.issues.push(...unreadable);
  const valid = { ...result.managed.values };
  for (const issue of result.managed.issues) {
    if (!isSettingKey(issue.key)) continue;
    delete valid[issue.key];
    const value = closedValue(issue.key, valid);
    assignSetting(result.managed.values, issue.key, value);
    result.closed.push(issue.key);
    issue.message = `${issue.message.replace(/; ignored$/, '')}; locked to ${closedText(issue.key, value)}`;
  }
  if (broken) {
    for (const key of TABLE_KEYS) {
      if (settingTrust(key) === 'preference' || result.managed.values[key] !== undefined) continue;
      assignSetting(result.managed.values, key, closedValue(key, valid));
      result.lockedUnnamed.push(key);
      result.closed.push(key);
    }
  }
  return result;
}

/**
 * The policy of one source in force after a reload, given `before`, the one in force until now (null
 * at start-up), and `fresh`, what the source holds now. A typo pushed to every machine, a file caught
 * half-written or a reg.exe that did not answer in time must not sign people out of the API they use
 * (nor delete their stored sign-in) while the app runs, so what IT set validly before stays, still
 * locked, with the problem and a line saying so, until the fix is read:
 * - a source that cannot be read whole (`fresh.unusable`) keeps `before` as it is;
 * - a managed value that is now invalid, or unreadable, keeps the valid value `before` had for it.
 * Nothing IT locked is unlocked either way. Without a valid `before` (at start-up, or a source
 * already broken then), `fresh` applies: it fails closed (`policyLayers`).
 */
export function keepUsablePolicy(before: PolicyLayers | null, fresh: PolicyLayers): PolicyLayers {
  if (before === null || before.unusable !== undefined) return fresh;
  if (fresh.unusable !== undefined) {
    const { name, issues } = fresh.unusable;
    const source = issues[0]?.source ?? 'policyFile';
    return {
      ...before,
      fileIssues: [
        ...issues,
        {
          key: '',
          source,
          message: `${name}: the policy read from it before stays in force until it is fixed (at the next start of Tessera, admin and connection settings lock instead)`,
        },
      ],
      ...(fresh.recheck ? { recheck: true } : {}),
    };
  }
  const kept = fresh.closed.filter(
    (key) => before.managed.values[key] !== undefined && !before.closed.includes(key),
  );
  if (kept.length === 0) return fresh;
  const values = { ...fresh.managed.values };
  for (const key of kept) assignSetting(values, key, before.managed.values[key] as Settings[typeof key]);
  return {
    ...fresh,
    managed: {
      values,
      issues: fresh.managed.issues.map((issue) =>
        isSettingKey(issue.key) && kept.includes(issue.key)
          ? {
              ...issue,
              message: issue.message.replace(
                /; locked to .*$/s,
                '; the value read before stays in force until it is fixed (at the next start of Tessera, the key locks as for any invalid value)',
              ),
            }
          : issue,
      ),
    },
    closed: fresh.closed.filter((key) => !kept.includes(key)),
  };
}

/** What to check about the policy file before trusting it. */
export interface PolicyReadOptions {
  /**
   * The system policy file must be protected: owned by root and not writable by group or others
   * (POSIX). A file anyone may edit is no one's policy: it is ignored with a warning.
   */
  requireProtected?: boolean;
  /**
   * POSIX: the top of the policy location. Every folder from the file's up to this one (default: the
   * file system root) must be protected like the file; tests pass a temporary folder.
   */
  policyRoot?: string;
  /** The OS whose rule applies (default: this one). */
  platform?: string;
  /** Windows: reads the file's and its folder's owner and ACL (tests pass recorded ones). */
  readAcl?: (path: string) => PolicyAcl;
}

/**
 * The groups whose members are administrators anyway (POSIX): root's group (`root` on Linux, `wheel`
 * on macOS) and, on macOS, `admin` (80), whose members may become root — a file or folder these may
 * write is still "writable by administrators only", as Windows' check allows the Administrators group.
 */
function administratorsGroup(gid: number, platform: string): boolean {
  return gid === 0 || (platform === 'darwin' && gid === 80);
}

/**
 * What makes a file or folder writable by someone other than administrators (POSIX), or null: owned by
 * a user other than root, or writable by others, or by a group that is not an administrators' group.
 */
function posixWriterProblem(
  stat: { uid: number; gid?: number; mode: number },
  platform: string,
): 'owner' | 'writable' | null {
  if (stat.uid !== 0) return 'owner';
  if ((stat.mode & 0o002) !== 0) return 'writable';
  if ((stat.mode & 0o020) !== 0 && !administratorsGroup(stat.gid ?? -1, platform)) return 'writable';
  return null;
}

/** Why a policy file's owner or mode makes it untrustworthy (POSIX), or null when it is protected. */
export function policyProtectionProblem(
  stat: { uid: number; gid?: number; mode: number },
  platform: string,
): string | null {
  // Windows has no owner uid or mode bits worth reading: its ACL is judged by windowsAclProblem.
  if (platform === 'win32') return null;
  const problem = posixWriterProblem(stat, platform);
  if (problem === 'owner') return 'is not owned by root';
  if (problem === 'writable') return 'is writable by users other than root';
  return null;
}

/**
 * Why a folder between the policy file and `root` (both included; the file system root when `root` is
 * not above the file) lets someone other than root replace the file (POSIX), or null. Like the folder
 * check on Windows (`windowsAclProblem`): whoever may rename in a folder of the chain may swap the file.
 * Paths are resolved first, so a linked folder is judged where it really is. A stat that fails throws.
 */
export function policyFolderProblem(path: string, root: string, platform: string): string | null {
  for (const folder of policyFolders(path, root)) {
    const problem = posixWriterProblem(statSync(folder), platform);
    if (problem === 'owner') return `is in folder ${folder}, which is not owned by root`;
    if (problem === 'writable')
      return `is in folder ${folder}, which may be written by users other than root`;
  }
  return null;
}

/**
 * The folders policyFolderProblem judges: from the file's, resolved, up to `root` or the file system
 * root; and when the file is a symbolic link, the same for each file the link leads through, its
 * target's too (whoever may rename in the target's folder may swap or delete IT's file as surely).
 */
function policyFolders(path: string, root: string): string[] {
  const top = realpathSync(root);
  const folders = new Set<string>();
  for (const file of linkChain(path)) {
    for (let folder = realpathSync(dirname(file)); ; folder = dirname(folder)) {
      folders.add(folder);
      if (folder === top || folder === parse(folder).root) break;
    }
  }
  return [...folders];
}

/**
 * `path` and every file its symbolic links lead through, to the last (which may not exist: a dangling
 * link's target). A loop throws ELOOP, as opening the file would.
 */
function linkChain(path: string): string[] {
  const chain = [path];
  for (let current = path; chain.length <= 40; ) {
    let target: string;
    try {
      if (!lstatSync(current).isSymbolicLink()) return chain;
      target = readlinkSync(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return chain;
      throw error;
    }
    current = resolve(dirname(current), target);
    chain.push(current);
  }
  throw Object.assign(new Error(`ELOOP: too many symbolic links at ${path}`), { code: 'ELOOP' });
}

/**
 * What identifies the folders the policy file's check judges, as they are now: each one's path,
 * identity, owner, group and mode ('' when no folder is checked: no protection asked for, or Windows,
 * whose ACL check costs a PowerShell start). A running Tessera reads the file again when this changes,
 * as when the file's own stat does, so a folder that turns writable by users ignores the file within a
 * reload, and a fixed one applies it again. null: a folder cannot be read now (the read says why).
 */
export function policyFoldersSignature(path: string, options: PolicyReadOptions): string | null {
  if (!options.requireProtected || (options.platform ?? process.platform) === 'win32') return '';
  try {
    return policyFolders(path, options.policyRoot ?? '/')
      .map((folder) => {
        const { dev, ino, uid, gid, mode } = statSync(folder);
        return `${folder}:${dev}:${ino}:${uid}:${gid}:${mode}`;
      })
      .join('|');
  } catch {
    return null;
  }
}

/**
 * The IT policy file as a policy source: `{ "managed": {…}, "defaults": {…} }`. Missing is normal (no
 * policy); a file that is unreadable, not JSON, or has anything but those two sections fails closed.
 */
export function jsonPolicySource(path: string, options: PolicyReadOptions = {}): PolicySource {
  const name = `policy file ${path}`;
  return {
    name,
    read(): PolicyRead {
      const read: PolicyRead = { name, problems: [] };
      const problem = (key: string, message: string, effect: PolicyProblem['effect']) =>
        read.problems.push({ key, message: `${name}${message}`, effect });
      // POSIX judges the owner and mode of the file as opened (its fstat), so the bytes used are the
      // bytes checked; a file that could not be opened is not used (it is reported as unreadable).
      let opened: Stats | undefined;
      const file = readJsonFile(path, (stat) => {
        opened = stat;
      });
      if (file.kind === 'missing') {
        // A link IT placed whose file is gone: deleted, perhaps by whoever may write where it pointed.
        // No policy would lift every lock, so a protected location fails closed, as for an unreadable file.
        if (file.danglingTo !== undefined && options.requireProtected) {
          problem(
            '',
            ` is a symbolic link to ${quote(file.danglingTo)}, which does not exist; not used until it is fixed`,
            'lockAll',
          );
          read.recheck = true;
          return read;
        }
        read.missing = true;
        // Like no file (anyone who may create a link here could delete the file too), but said.
        if (file.danglingTo !== undefined)
          problem(
            '',
            ` is a symbolic link to ${quote(file.danglingTo)}, which does not exist; no policy file is used`,
            'report',
          );
        return read;
      }
      if (options.requireProtected) {
        const check = protectionProblem(path, opened, options);
        if (check.unchecked) {
          // Unknown: IT's file or one a person planted. Neither used nor ignored (ignoring would
          // unlock everything IT's file locks): admin and connection settings lock, as for an
          // unreadable file, and the next reload checks again.
          problem('', ` ${check.problem}; not used until its permissions can be read`, 'lockAll');
          read.recheck = true;
          return read;
        }
        if (check.problem !== null) {
          problem(
            '',
            ` ${check.problem}; ignored (IT's policy must be writable by administrators only)`,
            'report',
          );
          return read;
        }
      }
      const root = file.kind === 'ok' ? asJsonObject(file.data) : null;
      if (file.kind === 'invalid') problem('', ` ${file.reason}`, 'lockAll');
      else if (root === null)
        problem('', ' must contain a JSON object with "managed" and/or "defaults"', 'lockAll');
      for (const [section, value] of Object.entries(root ?? {})) {
        if (section !== 'managed' && section !== 'defaults') {
          problem(
            section,
            `: unknown section ${quote(section)} (expected exactly "managed" or "defaults")`,
            'lockAll',
          );
          continue;
        }
        const object = asJsonObject(value);
        if (object === null) problem(section, `: "${section}" must be an object of settings`, 'lockAll');
        else read[section] = object;
      }
      return read;
    },
  };
}

/** How the policy file's values and issues are named. */
export function fileNaming(path: string): PolicyNaming {
  return {
    managed: 'policyManaged',
    issues: 'policyFile',
    label: (section) => `policy file ${path} (${section})`,
  };
}

/**
 * The IT policy file, validated. It fails closed: an invalid managed value locks its key to
 * `closedValue`, and a file that is unreadable, not JSON, or has anything but those two sections locks
 * every admin and connection setting.
 */
export function readPolicyFile(path: string | null, options: PolicyReadOptions = {}): PolicyLayers {
  if (path === null) return policyLayers({ name: 'no policy file', problems: [] }, fileNaming(''));
  return policyLayers(jsonPolicySource(path, options).read(), fileNaming(path));
}

/**
 * Why the policy file is not protected (null: it is), or, `unchecked`, why its owner and permissions
 * could not be read at all (Windows: PowerShell blocked or not answering).
 */
function protectionProblem(
  path: string,
  opened: Stats | undefined,
  options: PolicyReadOptions,
): { problem: string | null; unchecked?: never } | { problem: string; unchecked: true } {
  const platform = options.platform ?? process.platform;
  try {
    if (platform === 'win32')
      return { problem: windowsAclProblem((options.readAcl ?? readWindowsPolicyAcl)(path)) };
    // Not opened: nothing of it is used (it is reported as unreadable and locks like one).
    if (opened === undefined) return { problem: null };
    return {
      problem:
        policyProtectionProblem(opened, platform) ??
        policyFolderProblem(path, options.policyRoot ?? '/', platform),
    };
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    return { problem: `cannot be checked (${code ?? message ?? String(error)})`, unchecked: true };
  }
}
