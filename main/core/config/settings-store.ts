import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorInfo, FieldProblem, Result } from '../../../common/errors';
import {
  type ConfigIssue,
  isSettingKey,
  SETTING_KEYS,
  type Settings,
  type SettingsView,
  settingTrust,
} from '../../../common/settings';
import type { PolicyReload, SettingsStore } from '../contracts';
import { monotonicNow } from '../timers';
import { effectiveContract } from './auth-contract-schema';
import { readCliLayer } from './cli-layer';
import { type ConfirmConnectionChange, connectionChange, sameSettingValue } from './connection-change';
import { keepBadCopy } from './keep-copy';
import {
  asJsonObject,
  keepUsablePolicy,
  type Layer,
  type PolicyLayers,
  type PolicyReadOptions,
  policyFoldersSignature,
  readEnvLayer,
  readPolicyFile,
  readUserFile,
  type UserFileLayer,
} from './layers';
import { combinePolicies, type PolicySource, readOsPolicy } from './policy-source';
import { resolveSettings } from './resolve-settings';
import { checkAllowedOrigins } from './sends-to';
import { assignSetting, describeZodError, parseSetting } from './settings-table';
import { writeFileAtomic } from './write-file-atomic';

/** Name of the user settings file inside Electron's userData directory. */
export const USER_SETTINGS_FILE = 'settings.json';

/** Where configuration problems are reported (the shell passes its logger; tests collect lines). */
export interface ConfigLogger {
  warn(message: string): void;
  error(message: string): void;
}

/** What the store reads; the shell passes Electron's values, tests pass temp dirs and literals. */
export interface SettingsStoreDeps {
  /** Electron's `app.getPath('userData')`. */
  userDataDir: string;
  /** Usually `policyPathFor(process.platform, process.env)`; null means no policy file at all. */
  policyPath: string | null;
  env: Readonly<Record<string, string | undefined>>;
  /** Process arguments; anything that is not one of our flags is skipped. */
  argv: readonly string[];
  logger?: ConfigLogger;
  /**
   * Asks the person to confirm a change of connection settings (the API, the contract, the sign-in
   * method) the page proposed, also one a flag or variable hides for now; without it such a change is
   * refused with CONFIRMATION_REQUIRED.
   */
  confirmConnectionChange?: ConfirmConnectionChange;
  /** The system policy file must be owned by root and writable by no one else (the app passes true). */
  requireProtectedPolicy?: boolean;
  /** How that protection is read (tests pass a stand-in owner and ACL); default: this OS's own. */
  policyFileChecks?: Pick<PolicyReadOptions, 'platform' | 'readAcl' | 'policyRoot'>;
  /**
   * OS policy: the Windows registry or macOS managed preferences (`osPolicySource`), a fake in tests;
   * none on Linux. Its managed values win over the policy file's.
   */
  policySource?: PolicySource;
  /** The clock (ms) of the grace a vanished policy gets (`POLICY_GONE_GRACE_MS`); tests pass one. */
  now?: () => number;
}

/**
 * How long policy that vanishes while the app runs stays in force: Group Policy Preferences'
 * "Replace" (and many scripts) delete the policy file, then copy it again, and Group Policy rewrites
 * its registry values on a refresh; a reload in between must not unlock managed keys for a moment
 * (a moved API signs people out).
 */
export const POLICY_GONE_GRACE_MS = 30_000;

/** What a failed write of settings.json means, for the people who read "Details". */
const WRITE_FAILURES: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the folder is on a read-only disk',
  EACCES: 'no permission to write there',
  EPERM: 'no permission to write there',
};

/** What identifies one version of a file (null: cannot tell, read it). */
export function fileSignature(path: string | null): string | null {
  if (path === null) return 'none';
  try {
    const stat = statSync(path, { bigint: true });
    return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : null;
  }
}

/**
 * Whether saving over the user file drops something it holds: the file could not be used whole, or a
 * setting's value was refused. A key this version does not know is kept by the save (`unknown`).
 */
function dropsOnSave(file: UserFileLayer): boolean {
  return file.issues.some((issue) => issue.key === '' || isSettingKey(issue.key));
}

function failure(error: ErrorInfo): { ok: false; error: ErrorInfo } {
  return { ok: false, error };
}

/** Two policy reloads reported as one: every key either changed, and whether either changed the view. */
function mergeReloads(earlier: PolicyReload | null, later: PolicyReload): PolicyReload {
  if (earlier === null) return later;
  return {
    changed: [...new Set([...earlier.changed, ...later.changed])],
    viewChanged: earlier.viewChanged || later.viewChanged,
  };
}

/**
 * The layered configuration: built-in defaults < policy `defaults` < user file < env < CLI < policy
 * `managed`. Reads synchronously at creation (settings are needed before the first window); every
 * invalid value becomes a ConfigIssue and is skipped, so the app always starts.
 */
export function createSettingsStore(deps: SettingsStoreDeps): SettingsStore {
  const logger = deps.logger ?? console;
  const userFile = join(deps.userDataDir, USER_SETTINGS_FILE);
  // The policy file is read again only when its stat changed (content, owner, mode or ACL change
  // its ctime), or on Linux and macOS the owner or mode of a folder its check judges: checking its
  // protection can start PowerShell on Windows, too costly for every poll. A check that could not be
  // done at all is not kept: the next reload tries again.
  const policyChecks: PolicyReadOptions = {
    ...deps.policyFileChecks,
    requireProtected: deps.requireProtectedPolicy === true,
  };
  let fileSeen: { signature: string; layers: PolicyLayers } | null = null;
  const readFilePolicy = (): PolicyLayers => {
    const file = fileSignature(deps.policyPath);
    const folders =
      deps.policyPath === null || file === 'missing'
        ? ''
        : policyFoldersSignature(deps.policyPath, policyChecks);
    const signature = file === null || folders === null ? null : `${file}|${folders}`;
    if (fileSeen !== null && signature !== null && fileSeen.signature === signature) return fileSeen.layers;
    const layers = readPolicyFile(deps.policyPath, policyChecks);
    fileSeen = signature === null || layers.recheck ? null : { signature, layers };
    return layers;
  };
  // Each source's policy in force: what IT set validly stays while a source cannot be read, or a value
  // turns invalid, during the run (keepUsablePolicy).
  const inForceNow: { file: PolicyLayers | null; os: PolicyLayers | null } = { file: null, os: null };
  const inForce = (which: 'file' | 'os', fresh: PolicyLayers): PolicyLayers => {
    inForceNow[which] = keepUsablePolicy(inForceNow[which], fresh);
    return inForceNow[which];
  };
  const now = deps.now ?? monotonicNow;
  // Each source's policy when part of it vanished, and since when (POLICY_GONE_GRACE_MS).
  const held: Record<'file' | 'os', { since: number; policy: PolicyLayers } | null> = {
    file: null,
    os: null,
  };
  /**
   * `fresh`, unless it lost what the policy in force set (`lost` names it): then the policy before
   * stays for POLICY_GONE_GRACE_MS, saying so, and `fresh` applies if it is still so after that.
   */
  const inForceUnlessLost = (
    which: 'file' | 'os',
    fresh: PolicyLayers,
    lost: (before: PolicyLayers) => { what: string; after: string } | null,
  ): PolicyLayers => {
    const before = held[which]?.policy ?? inForceNow[which];
    const since = held[which]?.since ?? now();
    const loss =
      before !== null && before.unusable === undefined && fresh.unusable === undefined ? lost(before) : null;
    if (loss === null || before === null || now() - since >= POLICY_GONE_GRACE_MS) {
      held[which] = null;
      return inForce(which, fresh);
    }
    held[which] = { since, policy: before };
    const message = `${loss.what}; the policy read before stays in force for ${POLICY_GONE_GRACE_MS / 1000} s (a tool may be rewriting it), then ${loss.after}`;
    return {
      ...before,
      fileIssues: [
        ...before.fileIssues,
        { key: '', source: which === 'file' ? 'policyFile' : 'policyOs', message },
      ],
    };
  };
  const fileInForce = (fresh: PolicyLayers): PolicyLayers =>
    inForceUnlessLost('file', fresh, (before) =>
      fresh.missing === true && before.missing !== true
        ? { what: `policy file ${deps.policyPath} is gone`, after: 'no policy file is used' }
        : null,
    );
  const osInForce = (fresh: PolicyLayers): PolicyLayers =>
    inForceUnlessLost('os', fresh, (before) => {
      const gone = Object.keys(before.managed.values).filter((key) => !(key in fresh.managed.values));
      return gone.length === 0
        ? null
        : {
            what: `OS policy no longer sets ${gone.join(', ')}`,
            after: 'the OS policy as it is then applies',
          };
    });
  const readPolicies = () => {
    const file = fileInForce(readFilePolicy());
    const os = osInForce(readOsPolicy(deps.policySource));
    return { policy: file, osPolicy: os, combined: combinePolicies(os, file) };
  };
  // Re-read while the app runs (reloadPolicy): IT's changes apply without a restart.
  let { policy, osPolicy, combined } = readPolicies();
  const env = readEnvLayer(deps.env);
  const cli = readCliLayer(deps.argv);
  // Which version of the user file `user` was read from (or last written): one changed since by
  // anyone else (the person in an editor, a support or logon script) is read again before a save.
  let userSeen = fileSignature(userFile);
  const read = readUserFile(userFile);
  let user: Layer = read;
  // Keys this version does not know (a newer Tessera's), as written: written back by every save, never applied.
  let userUnknown = read.unknown;
  // The file holds something a save would drop (it is not JSON, or a value this version refuses): a
  // copy is kept before the first save replaces it, so nothing the person wrote is lost.
  let userFileUnused = dropsOnSave(read);
  let managedKeys = combined.managedKeys;
  const listeners = new Set<(settings: Settings) => void | Promise<void>>();
  // Updates run one at a time so each builds on the previous one's saved state.
  let queue: Promise<unknown> = Promise.resolve();

  function issues(): ConfigIssue[] {
    return [
      ...osPolicy.fileIssues,
      ...osPolicy.managed.issues,
      ...policy.fileIssues,
      ...policy.managed.issues,
      ...policy.defaults.issues,
      ...user.issues,
      ...env.issues,
      ...cli.issues,
      ...contractIssues(),
    ];
  }

  /** Each value may be fine on its own while the contract they make together is not (custom, incomplete). */
  function contractIssues(): ConfigIssue[] {
    const { values, sources } = resolveWith(user.values);
    const contract = effectiveContract(values);
    if (contract.ok) return [];
    const key =
      values.apiProfile === 'custom' || values.authContract !== null ? 'authContract' : 'apiProfile';
    return [
      {
        key,
        source: sources[key],
        message: `${contract.error.message}; password sign-in fails until it is fixed`,
      },
    ];
  }

  // Each message names the key and the layer (file, variable or flag) it came from.
  for (const issue of issues()) logger.warn(`Settings: ${issue.message}`);

  /**
   * The effective settings if the user layer held `userValues`; without `overrides`, what a later
   * start without the command line and the environment would use (a change they hide now comes to it).
   */
  function resolveWith(userValues: Partial<Settings>, overrides = true) {
    return resolveSettings({
      policyOs: combined.policyOs,
      policyManaged: combined.policyManaged,
      cli: overrides ? cli.values : {},
      env: overrides ? env.values : {},
      user: userValues,
      policyDefaults: policy.defaults.values,
    });
  }

  const resolved = () => resolveWith(user.values);

  function view(): SettingsView {
    const { values, sources } = resolved();
    // A copy: callers (and IPC serialisation) must not reach the store's own state.
    return structuredClone({ values, sources, managed: [...managedKeys], issues: issues() });
  }

  /** Validates a patch against the table: unknown key, then managed key, then bad value. */
  function checkPatch(patch: unknown): Result<Partial<Settings>> {
    const object = asJsonObject(patch);
    if (object === null)
      return failure({ code: 'INVALID_CONFIG', message: 'A settings change must be an object of settings.' });
    // An `undefined` value means "not part of this change" (it has no JSON form to save anyway).
    const entries = Object.entries(object).filter(([, value]) => value !== undefined);
    for (const [key] of entries)
      if (!isSettingKey(key))
        return failure({
          code: 'INVALID_CONFIG',
          key,
          message: `Unknown setting ${JSON.stringify(key.slice(0, 64))}.`,
        });
    const managed = new Set<string>(managedKeys);
    for (const [key] of entries)
      if (isSettingKey(key) && !managed.has(key) && settingTrust(key) === 'admin')
        return failure({
          code: 'ADMIN_SETTING',
          key,
          message: `${key} can only be set by your administrator (policy, command line or environment).`,
        });
    for (const [key] of entries)
      if (managed.has(key))
        return failure({
          code: 'MANAGED_SETTING',
          key,
          message: `${key} is set by your organisation's policy and cannot be changed.`,
        });
    const values: Partial<Settings> = {};
    // Every refused value is reported, so a form can mark all its invalid fields at once.
    const problems: FieldProblem[] = [];
    for (const [key, raw] of entries) {
      if (!isSettingKey(key)) continue;
      const parsed = parseSetting(key, raw);
      if (parsed.success) assignSetting(values, key, parsed.data);
      else problems.push({ key, message: `${key} ${describeZodError(parsed.error)}.` });
    }
    const [first] = problems;
    if (first)
      return failure({
        code: 'INVALID_CONFIG',
        key: first.key,
        message: problems.map((problem) => problem.message).join(' '),
        fields: problems,
      });
    return { ok: true, value: values };
  }

  /** Tells every listener about new effective settings, one by one; a failing listener is logged. */
  async function notify(settings: Settings): Promise<void> {
    for (const listener of [...listeners]) {
      try {
        await listener(structuredClone(settings));
      } catch (error) {
        // One broken listener must not undo a saved change or starve the others.
        logger.error(
          `Settings: a change listener failed: ${error instanceof Error ? error.stack : String(error)}`,
        );
      }
    }
  }

  async function applyPolicyReload(): Promise<PolicyReload> {
    const before = view();
    ({ policy, osPolicy, combined } = readPolicies());
    managedKeys = combined.managedKeys;
    const after = view();
    const changed = SETTING_KEYS.filter(
      (key) => JSON.stringify(before.values[key]) !== JSON.stringify(after.values[key]),
    );
    const locksChanged = JSON.stringify(before.managed) !== JSON.stringify(after.managed);
    const known = new Set(before.issues.map((issue) => issue.message));
    for (const issue of after.issues)
      if (!known.has(issue.message)) logger.warn(`Settings: ${issue.message}`);
    const issuesChanged = JSON.stringify(before.issues) !== JSON.stringify(after.issues);
    // The same values with other problems are news too: a value locked because IT's could not be used
    // that is now IT's valid choice means something else ("stay signed in" off then deletes tokens).
    if (changed.length > 0 || issuesChanged) await notify(after.values);
    return { changed, viewChanged: changed.length > 0 || locksChanged || issuesChanged };
  }

  /**
   * Keeps the user file as it is (`settings.json.bad-<time>`, copied, or moved when it cannot be read)
   * before a save drops what it could not use. Answers the error code when it could be neither: the
   * save must not replace it then.
   */
  function keepUserFileCopy(): string | null {
    try {
      const copy = keepBadCopy(userFile);
      // Null: gone meanwhile, nothing to keep.
      if (copy !== null)
        logger.warn(
          `Settings: ${userFile} held values that could not be used (see above); it is kept as ${copy} before it is replaced`,
        );
      return null;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      logger.error(`Settings: could not keep a copy of ${userFile} (${code}); it is not replaced`);
      return code;
    }
  }

  /**
   * What `patch` would save, checked against the policy in force now: the user file's next values and
   * the connection change the person must confirm (null: none), or why it is refused.
   */
  function planUpdate(
    patch: unknown,
    base: Partial<Settings>,
  ): Result<{ next: Partial<Settings>; change: ReturnType<typeof connectionChange> }> {
    const checked = checkPatch(patch);
    if (!checked.ok) return checked;
    // Only valid user values are written back: rejected and unknown keys of a broken file are dropped.
    const next: Partial<Settings> = { ...base, ...checked.value };
    // A change of the contract must leave a complete one (custom needs every part); the message names the field.
    if (checked.value.apiProfile !== undefined || checked.value.authContract !== undefined) {
      const contract = effectiveContract(resolveWith(next).values);
      if (!contract.ok) return failure(contract.error);
    }
    const now = resolved();
    const after = resolveWith(next).values;
    // A saved value that a flag or variable hides now still applies at a later start: the person decides.
    const change = connectionChange(
      { before: now.values, after },
      (key) => settingTrust(key) === 'connection',
      {
        before: resolveWith(user.values, false).values,
        after: resolveWith(next, false).values,
        sources: now.sources,
      },
    );
    if (change) {
      // IT's allow-list covers every origin the new connection would send the password or tokens to.
      const permitted = checkAllowedOrigins(after.allowedApiOrigins, change.newOrigins);
      if (!permitted.ok) {
        logger.warn(`Settings: a change of ${change.keys.join(', ')} was refused (allowedApiOrigins)`);
        return permitted;
      }
    }
    return { ok: true, value: { next, change } };
  }

  // A policy reload done inside an update (below), not yet reported by reloadPolicy: the watcher's own
  // reload, waiting behind the update, then still reloads the windows for it.
  let reloadedMeanwhile: PolicyReload | null = null;

  /**
   * The user file a save builds on: as read (or last written) when it has not changed since, else as
   * it is now, so a save never drops what was written to it while the app ran. A connection value
   * among those is part of the change the person confirms; nothing is applied before the save. A file
   * gone meanwhile, or no longer readable as a whole, keeps the values read before (and a broken one
   * is copied before it is replaced), so neither loses the person's settings.
   */
  function userFileNow(): { values: Partial<Settings>; unknown: Record<string, unknown>; unused: boolean } {
    const signature = fileSignature(userFile);
    if (signature === null || signature === userSeen)
      return { values: user.values, unknown: userUnknown, unused: userFileUnused };
    if (signature === 'missing') {
      logger.warn(`Settings: ${userFile} is gone; the change is saved with the settings read before`);
      return { values: user.values, unknown: userUnknown, unused: false };
    }
    const fresh = readUserFile(userFile);
    const whole = fresh.issues.every((issue) => issue.key !== '');
    logger.warn(
      whole
        ? `Settings: ${userFile} changed since Tessera read it; the change is saved on top of it as it is now`
        : `Settings: ${userFile} changed since Tessera read it and cannot be used now; the change is saved with the settings read before`,
    );
    for (const issue of fresh.issues) logger.warn(`Settings: ${issue.message}`);
    return whole
      ? { values: fresh.values, unknown: fresh.unknown, unused: dropsOnSave(fresh) }
      : { values: user.values, unknown: userUnknown, unused: true };
  }

  async function applyUpdate(patch: unknown): Promise<Result<SettingsView>> {
    const onDisk = userFileNow();
    let planned = planUpdate(patch, onDisk.values);
    if (!planned.ok) return planned;
    for (let change = planned.value.change; change !== null; ) {
      if (!deps.confirmConnectionChange)
        return failure({
          code: 'CONFIRMATION_REQUIRED',
          message: 'A change of server or sign-in method needs your confirmation; nothing was saved.',
        });
      if (!(await deps.confirmConnectionChange(change))) {
        logger.warn(`Settings: a change of ${change.keys.join(', ')} was not confirmed; nothing saved`);
        return failure({ code: 'CANCELLED', message: 'The change was not confirmed; nothing was saved.' });
      }
      // The dialog may have stayed open while IT changed the policy (its reload waits for this update):
      // the yes stands only for the change as the policy in force now makes it.
      const reload = await applyPolicyReload();
      if (!reload.viewChanged) break;
      reloadedMeanwhile = mergeReloads(reloadedMeanwhile, reload);
      const confirmed = change;
      planned = planUpdate(patch, onDisk.values);
      if (!planned.ok) return planned;
      change = planned.value.change;
      // Still what the person said yes to: saved without asking twice.
      if (change === null || sameSettingValue(change, confirmed)) break;
    }
    const { next } = planned.value;
    const notKept = onDisk.unused ? keepUserFileCopy() : null;
    if (notKept !== null)
      return failure({
        code: 'INTERNAL',
        message: `Could not save settings: the settings file could not be read, copied or moved aside (${notKept}), and saving would lose what it holds.`,
      });
    try {
      // The unknown keys go back as they were read; they are no settings, so `next` never holds one. A
      // settings file the person linked from elsewhere (a dotfiles folder) is written there; the link stays.
      await writeFileAtomic(userFile, `${JSON.stringify({ ...onDisk.unknown, ...next }, null, 2)}\n`, {
        followLink: true,
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      logger.error(`Settings: could not save ${userFile} (${code})`);
      const why = WRITE_FAILURES[code];
      return failure({
        code: 'NOT_SAVED',
        message: `Could not save ${userFile} (${code}${why ? `: ${why}` : ''}).`,
      });
    }
    user = { values: next, issues: [] };
    userUnknown = onDisk.unknown;
    userFileUnused = false;
    userSeen = fileSignature(userFile);
    // Listeners are awaited one by one: the answer to an update comes after the app has acted on it
    // (a changed API has signed out of the old one before the page hears "saved").
    await notify(resolved().values);
    return { ok: true, value: view() };
  }

  return {
    view,
    current: () => structuredClone(resolved().values),
    update(patch: unknown): Promise<Result<SettingsView>> {
      const run = queue.then(() => applyUpdate(patch));
      queue = run.catch(() => undefined);
      return run;
    },
    reloadPolicy(): Promise<PolicyReload> {
      const run = queue.then(async () => {
        const reload = await applyPolicyReload();
        const earlier = reloadedMeanwhile;
        reloadedMeanwhile = null;
        return mergeReloads(earlier, reload);
      });
      queue = run.catch(() => undefined);
      return run;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
