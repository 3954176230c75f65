// Child process of electronegativity.mjs: runs Electronegativity 1.10.3 through its own `run()` (what its
// CLI calls) and records what the CLI would hide. Separate process so the tool's asynchronous CSV writes
// are flushed by the time it exits, and so its global i18n and resolution patch stay out of the caller.
//   node scripts/electronegativity-runner.mjs <input dir> <out.csv> <out-meta.json> <electron version>
import { writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname } from 'node:path';

const [input, csvPath, metaPath, electronVersion] = process.argv.slice(2);
const require = createRequire(import.meta.url);

// Electronegativity parses TypeScript with @typescript-eslint/typescript-estree 4, which npm hoisted next to
// this project's TypeScript 7 (a native compiler without the JS API it needs: loading it crashes). Point
// that one `require('typescript')` at the TypeScript 4.2 Electronegativity ships in its own node_modules.
const toolDir = dirname(require.resolve('@doyensec/electronegativity/package.json'));
const bundledTypescript = require.resolve('typescript', { paths: [toolDir] });
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveWithBundledTypescript(request, parent, ...rest) {
  if (request === 'typescript' && parent?.filename && /[\\/]@typescript-eslint[\\/]/.test(parent.filename)) {
    return bundledTypescript;
  }
  return resolveFilename.call(this, request, parent, ...rest);
};

const electronegativity = require('@doyensec/electronegativity');
const run = electronegativity.default ?? electronegativity;
const result = await run(
  {
    input,
    output: csvPath,
    isSarif: false,
    isRelative: true,
    customScan: [],
    // Needs the Electron release list from the network and only looks at package.json, which is not
    // scanned here: Electron's version is pinned and upgraded on purpose, not judged by this gate.
    excludeFromScan: ['availablesecurityfixesglobalcheck'],
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  },
  false,
);
// In CSV mode the CLI drops parse errors silently; a file that failed to parse was not checked at all.
writeFileSync(
  metaPath,
  JSON.stringify({
    issues: result.issues.length,
    // The same findings as the tool returned them: the gate falls back to these for a CSV row the tool
    // wrote malformed (it sometimes drops a row's location columns).
    findings: result.issues.map(({ id, file, location, description }) => ({
      id,
      file,
      location,
      description,
    })),
    checks: result.globalChecks + result.atomicChecks,
    errors: result.errors.map(({ file, message, tolerable }) => ({ file, message, tolerable })),
  }),
);
