import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Results, withReadmeTable } from '../../bench/report';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

describe("README's Performance table", () => {
  it('is the one `npm run docs:bench` generates from bench/results.json', () => {
    const readme = read('README.md');
    const results = JSON.parse(read('bench/results.json')) as Results;
    expect(readme).toBe(withReadmeTable(readme, results));
  });
});
