// docs/backends.md's table of tested backends is generated from the interop run's recorded results
// (scripts/backends-table.ts); this keeps the table, the results and the suite in step.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { BACKENDS_DOC, withBackendsTable } from '../../scripts/backends-table';
import { INTEROP_BACKENDS, readResults, WALK_STEPS } from '../interop/report';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const results = readResults();

describe(`the tested-backends table of ${BACKENDS_DOC}`, () => {
  it('is exactly what the recorded interop results say (npm run docs:backends)', () => {
    const doc = read(BACKENDS_DOC);
    expect(doc).toBe(withBackendsTable(doc, results));
  });

  it('has a recorded result for every backend of the interop suite, once, in order', () => {
    expect(results.map((result) => result.id)).toEqual([...INTEROP_BACKENDS]);
  });

  it('comes from test files that record those backends', () => {
    const files = readdirSync(new URL('test/interop/', root)).filter((name) => name.endsWith('.test.ts'));
    const text = files.map((name) => read(`test/interop/${name}`)).join('\n');
    for (const id of INTEROP_BACKENDS) expect(text, id).toContain(`id: '${id}'`);
  });

  it('shows every step of the walk working for each real server', () => {
    for (const result of results.filter((entry) => entry.tested === 'real server'))
      expect(result.works, result.id).toEqual(expect.arrayContaining([...WALK_STEPS]));
  });

  it('names the pinned versions: a new pin needs a new recording', () => {
    const directus = JSON.parse(read('test/interop/directus/package.json'));
    const byId = Object.fromEntries(results.map((result) => [result.id, result.versions]));
    expect(byId.directus).toContain(`Directus ${directus.dependencies.directus} `);
    expect(byId['oauth2-password']).toBe(
      `@node-oauth/oauth2-server ${pkg.devDependencies['@node-oauth/oauth2-server']}`,
    );
  });
});
