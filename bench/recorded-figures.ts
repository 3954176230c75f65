// The figures of the recorded run that bench/README.md's prose discusses, generated from
// bench/results.json by `npm run docs:bench` (between the bench-recorded markers), so the prose can
// point at them instead of quoting them and cannot drift from the run it describes.
// test/docs/bench-table.test.ts fails when the block differs from what this renders.
import {
  appStartMet,
  betweenMarkers,
  chromiumOverheadIsP50s,
  describeMachine,
  kindsOf,
  type Results,
  unsteadyNote,
} from './report';
import { type BenchName, measuredBy } from './results-file';
import { formatRounds, type RoundFigure } from './stats';

export const RECORDED_START = '<!-- bench-recorded:start -->';
export const RECORDED_END = '<!-- bench-recorded:end -->';

const r2 = (f: RoundFigure) => formatRounds(f, 2);
const r0 = (f: RoundFigure) => formatRounds(f, 0);
const kib = (bytes: number) => Math.round(bytes / 1024).toLocaleString('en-US');

/** One bullet per benchmark the prose discusses, for those present in `results`. */
export function renderRecordedFigures(results: Results): string {
  const { authOverhead: ao, authOverheadChromium: ac, loginFlood: lf, soakHeap: sh } = results;
  const { singleFlight: sf, silentSignIn: si, server: sv } = results;
  const lines: string[] = [];
  // The run itself: how long it took, and where (a figure another run measured says so below).
  const seconds = results.totalSeconds;
  const took =
    seconds === undefined
      ? 'its duration was not recorded'
      : `it took ${seconds} s (${(seconds / 60).toFixed(1)} minutes)`;
  lines.push(
    results.only
      ? `- The newest run measured only ${results.only.map((bench) => `\`${bench}\``).join(', ')} (\`--only\`): ${took}, on ${describeMachine(results.machine)}.`
      : `- The run (\`npm run bench\`, every benchmark the file holds): ${took}, on ${describeMachine(results.machine)}.`,
  );
  if (sf) {
    const counted = (f: RoundFigure | undefined) => (f ? r0(f) : 'not counted');
    const held =
      sf.scenarioHeld === undefined ? 'not checked in this run' : sf.scenarioHeld ? 'yes' : '**no**';
    lines.push(
      `- \`singleFlight\`: 401s on \`/api/user/me\` per round: ${counted(sf.unauthorized)} with the expired token (refreshed up front), ${counted(sf.on401.unauthorized)} in \`on401\`; every round ran the scenario its row names: ${held}.`,
    );
  }
  if (ao)
    lines.push(
      `- \`authOverhead\` (Node): app path ÷ plain fetch ${r2(ao.ratio)}, bare ky ÷ plain fetch ${r2(ao.bareKy.ratio)}, app path ÷ bare ky (\`ratioVsKy\`) ${r2(ao.ratioVsKy)}; plain fetch p50 ${ao.baselineP50Ms} ms.`,
    );
  if (ac) {
    const p50s = chromiumOverheadIsP50s(results);
    const peers = ac.peers
      ? `, ky afterResponse ÷ plain fetch ${r2(ac.peers.naiveKy)}, axios-auth-refresh ÷ plain fetch ${r2(ac.peers.axiosAuthRefresh)}`
      : '';
    lines.push(
      `- \`authOverheadChromium\` (${p50s ? 'ratios of p50s in a cross-origin-isolated page, 5 µs clock' : 'ratios of per-request means, judged against no target'}): app path ÷ plain fetch ${r2(ac.ratio)}, bare ky ÷ plain fetch ${r2(ac.bareKyRatio)}, app path ÷ bare ky ${r2(ac.ratioVsKy)}${peers}; plain fetch ${p50s ? `p50 ${ac.fetchMs} ms` : `${ac.fetchMs} ms per request`}.`,
    );
  }
  if (si) {
    const fresh = si.freshProcess;
    const cold = si.freshProcessCold;
    const warmUp = fresh?.warmUp
      ? `; the keychain warm-up took ${fresh.warmUp.p50Ms} ms (p50) and had finished before the clock in ${fresh.warmUp.finishedBeforeClock} of ${fresh.starts}`
      : '';
    const app = fresh
      ? `app start (a fresh process each, ${fresh.starts} processes): p50 ${fresh.p50Ms} ms (${fresh.minMs}–${fresh.maxMs}), ${fresh.failures} failed, target < 30 ms ${appStartMet(fresh) ? 'met' : '**not met**'}${warmUp}`
      : 'app start in a fresh process: not measured in this run';
    const coldText = cold
      ? `; cold start (nothing before the clock): p50 ${cold.p50Ms} ms (${cold.minMs}–${cold.maxMs})`
      : '';
    // How busy the host was shows in the server's throughput of the same run (see the prose).
    const sameRun =
      sv !== undefined &&
      measuredBy(results, 'server')?.machine?.date !== undefined &&
      measuredBy(results, 'server')?.machine?.date === measuredBy(results, 'silentSignIn')?.machine?.date;
    const serverText = sameRun
      ? `; in the same run the reference server answered ${sv.meHs256Rps.median.toLocaleString('en-US')} requests/s (\`/api/user/me\`, HS256)`
      : '';
    lines.push(
      `- \`silentSignIn\`: ${app}${coldText}; repeat start in a warm process: p50 ${formatRounds(si.p50Ms, 1)} ms${serverText}.`,
    );
  }
  if (lf) {
    // A file from before the open loop (loginFlood definition 1) has no schedule: its line stays as it was.
    const schedule = lf.schedule
      ? ` (open loop: a check due every ${lf.schedule.intervalMs} ms, ${lf.schedule.requestsPerPhase.toLocaleString('en-US')} per phase, each timed from when it was due; the harness sent them late by p99 ${lf.sendLagMs?.unloadedP99 ?? '?'} ms unloaded, ${lf.sendLagMs?.floodP99 ?? '?'} ms under the flood)`
      : '';
    const fromSendText = lf.fromSend
      ? `; timed from when each check went out instead (the harness's own lateness left out; not judged): p99 ratio ${r2(lf.fromSend.p99Ratio)}, unloaded p99 ${lf.fromSend.unloadedP99Ms} ms, under the flood ${lf.fromSend.floodP99Ms} ms`
      : '';
    lines.push(
      `- \`loginFlood\`${schedule}: p99 under the flood ÷ unloaded ${r2(lf.p99Ratio)} (unloaded p99 ${lf.unloadedP99Ms} ms, under the flood ${lf.floodP99Ms} ms); p50 ratio ${r2(lf.p50Ratio)}${lf.meFailures > 0 ? `; ${lf.meFailures.toLocaleString('en-US')} checks failed${kindsOf(lf.meFailureKinds)}` : ''}${unsteadyNote(lf)}${fromSendText}.`,
    );
  }
  if (sh) {
    const fifths = sh.segmentSlopesBytesPerMin.rounds.map(kib).join(', ');
    lines.push(
      `- \`soakHeap\` (${sh.minutes} minutes after the warm-up): ${sh.requests.toLocaleString('en-US')} requests, ${sh.failedRequests} failed, ${sh.refreshes} refreshes, heap after GC ${sh.heapBeforeMb} → ${sh.heapAfterMb} MB, slope ${kib(sh.slopeBytesPerMin)} KiB/min, fifths ${fifths} KiB/min.`,
    );
  }
  return lines.map((line) => withProvenance(line, results)).join('\n');
}

/** A bullet about a benchmark an earlier run measured than the newest says so after the benchmark's name. */
function withProvenance(line: string, results: Results): string {
  const bench = /^- `(\w+)`/.exec(line)?.[1] as BenchName | undefined;
  const from = bench ? measuredBy(results, bench) : undefined;
  if (!bench || from?.run !== 'earlier') return line;
  const when = from.machine ? `on ${from.machine.date.slice(0, 10)}` : 'when, not recorded';
  return line.replace(`- \`${bench}\``, `- \`${bench}\` (measured in an earlier run, ${when})`);
}

/** bench/README.md text with the recorded figures between the markers. */
export function withRecordedFigures(text: string, results: Results): string {
  return betweenMarkers(
    text,
    RECORDED_START,
    RECORDED_END,
    renderRecordedFigures(results),
    'bench/README.md',
  );
}
