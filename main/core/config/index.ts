// What is used of config from outside main/core: the README table (scripts).
export { renderSettingsTable } from './settings-docs';
