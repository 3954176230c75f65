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

// electron-updater and what it loads at once (semver, js-yaml, fs-extra, lodash.isequal…) are about 0.5 MB
// of the bundle that ran at every launch before Electron was ready, updates on or off; imported only
// dynamically (main/updates/setup-updates.ts, once updates are on), the bundler puts them in a chunk of
// their own that a launch without updates never loads.
describe('electron-updater in the main process', () => {
  it('is imported only dynamically, never by a static import that loads it at launch', () => {
    const sources = ['main', 'common']
      .flatMap((dir) =>
        readdirSync(`${ROOT}/${dir}`, { recursive: true, encoding: 'utf8' }).map((file) => `${dir}/${file}`),
      )
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'));
    const staticImport = /^\s*import\s+(?!type\b)[^;]*?\bfrom\s+['"]electron-updater['"]/m;
    const dynamicImport = /\bimport\(\s*['"]electron-updater['"]\s*\)/;
    expect(sources.length).toBeGreaterThan(50);
    expect(sources.filter((file) => staticImport.test(readFileSync(`${ROOT}/${file}`, 'utf8')))).toEqual([]);
    expect(sources.filter((file) => dynamicImport.test(readFileSync(`${ROOT}/${file}`, 'utf8')))).toEqual([
      'main/updates/setup-updates.ts',
    ]);
  });
});
