import type { SettingKey, Settings } from '../../../common/settings';
import { closeAcrossSources, type PolicyLayers, policyLayers } from './layers';
import { TABLE_KEYS } from './settings-table';

/**
 * One place IT policy comes from: the JSON policy file (`jsonPolicySource`), the Windows registry or
 * macOS managed preferences (`os-policy.ts`), or a fake in tests. A source only reads: it hands back
 * the raw values per key and what went wrong; validation and the fail-closed rules are the same for
 * every source (`policyLayers` in layers.ts).
 */
export interface PolicySource {
  /** Names the source in messages and in the effective settings ("registry HKLM\\Software\\Policies\\Tessera"). */
  readonly name: string;
  /** Reads the policy now (synchronously: settings are needed before the first window). */
  read(): PolicyRead;
}

/** What a policy source holds, before validation. */
export interface PolicyRead {
  /** The source's name, for messages about the source as a whole. */
  name: string;
  /** Locked values, by setting key, as the source stores them (validated by the settings table). */
  managed?: Record<string, unknown>;
  /** Seeded values the person can still change; only the policy file has them. */
  defaults?: Record<string, unknown>;
  problems: PolicyProblem[];
  /** Where each managed value was found, when the source has several places (the machine or the user hive). */
  where?: Record<string, string>;
  /**
   * The source could not be checked this time (the policy file's permissions could not be read): read
   * it again at the next reload even if it did not change, so a passing failure does not last the run.
   */
  recheck?: boolean;
  /** The policy file does not exist (or is a link to nothing): no policy from it. */
  missing?: boolean;
}

/** Something a source could not read, and what that means for the settings. */
export interface PolicyProblem {
  /** The setting (or the file's section) concerned; '' for the source as a whole. */
  key: string;
  /** The whole message, naming the source. */
  message: string;
  /**
   * `lockKey`: the managed value of `key` exists but could not be read, so the key stays locked (to its
   * closed value), like an invalid one; `lockAll`: the source could not be read whole, so every admin
   * and connection setting locks; `report`: said, nothing locked (e.g. a file anyone may write, ignored).
   */
  effect: 'lockKey' | 'lockAll' | 'report';
}

/** The managed values of both policy sources, ready for `resolveSettings`. */
export interface CombinedPolicy {
  /** OS policy (registry, managed preferences): wins over the policy file. */
  policyOs: Partial<Settings>;
  policyManaged: Partial<Settings>;
  /** Every key either source locks. */
  managedKeys: SettingKey[];
}

/**
 * OS policy wins over the policy file, key by key. A key a source locks only because that source was
 * unreadable (`lockedUnnamed`) does not override a value the other source does set: each source's
 * own values are IT's word; the fail-closed lock only fills what no source says.
 */
export function combinePolicies(os: PolicyLayers, file: PolicyLayers): CombinedPolicy {
  const closed = closeAcrossSources(os, file);
  const policyOs: Partial<Settings> = closed.os;
  for (const key of os.lockedUnnamed)
    if (file.managed.values[key] !== undefined && !file.lockedUnnamed.includes(key)) delete policyOs[key];
  const policyManaged = closed.file;
  const managedKeys = TABLE_KEYS.filter(
    (key) => policyOs[key] !== undefined || policyManaged[key] !== undefined,
  );
  return { policyOs, policyManaged, managedKeys };
}

/** OS policy (none: an empty layer), validated by the same rules as the policy file's `managed` section. */
export function readOsPolicy(source: PolicySource | undefined): PolicyLayers {
  const read: PolicyRead = source ? source.read() : { name: 'no OS policy', problems: [] };
  return policyLayers(read, {
    managed: 'policyOs',
    issues: 'policyOs',
    label: (_section, key) => read.where?.[key] ?? read.name,
  });
}
