#!/usr/bin/env node
// Security gate: runs Electronegativity over the main, preload and renderer sources and exits 1 on any
// finding that security/electronegativity-allowlist.json does not justify (matched by check id + file),
// or when the tool did not produce a complete report. `npm run security:check`.
import { spawnSync } from 'node:child_process';
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
import {
  evaluateFindings,
  formatFindingsTable,
  parseAllowlist,
  parseElectronegativityCsv,
} from './electronegativity-report.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['main', 'preload', 'renderer'];
const SCANNED = /\.(ts|tsx|js|jsx|html|htm|json)$/;
// Tests and test helpers are not shipped and may hold deliberately unsafe fixtures.
const NOT_SHIPPED =
  /(\.(test|spec)\.[cm]?[jt]sx?$)|(^|\/)(test-support|__tests__|fixtures)\/|(^|\/)test-[^/]*$/;
const ALLOWLIST = join(root, 'security', 'electronegativity-allowlist.json');

class GateFailure extends Error {}

function fail(message) {
  throw new GateFailure(message);
}

function listFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules') continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full));
    else out.push(relative(root, full).replaceAll('\\', '/'));
  }
  return out;
}

/** Copies the shipped sources into a scratch tree with the same relative paths (so reports name real files). */
function stageSources(stageDir) {
  let staged = 0;
  for (const dir of SOURCE_DIRS) {
    if (!existsSync(join(root, dir))) fail(`source folder ${dir}/ is missing`);
    for (const file of listFiles(join(root, dir))) {
      if (!SCANNED.test(file) || NOT_SHIPPED.test(file)) continue;
      mkdirSync(dirname(join(stageDir, file)), { recursive: true });
      copyFileSync(join(root, file), join(stageDir, file));
      staged += 1;
    }
  }
  return staged;
}

const require = createRequire(import.meta.url);
const electronVersion = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
const work = mkdtempSync(join(tmpdir(), 'tessera-electronegativity-'));
const stageDir = join(work, 'src');
const csvPath = join(work, 'report.csv');
const metaPath = join(work, 'meta.json');
try {
  scan();
} catch (error) {
  if (!(error instanceof GateFailure)) throw error;
  console.error(`electronegativity: FAIL — ${error.message}`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** Stages, scans, checks the report is complete and compares it with the allowlist; throws GateFailure. */
function scan() {
  let allowlist;
  try {
    allowlist = parseAllowlist(JSON.parse(readFileSync(ALLOWLIST, 'utf8')));
  } catch (error) {
    fail(`cannot use ${relative(root, ALLOWLIST)}: ${error.message}`);
  }
  const staged = stageSources(stageDir);
  if (staged === 0) fail('no source files to scan');
  console.log(
    `electronegativity: scanning ${staged} files in ${SOURCE_DIRS.join('/, ')}/ (Electron ${electronVersion})…`,
  );

  const child = spawnSync(
    process.execPath,
    [join(root, 'scripts', 'electronegativity-runner.mjs'), stageDir, csvPath, metaPath, electronVersion],
    { cwd: root, encoding: 'utf8', timeout: 180_000 },
  );
  if (child.error) fail(`could not run Electronegativity: ${child.error.message}`);
  if (child.status !== 0) {
    fail(
      `Electronegativity crashed (exit ${child.status ?? child.signal}):\n${child.stderr || child.stdout}`,
    );
  }
  if (!existsSync(csvPath)) fail('Electronegativity wrote no CSV report');
  if (!existsSync(metaPath)) fail('Electronegativity did not finish (no run summary)');

  const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
  let findings;
  try {
    findings = parseElectronegativityCsv(readFileSync(csvPath, 'utf8'), meta.findings);
  } catch (error) {
    fail(error.message);
  }
  for (const finding of findings.filter((f) => f.repaired)) {
    console.warn(
      `electronegativity: the CSV row for ${finding.check} in ${finding.file} was malformed; used the run's own result`,
    );
  }
  if (meta.checks === 0) fail('Electronegativity loaded no checks');
  if (findings.length !== meta.issues) {
    fail(
      `the CSV report has ${findings.length} findings but the run found ${meta.issues} (incomplete report)`,
    );
  }
  const unparsed = meta.errors.filter((error) => !error.tolerable);
  for (const error of meta.errors.filter((e) => e.tolerable)) {
    console.warn(`electronegativity: warning while parsing ${error.file}: ${error.message}`);
  }
  if (unparsed.length > 0) {
    const list = unparsed.map((error) => `  ${relative(stageDir, error.file)}: ${error.message}`).join('\n');
    fail(`${unparsed.length} file(s) could not be parsed, so they were not checked:\n${list}`);
  }

  const evaluation = evaluateFindings(findings, allowlist);
  console.log(`\n${formatFindingsTable(evaluation)}\n`);
  for (const entry of evaluation.stale) {
    console.warn(
      `electronegativity: allowlist entry ${entry.check} in ${entry.file} matched nothing; remove it.`,
    );
  }
  if (evaluation.unexpected.length > 0) {
    fail(
      `${evaluation.unexpected.length} finding(s) not in ${relative(root, ALLOWLIST)}. Fix the code, or add ` +
        '{ check, file, justification } there if the finding is a false positive.',
    );
  }
  console.log(
    `electronegativity: OK — ${meta.checks} checks, ${findings.length} finding(s), all justified in the allowlist.`,
  );
}
