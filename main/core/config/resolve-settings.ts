import type { SettingKey, SettingSource, Settings } from '../../../common/settings';
import { assignSetting, SETTINGS_TABLE, TABLE_KEYS } from './settings-table';

/** The validated values of each layer above the built-in defaults. */
export type LayerValues = Record<Exclude<SettingSource, 'default'>, Partial<Settings>>;

/**
 * Highest precedence first: OS policy (registry, managed preferences) and then the policy file's
 * `managed` section lock the setting, then CLI, env, user file, policy defaults.
 */
const PRECEDENCE = [
  'policyOs',
  'policyManaged',
  'cli',
  'env',
  'user',
  'policyDefaults',
] as const satisfies readonly Exclude<SettingSource, 'default'>[];

/** The effective value and its source for one key. */
function resolveKey<K extends SettingKey>(
  layers: LayerValues,
  key: K,
): { value: Settings[K]; source: SettingSource } {
  for (const source of PRECEDENCE) {
    const value = layers[source][key];
    if (value !== undefined) return { value: value as Settings[K], source };
  }
  return { value: SETTINGS_TABLE[key].default, source: 'default' };
}

/** Merges the layers into effective settings, recording which layer won each key. */
export function resolveSettings(layers: LayerValues): {
  values: Settings;
  sources: Record<SettingKey, SettingSource>;
} {
  const values: Partial<Settings> = {};
  const sources: Partial<Record<SettingKey, SettingSource>> = {};
  for (const key of TABLE_KEYS) {
    const { value, source } = resolveKey(layers, key);
    assignSetting(values, key, value);
    sources[key] = source;
  }
  return { values: values as Settings, sources: sources as Record<SettingKey, SettingSource> };
}
