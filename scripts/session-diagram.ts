// Rewrites the session state diagram in docs/architecture.md from the transition table
// (main/core/session/table.ts). `npm run docs:session`; a unit test fails when the two drift apart.
import { readFileSync, writeFileSync } from 'node:fs';
import { sessionDiagramMarkdown } from '../main/core/session/table';

const path = new URL('../docs/architecture.md', import.meta.url);
const doc = readFileSync(path, 'utf8');
const markers = /(<!-- session-diagram:start -->\n)[\s\S]*?(\n<!-- session-diagram:end -->)/;
if (!markers.test(doc)) throw new Error('docs/architecture.md has no session-diagram markers');
const next = doc.replace(
  markers,
  (_match, start: string, end: string) => `${start}${sessionDiagramMarkdown()}${end}`,
);
if (next !== doc) writeFileSync(path, next);
console.log(
  next === doc ? 'docs/architecture.md: diagram up to date' : 'docs/architecture.md: diagram rewritten',
);
