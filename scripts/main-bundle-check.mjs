// The check that makes `npm run build` prove the main process bundle is self-contained: out/main may
// import only Node's built-in modules, electron, and the native dependencies (keytar), which must load
// from node_modules at run time. Everything else (ky, zod, openid-client, jwt-decode, electron-updater
// and what they use) has to be inside the bundle. Used as a build plugin by electron.vite.config.ts.
import { isBuiltin } from 'node:module';

/**
 * The specifiers among `specifiers` that out/main may not import.
 * @param {Iterable<string>} specifiers
 * @param {readonly string[]} native
 */
export function unexpectedImports(specifiers, native) {
  const allowed = (specifier) =>
    isBuiltin(specifier) ||
    specifier === 'electron' ||
    specifier.startsWith('electron/') ||
    native.some((name) => specifier === name || specifier.startsWith(`${name}/`));
  return [...new Set(specifiers)].filter((specifier) => !allowed(specifier)).sort();
}

/**
 * Every module a chunk of the bundle loads from outside it: its static and dynamic imports that are not
 * other chunks, and the `__require("…")` calls the bundler emits for CommonJS code.
 * @param {{ code: string, imports: readonly string[], dynamicImports: readonly string[] }} chunk
 * @param {ReadonlySet<string>} chunkFiles
 */
export function externalSpecifiers(chunk, chunkFiles) {
  const required = [...chunk.code.matchAll(/\b__require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1] ?? '');
  return [...chunk.imports, ...chunk.dynamicImports, ...required].filter((id) => !chunkFiles.has(id));
}

/**
 * A Rollup/Rolldown plugin that fails the build when the bundle would import anything but built-ins,
 * electron and `native`.
 * @param {readonly string[]} native
 */
export function checkMainBundle(native) {
  return {
    name: 'tessera:check-main-bundle',
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((item) => item.type === 'chunk');
      const files = new Set(chunks.map((chunk) => chunk.fileName));
      const found = unexpectedImports(
        chunks.flatMap((chunk) => externalSpecifiers(chunk, files)),
        native,
      );
      if (found.length > 0) {
        this.error(
          `out/main would load ${found.join(', ')} from node_modules at run time; bundle it ` +
            '(electron.vite.config.ts BUNDLED_DEPENDENCIES) or, if it is native, list it in NATIVE_DEPENDENCIES',
        );
      }
    },
  };
}
