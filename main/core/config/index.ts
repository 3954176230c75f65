export { readCliLayer } from './cli-layer';
export { type Layer, readEnvLayer, readPolicyFile, readUserFile } from './layers';
export { policyPathFor } from './policy-path';
export { PRECEDENCE, resolveSettings } from './resolve-settings';
export { apiBaseUrlSchema, endpointPathSchema } from './setting-schemas';
export { renderSettingsTable } from './settings-docs';
export {
  type ConfigLogger,
  createSettingsStore,
  type SettingsStoreDeps,
  USER_SETTINGS_FILE,
} from './settings-store';
export { defaultSettings, SETTINGS_TABLE, type SettingRow } from './settings-table';
