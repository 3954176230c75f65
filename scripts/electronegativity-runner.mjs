// Runs Electronegativity 1.10.3 through its programmatic API (`run()`, what its CLI calls) and returns
// the result object it builds in memory: no report file is written. Used by electronegativity.mjs.
//
// Three things about the tool are fixed here, before it is loaded, so that a run does not depend on the
// network or on Node's version:
//  1. Its parser (@typescript-eslint/typescript-estree 4) would load this project's TypeScript 7, which
//     has no JS API: it gets the TypeScript 4.2 the tool ships in its own node_modules instead.
//  2. `run()` first awaits dist/locales/i18n.js, which asks `got` for updated translations from the
//     tool's S3 bucket (1 s timeout). Offline that request fails, got retries it on a timer, and on
//     Node 24 got 11's retry resolves the already-settled p-cancelable promise again, which throws
//     "The `onCancel` handler was attached after the promise settled" and kills the process. The module
//     is replaced by one that loads the English messages the tool ships, so nothing is requested and
//     the descriptions do not depend on $LANG.
//  3. Every other `require('got')` from the tool gets a stand-in that rejects at once. The only other
//     user, AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK (Electron's release list from GitHub), is excluded
//     anyway; the stand-in makes sure that a check enabled later cannot reach the network either.
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const toolDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));

/**
 * Checks not run: it needs Electron's release list from the network and only judges package.json, which
 * is not scanned. Electron's version is pinned and upgraded on purpose, not judged by this gate.
 */
export const EXCLUDED_CHECKS = ['availablesecurityfixesglobalcheck'];

const OFFLINE_GOT = join(toolDir, '<offline got: the security gate makes no network requests>');

function cachedModule(filename, exports) {
  const module = new Module(filename);
  module.filename = filename;
  module.loaded = true;
  module.exports = exports;
  require.cache[filename] = module;
}

let prepared = false;

/** Installs the three fixes above, once per process (they patch Node's module loader). */
function prepareTool() {
  if (prepared) return;
  prepared = true;

  const bundledTypescript = require.resolve('typescript', { paths: [toolDir] });
  const resolveFilename = Module._resolveFilename;
  Module._resolveFilename = function resolveForElectronegativity(request, parent, ...rest) {
    const from = parent?.filename ?? '';
    if (request === 'typescript' && /[\\/]@typescript-eslint[\\/]/.test(from)) return bundledTypescript;
    if (request === 'got' && from.startsWith(toolDir)) return OFFLINE_GOT;
    return resolveFilename.call(this, request, parent, ...rest);
  };

  const offline = () =>
    Promise.reject(new Error('Electronegativity: network access is disabled by the security gate'));
  cachedModule(OFFLINE_GOT, Object.assign(offline, { get: offline, head: offline }));

  const i18n = require(require.resolve('i18n', { paths: [toolDir] }));
  const localesDir = join(toolDir, 'dist', 'locales');
  const offlineI18n = async () => {
    // Same configuration as the tool's own, minus the download; `register: global` defines `__`.
    i18n.configure({
      locales: ['en-US'],
      defaultLocale: 'en-US',
      directory: localesDir,
      updateFiles: false,
      objectNotation: true,
      retryInDefaultLocale: true,
      register: global,
    });
    i18n.setLocale('en-US');
  };
  cachedModule(join(localesDir, 'i18n.js'), Object.assign(offlineI18n, { default: offlineI18n }));
}

/**
 * Scans `input` (a directory) for Electron `electronVersion` and returns Electronegativity's own result:
 * `{ globalChecks, atomicChecks, errors: [{ file, message, tolerable }], issues: [...] }`, issue files
 * relative to `input`. Throws when the tool does.
 */
export async function runElectronegativity(input, electronVersion) {
  if (!electronVersion) throw new Error('an Electron version is required (nothing is looked up)');
  prepareTool();
  const electronegativity = require('@doyensec/electronegativity');
  const run = electronegativity.default ?? electronegativity;
  return run(
    {
      input,
      // No output file: the result is taken from memory.
      output: undefined,
      isSarif: false,
      isRelative: true,
      customScan: [],
      excludeFromScan: [...EXCLUDED_CHECKS],
      electronVersionOverride: electronVersion,
      parserPlugins: [],
    },
    false,
  );
}
