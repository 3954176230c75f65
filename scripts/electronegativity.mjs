#!/usr/bin/env node
// Security gate: runs Electronegativity over the main, preload and renderer sources and exits 1 on any
// finding that security/electronegativity-allowlist.json does not justify (matched by check id + file),
// or when the tool did not run completely. The findings are the tool's in-memory result; no report
// file is written or read. Needs no network and pins the Electron version to the installed one.
//   npm run security:check
//   node scripts/electronegativity.mjs [--root <dir>] [--allowlist <file>]
// --root scans <dir>/{main,preload,renderer} instead of this repository's (the tests use a fixture
// tree); --allowlist defaults to <root>/security/electronegativity-allowlist.json.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  evaluateFindings,
  formatFindingsTable,
  parseAllowlist,
  readRun,
} from './electronegativity-report.mjs';
import { runElectronegativity } from './electronegativity-runner.mjs';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['main', 'preload', 'renderer'];
const SCANNED = /\.(ts|tsx|js|jsx|html|htm|json)$/;
// Tests and test helpers are not shipped and may hold deliberately unsafe fixtures.
const NOT_SHIPPED =
  /(\.(test|spec)\.[cm]?[jt]sx?$)|(^|\/)(test-support|__tests__|fixtures)\/|(^|\/)test-[^/]*$/;

class GateFailure extends Error {}

function fail(message) {
  throw new GateFailure(message);
}

function listFiles(root, dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(root, full));
    else out.push(relative(root, full).replaceAll('\\', '/'));
  }
  return out;
}

/** Copies the shipped sources into a scratch tree with the same relative paths (so findings name real files). */
function stageSources(root, stageDir) {
  let staged = 0;
  for (const dir of SOURCE_DIRS) {
    if (!existsSync(join(root, dir))) fail(`source folder ${dir}/ is missing`);
    for (const file of listFiles(root, join(root, dir))) {
      if (!SCANNED.test(file) || NOT_SHIPPED.test(file)) continue;
      mkdirSync(dirname(join(stageDir, file)), { recursive: true });
      copyFileSync(join(root, file), join(stageDir, file));
      staged += 1;
    }
  }
  return staged;
}

/** The installed Electron's version: the tool is told it, so it never looks one up. */
function installedElectronVersion() {
  const require = createRequire(import.meta.url);
  return JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
}

/** Stages, scans, checks the run is complete and compares it with the allowlist; throws GateFailure. */
async function scan(root, allowlistPath, stageDir) {
  const shownAllowlist = relative(root, allowlistPath) || allowlistPath;
  let allowlist;
  try {
    allowlist = parseAllowlist(JSON.parse(readFileSync(allowlistPath, 'utf8')));
  } catch (error) {
    fail(`cannot use ${shownAllowlist}: ${error.message}`);
  }
  const staged = stageSources(root, stageDir);
  if (staged === 0) fail('no source files to scan');
  const electronVersion = installedElectronVersion();
  console.log(
    `electronegativity: scanning ${staged} files in ${SOURCE_DIRS.join('/, ')}/ (Electron ${electronVersion})…`,
  );

  let run;
  try {
    run = readRun(await runElectronegativity(stageDir, electronVersion));
  } catch (error) {
    fail(`Electronegativity did not complete: ${error.stack ?? error}`);
  }
  if (run.checks === 0) fail('Electronegativity loaded no checks');
  for (const warning of run.warnings) {
    console.warn(
      `electronegativity: warning while parsing ${relative(stageDir, warning.file)}: ${warning.message}`,
    );
  }
  if (run.unparsed.length > 0) {
    const list = run.unparsed
      .map((error) => `  ${relative(stageDir, error.file)}: ${error.message}`)
      .join('\n');
    fail(`${run.unparsed.length} file(s) could not be parsed, so they were not checked:\n${list}`);
  }

  const evaluation = evaluateFindings(run.findings, allowlist);
  console.log(`\n${formatFindingsTable(evaluation)}\n`);
  for (const entry of evaluation.stale) {
    console.warn(
      `electronegativity: allowlist entry ${entry.check} in ${entry.file} matched nothing; remove it.`,
    );
  }
  if (evaluation.unexpected.length > 0) {
    fail(
      `${evaluation.unexpected.length} finding(s) not in ${shownAllowlist}. Fix the code, or add ` +
        '{ check, file, justification } there if the finding is a false positive.',
    );
  }
  console.log(
    `electronegativity: OK — ${run.checks} checks, ${run.findings.length} finding(s), all justified in the allowlist.`,
  );
}

const { values } = parseArgs({
  options: { root: { type: 'string' }, allowlist: { type: 'string' } },
  strict: true,
});
const root = resolve(values.root ?? repoRoot);
const allowlistPath = resolve(values.allowlist ?? join(root, 'security', 'electronegativity-allowlist.json'));
const work = mkdtempSync(join(tmpdir(), 'tessera-electronegativity-'));
try {
  await scan(root, allowlistPath, join(work, 'src'));
} catch (error) {
  if (!(error instanceof GateFailure)) throw error;
  console.error(`electronegativity: FAIL — ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
