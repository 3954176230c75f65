import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { SETTINGS_DOC, withSettingsTable } from '../../scripts/readme-settings';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The README and the documents it splits into, by audience. */
const DOCS = [
  'docs/development.md',
  'docs/architecture.md',
  'docs/configuration.md',
  'docs/oidc-providers.md',
  'docs/backends.md',
  'docs/it-guide.md',
  'server/README.md',
  'e2e/README.md',
  'bench/README.md',
  'docs/screenshots.md',
];
const ALL = ['README.md', ...DOCS];
const README_LIMIT_BYTES = 10 * 1024;

/** Markdown without fenced code blocks and inline code, where `](` is not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Targets of the Markdown links and images in `markdown` that are not absolute URLs. */
function relativeLinks(markdown: string): string[] {
  const targets = [...prose(markdown).matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] ?? '');
  return targets.filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** The packages of each `sudo apt-get install -y` command in `markdown`, with its continuation lines. */
function aptLists(markdown: string): string[][] {
  return markdown
    .split('sudo apt-get install -y ')
    .slice(1)
    .map((rest) => {
      const lines = rest.split('\n');
      const end = lines.findIndex((line) => !line.endsWith('\\'));
      const text = lines
        .slice(0, end + 1)
        .join(' ')
        .replaceAll('\\', ' ');
      return text.split(/\s+/).filter(Boolean);
    });
}

describe('README.md', () => {
  const readme = read('README.md');

  it(`stays under ${README_LIMIT_BYTES} bytes`, () => {
    expect(Buffer.byteLength(readme, 'utf8')).toBeLessThanOrEqual(README_LIMIT_BYTES);
  });

  it('links to every document', () => {
    const linked = new Set(relativeLinks(readme));
    expect(DOCS.filter((doc) => !linked.has(doc))).toEqual([]);
  });

  it('lists what npm install and npm start need, and in docs/development.md what only the tests need: together what .ci/run installs', () => {
    const [build, ...more] = aptLists(readme);
    expect(build).toEqual(['build-essential', 'python3', 'libsecret-1-dev']);
    // The README stays short: the tests' packages are in docs/development.md, which it links.
    expect(more).toEqual([]);
    const tests = aptLists(read('docs/development.md'));
    expect(tests.length).toBeGreaterThan(0);
    const ci = /packages=\(([^)]*)\)/.exec(read('.ci/run'))?.[1]?.split(/\s+/).filter(Boolean);
    expect([...(build ?? []), ...tests.flat()].sort()).toEqual(ci?.sort());
    // The first command block is the newcomer's: install, then start; the test command after it.
    expect(readme.indexOf('npm install')).toBeLessThan(readme.indexOf('npm start'));
    expect(readme.indexOf('npm start')).toBeLessThan(readme.indexOf('npm test'));
  });

  it('states the supported Node versions', () => {
    expect(readme).toMatch(/Node 20\.19 or newer, 22 LTS and 24 LTS/);
    expect(readme).toContain('npm run test:node-versions');
  });
});

describe('the documentation', () => {
  it.each(ALL)('%s links only to files that exist, without anchors', (path) => {
    const broken = relativeLinks(read(path)).filter((target) => {
      if (target.includes('#')) return true;
      const file = join(ROOT, dirname(path), decodeURI(target));
      return relative(ROOT, file).startsWith('..') || !existsSync(file) || !statSync(file).isFile();
    });
    expect(broken).toEqual([]);
  });

  it(`documents every setting in ${SETTINGS_DOC} exactly as the settings table defines it`, () => {
    const doc = read(SETTINGS_DOC);
    expect(doc).toBe(withSettingsTable(doc));
  });

  it('holds the generated settings table once, in its document only', () => {
    for (const path of ALL) {
      const count = read(path).split('<!-- settings-table:start -->').length - 1;
      expect(count, path).toBe(path === SETTINGS_DOC ? 1 : 0);
    }
  });

  it('keeps the session diagram between its markers in docs/architecture.md', () => {
    const doc = read('docs/architecture.md');
    const start = doc.indexOf('<!-- session-diagram:start -->');
    const end = doc.indexOf('<!-- session-diagram:end -->');
    expect(start).toBeGreaterThanOrEqual(0);
    expect(end).toBeGreaterThan(start);
  });

  it('describes every npm script somewhere', () => {
    const text = ALL.map(read).join('\n');
    const missing = Object.keys(pkg.scripts).filter(
      (name) =>
        !text.includes(`\`npm ${name === 'start' || name === 'test' ? '' : 'run '}${name}`) &&
        !text.includes(`\`${name}\``),
    );
    expect(missing).toEqual([]);
  });
});
