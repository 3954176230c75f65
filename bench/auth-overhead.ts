// What the app's token path costs per request: the renderer ky client (bearer from the bridge →
// IPC handler table → session, 401 hook armed) against plain fetch with a fixed Authorization
// header, same endpoint, same server, alternating batches in one run. A third side, bare ky with the
// same fixed header, splits the overhead into "ky itself" and "the token path".
import ky from 'ky';
import { createAppPath } from './app-path';
import { elapsedMs, round, type Summary, summarize } from './stats';

export interface AuthOverheadResult {
  /** p50 / baselineP50. */
  ratio: number;
  /** mean / baseline mean (more sensitive to the tail). */
  meanRatio: number;
  p50Ms: number;
  p99Ms: number;
  baselineP50Ms: number;
  baselineP99Ms: number;
  /** Bare ky (fixed header, no hooks): how much of the gap is ky rather than the token path. */
  kyP50Ms: number;
  kyP99Ms: number;
  /** p50 of the app path / p50 of bare ky. */
  ratioVsKy: number;
  requests: number;
  failures: number;
}

const DEMO = { username: 'demo', password: 'demo-password' };

/** Measures `n` requests per side (after `warmup` per side) against `apiBaseUrl`'s `/api/user/me`. */
export async function runAuthOverhead(options: {
  apiBaseUrl: string;
  keychainService: string;
  n?: number;
  warmup?: number;
  batch?: number;
}): Promise<AuthOverheadResult> {
  const { apiBaseUrl, keychainService, n = 5_000, warmup = 500, batch = 100 } = options;
  const app = createAppPath({ apiBaseUrl, keychainService });
  const me = `${apiBaseUrl}/api/user/me`;
  let failures = 0;
  try {
    const { bridge, api } = app.openWindow();
    await bridge.auth.signIn(DEMO);
    const { accessToken } = await bridge.auth.getAccessToken();
    const header = { authorization: `Bearer ${accessToken}` };

    const viaApp = async (): Promise<void> => {
      await api.get('api/user/me').json();
    };
    const bare = ky.create({ prefix: apiBaseUrl, retry: 0, headers: header });
    const viaKy = async (): Promise<void> => {
      await bare.get('api/user/me').json();
    };
    const viaFetch = async (): Promise<void> => {
      const response = await fetch(me, { headers: header });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      await response.json();
    };
    const run = async (call: () => Promise<void>, count: number, into?: number[]): Promise<void> => {
      for (let i = 0; i < count; i++) {
        const start = process.hrtime.bigint();
        try {
          await call();
        } catch {
          failures += 1;
        }
        into?.push(elapsedMs(start, process.hrtime.bigint()));
      }
    };

    const sides = [
      { call: viaApp, samples: [] as number[] },
      { call: viaFetch, samples: [] as number[] },
      { call: viaKy, samples: [] as number[] },
    ];
    for (let done = 0; done < warmup; done += batch) {
      for (const side of sides) await run(side.call, batch);
    }
    failures = 0;
    for (let turn = 0; turn * batch < n; turn++) {
      // Rotate which side goes first, so none always runs right after another's burst.
      const count = Math.min(batch, n - turn * batch);
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(turn + k) % sides.length];
        if (side) await run(side.call, count, side.samples);
      }
    }
    await bridge.auth.signOut();

    const [measured, baseline, bareKy] = sides.map((side) => summarize(side.samples)) as [
      Summary,
      Summary,
      Summary,
    ];
    return {
      ratio: round(measured.p50 / baseline.p50),
      meanRatio: round(measured.mean / baseline.mean),
      p50Ms: round(measured.p50),
      p99Ms: round(measured.p99),
      baselineP50Ms: round(baseline.p50),
      baselineP99Ms: round(baseline.p99),
      kyP50Ms: round(bareKy.p50),
      kyP99Ms: round(bareKy.p99),
      ratioVsKy: round(measured.p50 / bareKy.p50),
      requests: sides.reduce((total, side) => total + side.samples.length, 0),
      failures,
    };
  } finally {
    app.dispose();
  }
}
