import { type SettingTrust, settingTrust } from '../../../common/settings';
import { SETTINGS_TABLE, TABLE_KEYS } from './settings-table';

/** The trust column: who may change a setting besides IT policy, command line and environment. */
const TRUST_WORDS: Record<SettingTrust, string> = {
  preference: 'preference: the person, in Settings',
  connection: 'connection: the person, after confirming in a dialog',
  admin: 'admin: policy, command line or environment only',
};

/** Escapes a cell for a Markdown table. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** The settings table of docs/configuration.md, generated from SETTINGS_TABLE so the docs cannot drift from the code. */
export function renderSettingsTable(): string {
  const lines = [
    '| setting | who may change it | environment | command line | default | accepts | meaning |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const key of TABLE_KEYS) {
    const row = SETTINGS_TABLE[key];
    const cli = row.text === 'boolean' ? `\`${row.cli}\`, \`--no-${row.cli.slice(2)}\`` : `\`${row.cli}\``;
    lines.push(
      `| \`${key}\` | ${TRUST_WORDS[settingTrust(key)]} | \`${row.env}\` | ${cli} | \`${JSON.stringify(row.default)}\` | ${cell(row.accepts)} | ${cell(row.description)} |`,
    );
  }
  return lines.join('\n');
}
