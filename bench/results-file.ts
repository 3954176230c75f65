// What bench/results.json holds, and where each benchmark's figures in it come from. A `--only` run
// keeps the other benchmarks' figures of the file it replaces; each benchmark's entry under `measured`
// says which run measured it (that run's machine, date, load and commit), so figures are never shown
// with the facts of a run that did not measure them. Files from before `measured` hold one `machine`
// for all, and `only` for a partial run: they are read as such.
import type { AuthOverheadResult } from './auth-overhead';
import type { ChromiumOverheadResult } from './auth-overhead-chromium';
import type { BridgeForcedResult, RendererStartResult } from './browser-bench';
import type { HandoffResult } from './handoff';
import type { LoginFloodResult } from './login-flood';
import type { MachineInfo } from './machine';
import type { MainStartResult } from './main-start';
import type { ServerThroughputResult } from './server-throughput';
import type { SilentSignInResult } from './silent-sign-in';
import type { SingleFlightResult } from './single-flight';
import type { SoakHeapResult } from './soak-heap';

/** Every benchmark, in the order a full run measures and the tables show them: a full run is all of them. */
export const BENCHES = [
  'singleFlight',
  'authOverhead',
  'authOverheadChromium',
  'handoff',
  'silentSignIn',
  'server',
  'loginFlood',
  'rendererStart',
  'mainStart',
  'bridgeForced',
  'soakHeap',
] as const;
export type BenchName = (typeof BENCHES)[number];

/**
 * What each benchmark's figures mean, as a version: bumped when a change to a benchmark makes its
 * figures mean something else than the same names did before, so `--compare` says "not comparable"
 * instead of a percent. A file recorded before versions were counts 1 (but see `definitionOf`).
 * - silentSignIn 2 (64d4e80, 2026-12-01): `freshProcess` is the app start — keychain warm-up first,
 *   main's own transport over Node's http, one user data folder for every start. Before, a cold start
 *   through Node's fetch with a new user data folder per start (`freshProcessCold` came with the change).
 * - loginFlood 2 (2026-12-04): the /api/user/me checks are sent open loop, one due every 2 ms, each
 *   latency from when it was due (`schedule` came with the change). Before, closed loop: one request at
 *   a time, timed from its send, so a stall cost one sample however long it was (coordinated omission).
 * - loginFlood 3 (2026-12-04): 1 s of unmeasured checks after each flood before the next unloaded phase
 *   (`schedule.settleMs` came with the change). Before, the unloaded phase began as the flood's last
 *   answer went out, and its first half second could catch the flood's tail.
 * - bridgeForced 2 (2026-12-04): half the calls (`secondWave`) go out once the first answer is back in
 *   the page, after the new grant landed, and every round waits out the core's forced-refresh window
 *   first. Before, all 200 at once, back to back (rounds 2–5 waited in the previous round's window).
 * - authOverheadChromium 2 (2026-12-05): the page is cross-origin isolated (its clock steps in 5 µs),
 *   each request is timed and a round's figure is p50 ÷ plain fetch's p50, the target's own measure
 *   (judged against ≤ 1.10). Before, a ratio of per-request means of batches of 50 (100 µs clock),
 *   shown for information and judged against no target.
 */
export const DEFINITIONS: Record<BenchName, number> = {
  singleFlight: 1,
  authOverhead: 1,
  authOverheadChromium: 2,
  handoff: 1,
  silentSignIn: 2,
  server: 1,
  loginFlood: 3,
  rendererStart: 1,
  mainStart: 1,
  bridgeForced: 2,
  soakHeap: 1,
};

/** Which run measured a benchmark's figures. */
export interface Measured {
  /** DEFINITIONS[bench] when they were measured. */
  definition?: number;
  /**
   * The machine facts (date, load, Node, commit) of the run that measured them; absent when they came
   * from an older file that did not record them (a `--only` run's kept figures, before `measured`).
   */
  machine?: MachineInfo;
}

export interface Results {
  /** The run that wrote the file (for a `--only` run: of the benchmarks it measured). */
  machine: MachineInfo;
  singleFlight?: SingleFlightResult;
  authOverhead?: AuthOverheadResult;
  authOverheadChromium?: ChromiumOverheadResult;
  handoff?: HandoffResult;
  silentSignIn?: SilentSignInResult;
  server?: ServerThroughputResult;
  loginFlood?: LoginFloodResult;
  rendererStart?: RendererStartResult;
  mainStart?: MainStartResult;
  bridgeForced?: BridgeForcedResult;
  soakHeap?: SoakHeapResult;
  /** Per benchmark in the file: the run that measured it (absent in older files: see `measuredBy`). */
  measured?: Partial<Record<BenchName, Measured>>;
  /** Wall-clock seconds of the run that wrote the file. */
  totalSeconds?: number;
  /** Set by a `--only` run: the benchmarks it measured; the others' figures are from an earlier run. */
  only?: BenchName[];
}

/** Where a benchmark's figures in a file come from. */
export type Provenance =
  /** The run that wrote the file measured it. */
  | { run: 'newest'; machine: MachineInfo }
  /** An earlier run did, whose facts are `machine` (undefined: not recorded). */
  | { run: 'earlier'; machine: MachineInfo | undefined };

/** Which run measured `bench`'s figures in `results`; undefined when the file has none. */
export function measuredBy(results: Partial<Results>, bench: BenchName): Provenance | undefined {
  if (results[bench] === undefined) return undefined;
  if (results.measured) {
    const machine = results.measured[bench]?.machine;
    if (machine && results.machine && machine.date === results.machine.date)
      return { run: 'newest', machine };
    return { run: 'earlier', machine };
  }
  // An older file: one machine for all, except the figures a `--only` run kept.
  if (!results.machine || (results.only && !results.only.includes(bench)))
    return { run: 'earlier', machine: undefined };
  return { run: 'newest', machine: results.machine };
}

/**
 * The definition `bench`'s figures in `results` were measured under: the recorded one, else (a file from
 * before versions were recorded) 1 — except silentSignIn, whose change to version 2 added
 * `freshProcessCold`: an entry that has it was measured as version 2.
 */
export function definitionOf(results: Partial<Results>, bench: BenchName): number {
  const recorded = results.measured?.[bench]?.definition;
  if (recorded !== undefined) return recorded;
  if (bench === 'silentSignIn' && results.silentSignIn?.freshProcessCold !== undefined) return 2;
  return 1;
}

/** The figures a run measured, by benchmark. */
export type RunFigures = Partial<Omit<Results, 'machine' | 'measured' | 'totalSeconds' | 'only'>>;

/**
 * The file a run writes: what it measured (`figures`), each with the run's facts (`machine`, its load
 * after the run included), and — for a `--only` run — every other benchmark of `kept` (the file it
 * replaces) with the facts of the run that measured it, not this one's.
 */
export function resultsOfRun(run: {
  machine: MachineInfo;
  figures: RunFigures;
  only?: readonly BenchName[];
  totalSeconds: number;
  kept?: Partial<Results>;
}): Results {
  const results: Results = { machine: run.machine };
  const measured: Partial<Record<BenchName, Measured>> = {};
  const entries = results as unknown as Record<BenchName, unknown>;
  for (const bench of BENCHES) {
    const fresh = run.figures[bench];
    if (fresh !== undefined) {
      entries[bench] = fresh;
      measured[bench] = { definition: DEFINITIONS[bench], machine: run.machine };
    } else if (run.only && run.kept?.[bench] !== undefined) {
      entries[bench] = run.kept[bench];
      const definition = definitionOf(run.kept, bench);
      const earlier = measuredBy(run.kept, bench)?.machine;
      measured[bench] = earlier ? { definition, machine: earlier } : { definition };
    }
  }
  results.measured = measured;
  results.totalSeconds = run.totalSeconds;
  if (run.only) results.only = [...run.only];
  return results;
}
