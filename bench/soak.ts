// `npm run soak -- --minutes N [--access-ttl S] [--results FILE]`: real time, 5-second access tokens by
// default, two simulated windows (two bridges and two renderer ky clients over one session) each calling
// GET /api/user/me at 50 requests/s.
// Reports failed requests, refreshes, 401s the client surfaced to its caller, and the heap after a full
// GC every few seconds, with its least-squares slope (bytes per minute). Loopback only; every loop
// stops by count and by time. Writes bench/soak-results.json (or FILE). `npm run bench` runs this
// script in a child process of its own for its `soakHeap` figure (bench/soak-heap.ts).
import { relative, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { isHTTPError } from 'ky';
import type { FetchLike } from '../main/core/auth-client';
import { type AppWindow, createAppPath } from './app-path';
import { startChildServer } from './child-server';
import { benchKeychainService, deleteKeychainService } from './keychain-cleanup';
import { currentLoad, describeLoad, type MachineInfo, machineInfo } from './machine';
import { acrossRounds, LatencyHistogram, type RoundFigure, round, slope, summarize } from './stats';
import { writeJson } from './write-json';

const DEMO = { username: 'demo', password: 'demo-password' };
const DEFAULT_ACCESS_TTL_S = 5;
const WINDOWS = 2;
const RATE_PER_WINDOW = 50;
const TICK_MS = 10;
/** More requests than this waiting at once means the app is not keeping up: further ones are skipped. */
const MAX_IN_FLIGHT = 500;
const DRAIN_TIMEOUT_MS = 30_000;
// Long enough for JIT, connection pool and caches to settle: the heap figures compare steady states
// (V8 is still compiling the app path's code for the first minute or so: bench/README.md, the soak).
const WARMUP_MS = 90_000;
/** Heap samples (after a full GC) come at most this far apart, and at least 24 per soak. */
const HEAP_SAMPLE_MAX_MS = 5_000;
/** The soak is cut into this many equal parts for the per-part heap slopes (the spread). */
const HEAP_SEGMENTS = 5;

export interface SoakResult {
  machine: MachineInfo;
  minutes: number;
  accessTtlSeconds: number;
  windows: number;
  ratePerWindow: number;
  requests: number;
  /** Requests that did not end in a 200 with a JSON body (target 0). */
  failedRequests: number;
  /** 401s the renderer client threw to its caller (target 0). */
  userVisible401s: number;
  /** 401 TokenExpiredError answers the client absorbed with its one retry. */
  absorbed401s: number;
  /** Requests not sent because MAX_IN_FLIGHT were already waiting. */
  skipped: number;
  errorKinds: Record<string, number>;
  refreshes: number;
  /** duration / access-token lifetime: what "one refresh per lifetime" would give. */
  expectedRefreshes: number;
  /** Mean time between refreshes; shorter than the lifetime by the refresh lead (25 % of it). */
  meanRefreshIntervalMs: number | null;
  latencyP50Ms: number;
  latencyP99Ms: number;
  achievedRps: number;
  heapBeforeMb: number;
  heapAfterMb: number;
  heapDeltaMb: number;
  /** heapUsed after a full GC at the start, every few seconds and at the end: a trend, not one pair of points. */
  heapTrendMb: number[];
  /** Seconds since the measured soak began, for each heapTrendMb sample. */
  heapTrendSeconds: number[];
  /** Least-squares slope of the heap samples over the whole soak, bytes per minute (target ≈ 0). */
  heapSlopeBytesPerMin: number;
  /** The same slope within each of 5 equal parts of the soak: median and min–max. */
  heapSegmentSlopesBytesPerMin: RoundFigure;
  gcAvailable: boolean;
  finalState: string;
}

/** Waits for the requests still running, at most DRAIN_TIMEOUT_MS (the timer must not hold the process). */
function drain(pending: Set<Promise<void>>): Promise<unknown> {
  return Promise.race([Promise.allSettled([...pending]), sleep(DRAIN_TIMEOUT_MS, undefined, { ref: false })]);
}

async function collectGarbage(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await sleep(50);
  }
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

function pathOf(request: Request): string {
  return new URL(request.url).pathname;
}

/** Heap slopes (bytes/min) of the whole soak and of each of HEAP_SEGMENTS equal parts of it. */
export function heapSlopes(seconds: readonly number[], mb: readonly number[], durationS: number) {
  const perMinute = (xs: readonly number[], ys: readonly number[]) =>
    slope(
      xs.map((s) => s / 60),
      ys.map((m) => m * 1024 * 1024),
    );
  const segments: number[] = [];
  for (let k = 0; k < HEAP_SEGMENTS; k++) {
    const from = (k * durationS) / HEAP_SEGMENTS;
    const to = ((k + 1) * durationS) / HEAP_SEGMENTS;
    const inside = seconds.map((s, i) => [s, i] as const).filter(([s]) => s >= from - 1e-9 && s <= to + 1e-9);
    const value = perMinute(
      inside.map(([s]) => s),
      inside.map(([, i]) => mb[i] as number),
    );
    if (Number.isFinite(value)) segments.push(value);
  }
  return {
    whole: Math.round(perMinute(seconds, mb)),
    segments: acrossRounds(segments.length ? segments : [Number.NaN], 0),
  };
}

/** Validated soak options: `minutes` in (0, 120], access-token lifetime whole seconds ≥ 2. */
export function soakOptions(minutes: number, accessTtl: number): { minutes: number; accessTtl: number } {
  if (!(minutes > 0 && minutes <= 120)) throw new Error('--minutes must be a number in (0, 120]');
  if (!(Number.isInteger(accessTtl) && accessTtl >= 2))
    throw new Error('--access-ttl must be whole seconds ≥ 2');
  return { minutes, accessTtl };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '2' },
      'access-ttl': { type: 'string', default: String(DEFAULT_ACCESS_TTL_S) },
      results: { type: 'string', default: resolve(import.meta.dirname, 'soak-results.json') },
    },
  });
  const { minutes, accessTtl } = soakOptions(Number(values.minutes), Number(values['access-ttl']));
  const service = benchKeychainService('soak');
  let result: SoakResult;
  try {
    result = await runSoak({
      minutes,
      accessTtl,
      keychainService: service,
      log: (line) => console.error(line),
    });
  } finally {
    await deleteKeychainService(service);
  }
  writeJson(resolve(values.results), result);
  printTable(result, values.results);
}

/**
 * The soak: `minutes` of real time after a 90-second warm-up, two windows over one session, against
 * the reference server in a child process. The caller deletes `keychainService` afterwards.
 */
export async function runSoak(options: {
  minutes: number;
  accessTtl?: number;
  keychainService: string;
  log?: (line: string) => void;
}): Promise<SoakResult> {
  const { minutes, accessTtl = DEFAULT_ACCESS_TTL_S, keychainService: service, log = () => {} } = options;
  soakOptions(minutes, accessTtl);
  const durationMs = Math.round(minutes * 60_000);
  const heapEveryMs = Math.max(1_000, Math.min(HEAP_SAMPLE_MAX_MS, durationMs / 24));
  const machine = machineInfo();
  const server = await startChildServer({ accessTtlSeconds: accessTtl });

  let refreshes = 0;
  const refreshTimes: number[] = [];
  // The core's own requests, counted on the wire: refreshes are what the server saw, not what we hoped.
  const coreFetch: FetchLike = async (request, init) => {
    const response = await fetch(request, init);
    if (pathOf(request) === '/token/refresh' && response.ok) {
      refreshes += 1;
      refreshTimes.push(Date.now());
    }
    return response;
  };
  // Every 401 the windows' clients received on the wire; those not thrown to a caller were absorbed.
  let wire401s = 0;
  const apiFetch = async (input: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const response = await fetch(input, init);
    if (response.status === 401) wire401s += 1;
    return response;
  };

  const app = createAppPath({
    apiBaseUrl: server.url,
    keychainService: service,
    logSink: () => {},
    fetch: coreFetch,
  });
  const windows: AppWindow[] = Array.from({ length: WINDOWS }, () => {
    const win = app.openWindow();
    return { bridge: win.bridge, api: win.api.extend({ fetch: apiFetch }) };
  });
  const latencies = new LatencyHistogram();
  const errorKinds: Record<string, number> = {};
  let requests = 0;
  let failed = 0;
  let userVisible401s = 0;
  let skipped = 0;
  let inFlight = 0;
  const pending = new Set<Promise<void>>();

  const oneRequest = async (win: AppWindow, record: boolean): Promise<void> => {
    const start = performance.now();
    inFlight += 1;
    try {
      await win.api.get('api/user/me').json();
      if (record) latencies.record(performance.now() - start);
    } catch (error) {
      if (!record) return;
      failed += 1;
      const kind = isHTTPError(error)
        ? `HTTP ${error.response.status}`
        : ((error as { code?: string }).code ?? (error as Error).name ?? 'unknown');
      if (isHTTPError(error) && error.response.status === 401) userVisible401s += 1;
      errorKinds[kind] = (errorKinds[kind] ?? 0) + 1;
    } finally {
      inFlight -= 1;
    }
  };

  /** Issues requests at the target rate per window until `ms` elapse (or the count is reached). */
  const drive = async (ms: number, record: boolean): Promise<void> => {
    const started = performance.now();
    const limit = Math.ceil((ms / 1000) * RATE_PER_WINDOW);
    const issued = windows.map(() => 0);
    while (performance.now() - started < ms && issued.some((n) => n < limit)) {
      const due = Math.min(limit, Math.floor(((performance.now() - started) / 1000) * RATE_PER_WINDOW));
      windows.forEach((win, w) => {
        while ((issued[w] ?? 0) < due) {
          issued[w] = (issued[w] ?? 0) + 1;
          if (inFlight >= MAX_IN_FLIGHT) {
            if (record) skipped += 1;
            continue;
          }
          if (record) requests += 1;
          const p = oneRequest(win, record);
          pending.add(p);
          void p.finally(() => pending.delete(p));
        }
      });
      await sleep(TICK_MS);
    }
  };

  const heapTrendMb: number[] = [];
  const heapTrendSeconds: number[] = [];
  let result: SoakResult | undefined;
  try {
    const signIn = windows[0] && (await windows[0].bridge.auth.signIn(DEMO));
    if (signIn?.state !== 'active') throw new Error('sign-in failed');
    log(`soak: ${minutes} min, ${WINDOWS} windows × ${RATE_PER_WINDOW} req/s, ${accessTtl} s tokens`);
    await drive(WARMUP_MS, false);
    await drain(pending);
    refreshes = 0;
    refreshTimes.length = 0;
    wire401s = 0;
    const heapBefore = await collectGarbage();
    heapTrendMb.push(round(heapBefore, 3));
    heapTrendSeconds.push(0);

    const started = performance.now();
    // A full GC every few seconds (a few ms of pause) so the trend shows what survives, not garbage.
    const trend = setInterval(() => {
      (globalThis as { gc?: () => void }).gc?.();
      heapTrendMb.push(round(process.memoryUsage().heapUsed / 1024 / 1024, 3));
      heapTrendSeconds.push(round((performance.now() - started) / 1000, 1));
    }, heapEveryMs);
    try {
      await drive(durationMs, true);
    } finally {
      clearInterval(trend);
    }
    await drain(pending);
    const elapsedS = (performance.now() - started) / 1000;
    const heapAfter = await collectGarbage();
    heapTrendMb.push(round(heapAfter, 3));
    heapTrendSeconds.push(round((performance.now() - started) / 1000, 1));
    const slopes = heapSlopes(heapTrendSeconds, heapTrendMb, elapsedS);

    const intervals = refreshTimes.slice(1).map((t, i) => t - (refreshTimes[i] ?? t));
    result = {
      machine: { ...machine, loadAverage: { ...machine.loadAverage, after: currentLoad() } },
      minutes,
      accessTtlSeconds: accessTtl,
      windows: WINDOWS,
      ratePerWindow: RATE_PER_WINDOW,
      requests,
      failedRequests: failed + pending.size,
      userVisible401s,
      absorbed401s: wire401s - userVisible401s,
      skipped,
      errorKinds,
      refreshes,
      expectedRefreshes: round(durationMs / 1000 / accessTtl, 1),
      meanRefreshIntervalMs: intervals.length ? Math.round(summarize(intervals).mean) : null,
      latencyP50Ms: round(latencies.percentile(50), 2),
      latencyP99Ms: round(latencies.percentile(99), 2),
      achievedRps: round(requests / elapsedS, 1),
      heapBeforeMb: round(heapBefore, 2),
      heapAfterMb: round(heapAfter, 2),
      heapDeltaMb: round(heapAfter - heapBefore, 2),
      heapTrendMb,
      heapTrendSeconds,
      heapSlopeBytesPerMin: slopes.whole,
      heapSegmentSlopesBytesPerMin: slopes.segments,
      gcAvailable: typeof (globalThis as { gc?: unknown }).gc === 'function',
      finalState: app.session.getView().state,
    };
    await windows[0]?.bridge.auth.signOut();
  } finally {
    app.dispose();
    await server.stop();
  }
  if (!result) throw new Error('the soak produced no result');
  return result;
}

function printTable(r: SoakResult, file: string): void {
  const rows: Array<[string, string, string]> = [
    ['requests (achieved req/s)', `${r.requests} (${r.achievedRps})`, `${r.windows} × ${r.ratePerWindow}/s`],
    ['failed requests', String(r.failedRequests), '0'],
    ['user-visible 401s', String(r.userVisible401s), '0'],
    ['401s absorbed by the one retry', String(r.absorbed401s), ''],
    [
      'refreshes (mean interval)',
      `${r.refreshes} (${r.meanRefreshIntervalMs ?? '-'} ms)`,
      `≈ ${r.expectedRefreshes}`,
    ],
    ['latency p50 / p99 (ms)', `${r.latencyP50Ms} / ${r.latencyP99Ms}`, ''],
    [
      'heap after GC before → after (MB)',
      `${r.heapBeforeMb} → ${r.heapAfterMb} (${r.heapDeltaMb >= 0 ? '+' : ''}${r.heapDeltaMb})`,
      'flat',
    ],
    [
      'heap slope (bytes/min; 5 parts: median, min–max)',
      `${r.heapSlopeBytesPerMin} (${r.heapSegmentSlopesBytesPerMin.median}, ${r.heapSegmentSlopesBytesPerMin.min}–${r.heapSegmentSlopesBytesPerMin.max})`,
      '≈ 0',
    ],
    ['skipped (over in-flight cap)', String(r.skipped), '0'],
  ];
  const w0 = Math.max(...rows.map((row) => row[0].length));
  const w1 = Math.max(...rows.map((row) => row[1].length));
  const { cpu, cores, node, platform, loadAverage } = r.machine;
  console.log(
    `Tessera soak — ${r.minutes} min, ${r.accessTtlSeconds} s tokens — ${cpu}, ${cores} cores, Node ${node}, ${platform}, ${describeLoad(loadAverage)}${r.gcAvailable ? '' : ' (no --expose-gc: heap figures without forced GC)'}`,
  );
  for (const [a, b, c] of rows) console.log(`${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
  if (Object.keys(r.errorKinds).length) console.log(`errors: ${JSON.stringify(r.errorKinds)}`);
  console.log(`written to ${relative(process.cwd(), resolve(file))}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
