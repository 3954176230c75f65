// What is used of config from outside main/core: the built-in defaults (tests) and the README table (scripts).
export { renderSettingsTable } from './settings-docs';
export { defaultSettings } from './settings-table';
