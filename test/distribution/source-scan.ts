// Helpers for tests that read the app's own sources (no TypeScript JS API here: TypeScript 7 is native).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

const NOT_SHIPPED = /(\.(test|spec)\.[cm]?tsx?$)|(^|\/)(test-support|__tests__|fixtures)\/|(^|\/)test-[^/]*$/;

/** Whether a repository-relative path is a test or a test helper (never part of the app). */
export function isTestCode(rel: string): boolean {
  return NOT_SHIPPED.test(rel);
}

/** Every TypeScript source under `dir`, tests and test helpers included, repository-relative. */
export function typeScriptSources(dir: string): string[] {
  const out: string[] = [];
  const walk = (abs: string): void => {
    for (const name of readdirSync(abs)) {
      const full = join(abs, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const rel = relative(ROOT, full).replaceAll('\\', '/');
        if (/\.tsx?$/.test(rel)) out.push(rel);
      }
    }
  };
  walk(join(ROOT, dir));
  return out.sort();
}

/** Shipped TypeScript sources under `dir` (tests and test helpers excluded), repository-relative. */
export function shippedSources(dir: string): string[] {
  return typeScriptSources(dir).filter((file) => !isTestCode(file));
}

/**
 * The source with comments blanked out (strings kept), so a comment that mentions
 * `new BrowserWindow(` does not count as code. Template literals are treated as plain strings.
 */
export function codeOf(file: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  let out = '';
  let i = 0;
  while (i < text.length) {
    const two = text.slice(i, i + 2);
    const char = text.charAt(i);
    if (two === '//') {
      while (i < text.length && text[i] !== '\n') i += 1;
    } else if (two === '/*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (char === "'" || char === '"' || char === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== char) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += char;
      i += 1;
    }
  }
  return out;
}

/** Every match of `pattern` (global) in the comment-free code of each file, with its file. */
export function findInCode(files: string[], pattern: RegExp): Array<{ file: string; match: string }> {
  return files.flatMap((file) => [...codeOf(file).matchAll(pattern)].map((m) => ({ file, match: m[0] })));
}
