// What the app's token path costs per request: the renderer ky client (bearer from the grant in memory
// or the bridge → IPC handler table → session, one retry after an expired-token 401) against plain fetch with a fixed
// Authorization header, same endpoint, same server, alternating batches in one run. Three more sides
// run in the same batches: bare ky with the fixed header (how much of the gap is ky itself), and the
// peers of bench/peers.ts (ky's readme afterResponse pattern, axios + axios-auth-refresh).
// Every round measures every side; a round's ratio is that side's p50 / plain fetch's p50 in the same
// round, and the result is the median and min–max of those ratios across rounds.
import ky from 'ky';
import { createAppPath } from './app-path';
import { axiosAuthRefreshClient, naiveKyClient, peerCalls, peerSignIn } from './peers';
import { acrossRounds, DEFAULT_ROUNDS, elapsedMs, type RoundFigure, round, summarize } from './stats';

/** One side's figures: per-round p50 / fetch p50, and its latency over all rounds. */
export interface OverheadSide {
  ratio: RoundFigure;
  p50Ms: number;
  p99Ms: number;
}

export interface AuthOverheadResult {
  /** The app path: p50 / plain fetch p50, per round (target ≤ 1.10). */
  ratio: RoundFigure;
  /** The app path's mean / plain fetch's mean, per round (more sensitive to the tail). */
  meanRatio: RoundFigure;
  p50Ms: number;
  p99Ms: number;
  baselineP50Ms: number;
  baselineP99Ms: number;
  /** Bare ky (fixed header, no hooks) against plain fetch. */
  bareKy: OverheadSide;
  /** p50 of the app path / p50 of bare ky, per round: the token path's own share. */
  ratioVsKy: RoundFigure;
  peers: { naiveKy: OverheadSide; axiosAuthRefresh: OverheadSide };
  rounds: number;
  /** Measured requests per side and round. */
  requestsPerSide: number;
  requests: number;
  /** Measured calls that failed, all sides together: their times are not in the samples; any means not met. */
  failures: number;
}

const DEMO = { username: 'demo', password: 'demo-password' };

/**
 * Calls `call` `count` times, one after another; the time (ms) of each call that succeeded goes into
 * `into`. A failed call's time is left out (an error answered at once would pull the p50 down), and
 * the failures are returned: a run with any is not met.
 */
export async function timeCalls(
  call: () => Promise<unknown>,
  count: number,
  into?: number[],
): Promise<number> {
  let failed = 0;
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    try {
      await call();
    } catch {
      failed += 1;
      continue;
    }
    into?.push(elapsedMs(start, process.hrtime.bigint()));
  }
  return failed;
}
const SIDES = ['app', 'fetch', 'bareKy', 'naiveKy', 'axios'] as const;
type SideName = (typeof SIDES)[number];

/** Measures `n` requests per side and round (after `warmup` per side) against `apiBaseUrl`'s `/api/user/me`. */
export async function runAuthOverhead(options: {
  apiBaseUrl: string;
  keychainService: string;
  n?: number;
  rounds?: number;
  warmup?: number;
  batch?: number;
}): Promise<AuthOverheadResult> {
  const {
    apiBaseUrl,
    keychainService,
    n = 1_000,
    rounds = DEFAULT_ROUNDS,
    warmup = 500,
    batch = 100,
  } = options;
  const app = createAppPath({ apiBaseUrl, keychainService });
  const me = `${apiBaseUrl}/api/user/me`;
  let failures = 0;
  try {
    const { bridge, api } = app.openWindow();
    await bridge.auth.signIn(DEMO);
    const { accessToken } = await bridge.auth.getAccessToken();
    const header = { authorization: `Bearer ${accessToken}` };
    const bare = ky.create({ prefix: apiBaseUrl, retry: 0, headers: header });
    // The peers hold a pair of their own; with hour-long tokens they never refresh here.
    const peers = peerCalls({
      naiveKy: naiveKyClient(apiBaseUrl, await peerSignIn(apiBaseUrl)),
      axios: axiosAuthRefreshClient(apiBaseUrl, await peerSignIn(apiBaseUrl)),
    });
    const calls: Record<SideName, () => Promise<unknown>> = {
      app: () => api.get('api/user/me').json(),
      fetch: async () => {
        const response = await fetch(me, { headers: header });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json();
      },
      bareKy: () => bare.get('api/user/me').json(),
      naiveKy: peers.naiveKy,
      axios: peers.axios,
    };
    const run = async (call: () => Promise<unknown>, count: number, into?: number[]): Promise<void> => {
      failures += await timeCalls(call, count, into);
    };

    for (let done = 0; done < warmup; done += batch) {
      for (const side of SIDES) await run(calls[side], batch);
    }
    failures = 0;
    const all = Object.fromEntries(SIDES.map((side) => [side, [] as number[]])) as Record<SideName, number[]>;
    const perRound: Array<Record<SideName, { p50: number; mean: number }>> = [];
    for (let r = 0; r < rounds; r++) {
      const samples = Object.fromEntries(SIDES.map((side) => [side, [] as number[]])) as Record<
        SideName,
        number[]
      >;
      for (let turn = 0; turn * batch < n; turn++) {
        // Rotate which side goes first, so none always runs right after another's burst.
        const count = Math.min(batch, n - turn * batch);
        for (let k = 0; k < SIDES.length; k++) {
          const side = SIDES[(turn + k) % SIDES.length] as SideName;
          await run(calls[side], count, samples[side]);
        }
      }
      const summary = Object.fromEntries(
        SIDES.map((side) => {
          const s = summarize(samples[side]);
          all[side].push(...samples[side]);
          return [side, { p50: s.p50, mean: s.mean }];
        }),
      ) as Record<SideName, { p50: number; mean: number }>;
      perRound.push(summary);
    }
    await bridge.auth.signOut();

    const ratioOf = (side: SideName, base: SideName = 'fetch') =>
      acrossRounds(perRound.map((s) => s[side].p50 / s[base].p50));
    const pooled = Object.fromEntries(SIDES.map((side) => [side, summarize(all[side])])) as Record<
      SideName,
      ReturnType<typeof summarize>
    >;
    const side = (name: SideName): OverheadSide => ({
      ratio: ratioOf(name),
      p50Ms: round(pooled[name].p50),
      p99Ms: round(pooled[name].p99),
    });
    return {
      ratio: ratioOf('app'),
      meanRatio: acrossRounds(perRound.map((s) => s.app.mean / s.fetch.mean)),
      p50Ms: round(pooled.app.p50),
      p99Ms: round(pooled.app.p99),
      baselineP50Ms: round(pooled.fetch.p50),
      baselineP99Ms: round(pooled.fetch.p99),
      bareKy: side('bareKy'),
      ratioVsKy: ratioOf('app', 'bareKy'),
      peers: { naiveKy: side('naiveKy'), axiosAuthRefresh: side('axios') },
      rounds,
      requestsPerSide: n,
      requests: SIDES.length * rounds * n,
      failures,
    };
  } finally {
    await app.close();
  }
}
