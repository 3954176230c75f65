// Group Policy templates (ADMX + ADML per language) and a macOS configuration profile, generated from
// the settings table so the OS policy schema cannot drift from the code: `npm run docs:policies`
// writes them to build/policies/, and test/docs/policy-templates.test.ts fails when they are stale.
import { createHash } from 'node:crypto';
import type { SettingKey, Settings } from '../../../common/settings';
import { MANAGED_PREFERENCES_DOMAIN, REGISTRY_POLICY_KEY } from './os-policy';
import {
  POLICY_CATEGORIES,
  POLICY_CATEGORY_OF,
  POLICY_LANGUAGES,
  POLICY_TITLES_EN,
  POLICY_WORDS_KO,
  type PolicyCategory,
  type PolicyLanguage,
  type PolicyWords,
  TEMPLATE_WORDS,
} from './policy-strings';
import { parseSetting, SETTINGS_TABLE, TABLE_KEYS } from './settings-table';

/** How a setting appears in the templates, derived from its row of the settings table. */
export type PolicyShape =
  | { kind: 'boolean' }
  | { kind: 'integer'; min: number; max: number }
  | { kind: 'enum'; options: readonly string[] }
  | { kind: 'text'; maxLength: number; required: boolean; json: boolean };

/** The shape of `key` in the templates: booleans as DWORD 1/0, integers as DWORD, the rest REG_SZ. */
export function policyShape(key: SettingKey): PolicyShape {
  const row = SETTINGS_TABLE[key];
  const schema = row.schema as unknown as { options?: unknown; minValue?: unknown; maxValue?: unknown };
  if (row.text === 'boolean') return { kind: 'boolean' };
  if (row.text === 'integer') {
    if (typeof schema.minValue !== 'number' || typeof schema.maxValue !== 'number')
      throw new Error(`${key}: an integer setting needs a schema with min and max for the templates`);
    return { kind: 'integer', min: schema.minValue, max: schema.maxValue };
  }
  if (Array.isArray(schema.options) && schema.options.every((option) => typeof option === 'string'))
    return { kind: 'enum', options: schema.options };
  const json = row.text === 'json';
  return {
    kind: 'text',
    maxLength: json ? JSON_TEXT_LIMIT : (longestText(row.schema) ?? 2048),
    required: !parseSetting(key, '').success,
    json,
  };
}

/** The longest JSON text a json setting takes from the registry (TEXT_DECODERS.json). */
const JSON_TEXT_LIMIT = 16 * 1024;

/**
 * The longest text `schema` accepts (its `.max()`, through transforms and unions), or null when it
 * sets none: the editor's text box then takes exactly what the app does, neither cutting a valid
 * value (a long proxy bypass list) nor taking one the app refuses for its length.
 */
function longestText(schema: unknown): number | null {
  const node = schema as { in?: unknown; options?: unknown; maxLength?: unknown };
  if (typeof node.maxLength === 'number') return node.maxLength;
  if (node.in !== undefined) return longestText(node.in);
  if (Array.isArray(node.options)) {
    const limits = node.options.map(longestText).filter((limit): limit is number => limit !== null);
    return limits.length > 0 ? Math.max(...limits) : null;
  }
  return null;
}

/** The words of one setting in one language. */
export function policyWords(key: SettingKey, language: PolicyLanguage): PolicyWords {
  if (language === 'ko-KR') return POLICY_WORDS_KO[key];
  const row = SETTINGS_TABLE[key];
  return { name: POLICY_TITLES_EN[key], description: row.description, accepts: row.accepts };
}

const CATEGORIES = Object.keys(POLICY_CATEGORIES) as PolicyCategory[];
/** The ADMX id of a category (`Tessera_connection`, …). */
export const categoryId = (category: PolicyCategory) => `Tessera_${category}`;

/** Escapes text for XML content and attribute values. */
function xml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

const GENERATED = 'Generated from main/core/config/settings-table.ts by npm run docs:policies; do not edit.';
const POLICY_NS = 'http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions';
const ROOT_ATTRIBUTES = `xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0" xmlns="${POLICY_NS}"`;

/** The registry type a setting is written as, for the explanation text. */
function registryType(shape: PolicyShape): string {
  if (shape.kind === 'boolean') return 'REG_DWORD (1 / 0)';
  if (shape.kind === 'integer') return 'REG_DWORD';
  return shape.kind === 'text' && shape.json ? 'REG_SZ (JSON)' : 'REG_SZ';
}

/** The policies (build/policies/tessera.admx): one per setting, machine and user ("Both"). */
export function renderAdmx(): string {
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<!-- ${GENERATED} -->`,
    `<policyDefinitions ${ROOT_ATTRIBUTES}>`,
    '  <policyNamespaces>',
    '    <target prefix="tessera" namespace="Tessera.Policies.Tessera" />',
    '  </policyNamespaces>',
    '  <resources minRequiredRevision="1.0" />',
    '  <supportedOn>',
    '    <definitions>',
    '      <definition name="SUPPORTED_Tessera" displayName="$(string.SUPPORTED_Tessera)" />',
    '    </definitions>',
    '  </supportedOn>',
    '  <categories>',
    '    <category name="Tessera" displayName="$(string.Tessera)" />',
    ...CATEGORIES.map(
      (category) =>
        `    <category name="${categoryId(category)}" displayName="$(string.${categoryId(category)})"><parentCategory ref="Tessera" /></category>`,
    ),
    '  </categories>',
    '  <policies>',
  ];
  for (const key of TABLE_KEYS) {
    const shape = policyShape(key);
    const common = `name="${key}" class="Both" displayName="$(string.${key})" explainText="$(string.${key}_Explain)" key="${xml(REGISTRY_POLICY_KEY)}"`;
    const head = [
      `      <parentCategory ref="${categoryId(POLICY_CATEGORY_OF[key])}" />`,
      '      <supportedOn ref="SUPPORTED_Tessera" />',
    ];
    if (shape.kind === 'boolean') {
      lines.push(
        `    <policy ${common} valueName="${key}">`,
        ...head,
        '      <enabledValue><decimal value="1" /></enabledValue>',
        '      <disabledValue><decimal value="0" /></disabledValue>',
        '    </policy>',
      );
      continue;
    }
    lines.push(`    <policy ${common} presentation="$(presentation.${key})">`, ...head, '      <elements>');
    if (shape.kind === 'integer')
      lines.push(
        `        <decimal id="${key}" valueName="${key}" required="true" minValue="${shape.min}" maxValue="${shape.max}" />`,
      );
    else if (shape.kind === 'enum') {
      lines.push(`        <enum id="${key}" valueName="${key}" required="true">`);
      for (const option of shape.options)
        lines.push(
          `          <item displayName="$(string.${key}_${enumId(option)})"><value><string>${xml(option)}</string></value></item>`,
        );
      lines.push('        </enum>');
    } else
      lines.push(
        `        <text id="${key}" valueName="${key}" required="${shape.required}" maxLength="${shape.maxLength}" />`,
      );
    lines.push('      </elements>', '    </policy>');
  }
  lines.push('  </policies>', '</policyDefinitions>', '');
  return lines.join('\n');
}

/** A string id for an enum value (ids allow letters, digits and _). */
function enumId(option: string): string {
  return option.replace(/[^A-Za-z0-9]/g, '_');
}

/** The explanation shown in the Group Policy editor. */
function explainText(key: SettingKey, language: PolicyLanguage): string {
  const words = policyWords(key, language);
  const template = TEMPLATE_WORDS[language];
  return [
    words.description,
    '',
    `${template.accepts}: ${words.accepts}`,
    `${template.default}: ${JSON.stringify(SETTINGS_TABLE[key].default)}`,
    `${template.registry}: ${REGISTRY_POLICY_KEY}\\${key} — ${registryType(policyShape(key))}`,
    '',
    template.precedence,
  ].join('\n');
}

/** The strings and presentations of one language (build/policies/<language>/tessera.adml). */
export function renderAdml(language: PolicyLanguage): string {
  const template = TEMPLATE_WORDS[language];
  const strings: [string, string][] = [
    ['Tessera', template.root],
    ['SUPPORTED_Tessera', template.supportedOn],
    ...CATEGORIES.map((category): [string, string] => [
      categoryId(category),
      POLICY_CATEGORIES[category][language],
    ]),
  ];
  const presentations: string[] = [];
  for (const key of TABLE_KEYS) {
    const words = policyWords(key, language);
    const shape = policyShape(key);
    strings.push([key, words.name], [`${key}_Explain`, explainText(key, language)]);
    const defaultValue = SETTINGS_TABLE[key].default;
    if (shape.kind === 'integer')
      presentations.push(
        `      <presentation id="${key}"><decimalTextBox refId="${key}" defaultValue="${String(defaultValue)}">${xml(words.name)}</decimalTextBox></presentation>`,
      );
    else if (shape.kind === 'enum') {
      for (const option of shape.options) strings.push([`${key}_${enumId(option)}`, option]);
      presentations.push(
        `      <presentation id="${key}"><dropdownList refId="${key}" noSort="true" defaultItem="${Math.max(0, shape.options.indexOf(String(defaultValue)))}">${xml(words.name)}</dropdownList></presentation>`,
      );
    } else if (shape.kind === 'text') {
      const text = typeof defaultValue === 'string' ? defaultValue : '';
      presentations.push(
        `      <presentation id="${key}"><textBox refId="${key}"><label>${xml(words.name)}</label>${text === '' ? '' : `<defaultValue>${xml(text)}</defaultValue>`}</textBox></presentation>`,
      );
    }
  }
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    `<!-- ${GENERATED} -->`,
    `<policyDefinitionResources ${ROOT_ATTRIBUTES}>`,
    `  <displayName>${xml(template.root)}</displayName>`,
    `  <description>${xml(template.description)}</description>`,
    '  <resources>',
    '    <stringTable>',
    ...strings.map(([id, text]) => `      <string id="${id}">${xml(text)}</string>`),
    '    </stringTable>',
    '    <presentationTable>',
    ...presentations,
    '    </presentationTable>',
    '  </resources>',
    '</policyDefinitionResources>',
    '',
  ].join('\n');
}

/**
 * The values of the example profile: the IT guide's example organisation where a default would be
 * useless to lock (the API on this computer, no updates), each setting's default elsewhere.
 */
export const EXAMPLE_POLICY: Partial<Settings> = {
  apiBaseUrl: 'https://api.corp.example',
  updateUrl: 'https://updates.corp.example/tessera/',
  authMode: 'oidc',
  oidcIssuer: 'https://sso.corp.example/realms/corp',
  oidcClientId: 'tessera-desktop',
  oidcProviderName: 'Corp SSO',
};

/** A stable UUID for a profile identifier (the generated file must not change from run to run). */
function stableUuid(name: string): string {
  const hex = createHash('sha1').update(name).digest('hex');
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`.toUpperCase();
}

/** Text for an XML comment, which must not contain `--`. */
function comment(text: string): string {
  return text.replaceAll('--', '—');
}

/** One plist value, indented. */
function plistValue(value: unknown, indent: string): string[] {
  if (typeof value === 'boolean') return [`${indent}<${value}/>`];
  if (typeof value === 'number') return [`${indent}<integer>${value}</integer>`];
  if (typeof value === 'string') return [`${indent}<string>${xml(value)}</string>`];
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${indent}<dict/>`];
    return [
      `${indent}<dict>`,
      ...entries.flatMap(([key, inner]) => [
        `${indent}  <key>${xml(key)}</key>`,
        ...plistValue(inner, `${indent}  `),
      ]),
      `${indent}</dict>`,
    ];
  }
  throw new Error(`no plist form for ${JSON.stringify(value)}`);
}

/** The example value of `key` in the profile (authContract's null has no plist form: an empty dict, no changes). */
export function exampleValue(key: SettingKey): unknown {
  const value = EXAMPLE_POLICY[key] ?? SETTINGS_TABLE[key].default;
  return value === null ? {} : value;
}

/**
 * An example macOS configuration profile (build/policies/tessera.mobileconfig): one payload of the
 * app's preference domain with every setting, for Jamf, Intune or any MDM; every key in it is locked.
 */
export function renderMobileconfig(): string {
  const settings = TABLE_KEYS.flatMap((key) => [
    `      <!-- ${comment(`${SETTINGS_TABLE[key].description} Accepts: ${SETTINGS_TABLE[key].accepts}`)} -->`,
    `      <key>${key}</key>`,
    ...plistValue(exampleValue(key), '      '),
  ]);
  const payload = (key: string, value: unknown, indent: string) => [
    `${indent}<key>${key}</key>`,
    ...plistValue(value, indent),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    `<!-- ${GENERATED} An example: keep only the keys you mean to lock, put your values in, and give the profile your own PayloadUUIDs (uuidgen). -->`,
    '<plist version="1.0">',
    '<dict>',
    '  <key>PayloadContent</key>',
    '  <array>',
    '    <dict>',
    ...payload('PayloadType', MANAGED_PREFERENCES_DOMAIN, '      '),
    ...payload('PayloadVersion', 1, '      '),
    ...payload('PayloadIdentifier', `${MANAGED_PREFERENCES_DOMAIN}.policy.settings`, '      '),
    ...payload('PayloadUUID', stableUuid(`${MANAGED_PREFERENCES_DOMAIN}.policy.settings`), '      '),
    ...payload('PayloadDisplayName', 'Tessera settings', '      '),
    ...payload('PayloadEnabled', true, '      '),
    ...settings,
    '    </dict>',
    '  </array>',
    ...payload('PayloadDisplayName', 'Tessera policy (example)', '  '),
    ...payload('PayloadDescription', 'Locks Tessera settings for every user of this Mac.', '  '),
    ...payload('PayloadIdentifier', `${MANAGED_PREFERENCES_DOMAIN}.policy`, '  '),
    ...payload('PayloadOrganization', 'Example Corp', '  '),
    ...payload('PayloadScope', 'System', '  '),
    ...payload('PayloadType', 'Configuration', '  '),
    ...payload('PayloadUUID', stableUuid(`${MANAGED_PREFERENCES_DOMAIN}.policy`), '  '),
    ...payload('PayloadVersion', 1, '  '),
    '</dict>',
    '</plist>',
    '',
  ].join('\n');
}

/** Every generated file, by its path under build/policies/. */
export function renderPolicyTemplates(): Record<string, string> {
  const files: Record<string, string> = {
    'tessera.admx': renderAdmx(),
    'tessera.mobileconfig': renderMobileconfig(),
  };
  for (const language of POLICY_LANGUAGES) files[`${language}/tessera.adml`] = renderAdml(language);
  return files;
}
