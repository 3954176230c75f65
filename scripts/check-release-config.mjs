#!/usr/bin/env node
// Fails (exit 1) when the release and e2e electron-builder configs could be confused: a release with the
// inspector fuse on, an e2e build with a publish target or sharing the release's appId or output
// directory, a dist script building the wrong config, … Run by every `npm run dist*` before building,
// and by test/distribution/builder-config.test.ts.
//   node scripts/check-release-config.mjs [--release electron-builder.yml] [--e2e electron-builder.e2e.yml]
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  E2E_CONFIG_FILE,
  findReleaseConfigProblems,
  loadBuilderConfig,
  RELEASE_CONFIG_FILE,
} from './release-config.mjs';

const { values } = parseArgs({
  options: {
    release: { type: 'string', default: RELEASE_CONFIG_FILE },
    e2e: { type: 'string', default: E2E_CONFIG_FILE },
    'project-dir': { type: 'string', default: process.cwd() },
  },
});
const projectDir = resolve(values['project-dir']);

async function load(file) {
  try {
    return await loadBuilderConfig(projectDir, file);
  } catch (error) {
    console.error(
      `check-release-config: ${file} is not a valid electron-builder configuration:\n${error.message}`,
    );
    process.exit(1);
  }
}

const release = await load(values.release);
const e2e = await load(values.e2e);
const { scripts } = JSON.parse(readFileSync(resolve(projectDir, 'package.json'), 'utf8'));
const problems = findReleaseConfigProblems({ release, e2e, scripts, projectDir });

if (problems.length > 0) {
  console.error(`check-release-config: ${problems.length} problem(s) — refusing to build:`);
  for (const problem of problems) console.error(`  ✗ ${problem}`);
  process.exit(1);
}
console.log(
  `check-release-config: OK — ${values.release} (release fuses, output ${release.directories?.output}) and ` +
    `${values.e2e} (inspect fuse on, unpublished, output ${e2e.directories?.output}) cannot be confused.`,
);
