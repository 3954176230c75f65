import { SETTINGS_TABLE, TABLE_KEYS } from './settings-table';

/** Escapes a cell for a Markdown table. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** The README's settings table, generated from SETTINGS_TABLE so the docs cannot drift from the code. */
export function renderSettingsTable(): string {
  const lines = [
    '| setting | environment | command line | default | accepts | meaning |',
    '|---|---|---|---|---|---|',
  ];
  for (const key of TABLE_KEYS) {
    const row = SETTINGS_TABLE[key];
    const cli = row.text === 'boolean' ? `\`${row.cli}\`, \`--no-${row.cli.slice(2)}\`` : `\`${row.cli}\``;
    lines.push(
      `| \`${key}\` | \`${row.env}\` | ${cli} | \`${JSON.stringify(row.default)}\` | ${cell(row.accepts)} | ${cell(row.description)} |`,
    );
  }
  return lines.join('\n');
}
