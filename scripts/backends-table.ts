// Rewrites the table of tested backends in docs/backends.md from the interop run's results
// (`TESSERA_INTEROP_RECORD=1 npm run test:interop`, then `npm run docs:backends`), so the table says
// what was proven; test/docs/backends.test.ts fails when it has drifted from test/interop/results.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { type BackendResult, readResults } from '../test/interop/report';

export const START = '<!-- backends-table:start -->';
export const END = '<!-- backends-table:end -->';

/** The document that holds the generated table, relative to the repository root. */
export const BACKENDS_DOC = 'docs/backends.md';

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** The Markdown table: one line per backend, in the suite's order. */
export function renderBackendsTable(results: readonly BackendResult[]): string {
  const lines = [
    '| backend | version tested | preset | tested against | what works |',
    '|---|---|---|---|---|',
  ];
  for (const result of results) {
    lines.push(
      `| ${cell(result.backend)} | ${cell(result.versions)} | \`${result.preset}\` | ${result.tested} | ${cell(result.works.join('; '))} |`,
    );
  }
  return lines.join('\n');
}

/** Document text with the generated table between the markers. */
export function withBackendsTable(doc: string, results: readonly BackendResult[]): string {
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${BACKENDS_DOC} lacks the backends-table markers`);
  return `${doc.slice(0, start + START.length)}\n${renderBackendsTable(results)}\n${doc.slice(end)}`;
}

if (process.argv[1]?.endsWith('backends-table.ts')) {
  const path = new URL(`../${BACKENDS_DOC}`, import.meta.url);
  writeFileSync(path, withBackendsTable(readFileSync(path, 'utf8'), readResults()));
  console.log(`${BACKENDS_DOC} backends table updated`);
}
