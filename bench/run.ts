// `npm run bench`: runs every benchmark once, prints a table and writes bench/results.json.
// Figures only, never assertions: targets are shown next to them for the reader.
// Usage: tsx bench/run.ts [--only singleFlight,authOverhead,handoff,silentSignIn,server,loginFlood]
// With --only, the figures of the other benchmarks are kept from the existing results.json.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type AuthOverheadResult, runAuthOverhead } from './auth-overhead';
import { startChildServer } from './child-server';
import { type HandoffResult, runHandoff } from './handoff';
import { benchKeychainService, deleteKeychainService } from './keychain-cleanup';
import { type LoginFloodResult, runLoginFlood } from './login-flood';
import { type MachineInfo, machineInfo } from './machine';
import { runServerThroughput, type ServerThroughputResult } from './server-throughput';
import { runSilentSignIn, type SilentSignInResult } from './silent-sign-in';
import { runSingleFlight, type SingleFlightResult } from './single-flight';
import { writeJson } from './write-json';

const BENCHES = ['singleFlight', 'authOverhead', 'handoff', 'silentSignIn', 'server', 'loginFlood'] as const;
type BenchName = (typeof BENCHES)[number];

interface Results {
  machine: MachineInfo;
  singleFlight?: SingleFlightResult;
  authOverhead?: AuthOverheadResult;
  handoff?: HandoffResult;
  silentSignIn?: SilentSignInResult;
  server?: ServerThroughputResult;
  loginFlood?: LoginFloodResult;
  /** Wall-clock seconds of the whole run. */
  totalSeconds?: number;
  /** Set by a `--only` run: the benchmarks it measured; the others' figures are from an earlier run. */
  only?: BenchName[];
}

type Row = [figure: string, value: string, target: string, met: boolean | null];

function rows(results: Results): Row[] {
  const out: Row[] = [];
  const {
    singleFlight: sf,
    authOverhead: ao,
    handoff: ho,
    silentSignIn: si,
    server: sv,
    loginFlood: lf,
  } = results;
  if (sf) {
    out.push(
      [
        'singleFlight.refreshRequests',
        `${sf.refreshRequests} (${sf.calls} calls)`,
        '= 1',
        sf.refreshRequests === 1,
      ],
      ['singleFlight.failures', String(sf.failures), '= 0', sf.failures === 0],
      [
        'singleFlight.naiveRefreshRequests',
        `${sf.naiveRefreshRequests} (${sf.naiveFailures} failed)`,
        'ky readme pattern',
        null,
      ],
      [
        'singleFlight.on401.refreshRequests',
        `${sf.on401.refreshRequests} (${sf.on401.failures} failed)`,
        '= 1',
        sf.on401.refreshRequests === 1,
      ],
    );
  }
  if (ao) {
    out.push(
      ['authOverhead.ratio (p50 / fetch p50)', ao.ratio.toFixed(2), '≤ 1.10', ao.ratio <= 1.1],
      ['authOverhead.p50Ms / p99Ms', `${ao.p50Ms} / ${ao.p99Ms}`, '', null],
      [
        'authOverhead.baselineP50Ms / P99Ms',
        `${ao.baselineP50Ms} / ${ao.baselineP99Ms}`,
        'plain fetch',
        null,
      ],
      ['authOverhead.kyP50Ms (bare ky)', `${ao.kyP50Ms} (app/ky ${ao.ratioVsKy.toFixed(2)})`, '', null],
    );
  }
  if (ho) out.push(['handoff.p50Us / p99Us', `${ho.p50Us} / ${ho.p99Us}`, 'p99 < 50 µs', ho.p99Us < 50]);
  if (si) out.push(['silentSignIn.p50Ms / p99Ms', `${si.p50Ms} / ${si.p99Ms}`, 'p50 < 30 ms', si.p50Ms < 30]);
  if (sv) {
    out.push(
      ['server.meHs256Rps', String(sv.meHs256Rps), '', null],
      ['server.meRs256Rps', String(sv.meRs256Rps), '', null],
      ['server.healthRps', String(sv.healthRps), '', null],
    );
  }
  if (lf) {
    out.push(
      ['loginFlood.p99Ratio (me p99 flood / unloaded)', lf.p99Ratio.toFixed(2), '≤ 2.00', lf.p99Ratio <= 2],
      [
        'loginFlood.me p50 / p99 ms, unloaded → flood',
        `${lf.unloadedP50Ms} / ${lf.unloadedP99Ms} → ${lf.floodP50Ms} / ${lf.floodP99Ms}`,
        '',
        null,
      ],
      [
        'loginFlood.logins 401 / 503 / other',
        `${lf.logins.invalidCredentials} / ${lf.logins.serverBusy} / ${lf.logins.other}`,
        `${lf.floodConcurrency} in flight`,
        null,
      ],
    );
  }
  return out;
}

/** The results as a fixed-width text table. */
export function renderTable(results: Results): string {
  const body = rows(results).map(([figure, value, target, met]) => [
    figure,
    value,
    target,
    met === null ? '' : met ? 'yes' : 'NO',
  ]);
  const header = ['figure', 'value', 'target', 'met'];
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  const { cpu, cores, node, platform, date, loadAverage } = results.machine;
  return [
    `Tessera benchmarks — ${cpu}, ${cores} cores, Node ${node}, ${platform}, ${date}, load ${loadAverage}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { only: { type: 'string' } } });
  const wanted = new Set<BenchName>(
    values.only
      ? (values.only.split(',').filter((n) => (BENCHES as readonly string[]).includes(n)) as BenchName[])
      : BENCHES,
  );
  const service = benchKeychainService();
  const started = Date.now();
  const file = resolve(import.meta.dirname, 'results.json');
  // A partial run keeps the other benchmarks' figures of the last full run.
  const earlier: Partial<Results> =
    values.only && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Results>) : {};
  const results: Results = { ...earlier, machine: machineInfo() };
  if (values.only) results.only = [...wanted];
  else delete results.only;
  const log = (message: string) => console.error(`bench: ${message}`);
  try {
    if (wanted.has('singleFlight')) {
      log('singleFlight (1,000 concurrent calls, app path vs ky readme pattern)…');
      results.singleFlight = await runSingleFlight({ keychainService: service });
    }
    if (wanted.has('authOverhead') || wanted.has('handoff') || wanted.has('silentSignIn')) {
      const server = await startChildServer({ accessTtlSeconds: 3600 });
      try {
        if (wanted.has('authOverhead')) {
          log('authOverhead (5,000 GETs per side, alternating batches)…');
          results.authOverhead = await runAuthOverhead({ apiBaseUrl: server.url, keychainService: service });
        }
        if (wanted.has('handoff')) {
          log('handoff (100,000 cached token hand-offs through the IPC handler table)…');
          results.handoff = await runHandoff({ apiBaseUrl: server.url, keychainService: service });
        }
        if (wanted.has('silentSignIn')) {
          log('silentSignIn (50 cold starts from the real keychain)…');
          results.silentSignIn = await runSilentSignIn({ apiBaseUrl: server.url, keychainService: service });
        }
      } finally {
        await server.stop();
      }
    }
    if (wanted.has('server')) {
      log('server (autocannon, 10 connections, 5 s per run, best of 2 rounds for /api/user/me)…');
      results.server = await runServerThroughput();
    }
    if (wanted.has('loginFlood')) {
      log('loginFlood (/api/user/me latency, 3 rounds of 5 s unloaded + 5 s under 120 concurrent /login)…');
      results.loginFlood = await runLoginFlood();
    }
  } finally {
    const leftovers = await deleteKeychainService(service);
    if (leftovers > 0) log(`deleted ${leftovers} leftover keychain entries of ${service}`);
  }
  results.totalSeconds = Math.round((Date.now() - started) / 100) / 10;
  writeJson(file, results);
  console.log(renderTable(results));
  console.log(`\n${results.totalSeconds} s; written to bench/results.json`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
