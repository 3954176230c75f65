// OS-native policy: the Windows registry (Group Policy, Intune) and macOS managed preferences
// (configuration profiles from Jamf, Intune, …). Each source only reads and decodes what the OS stores;
// validation and fail-closed locking are layers.ts's `policyLayers`, the same as for the policy file.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join, posix, win32 } from 'node:path';
import { isSettingKey, type SettingKey } from '../../../common/settings';
import { policyProtectionProblem } from './layers';
import { type PlistNode, parsePlistXml, plainPlistValue } from './plist-xml';
import type { PolicyProblem, PolicyRead, PolicySource } from './policy-source';
import { parseRegExport } from './reg-export';
import { TEXT_DECODERS } from './setting-schemas';
import { describeZodError, SETTINGS_TABLE } from './settings-table';

/** The registry key under HKLM (machine) and HKCU (user) that Group Policy writes (build/policies/tessera.admx). */
export const REGISTRY_POLICY_KEY = 'Software\\Policies\\Tessera';

/** The macOS preference domain of managed preferences: the app's bundle id (electron-builder's appId). */
export const MANAGED_PREFERENCES_DOMAIN = 'dev.tessera.desktop';

/** A value as the OS stores it, before it is decoded for its setting. */
export type OsValue =
  /** `plist`: a plist <string>, which is not an on/off value (a profile has <true/> and <false/>). */
  | { type: 'text'; text: string; plist?: true }
  | { type: 'number'; value: number }
  | { type: 'boolean'; value: boolean }
  | { type: 'object'; value: unknown }
  | { type: 'other'; name: string };

/**
 * Decodes an OS value for `key` by the setting's type: text (REG_SZ, a plist string) is read like the
 * setting's environment variable (`1`/`true`, a number, JSON), except that a plist string is no on/off
 * value: a profile says <true/> or <false/>, and a string ("TRUE", "1", "no") is refused like any
 * wrong type, as the policy file refuses "false" in quotes. A number (REG_DWORD, plist integer) is an
 * integer setting's value or a boolean's 0/1; a plist boolean, dict or array is taken as is. Other
 * types (REG_BINARY, plist data, …) are an error. The settings table validates the result afterwards.
 */
export function decodeOsValue(
  key: SettingKey,
  raw: OsValue,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  const kind = SETTINGS_TABLE[key].text;
  switch (raw.type) {
    case 'text': {
      if (raw.plist && kind === 'boolean')
        return { ok: false, reason: 'must be <true/> or <false/> (or an <integer> 1 or 0), not a <string>' };
      const decoded = TEXT_DECODERS[kind].safeParse(raw.text);
      if (!decoded.success && kind === 'boolean')
        return { ok: false, reason: 'must be 1 or 0 (or true / false)' };
      return decoded.success
        ? { ok: true, value: decoded.data }
        : { ok: false, reason: describeZodError(decoded.error) };
    }
    case 'number':
      if (kind === 'integer') return { ok: true, value: raw.value };
      if (kind === 'boolean') {
        if (raw.value === 1) return { ok: true, value: true };
        if (raw.value === 0) return { ok: true, value: false };
        return { ok: false, reason: 'must be 1 or 0' };
      }
      return { ok: false, reason: 'must be text (REG_SZ or a plist string), not a number' };
    case 'boolean':
      return kind === 'boolean'
        ? { ok: true, value: raw.value }
        : { ok: false, reason: `must be ${kind === 'integer' ? 'a number' : 'text'}, not a boolean` };
    case 'object':
      return kind === 'json'
        ? { ok: true, value: raw.value }
        : { ok: false, reason: 'must not be a dictionary or array' };
    default:
      return { ok: false, reason: `has an unsupported type (${raw.name})` };
  }
}

/** Values found in one place (a registry hive, a plist), by their names there. */
export interface OsPlace {
  /** Names the place in messages: "registry HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera". */
  name: string;
  values: Map<string, OsValue>;
}

/**
 * The policy of several places, the first place winning key by key (the machine over the user). Names
 * are matched without regard to case (the registry's rule; a plist written by hand may differ too).
 * Unknown names are reported; values that cannot be decoded keep their key locked. A place naming one
 * setting twice (`MaxAccounts` and `maxAccounts` in one profile) keeps that key locked too, neither
 * value used: which one IT meant is anyone's guess, as for a name repeated in the policy file.
 */
export function osPolicyRead(
  name: string,
  places: readonly OsPlace[],
  problems: PolicyProblem[],
): PolicyRead {
  const read: PolicyRead = { name, problems: [...problems], managed: {}, where: {} };
  const keysByName = new Map(Object.keys(SETTINGS_TABLE).map((key) => [key.toLowerCase(), key]));
  const managed = read.managed as Record<string, unknown>;
  const where = read.where as Record<string, string>;
  for (const place of places) {
    // The names this place gives each setting, to find a setting named twice before reading either.
    const namesByKey = new Map<string, string[]>();
    for (const valueName of place.values.keys()) {
      const key = keysByName.get(valueName.toLowerCase());
      if (key !== undefined) namesByKey.set(key, [...(namesByKey.get(key) ?? []), valueName]);
    }
    for (const [valueName, raw] of place.values) {
      const key = keysByName.get(valueName.toLowerCase());
      if (key === undefined || !isSettingKey(key)) {
        read.problems.push({
          key: valueName,
          message: `${place.name}: unknown setting ${JSON.stringify(valueName.slice(0, 64))}, ignored`,
          effect: 'report',
        });
        continue;
      }
      if (key in where) continue; // a place before this one set it (or this one named it twice)
      where[key] = place.name;
      const names = namesByKey.get(key) ?? [];
      if (names.length > 1) {
        const given = names.map((name) => JSON.stringify(name)).join(', ');
        const times = names.length === 2 ? 'twice' : `${names.length} times`;
        const unused = names.length === 2 ? 'neither value is used' : 'none of the values is used';
        read.problems.push({
          key,
          message: `${place.name}: gives ${key} ${times} (${given}; names are matched without regard to case); ${unused}`,
          effect: 'lockKey',
        });
        continue;
      }
      const decoded = decodeOsValue(key, raw);
      if (decoded.ok) managed[key] = decoded.value;
      else read.problems.push({ key, message: `${place.name}: ${key} ${decoded.reason}`, effect: 'lockKey' });
    }
  }
  return read;
}

// ---------------------------------------------------------------------------------------------------
// Windows: HKLM\Software\Policies\Tessera, then HKCU\Software\Policies\Tessera, through reg.exe.

/** Runs the system's reg.exe with `args`; `status` null when it could not be started. */
export type RegRunner = (args: readonly string[]) => {
  status: number | null;
  stdout: string;
  stderr: string;
};

/** reg.exe by its full path, so PATH cannot substitute another; its messages decoded as UTF-8. */
export const runRegExe: RegRunner = (args) => {
  const result = spawnSync(win32.join('C:\\Windows', 'System32', 'reg.exe'), [...args], {
    encoding: 'utf8',
    windowsHide: true,
    timeout: 5000,
  });
  return {
    status: result.status,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? String(result.error ?? ''),
  };
};

/** A policy export larger than this is refused (the key holds a few dozen short values). */
const MAX_EXPORT_BYTES = 4 * 1024 * 1024;

/**
 * The values of `key`, through `reg export` into a private temporary folder (removed afterwards):
 * the export is UTF-16, where `reg query` prints text in the console code page and garbles any
 * character outside it. `failed`: reg.exe did not export (no such key, or it cannot be read).
 */
function exportKey(
  run: RegRunner,
  key: string,
): { values: Map<string, OsValue> } | { problem: string } | { failed: ReturnType<RegRunner> } {
  let folder: string | undefined;
  try {
    folder = mkdtempSync(join(tmpdir(), 'tessera-policy-'));
    const file = join(folder, 'policy.reg');
    const result = run(['export', key, file, '/y']);
    if (result.status !== 0) return { failed: result };
    const size = statSync(file).size;
    if (size > MAX_EXPORT_BYTES)
      return { problem: `its export is ${size} bytes, more than the ${MAX_EXPORT_BYTES} read` };
    const read = parseRegExport(readFileSync(file), key);
    return read.ok ? { values: read.values } : { problem: read.reason };
  } catch (error) {
    return {
      problem: `its export could not be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
    };
  } finally {
    if (folder !== undefined) rmSync(folder, { recursive: true, force: true });
  }
}

/** The hives read, machine first: a machine policy wins over a user policy, as in Chrome and Edge. */
const HIVES = [
  ['HKEY_LOCAL_MACHINE', 'HKLM'],
  ['HKEY_CURRENT_USER', 'HKCU'],
] as const;

/**
 * Windows Group Policy for Tessera: the values under HKLM\Software\Policies\Tessera and
 * HKCU\Software\Policies\Tessera (only administrators can write either). A missing key is no policy;
 * a key that exists but cannot be read, or a reg.exe that cannot run or answer, fails closed.
 */
export function registryPolicySource(runReg: RegRunner = runRegExe): PolicySource {
  // A reg.exe that could not start or did not answer within its timeout (a logon storm, an antivirus
  // scan) is asked once more before the policy counts as unreadable, which would lock every admin and
  // connection setting for the whole run.
  const run: RegRunner = (args) => {
    const first = runReg(args);
    return first.status === null ? runReg(args) : first;
  };
  const name = `registry ${HIVES.map(([, short]) => short).join(' and ')}\\${REGISTRY_POLICY_KEY}`;
  return {
    name,
    read() {
      const places: OsPlace[] = [];
      const problems: PolicyProblem[] = [];
      for (const [hive] of HIVES) {
        const key = `${hive}\\${REGISTRY_POLICY_KEY}`;
        const exported = exportKey(run, key);
        if ('values' in exported) {
          places.push({ name: `registry ${key}`, values: exported.values });
          continue;
        }
        if ('problem' in exported) {
          problems.push({ key: '', message: `registry ${key}: ${exported.problem}`, effect: 'lockAll' });
          continue;
        }
        // Failed: tell "no such key" (normal) from "cannot read it" by listing the parent key, which
        // every Windows has; reg.exe's own messages are localized, so they are not parsed.
        const result = exported.failed;
        const parent = `${hive}\\${win32.dirname(REGISTRY_POLICY_KEY)}`;
        const listing = run(['query', parent]);
        const lines = listing.stdout.split(/\r?\n/).map((line) => line.trim().toLowerCase());
        if (listing.status === 0 && !lines.includes(key.toLowerCase())) continue;
        const reason =
          (result.stderr || result.stdout).trim().split(/\r?\n/)[0] || `exit code ${result.status}`;
        problems.push({
          key: '',
          message: `registry ${key} cannot be read (reg.exe: ${reason})`,
          effect: 'lockAll',
        });
      }
      return osPolicyRead(name, places, problems);
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// macOS: managed preferences written by configuration profiles, in /Library/Managed Preferences.

/**
 * Converts a plist file (binary or XML) to XML text (`plutil -convert xml1 -o - <file>`). XML, not JSON:
 * `plutil -convert json` refuses a whole plist with a <date> or <data> value anywhere in it.
 */
export type PlistToXml = (path: string) => { ok: true; xml: string } | { ok: false; reason: string };

export const plutilToXml: PlistToXml = (path) => {
  const result = spawnSync('/usr/bin/plutil', ['-convert', 'xml1', '-o', '-', path], {
    encoding: 'utf8',
    timeout: 5000,
  });
  if (result.status === 0) return { ok: true, xml: result.stdout };
  return {
    ok: false,
    reason: (result.stderr || String(result.error ?? `exit code ${result.status}`)).trim(),
  };
};

/** What the managed-preferences source needs from the machine (tests pass stand-ins; macOS cannot run here). */
export interface ManagedPreferencesDeps {
  toXml?: PlistToXml;
  stat?: (path: string) => { uid: number; mode: number };
  /** The login name (`os.userInfo().username`, from the password database, not the environment). */
  user?: string;
  domain?: string;
  root?: string;
}

/** Profile metadata a configuration profile may leave next to the settings; never a setting. */
const PROFILE_KEY = /^Payload/;

/**
 * A top-level plist value as a policy value. A <date> or <data> is a type no setting takes: that key
 * alone is refused (or ignored, when it is no setting); nested in a dictionary it reads as its text.
 */
function plistValue(node: PlistNode): OsValue {
  switch (node.type) {
    case 'string':
      return { type: 'text', text: node.value, plist: true };
    case 'boolean':
      return { type: 'boolean', value: node.value };
    case 'number':
      return { type: 'number', value: node.value };
    case 'dict':
    case 'array':
      return { type: 'object', value: plainPlistValue(node) };
    default:
      return { type: 'other', name: node.type };
  }
}

/**
 * macOS managed preferences of the app's domain: `/Library/Managed Preferences/<domain>.plist` (device
 * profiles) before `/Library/Managed Preferences/<user>/<domain>.plist` (user profiles), the device
 * winning key by key. Only those root-owned files count: a person's own `defaults write` is not policy.
 */
export function managedPreferencesSource(deps: ManagedPreferencesDeps = {}): PolicySource {
  const toXml = deps.toXml ?? plutilToXml;
  const stat = deps.stat ?? statSync;
  const domain = deps.domain ?? MANAGED_PREFERENCES_DOMAIN;
  const root = deps.root ?? '/Library/Managed Preferences';
  const user = deps.user ?? userInfo().username;
  const name = `managed preferences ${domain}`;
  return {
    name,
    read() {
      const places: OsPlace[] = [];
      const problems: PolicyProblem[] = [];
      for (const path of [posix.join(root, `${domain}.plist`), posix.join(root, user, `${domain}.plist`)]) {
        const label = `managed preferences ${path}`;
        let owner: { uid: number; mode: number };
        try {
          owner = stat(path);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT' || code === 'ENOTDIR') continue;
          problems.push({
            key: '',
            message: `${label} cannot be read (${code ?? String(error)})`,
            effect: 'lockAll',
          });
          continue;
        }
        const unprotected = policyProtectionProblem(owner, 'darwin');
        if (unprotected !== null) {
          problems.push({ key: '', message: `${label} ${unprotected}; ignored`, effect: 'report' });
          continue;
        }
        const converted = toXml(path);
        let root: PlistNode | null = null;
        let reason = converted.ok ? '' : `cannot be read (${converted.reason})`;
        if (converted.ok) {
          try {
            root = parsePlistXml(converted.xml);
          } catch (error) {
            reason = `cannot be read (${(error as Error).message})`;
          }
        }
        if (root === null || root.type !== 'dict') {
          problems.push({
            key: '',
            message: `${label} ${root ? 'is not a dictionary' : reason}`,
            effect: 'lockAll',
          });
          continue;
        }
        const values = new Map<string, OsValue>();
        for (const [key, value] of root.entries)
          if (!PROFILE_KEY.test(key)) values.set(key, plistValue(value));
        places.push({ name: label, values });
      }
      return osPolicyRead(name, places, problems);
    },
  };
}

/** The OS policy source of `platform`: the registry on Windows, managed preferences on macOS, none elsewhere. */
export function osPolicySource(platform: string): PolicySource | undefined {
  if (platform === 'win32') return registryPolicySource();
  if (platform === 'darwin') return managedPreferencesSource();
  return undefined;
}
