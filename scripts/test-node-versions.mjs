#!/usr/bin/env node
// Proves `npm ci && npm test` on the Node.js LTS lines this project supports besides the machine's own
// (docs/node-versions.md). For each pinned version it:
//   1. fetches that Node build from the npm registry (package node-<platform>-<arch>, which holds the
//      binary and its headers) and the npm release that Node version ships (package npm), into a cache
//      under the OS temp folder, laid out like Node's own tarball: bin/node, bin/npm, lib/node_modules/npm;
//   2. clones the repository's committed HEAD (the commit is read once, so every version tests the same
//      one; uncommitted changes are not included) into a scratch folder;
//   3. runs `npm ci` then `npm test` there with that Node and npm first on PATH and npm_config_nodedir
//      set to its headers, so keytar and better-sqlite3 are compiled for it;
// then prints one summary line per version and exits 1 if any failed. Nothing but the npm registry is
// needed. Slow (5-10 minutes a version), so not part of `npm test`.
//   npm run test:node-versions [-- [--commit <rev>] [--keep] [--cache <dir>] [22|24|<exact version>...]]
// --commit tests another commit than HEAD; --keep keeps the clones; positionals pick pinned versions.
import { spawn, spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, stripVTControlCharacters } from 'node:util';

/** Node versions proven, each with the npm it ships (its CHANGELOG's last "upgrade npm to"). */
export const VERSIONS = [
  { node: '22.23.5', npm: '10.9.9' },
  { node: '24.22.3', npm: '11.19.1' },
];

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// A step that runs longer than this is killed and counts as a failure.
const STEP_TIMEOUT_MS = 45 * 60_000;

const { values, positionals } = parseArgs({
  options: {
    commit: { type: 'string', default: 'HEAD' },
    keep: { type: 'boolean', default: false },
    cache: { type: 'string', default: join(tmpdir(), 'tessera-node-cache') },
  },
  allowPositionals: true,
});

function fail(message) {
  console.error(`test-node-versions: ${message}`);
  process.exit(2);
}

if (process.platform === 'win32') fail('runs on Linux and macOS only (it lays out a POSIX Node install)');
const platformPackage = `node-${process.platform}-${process.arch}`;

const selected = positionals.length
  ? VERSIONS.filter(({ node }) => positionals.some((p) => node === p || node.split('.')[0] === p))
  : VERSIONS;
if (selected.length === 0) {
  fail(
    `no pinned version matches ${positionals.join(' ')} (pinned: ${VERSIONS.map((v) => v.node).join(', ')})`,
  );
}

function git(...args) {
  const result = spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' });
  if (result.status !== 0) fail(`git ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.stdout.trim();
}

/** The environment a child gets: the caller's, less npm's own npm_* variables (set when this runs
 * under `npm run`: they would point the inner npm at the outer one's node-gyp and config). */
function cleanEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== 'INIT_CWD') env[key] = value;
  }
  return { ...env, ...extra };
}

/** The npm that runs this script, for `npm pack`. */
function outerNpm() {
  const execPath = process.env.npm_execpath;
  if (execPath && /npm-cli\.js$/.test(execPath)) return [process.execPath, [execPath]];
  return ['npm', []];
}

/** Downloads `spec` from the npm registry (npm checks its integrity) into `dir`; returns the .tgz path. */
function npmPack(spec, dir) {
  const [command, prefix] = outerNpm();
  const result = spawnSync(command, [...prefix, 'pack', spec, '--json', '--pack-destination', dir], {
    cwd: dir,
    encoding: 'utf8',
    env: cleanEnv(),
  });
  if (result.status !== 0) throw new Error(`npm pack ${spec} failed:\n${result.stderr}`);
  const [{ filename }] = JSON.parse(result.stdout);
  return join(dir, filename);
}

function untar(tgz, dest, stripComponents) {
  mkdirSync(dest, { recursive: true });
  const result = spawnSync('tar', ['-xzf', tgz, '-C', dest, `--strip-components=${stripComponents}`], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`could not unpack ${tgz}: ${result.stderr}`);
}

/** Returns the install folder (bin/node, bin/npm, include/node) of `version`, fetching it if needed. */
function ensureNode({ node, npm }) {
  const home = join(values.cache, `node-v${node}-npm-${npm}-${process.platform}-${process.arch}`);
  const nodeBin = join(home, 'bin', 'node');
  if (existsSync(join(home, '.complete'))) return home;
  console.log(`  fetching ${platformPackage}@${node} and npm@${npm} into ${values.cache}`);
  mkdirSync(values.cache, { recursive: true });
  const scratch = mkdtempSync(join(values.cache, '.fetch-'));
  try {
    const install = join(scratch, 'install');
    untar(npmPack(`${platformPackage}@${node}`, scratch), install, 1);
    untar(npmPack(`npm@${npm}`, scratch), join(install, 'lib', 'node_modules', 'npm'), 1);
    symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(install, 'bin', 'npm'));
    symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(install, 'bin', 'npx'));
    if (!existsSync(join(install, 'include', 'node', 'node_api.h'))) {
      throw new Error(`${platformPackage}@${node} has no headers (include/node)`);
    }
    const reported = spawnSync(join(install, 'bin', 'node'), ['--version'], { encoding: 'utf8' });
    if (reported.stdout?.trim() !== `v${node}`) {
      throw new Error(`${platformPackage}@${node} runs as ${reported.stdout || reported.stderr}`);
    }
    const npmReported = spawnSync(join(install, 'bin', 'node'), [join(install, 'bin', 'npm'), '--version'], {
      encoding: 'utf8',
    });
    if (npmReported.stdout?.trim() !== npm) {
      throw new Error(`npm@${npm} runs as ${npmReported.stdout || npmReported.stderr}`);
    }
    rmSync(home, { recursive: true, force: true });
    renameSync(install, home);
    // Marks the folder complete (an interrupted fetch leaves none and is redone).
    writeFileSync(join(home, '.complete'), `${node} ${npm}\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  if (!existsSync(nodeBin)) throw new Error(`no ${nodeBin} after fetching`);
  return home;
}

function formatDuration(ms) {
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** Runs one step with its output appended to `log`; resolves to { ok, ms, detail }. */
function step(name, command, args, { cwd, env, log }) {
  const started = Date.now();
  log.write(`\n===== ${name}: ${command} ${args.join(' ')} (in ${cwd})\n`);
  return new Promise((resolveStep) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const timer = setTimeout(() => {
      log.write(`\n===== ${name}: timed out after ${formatDuration(STEP_TIMEOUT_MS)}, killed\n`);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }, STEP_TIMEOUT_MS);
    child.stdout.on('data', (chunk) => log.write(chunk));
    child.stderr.on('data', (chunk) => log.write(chunk));
    child.on('error', (error) => log.write(`\n===== ${name}: ${error.message}\n`));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const ms = Date.now() - started;
      log.write(`\n===== ${name}: exit ${code ?? signal} after ${formatDuration(ms)}\n`);
      resolveStep({ ok: code === 0, ms, detail: code === null ? `killed by ${signal}` : `exit ${code}` });
    });
  });
}

/** The test counts vitest and Playwright printed, from the log. */
function testCounts(logPath) {
  const text = stripVTControlCharacters(readFileSync(logPath, 'utf8'));
  const counts = [];
  // `npm test` runs vitest twice: the unit suite, then the interop suite.
  const [unit, interop] = [...text.matchAll(/^\s*Tests\s+(.+?)\s*$/gm)].map((m) => m[1]);
  if (unit) counts.push(`vitest ${unit}`);
  if (interop) counts.push(`interop ${interop}`);
  const playwright = [...text.matchAll(/^\s+(\d+ (?:passed|failed|flaky|skipped|did not run))\b/gm)]
    .map((m) => m[1])
    .slice(-4);
  if (playwright.length) counts.push(`playwright ${playwright.join(', ')}`);
  return counts.join('; ');
}

function tail(logPath, lines) {
  return stripVTControlCharacters(readFileSync(logPath, 'utf8'))
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .join('\n');
}

async function prove(version, commit, logDir) {
  const started = Date.now();
  const logPath = join(logDir, `node-${version.node}.log`);
  const log = createWriteStream(logPath);
  const result = { version, ok: false, steps: [], logPath, counts: '' };
  let work;
  try {
    const home = ensureNode(version);
    work = mkdtempSync(join(tmpdir(), `tessera-node-${version.node}-`));
    const checkout = join(work, 'tessera');
    const cloned = spawnSync(
      'git',
      ['clone', '--quiet', '--no-hardlinks', '--no-checkout', repoRoot, checkout],
      {
        encoding: 'utf8',
      },
    );
    if (cloned.status !== 0) throw new Error(`git clone failed: ${cloned.stderr}`);
    const checkedOut = spawnSync('git', ['-C', checkout, 'checkout', '--quiet', '--detach', commit], {
      encoding: 'utf8',
    });
    if (checkedOut.status !== 0) throw new Error(`git checkout ${commit} failed: ${checkedOut.stderr}`);

    const env = cleanEnv({
      PATH: `${join(home, 'bin')}:${process.env.PATH ?? ''}`,
      // node-gyp builds native modules against this Node's headers, not the machine's (a user or global
      // npmrc may name another nodedir; the environment wins over both).
      npm_config_nodedir: home,
    });
    for (const [name, args] of [
      ['npm ci', ['ci']],
      ['npm test', ['test']],
    ]) {
      console.log(`  ${name}…`);
      const outcome = await step(name, join(home, 'bin', 'npm'), args, { cwd: checkout, env, log });
      result.steps.push({ name, ...outcome });
      if (!outcome.ok) break;
    }
    result.ok = result.steps.length === 2 && result.steps.every((s) => s.ok);
  } catch (error) {
    log.write(`\n===== setup failed: ${error.stack ?? error}\n`);
    result.error = error.message;
  } finally {
    await new Promise((done) => log.end(done));
    if (work && !values.keep) rmSync(work, { recursive: true, force: true });
    else if (work) console.log(`  kept ${work}`);
  }
  result.ms = Date.now() - started;
  result.counts = testCounts(logPath);
  return result;
}

const commit = git('rev-parse', '--verify', `${values.commit}^{commit}`);
const dirty = values.commit === 'HEAD' && git('status', '--porcelain', '--untracked-files=no') !== '';
const logDir = mkdtempSync(join(tmpdir(), 'tessera-node-versions-logs-'));
console.log(
  `test-node-versions: commit ${commit}${dirty ? ' (committed HEAD only; uncommitted changes are not tested)' : ''}`,
);
console.log(`test-node-versions: logs in ${logDir}`);

const results = [];
for (const version of selected) {
  console.log(`node ${version.node} (npm ${version.npm}):`);
  const result = await prove(version, commit, logDir);
  results.push(result);
  if (!result.ok)
    console.log(`  last lines of ${result.logPath}:\n${tail(result.logPath, 40).replace(/^/gm, '    ')}`);
}

console.log(`\ntest-node-versions: commit ${commit.slice(0, 12)}`);
for (const { version, ok, ms, steps, counts, error, logPath } of results) {
  const stepTimes = steps.map((s) => `${s.name} ${formatDuration(s.ms)}${s.ok ? '' : ` (${s.detail})`}`);
  const why = error ? ` — ${error}` : '';
  console.log(
    `node ${version.node} (npm ${version.npm}): ${ok ? 'PASS' : 'FAIL'} in ${formatDuration(ms)}` +
      ` [${stepTimes.join(', ')}]${counts ? ` ${counts}` : ''}${why}${ok ? '' : ` — log ${logPath}`}`,
  );
}
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
