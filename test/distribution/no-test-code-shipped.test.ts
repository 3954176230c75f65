// The app's folders hold the app and its tests, never test helpers (those live in test/support/), and the
// app's own files never import test code: a helper reached from app code would ship in the bundle.
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codeOf, isTestCode, shippedSources, typeScriptSources } from './source-scan';

/** What electron-vite bundles: main and preload, the renderer's sources, and common/ they all share. */
const APP_FOLDERS = ['main', 'common', 'preload', 'renderer/src'];

/** Folders of the repository that hold only tests, test helpers and tooling. */
const TEST_FOLDERS = /^(test|e2e|bench)\//;
const TEST_PACKAGES = /^(vitest|@vitest\/|@playwright\/test$|playwright)/;

/** The module specifiers of every import, re-export, dynamic import and require in `code`. */
function importsIn(code: string): string[] {
  const pattern =
    /\bfrom\s*(['"])([^'"]+)\1|\bimport\s*\(?\s*(['"])([^'"]+)\3|\brequire\s*\(\s*(['"])([^'"]+)\5/g;
  return [...code.matchAll(pattern)].map((m) => m[2] ?? m[4] ?? m[6] ?? '');
}

/** Whether `specifier`, imported by the repository file `from`, is test code or a test framework. */
function isTestImport(from: string, specifier: string): boolean {
  if (!specifier.startsWith('.')) return TEST_PACKAGES.test(specifier) || specifier.includes('test-support');
  const target = posix.normalize(posix.join(posix.dirname(from), specifier));
  if (target.startsWith('../') || TEST_FOLDERS.test(target)) return true;
  return isTestCode(/\.[cm]?[jt]sx?$/.test(target) ? target : `${target}.ts`);
}

describe('test code and the shipped folders', () => {
  it('keeps test helpers out of the shipped folders: the only test code there is *.test.ts files', () => {
    const all = APP_FOLDERS.flatMap(typeScriptSources);
    expect(all.length).toBeGreaterThan(50);
    expect(all.filter((file) => isTestCode(file) && !/\.test\.tsx?$/.test(file))).toEqual([]);
  });

  it('never imports test code, test helpers or a test framework from a shipped file', () => {
    const files = APP_FOLDERS.flatMap(shippedSources);
    const specifiers = files.flatMap((file) =>
      importsIn(codeOf(file)).map((specifier) => ({ file, specifier })),
    );
    expect(specifiers.length).toBeGreaterThan(files.length);
    expect(specifiers.filter(({ file, specifier }) => isTestImport(file, specifier))).toEqual([]);
  });

  it('recognises each kind of test import (so the scan above cannot pass by missing them)', () => {
    const from = 'main/core/session/session.ts';
    for (const specifier of [
      '../../../test/support/fixtures',
      '../../../e2e/support/test-server',
      '../../../bench/app-path',
      '../test-support/fixtures',
      './session.test',
      '../ipc/test-fakes',
      '../../../../outside-the-repo',
      'vitest',
      '@playwright/test',
    ]) {
      expect(isTestImport(from, specifier), specifier).toBe(true);
    }
    for (const specifier of ['./model', '../vault', '../../../common/session', 'zod', 'electron']) {
      expect(isTestImport(from, specifier), specifier).toBe(false);
    }
    const sample = [
      "import { a } from './a';",
      "import type { B } from '../b';",
      "export * from './c';",
      "import './d.css';",
      "const e = await import('./e');",
      "const f = require('./f');",
    ].join('\n');
    expect(importsIn(sample)).toEqual(['./a', '../b', './c', './d.css', './e', './f']);
  });
});
