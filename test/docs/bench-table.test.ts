import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BENCHES, missingBenches, type Results, withReadmeTable } from '../../bench/report';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const results = () => JSON.parse(read('bench/results.json')) as Results;

describe("README's Performance table", () => {
  it('is the one `npm run docs:bench` generates from bench/results.json', () => {
    const readme = read('README.md');
    expect(readme).toBe(withReadmeTable(readme, results()));
  });

  it('says of every benchmark of a full run that bench/results.json lacks that it is not in the recorded run', () => {
    // The recorded run predates mainStart: the table must say so rather than drop the row.
    const missing = missingBenches(results());
    const readme = read('README.md');
    const table = readme.slice(
      readme.indexOf('<!-- bench-table:start -->'),
      readme.indexOf('<!-- bench-table:end -->'),
    );
    const saidMissing = [...table.matchAll(/^\| `(\w+)` \| not in the recorded run \|/gm)].map((m) => m[1]);
    expect(saidMissing).toEqual(missing);
    // And every benchmark of a full run is in the table, measured or said to be missing (after an
    // `--only` run, the figures kept from an earlier run carry a ¹).
    for (const bench of BENCHES.filter((b) => b !== 'server'))
      expect(table, bench).toMatch(new RegExp(`^\\| \`${bench}\`(?: ¹)? \\|`, 'm'));
  });
});
