// `npm run bench`: runs every benchmark in rounds (5 unless said otherwise), prints a table of the
// per-round medians with their min–max, and writes bench/results.json. Figures only, never assertions:
// targets are shown next to them for the reader.
// Usage: tsx bench/run.ts [--only singleFlight,authOverhead,...] [--compare FILE] [--soak-minutes N]
//        tsx bench/run.ts --no-run --compare FILE   (compare bench/results.json with FILE, measure nothing)
//        tsx bench/run.ts --help                    (the options: bench/args.ts)
// With --only, the figures of the other benchmarks are kept from the existing results.json, each with
// the machine, date, load and commit of the run that measured it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseBenchArgs, USAGE } from './args';
import { runAuthOverhead } from './auth-overhead';
import { AUTH_OVERHEAD_CHROMIUM_ROUNDS, runAuthOverheadChromium } from './auth-overhead-chromium';
import { runBridgeForced, runRendererStart, withBrowserHost } from './browser-bench';
import { startChildServer } from './child-server';
import { runHandoff } from './handoff';
import { benchKeychainService, deleteKeychainService } from './keychain-cleanup';
import { ME_INTERVAL_MS, runLoginFloodInFreshProcess } from './login-flood';
import { currentLoad, machineInfo } from './machine';
import { runMainStart } from './main-start';
import { BENCHES, type BenchName, type Results, renderComparison, renderTable } from './report';
import { type RunFigures, resultsOfRun } from './results-file';
import { runServerThroughput } from './server-throughput';
import { runSilentSignIn } from './silent-sign-in';
import { runSingleFlight } from './single-flight';
import { runSoakHeap } from './soak-heap';
import { writeJson } from './write-json';

const ROOT = resolve(import.meta.dirname, '..');
const RESULTS_FILE = resolve(import.meta.dirname, 'results.json');

function readResults(file: string): Partial<Results> {
  return JSON.parse(readFileSync(file, 'utf8')) as Partial<Results>;
}

/** `npm run build`: the browser benchmarks measure the renderer, and mainStart main, as built from this tree. */
function buildRenderer(): void {
  const built = spawnSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (built.status !== 0) throw new Error(`npm run build failed (exit ${built.status})`);
}

async function main(): Promise<void> {
  const values = parseBenchArgs(process.argv.slice(2));
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const log = (message: string) => console.error(`bench: ${message}`);
  const earlierFile = values.compare ? resolve(values.compare) : null;
  // Read first: a missing file should fail before minutes of measuring, not after.
  const earlier = earlierFile ? readResults(earlierFile) : null;
  if (values.noRun) {
    if (!earlier || !earlierFile) throw new Error('--no-run needs --compare FILE');
    console.log(renderComparison(earlier, readResults(RESULTS_FILE), earlierFile));
    return;
  }
  const soakMinutes = Number(values.soakMinutes);
  if (!(soakMinutes > 0 && soakMinutes <= 120))
    throw new Error('--soak-minutes must be a number in (0, 120]');
  const requested = values.only?.split(',').map((name) => name.trim()) ?? [];
  const unknown = requested.filter((name) => !(BENCHES as readonly string[]).includes(name));
  if (unknown.length)
    throw new Error(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHES.join(', ')}`);
  const wanted = new Set<BenchName>(values.only ? (requested as BenchName[]) : BENCHES);

  const service = benchKeychainService();
  const started = Date.now();
  // A partial run keeps the other benchmarks' figures of the file it replaces, each with the facts of
  // the run that measured it (resultsOfRun).
  const kept: Partial<Results> = values.only && existsSync(RESULTS_FILE) ? readResults(RESULTS_FILE) : {};
  const machine = machineInfo();
  const figures: RunFigures = {};
  try {
    if (wanted.has('singleFlight')) {
      log(
        'singleFlight (5 rounds of 1,000 concurrent calls: app path, ky afterResponse, axios-auth-refresh)…',
      );
      figures.singleFlight = await runSingleFlight({ keychainService: service });
    }
    if (wanted.has('authOverhead') || wanted.has('handoff') || wanted.has('silentSignIn')) {
      const server = await startChildServer({ accessTtlSeconds: 3600 });
      try {
        if (wanted.has('authOverhead')) {
          log('authOverhead (5 rounds × 1,000 GETs per side, 5 sides in alternating batches)…');
          figures.authOverhead = await runAuthOverhead({ apiBaseUrl: server.url, keychainService: service });
        }
        if (wanted.has('handoff')) {
          log(
            'handoff (5 rounds × 20,000 cached token hand-offs through the IPC handler table, in process)…',
          );
          figures.handoff = await runHandoff({ apiBaseUrl: server.url, keychainService: service });
        }
        if (wanted.has('silentSignIn')) {
          log(
            'silentSignIn (15 silent sign-ins each in a fresh process, then 5 rounds × 10 repeat starts in a warm process)…',
          );
          figures.silentSignIn = await runSilentSignIn({ apiBaseUrl: server.url, keychainService: service });
        }
      } finally {
        await server.stop();
      }
    }
    if (wanted.has('server')) {
      log('server (autocannon, 10 connections, 5 rounds × 2 s per route)…');
      figures.server = await runServerThroughput();
    }
    if (wanted.has('loginFlood')) {
      log(
        `loginFlood (/api/user/me latency open loop, a check due every ${ME_INTERVAL_MS} ms; 9 rounds of 3 s unloaded + 3 s under 120 concurrent /login, in a process of its own)…`,
      );
      figures.loginFlood = await runLoginFloodInFreshProcess();
    }
    if (wanted.has('authOverheadChromium')) {
      log(
        `authOverheadChromium (a Chromium page: ${AUTH_OVERHEAD_CHROMIUM_ROUNDS} rounds × 1,000 GETs per side, 5 sides in batches of 50)…`,
      );
      figures.authOverheadChromium = await runAuthOverheadChromium();
    }
    if (wanted.has('rendererStart') || wanted.has('bridgeForced') || wanted.has('mainStart')) {
      log('npm run build (the browser benchmarks load out/renderer, mainStart out/main)…');
      buildRenderer();
    }
    if (wanted.has('mainStart')) {
      log("mainStart (5 rounds × 4 fresh processes evaluating out/main/index.js up to Electron's ready)…");
      figures.mainStart = await runMainStart();
    }
    if (wanted.has('rendererStart') || wanted.has('bridgeForced')) {
      await withBrowserHost(service, async (run) => {
        if (wanted.has('rendererStart')) {
          log('rendererStart (browser host: 5 rounds × 20 navigations to the sign-in form)…');
          figures.rendererStart = await runRendererStart(run);
        }
        if (wanted.has('bridgeForced')) {
          log(
            'bridgeForced (browser host: 5 rounds × 200 forced getAccessToken from the page, 100 at once and 100 after the first answer)…',
          );
          figures.bridgeForced = await runBridgeForced(run);
        }
      });
    }
    if (wanted.has('soakHeap')) {
      log(`soakHeap (${soakMinutes}-minute soak after a 90 s warm-up, heap after GC every few seconds)…`);
      figures.soakHeap = await runSoakHeap({ minutes: soakMinutes });
    }
  } finally {
    const leftovers = await deleteKeychainService(service);
    if (leftovers > 0) log(`deleted ${leftovers} leftover keychain entries of ${service}`);
  }
  machine.loadAverage.after = currentLoad();
  const results = resultsOfRun({
    machine,
    figures,
    only: values.only ? [...wanted] : undefined,
    totalSeconds: Math.round((Date.now() - started) / 100) / 10,
    kept,
  });
  writeJson(RESULTS_FILE, results);
  console.log(renderTable(results));
  console.log(`\n${results.totalSeconds} s; written to bench/results.json`);
  if (earlier && earlierFile) console.log(`\n${renderComparison(earlier, results, earlierFile)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
