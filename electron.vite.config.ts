import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { checkMainBundle } from './scripts/main-bundle-check.mjs';

/** Dependencies with native code: loaded from node_modules at run time (app.asar.unpacked), never bundled. */
export const NATIVE_DEPENDENCIES = ['keytar'];

const packageJson = JSON.parse(readFileSync(resolve(import.meta.dirname, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

/**
 * Every other runtime dependency (ky, zod, openid-client, jwt-decode, electron-updater) is pure
 * JavaScript and bundled into out/main: the packaged app then carries only the code it uses, and
 * `npm run build` fails if out/main imports anything else (scripts/main-bundle-check.mjs).
 */
export const BUNDLED_DEPENDENCIES = Object.keys(packageJson.dependencies).filter(
  (name) => !NATIVE_DEPENDENCIES.includes(name),
);

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: { exclude: BUNDLED_DEPENDENCIES },
      // Fails the build if out/main would still import a dependency from node_modules.
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'main/index.ts') },
        plugins: [checkMainBundle(NATIVE_DEPENDENCIES)],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot `require` anything but electron's own modules: bundle
      // everything into one CommonJS file.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'renderer'),
    build: {
      outDir: resolve(import.meta.dirname, 'out/renderer'),
      rolldownOptions: { input: { index: resolve(import.meta.dirname, 'renderer/index.html') } },
    },
  },
});
