// The main process bundle carries its pure-JavaScript dependencies: electron.vite.config.ts bundles
// every runtime dependency but the native keytar, and its build plugin (scripts/main-bundle-check.mjs)
// fails `npm run build` when out/main would still load anything else from node_modules.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUNDLED_DEPENDENCIES, NATIVE_DEPENDENCIES } from '../../electron.vite.config';
import { externalSpecifiers, unexpectedImports } from '../../scripts/main-bundle-check.mjs';

const ROOT = `${import.meta.dirname}/../..`;
const dependencies = Object.keys(
  (JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { dependencies: Record<string, string> })
    .dependencies,
);

describe('the main process bundle', () => {
  it('bundles every runtime dependency except the native keytar', () => {
    expect(NATIVE_DEPENDENCIES).toEqual(['keytar']);
    expect([...BUNDLED_DEPENDENCIES].sort()).toEqual(dependencies.filter((name) => name !== 'keytar').sort());
    expect(BUNDLED_DEPENDENCIES).toEqual(
      expect.arrayContaining(['ky', 'zod', 'openid-client', 'jwt-decode', 'electron-updater']),
    );
  });

  it('may load only built-ins, electron and keytar at run time', () => {
    expect(
      unexpectedImports(
        ['fs', 'node:fs', 'node:fs/promises', 'child_process', 'electron', 'electron/main', 'keytar'],
        ['keytar'],
      ),
    ).toEqual([]);
    expect(unexpectedImports(['ky', 'zod', 'node:fs', 'semver', 'ky', 'keytar-ish'], ['keytar'])).toEqual([
      'keytar-ish',
      'ky',
      'semver',
      'zod',
    ]);
  });

  it("reads a chunk's imports, dynamic imports and the bundler's CommonJS requires, not other chunks", () => {
    const chunk = {
      code: 'var fs = __require("fs");\nvar semver = __require( \'semver\' );\n// require("in-a-comment")',
      imports: ['electron', 'chunk-abc.js'],
      dynamicImports: ['keytar'],
    };
    expect(externalSpecifiers(chunk, new Set(['index.js', 'chunk-abc.js']))).toEqual([
      'electron',
      'keytar',
      'fs',
      'semver',
    ]);
  });
});

// What main's bundle runs before Electron can be ready delays the window. Three imports are therefore
// only dynamic, each in the one place that needs it, so the bundler leaves them out of the entry chunk:
// - electron-updater and what it loads at once (semver, js-yaml, fs-extra, lodash.isequal…): about
//   0.5 MB, run at every launch, updates on or off; imported once updates are on
//   (main/updates/setup-updates.ts), in a chunk a launch without updates never loads;
// - ky, whose module builds a fetch `Request` as it loads, which loads Node's fetch implementation
//   (undici, 25–35 ms on Node 20); loaded once the window is open (main/core/ky-loader.ts);
// - node:http, whose ES module import loads undici too on Node 22 and later (Electron's Node); the
//   OpenID Connect loopback listener imports it when it opens (main/core/oidc/loopback-server.ts).
// `npm run bench` measures the result (`mainStart`).
describe('imports main loads only when it needs them', () => {
  const sources = ['main', 'common']
    .flatMap((dir) =>
      readdirSync(`${ROOT}/${dir}`, { recursive: true, encoding: 'utf8' }).map((file) => `${dir}/${file}`),
    )
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
  const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

  it.each([
    ['electron-updater', 'main/updates/setup-updates.ts'],
    ['ky', 'main/core/ky-loader.ts'],
    ['node:http', 'main/core/oidc/loopback-server.ts'],
  ])('%s is imported only dynamically, in %s', (specifier, where) => {
    // A value import (`import x from`, `import { a, type B } from`), not `import type`.
    const staticImport = new RegExp(
      `^\\s*import\\s+(?!type\\b)[^;]*?\\bfrom\\s+['"]${escapeRegExp(specifier)}['"]`,
      'm',
    );
    const dynamicImport = new RegExp(`\\bimport\\(\\s*['"]${escapeRegExp(specifier)}['"]\\s*\\)`);
    expect(sources.length).toBeGreaterThan(50);
    expect(sources.filter((file) => staticImport.test(readFileSync(`${ROOT}/${file}`, 'utf8')))).toEqual([]);
    expect(sources.filter((file) => dynamicImport.test(readFileSync(`${ROOT}/${file}`, 'utf8')))).toEqual([
      where,
    ]);
  });
});
