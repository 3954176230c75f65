// `npm run docs:bench`: rewrites the Performance table in README.md and the recorded figures in
// bench/README.md from bench/results.json, so neither can drift from the last recorded run;
// test/docs/bench-table.test.ts fails when one has.
import { readFileSync, writeFileSync } from 'node:fs';
import { withRecordedFigures } from './recorded-figures';
import { type Results, withReadmeTable } from './report';

const README = new URL('../README.md', import.meta.url);
const BENCH_README = new URL('./README.md', import.meta.url);
const RESULTS = new URL('./results.json', import.meta.url);

if (process.argv[1]?.endsWith('readme-table.ts')) {
  const results = JSON.parse(readFileSync(RESULTS, 'utf8')) as Results;
  writeFileSync(README, withReadmeTable(readFileSync(README, 'utf8'), results));
  writeFileSync(BENCH_README, withRecordedFigures(readFileSync(BENCH_README, 'utf8'), results));
  console.log(
    'README.md Performance table and bench/README.md recorded figures updated from bench/results.json',
  );
}
