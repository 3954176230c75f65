// The built-in defaults as one Settings object, for tests that compare against them. The app itself
// resolves every key on its own (main/core/config/resolve-settings.ts), defaults being the last layer.
import type { Settings } from '../../common/settings';
import { assignSetting, SETTINGS_TABLE, TABLE_KEYS } from '../../main/core/config/settings-table';

/** The built-in defaults, derived from the settings table. */
export function defaultSettings(): Settings {
  const values: Partial<Settings> = {};
  for (const key of TABLE_KEYS) assignSetting(values, key, SETTINGS_TABLE[key].default);
  return values as Settings;
}
