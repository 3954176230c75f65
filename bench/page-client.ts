// The page side of bench/auth-overhead-chromium.ts, bundled with esbuild for a cross-origin-isolated
// Chromium page: the renderer's HTTP client (the app's `createApiClient` with ky, as the renderer build
// includes them), bare ky, plain fetch and the two peers (bench/peers.ts: ky's readme afterResponse
// pattern, axios + axios-auth-refresh — in a page axios sends with XMLHttpRequest), each request timed,
// sides alternating in batches.
import ky from 'ky';
import type { TesseraBridge } from '../common/ipc';
import type { AccessTokenGrant, SessionView } from '../common/session';
import { createApiClient } from '../renderer/src/api/client';
import { axiosAuthRefreshClient, naiveKyClient, type PeerTokens, peerCalls } from './peers';

export interface PageOverheadOptions {
  /** The API base URL (the page's own origin). */
  base: string;
  /** The grant main handed out at sign-in. */
  grant: AccessTokenGrant;
  /** The same sign-in's pair, for the peers (which keep their tokens in a variable). */
  peerTokens: PeerTokens;
  n: number;
  rounds: number;
  warmup: number;
  batch: number;
  sides: readonly string[];
}

export interface PageOverheadRun {
  /** Per side, per round: each request's time (ms); a batch with a failed call is left out whole. */
  samples: Record<string, number[][]>;
  /** Measured calls that failed, all sides together. */
  failures: number;
}

/**
 * Times `count` calls of `call` one after another, each on its own: their times (ms), or null when a
 * call failed — the whole batch is then left out of the samples (a failed call's time is not a
 * request's, and leaving out only it would favour the side that fails fast), and its failures counted.
 */
export async function timeBatch(
  call: () => Promise<unknown>,
  count: number,
  now: () => number = () => performance.now(),
): Promise<{ timesMs: number[] | null; failures: number }> {
  let failures = 0;
  const timesMs: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = now();
    try {
      await call();
    } catch {
      failures += 1;
    }
    timesMs.push(now() - start);
  }
  return { timesMs: failures === 0 ? timesMs : null, failures };
}

/**
 * Chromium coarsens `performance.now()` to 100 µs in a page that is not cross-origin isolated — too
 * coarse for one request of about 2 ms — and to 5 µs in one that is, so the page must be isolated.
 */
async function measure(options: PageOverheadOptions): Promise<PageOverheadRun> {
  if (!globalThis.crossOriginIsolated)
    throw new Error(
      'the page is not cross-origin isolated: its clock (100 µs) is too coarse to time one request',
    );
  const { base, grant, peerTokens, n, rounds, warmup, batch, sides } = options;
  // A stand-in bridge: with a known-good grant in memory the client never asks it (checked below).
  let bridgeCalls = 0;
  const bridge = {
    auth: {
      getAccessToken: async () => {
        bridgeCalls += 1;
        return grant;
      },
      onSessionChange: () => () => {},
      getSession: async () => ({ state: 'active' }) as SessionView,
    },
  } as unknown as Pick<TesseraBridge, 'auth'>;
  const api = createApiClient({ bridge, getBaseUrl: () => base, getTimeoutMs: () => 10_000 });
  const authorization = `Bearer ${grant.accessToken}`;
  const bare = ky.create({ prefix: base, retry: 0, headers: { authorization } });
  const me = `${base}/api/user/me`;
  const calls: Record<string, () => Promise<unknown>> = {
    app: () => api.get('api/user/me').json(),
    fetch: async () => {
      const response = await fetch(me, { headers: { authorization } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    },
    bareKy: () => bare.get('api/user/me').json(),
    ...peerCalls({
      naiveKy: naiveKyClient(base, { ...peerTokens }),
      axios: axiosAuthRefreshClient(base, { ...peerTokens }),
    }),
  };
  let failures = 0;
  const timed = async (side: string, count: number): Promise<number[] | null> => {
    const call = calls[side];
    if (!call) throw new Error(`unknown side ${side}`);
    const batchRun = await timeBatch(call, count);
    failures += batchRun.failures;
    return batchRun.timesMs;
  };
  for (let done = 0; done < warmup; done += batch) {
    for (const side of sides) await timed(side, batch);
  }
  // The first call asked the bridge once (nothing in memory yet); no measured call may.
  bridgeCalls = 0;
  failures = 0;
  const samples: Record<string, number[][]> = Object.fromEntries(sides.map((side) => [side, []]));
  for (let r = 0; r < rounds; r++) {
    const round: Record<string, number[]> = Object.fromEntries(sides.map((side) => [side, []]));
    for (let turn = 0; turn * batch < n; turn++) {
      // Rotate which side goes first, so none always runs right after another's burst.
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(turn + k) % sides.length] as string;
        const timesMs = await timed(side, Math.min(batch, n - turn * batch));
        if (timesMs !== null) round[side]?.push(...timesMs);
      }
    }
    for (const side of sides) samples[side]?.push(round[side] ?? []);
  }
  if (bridgeCalls > 0)
    throw new Error(`the client asked the bridge ${bridgeCalls} times with a known-good grant`);
  return { samples, failures };
}

(globalThis as Record<string, unknown>).__tesseraBenchMeasure = measure;
