// `npm run docs:bench`: rewrites the Performance table in README.md from bench/results.json, so the
// README cannot drift from the last recorded run; test/docs/bench-table.test.ts fails when it has.
import { readFileSync, writeFileSync } from 'node:fs';
import { type Results, withReadmeTable } from './report';

const README = new URL('../README.md', import.meta.url);
const RESULTS = new URL('./results.json', import.meta.url);

if (process.argv[1]?.endsWith('readme-table.ts')) {
  const results = JSON.parse(readFileSync(RESULTS, 'utf8')) as Results;
  writeFileSync(README, withReadmeTable(readFileSync(README, 'utf8'), results));
  console.log('README.md Performance table updated from bench/results.json');
}
