// The three ways bench/results.json (bench/results-file.ts) is shown: the table `npm run bench` prints,
// the change against a saved results file (`--compare FILE`), and the README's Performance table
// (`npm run docs:bench`). One list of rows (`rows`) feeds the printed table and the README.
import type { LoginFloodResult } from './login-flood';
import { describeCommit, describeLoad, type MachineInfo } from './machine';
import { BENCHES, type BenchName, definitionOf, measuredBy, type Results } from './results-file';
import type { FreshProcessStarts } from './silent-sign-in';
import { DEFAULT_ROUNDS, formatRounds, judgedMedian, type RoundFigure } from './stats';

export { BENCHES, type BenchName, type Results } from './results-file';

/** One line of the report: what, Tessera's figure, the peers' figures, the target and whether it is met. */
export interface Row {
  bench: BenchName;
  what: string;
  value: string;
  peers: string;
  target: string;
  met: boolean | null;
}

const r2 = (f: RoundFigure) => formatRounds(f, 2);
const r0 = (f: RoundFigure) => formatRounds(f, 0);
const r1 = (f: RoundFigure) => formatRounds(f, 1);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const kib = (bytes: number) => Math.round(bytes / 1024).toLocaleString('en-US');
const kibRounds = (f: RoundFigure) =>
  f.min === f.max ? kib(f.median) : `${kib(f.median)} (${kib(f.min)}–${kib(f.max)})`;
const thousands = (f: RoundFigure) =>
  f.min === f.max
    ? f.median.toLocaleString('en-US')
    : `${f.median.toLocaleString('en-US')} (${f.min.toLocaleString('en-US')}–${f.max.toLocaleString('en-US')})`;

/** "; 3 calls failed" after a figure whose run had failed calls (they are left out of its samples); nothing for none. */
const failed = (failures: number, kinds?: Readonly<Record<string, number>>) =>
  failures === 0
    ? ''
    : `; ${failures.toLocaleString('en-US')} call${failures === 1 ? '' : 's'} failed${kindsOf(kinds)}`;

/** " (flood ECONNRESET 2, unloaded 503 1)": what the failed calls were, where a result says. */
export function kindsOf(kinds: Readonly<Record<string, number>> | undefined): string {
  const listed = Object.entries(kinds ?? {}).map(
    ([kind, count]) => `${kind} ${count.toLocaleString('en-US')}`,
  );
  return listed.length === 0 ? '' : ` (${listed.join(', ')})`;
}

/** silentSignIn's target: the app start's p50 (unrounded when the file kept it) under 30 ms, no start failed. */
export function appStartMet(fresh: FreshProcessStarts): boolean {
  return (fresh.unroundedP50Ms ?? fresh.p50Ms) < 30 && fresh.failures === 0;
}

/** authOverhead's target, in Node and in Chromium: the median ratio of p50s (unrounded) ≤ 1.10, no call failed. */
function overheadMet(ratio: RoundFigure, failures: number): boolean {
  return judgedMedian(ratio) <= 1.1 && failures === 0;
}

/**
 * Whether the file's authOverheadChromium is a ratio of p50s (definition 2, judged against the target)
 * or, in an older file, a ratio of batch means (definition 1: the page's clock was too coarse for one
 * request), which is shown for information and judged against no target.
 */
export function chromiumOverheadIsP50s(results: Partial<Results>): boolean {
  return definitionOf(results, 'authOverheadChromium') >= 2;
}

/**
 * loginFlood's rounds whose unloaded phase had the higher p99 (a round's ratio below 1). A flood only
 * adds work to the server, so such a round's tail was set by something else on the machine, and the
 * phase it landed in decided the round.
 */
export function roundsUnloadedSlower(flood: Pick<LoginFloodResult, 'p99Ratio'>): number {
  return flood.p99Ratio.rounds.filter((ratio) => ratio < 1).length;
}

/**
 * Whether a loginFlood run is too unsteady to judge: at least a quarter of its rounds had the higher
 * p99 unloaded. Their low ratios pull the median down (the machine's stalls landing in the divisor),
 * so such a run's median is partly the machine's noise and it is not judged met, whatever it is.
 */
export function loginFloodUnsteady(flood: Pick<LoginFloodResult, 'p99Ratio'>): boolean {
  return roundsUnloadedSlower(flood) * 4 >= flood.p99Ratio.rounds.length;
}

/** "; unsteady: in 4 of 9 rounds the unloaded p99 was the higher" for an unsteady run; nothing otherwise. */
export function unsteadyNote(flood: Pick<LoginFloodResult, 'p99Ratio'>): string {
  if (!loginFloodUnsteady(flood)) return '';
  return `; unsteady: in ${roundsUnloadedSlower(flood)} of ${flood.p99Ratio.rounds.length} rounds the unloaded p99 was the higher`;
}

/** The report rows for every benchmark present in `results`, in BENCHES order. */
export function rows(results: Results): Row[] {
  const out: Row[] = [];
  const { singleFlight: sf, authOverhead: ao, handoff: ho, silentSignIn: si, server: sv } = results;
  const { loginFlood: lf, rendererStart: rs, mainStart: mst, bridgeForced: bf, soakHeap: sh } = results;
  const { authOverheadChromium: ac } = results;
  if (sf) {
    const { naiveKy, axiosAuthRefresh } = sf.peers;
    out.push(
      {
        bench: 'singleFlight',
        what: `${sf.calls.toLocaleString('en-US')} calls, expired token: refreshes / failed`,
        value: `${r0(sf.refreshRequests)} / ${r0(sf.failures)}`,
        peers: '',
        target: '1 / 0',
        // Only when every round refreshed up front (0 × 401): else the row measured the 401 path.
        met:
          sf.refreshRequests.max === 1 &&
          sf.refreshRequests.min === 1 &&
          sf.failures.max === 0 &&
          sf.scenarioHeld === true &&
          sf.unauthorized?.max === 0,
      },
      {
        bench: 'singleFlight',
        // The peers have no clock of their own: they learn of an expiry from the 401s only, as here.
        what: 'the same, expiry seen as 401s (as the peers always see it)',
        value: `${r0(sf.on401.refreshRequests)} / ${r0(sf.on401.failures)}`,
        peers: `ky afterResponse ${thousands(naiveKy.refreshRequests)} / ${thousands(naiveKy.failures)}; axios-auth-refresh ${thousands(axiosAuthRefresh.refreshRequests)} / ${thousands(axiosAuthRefresh.failures)}`,
        target: '1 / 0',
        met:
          sf.on401.refreshRequests.max === 1 &&
          sf.on401.refreshRequests.min === 1 &&
          sf.on401.failures.max === 0 &&
          sf.scenarioHeld === true &&
          (sf.on401.unauthorized?.min ?? 0) > 0,
      },
    );
  }
  if (ao) {
    const { naiveKy, axiosAuthRefresh } = ao.peers;
    out.push({
      bench: 'authOverhead',
      what: `Node: p50 ÷ plain fetch p50 (${ao.baselineP50Ms} ms)`,
      value: `${r2(ao.ratio)}${failed(ao.failures)}`,
      peers: `bare ky ${r2(ao.bareKy.ratio)}; ky afterResponse ${r2(naiveKy.ratio)}; axios-auth-refresh ${r2(axiosAuthRefresh.ratio)}`,
      target: '≤ 1.10',
      met: overheadMet(ao.ratio, ao.failures),
    });
  }
  if (ac) {
    const p50s = chromiumOverheadIsP50s(results);
    const peers = ac.peers
      ? `; ky afterResponse ${r2(ac.peers.naiveKy)}; axios-auth-refresh ${r2(ac.peers.axiosAuthRefresh)}`
      : '';
    out.push({
      bench: 'authOverheadChromium',
      what: p50s
        ? `Chromium (where the renderer runs): p50 ÷ plain fetch p50 (${ac.fetchMs} ms)`
        : `Chromium: mean ÷ plain fetch mean (${ac.fetchMs} ms); a mean, not judged against the p50 target`,
      value: `${r2(ac.ratio)}${failed(ac.failures)}`,
      peers: `bare ky ${r2(ac.bareKyRatio)}${peers}`,
      target: p50s ? '≤ 1.10' : '',
      met: p50s ? overheadMet(ac.ratio, ac.failures) : null,
    });
  }
  if (bf) {
    const { arrivedBeforeRefresh: before, arrivedDuringRefresh: during, arrivedAfterRefresh: after } = bf;
    const arrived = before && during && after ? `${r0(before)} / ${r0(during)} / ${r0(after)}` : undefined;
    out.push({
      bench: 'bridgeForced',
      // Where the calls met the refresh, when recorded: during it proves single flight, after it the
      // rejectedExpiresAt rule (answered with the new grant, no second refresh).
      what: arrived
        ? `${bf.calls} forced refreshes from a page${bf.secondWave ? ` (${bf.secondWave} once the first is answered)` : ''}: refreshes / tokens; calls that reached the core before / during / after the refresh`
        : `${bf.calls} forced refreshes from a page: refreshes / tokens`,
      value: arrived
        ? `${r0(bf.refreshRequests)} / ${r0(bf.distinctTokens)}; ${arrived}`
        : `${r0(bf.refreshRequests)} / ${r0(bf.distinctTokens)}`,
      peers: '',
      target: '1 / 1',
      met:
        bf.refreshRequests.max === 1 &&
        bf.refreshRequests.min === 1 &&
        bf.distinctTokens.max === 1 &&
        bf.distinctTokens.min === 1 &&
        bf.failures.max === 0 &&
        // When recorded: every round had calls after the new grant landed, or the rule went unexercised.
        (bf.arrivedAfterRefresh === undefined || bf.arrivedAfterRefresh.min > 0),
    });
  }
  if (ho) {
    out.push({
      bench: 'handoff',
      what: 'handler table hand-off, in process: p50 / p99',
      value: `${r2(ho.p50Us)} / ${r2(ho.p99Us)} µs`,
      peers: '',
      target: 'p99 < 50 µs',
      met: judgedMedian(ho.p99Us) < 50,
    });
  }
  if (si) {
    // The target is about the app's launch: one silent sign-in in a fresh process, started as main
    // starts (the keychain warm-up first). The cold start and the warm repeat start have none.
    const fresh = si.freshProcess;
    const cold = si.freshProcessCold;
    const warm = `${r1(si.p50Ms)} ms`;
    const span = (f: FreshProcessStarts) =>
      `${f.p50Ms.toFixed(0)} (${f.minMs.toFixed(0)}–${f.maxMs.toFixed(0)})`;
    out.push(
      fresh
        ? {
            bench: 'silentSignIn',
            what: cold
              ? 'p50: app start (fresh process) / cold start / warm repeat'
              : 'p50: app start (fresh process) / warm repeat',
            value: cold ? `${span(fresh)} / ${span(cold)} / ${warm}` : `${span(fresh)} / ${warm}`,
            peers: '',
            target: '< 30 ms',
            met: appStartMet(fresh),
          }
        : {
            bench: 'silentSignIn',
            what: 'p50: warm repeat start (no fresh-process figure in this run)',
            value: warm,
            peers: '',
            target: '',
            met: null,
          },
    );
  }
  if (rs) {
    out.push({
      bench: 'rendererStart',
      what: `to a usable sign-in form: p50 of ${rs.navigationsPerRound}; JS + CSS gzipped`,
      value: `${r1(rs.p50Ms)} ms; ${kb(rs.gzipBytes)}`,
      peers: '',
      target: '',
      met: null,
    });
  }
  if (mst) {
    out.push({
      bench: 'mainStart',
      what: `main's bundle until it waits for Electron's ready: p50 of ${mst.processesPerRound} processes; entry chunk`,
      value: `${r1(mst.ms)} ms; ${kb(mst.entryBytes)}${mst.undiciLoaded > 0 ? `; undici loaded in ${mst.undiciLoaded}` : ''}`,
      peers: '',
      target: '',
      met: null,
    });
  }
  if (lf) {
    out.push({
      bench: 'loginFlood',
      // Open loop since definition 2; an older file's row reads as it did.
      what: lf.schedule
        ? `p99 with ${lf.floodConcurrency} logins in flight ÷ unloaded (open loop: a check due every ${lf.schedule.intervalMs} ms)`
        : `p99 with ${lf.floodConcurrency} logins in flight ÷ unloaded`,
      value: `${r2(lf.p99Ratio)}${failed(lf.meFailures, lf.meFailureKinds)}${unsteadyNote(lf)}`,
      peers: '',
      target: '≤ 2',
      met: judgedMedian(lf.p99Ratio) <= 2 && lf.meFailures === 0 && !loginFloodUnsteady(lf),
    });
  }
  if (sh) {
    out.push({
      bench: 'soakHeap',
      what: `heap slope after GC, ${sh.minutes}-min soak`,
      value: `${kib(sh.slopeBytesPerMin)} KiB/min; fifths ${kibRounds(sh.segmentSlopesBytesPerMin)}`,
      peers: '',
      target: '≈ 0',
      met: null,
    });
  }
  if (sv) {
    out.push({
      bench: 'server',
      what: 'server req/s: /api/user/me HS256 / RS256, /health',
      value: `${thousands(sv.meHs256Rps)} / ${thousands(sv.meRs256Rps)} / ${thousands(sv.healthRps)}`,
      peers: '',
      target: '',
      met: null,
    });
  }
  return out;
}

/** "AMD EPYC, 2 cores (2 CPUs), Node v20.20.2, linux x64 …, 2026-11-30, load 1.2 / … → …, at commit abc1234". */
export function describeMachine(machine: MachineInfo): string {
  const { cpu, cpuCount, cores, node, platform, date } = machine;
  const cpus = cpuCount === undefined ? '' : ` (${cpuCount} CPUs)`;
  // OS and architecture; the kernel release stays in results.json.
  const os = platform.split(' ').slice(0, 2).join(' ');
  return `${cpu}, ${cores} cores${cpus}, Node ${node}, ${os}, ${date.slice(0, 10)}, ${describeLoad(machine.loadAverage)}${commitPhrase(machine)}`;
}

/** " at commit abc1234[ with local changes]" after a description of the run; ", commit not recorded" (or unknown). */
function commitPhrase(machine: MachineInfo): string {
  const known = machine.commit !== undefined && machine.commit !== 'unknown';
  return `${known ? ' ' : ', '}${describeCommit(machine)}`;
}

/** What a table shows for a benchmark of BENCHES that the results file does not hold. */
export const NOT_RECORDED = 'not in the recorded run';

/** The benchmarks of a full run (BENCHES) that `results` holds no figures for. */
export function missingBenches(results: Partial<Results>): BenchName[] {
  return BENCHES.filter((bench) => results[bench] === undefined);
}

/** The results as a fixed-width text table. */
export function renderTable(results: Results): string {
  const earlier = earlierRuns(results, describeMachine);
  const body = [
    ...rows(results).map((row) => [
      `${row.bench}${earlier.mark(row.bench)}`,
      row.what,
      row.value,
      row.peers,
      row.target,
      row.met === null ? '' : row.met ? 'yes' : 'NO',
    ]),
    ...missingBenches(results).map((bench) => [bench, NOT_RECORDED]),
  ];
  const header = ['benchmark', 'what', 'Tessera: median (min–max)', 'peers', 'target', 'met'];
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    `Tessera benchmarks — ${describeMachine(results.machine)}`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    ...earlier.notes,
  ].join('\n');
}

const MARKS = ['¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/**
 * The rows of `results` measured in an earlier run than the file's newest (kept by a `--only` run):
 * a mark per such run after the benchmark's name, and a note per run saying what it was (`describeRun`).
 */
function earlierRuns(
  results: Results,
  describeRun: (machine: MachineInfo) => string,
): { mark: (bench: BenchName) => string; notes: string[] } {
  const marks = new Map<BenchName, string>();
  const notes: string[] = [];
  const byRun = new Map<string, string>();
  for (const bench of BENCHES) {
    const from = measuredBy(results, bench);
    if (from?.run !== 'earlier') continue;
    const key = from.machine ? from.machine.date : 'not recorded';
    let mark = byRun.get(key);
    if (mark === undefined) {
      mark = MARKS[byRun.size] ?? `[${byRun.size + 1}]`;
      byRun.set(key, mark);
      notes.push(
        from.machine
          ? `${mark} Measured in an earlier run than the others: ${describeRun(from.machine)}.`
          : `${mark} Measured in an earlier run than the others, whose machine, date, load and commit were not recorded.`,
      );
    }
    marks.set(bench, mark);
  }
  return { mark: (bench) => (marks.has(bench) ? ` ${marks.get(bench)}` : ''), notes };
}

/** Settings of a run rather than figures: `--compare` names those that differ instead of comparing them. */
const SETTINGS = new Set([
  'calls',
  'rounds',
  'iterations',
  'requestsPerSide',
  'requests',
  'durationSeconds',
  'connections',
  'floodConcurrency',
  'secondsPerPhase',
  'navigationsPerRound',
  'minutes',
  'samples',
  'batch',
  'starts',
]);

function isRoundFigure(value: unknown): value is RoundFigure {
  return typeof value === 'object' && value !== null && 'median' in value && 'rounds' in value;
}

/** Walks one benchmark's entry: every figure (a per-round one by its median) or every setting, by dotted path. */
function walkEntry(bench: BenchName, entry: unknown, want: 'figures' | 'settings'): Map<string, number> {
  const out = new Map<string, number>();
  const walk = (value: unknown, path: string, setting: boolean) => {
    if (isRoundFigure(value)) {
      if (want === 'figures' && !setting) out.set(path, value.median);
    } else if (typeof value === 'number' && Number.isFinite(value)) {
      if ((want === 'settings') === setting) out.set(path, value);
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      for (const [key, inner] of Object.entries(value)) walk(inner, `${path}.${key}`, SETTINGS.has(key));
    }
  };
  walk(entry, bench, false);
  return out;
}

/**
 * Every numeric figure of `results` by its dotted path (`authOverhead.ratio`, `singleFlight.peers.naiveKy.failures`):
 * a per-round figure counts with its median. The machine, the round counts and per-round lists are left out.
 */
export function flatFigures(results: Partial<Results>): Map<string, number> {
  return new Map(BENCHES.flatMap((bench) => [...walkEntry(bench, results[bench], 'figures')]));
}

/** Whether `bench`'s figures in both files are one measurement (a `--only` run kept them, or the same file). */
function sameMeasurement(earlier: Partial<Results>, now: Partial<Results>, bench: BenchName): boolean {
  const before = measuredBy(earlier, bench);
  const after = measuredBy(now, bench);
  if (before?.machine && after?.machine) return before.machine.date === after.machine.date;
  // A side did not record it: one file kept the figures from an earlier run, and they are the same.
  const kept = after?.run === 'earlier' || before?.run === 'earlier';
  return kept && JSON.stringify(earlier[bench]) === JSON.stringify(now[bench]);
}

const percent = (old: number, value: number) =>
  value === old
    ? '±0 %'
    : old === 0
      ? 'was 0'
      : `${value > old ? '+' : ''}${(((value - old) / Math.abs(old)) * 100).toFixed(1)} %`;

/**
 * One line per figure of either file: earlier, now and the change in percent — unless the benchmark's
 * definition changed between them ("not comparable"), the newer file kept the very figure of the earlier
 * ("(not re-run)"), or the figure is in one file only ("gone", "new"). A note gives the settings that
 * differ (rounds, calls…) and says when the newer figure was kept from an earlier run than the newer file's.
 */
export function renderComparison(
  earlier: Partial<Results>,
  now: Partial<Results>,
  earlierName: string,
): string {
  const lines: string[][] = [];
  const summary: string[] = [];
  for (const bench of BENCHES) {
    const [was, is] = [earlier[bench], now[bench]];
    if (was === undefined && is === undefined) continue;
    const before = walkEntry(bench, was, 'figures');
    const after = walkEntry(bench, is, 'figures');
    const both = was !== undefined && is !== undefined;
    const definitions = [definitionOf(earlier, bench), definitionOf(now, bench)];
    const comparable = !both || definitions[0] === definitions[1];
    if (!comparable)
      summary.push(
        `  ${bench}: definition ${definitions[0]} → ${definitions[1]} (its meaning changed): not comparable`,
      );
    const same = both && sameMeasurement(earlier, now, bench);
    const notes: string[] = [];
    if (both) {
      const settingsBefore = walkEntry(bench, was, 'settings');
      for (const [path, value] of walkEntry(bench, is, 'settings')) {
        const old = settingsBefore.get(path);
        if (old !== undefined && old !== value)
          notes.push(`${path.slice(bench.length + 1)} ${old} → ${value}`);
      }
      if (!same && measuredBy(now, bench)?.run === 'earlier')
        notes.push('not re-run: kept from an earlier run');
    }
    const note = notes.join('; ');
    for (const [path, value] of after) {
      const old = before.get(path);
      if (old === undefined) {
        lines.push([path, '—', String(value), 'new', note]);
        continue;
      }
      const change = !comparable
        ? 'not comparable (definition changed)'
        : same
          ? '(not re-run)'
          : percent(old, value);
      lines.push([path, String(old), String(value), change, note]);
    }
    for (const [path, old] of before) if (!after.has(path)) lines.push([path, String(old), '—', 'gone', '']);
  }
  const header = ['figure', 'earlier', 'now', 'change', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const machine = (r: Partial<Results>) => (r.machine ? describeMachine(r.machine) : 'machine unknown');
  return [
    `Change against ${earlierName}`,
    `  earlier: ${machine(earlier)}`,
    `  now:     ${machine(now)}`,
    ...summary,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...lines.map(line),
  ].join('\n');
}

export const README_START = '<!-- bench-table:start -->';
export const README_END = '<!-- bench-table:end -->';

/** The README's Performance table: the rows of `results` and the machine they were measured on. */
export function renderReadmeTable(results: Results): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const earlier = earlierRuns(results, (machine) => `${where(machine)}${commitPhrase(machine)}`);
  const lines = [
    '| benchmark | what | Tessera | peers, same run | target |',
    '|---|---|---|---|---|',
    ...rows(results)
      .filter(
        (row) =>
          row.target !== '' ||
          row.bench === 'authOverheadChromium' ||
          row.bench === 'rendererStart' ||
          row.bench === 'mainStart' ||
          row.bench === 'soakHeap' ||
          row.bench === 'silentSignIn',
      )
      .map(
        (row) =>
          `| \`${row.bench}\`${earlier.mark(row.bench)} | ${cell(row.what)} | ${cell(row.value)} | ${cell(row.peers) || '—'} | ${cell(row.target) || '—'} |`,
      ),
    // Every benchmark of a full run appears: one the file lacks is said to be missing, not left out.
    ...missingBenches(results).map((bench) => `| \`${bench}\` | ${NOT_RECORDED} | — | — | — |`),
  ];
  // Most benchmarks run 5 rounds; those that ran another number (noisier single rounds) are named.
  const others = BENCHES.flatMap((bench) => {
    const count = (results[bench] as { rounds?: unknown } | undefined)?.rounds;
    return typeof count === 'number' && count !== DEFAULT_ROUNDS ? [`\`${bench}\` ${count}`] : [];
  });
  const rounds =
    others.length === 0
      ? `each figure the median (min–max) of its ${DEFAULT_ROUNDS} rounds`
      : `each figure the median (min–max) of its rounds (${DEFAULT_ROUNDS}; ${others.join(', ')})`;
  return [
    `Measured by \`npm run bench\` on ${where(results.machine)}${commitPhrase(results.machine)}; ${rounds}.`,
    '',
    ...lines,
    ...(earlier.notes.length > 0 ? ['', earlier.notes.join('<br>\n')] : []),
  ].join('\n');
}

/** "AMD EPYC, 2 cores, Node v20.20.2, 2026-12-02, load 0.2 → 0.3": the README's short form of a run. */
function where(machine: MachineInfo): string {
  const { cpu, cores, node, date, loadAverage } = machine;
  // The 1-minute load average only: all three, before and after, are in results.json.
  const load = (l: number[] | undefined) => (l?.[0] ?? Number.NaN).toFixed(1);
  return `${cpu}, ${cores} cores, Node ${node}, ${date.slice(0, 10)}, load ${load(loadAverage.before)} → ${load(loadAverage.after)}`;
}

/** `text` with `body` between the `start` and `end` markers; `name` names the file in the error. */
export function betweenMarkers(text: string, start: string, end: string, body: string, name: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  if (from < 0 || to < from) throw new Error(`${name} lacks the ${start} markers`);
  return `${text.slice(0, from + start.length)}\n${body}\n${text.slice(to)}`;
}

/** README text with the generated table between the markers. */
export function withReadmeTable(readme: string, results: Results): string {
  return betweenMarkers(readme, README_START, README_END, renderReadmeTable(results), 'README.md');
}
