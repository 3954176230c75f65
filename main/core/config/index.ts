// What is used of config from outside main/core: the README table and the policy templates (scripts).
export { renderPolicyTemplates } from './policy-templates';
export { renderSettingsTable } from './settings-docs';
