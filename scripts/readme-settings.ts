// Rewrites the settings table in README.md from SETTINGS_TABLE (`npm run docs:settings`), so the
// documentation cannot drift from the code; test/docs/readme.test.ts fails when it has.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderSettingsTable } from '../main/core/config';

export const START = '<!-- settings-table:start -->';
export const END = '<!-- settings-table:end -->';

/** README text with the generated table between the markers. */
export function withSettingsTable(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error('README.md lacks the settings-table markers');
  return `${readme.slice(0, start + START.length)}\n${renderSettingsTable()}\n${readme.slice(end)}`;
}

if (process.argv[1]?.endsWith('readme-settings.ts')) {
  const path = new URL('../README.md', import.meta.url);
  writeFileSync(path, withSettingsTable(readFileSync(path, 'utf8')));
  console.log('README.md settings table updated');
}
