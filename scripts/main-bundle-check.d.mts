// Types for main-bundle-check.mjs (loaded by electron.vite.config.ts and its test).
import type { Plugin } from 'vite';

export declare function unexpectedImports(specifiers: Iterable<string>, native: readonly string[]): string[];
export declare function externalSpecifiers(
  chunk: { code: string; imports: readonly string[]; dynamicImports: readonly string[] },
  chunkFiles: ReadonlySet<string>,
): string[];
export declare function checkMainBundle(native: readonly string[]): Plugin;
