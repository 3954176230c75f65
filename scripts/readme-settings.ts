// Rewrites the settings table in docs/configuration.md from SETTINGS_TABLE (`npm run docs:settings`),
// so the documentation cannot drift from the code; test/docs/readme.test.ts fails when it has.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderSettingsTable } from '../main/core/config';

export const START = '<!-- settings-table:start -->';
export const END = '<!-- settings-table:end -->';

/** The document that holds the generated settings table, relative to the repository root. */
export const SETTINGS_DOC = 'docs/configuration.md';

/** Document text with the generated table between the markers. */
export function withSettingsTable(doc: string): string {
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${SETTINGS_DOC} lacks the settings-table markers`);
  return `${doc.slice(0, start + START.length)}\n${renderSettingsTable()}\n${doc.slice(end)}`;
}

if (process.argv[1]?.endsWith('readme-settings.ts')) {
  const path = new URL(`../${SETTINGS_DOC}`, import.meta.url);
  writeFileSync(path, withSettingsTable(readFileSync(path, 'utf8')));
  console.log(`${SETTINGS_DOC} settings table updated`);
}
