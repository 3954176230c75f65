// The cost of handing a cached access token to the page: one `auth:get-access-token` call through
// the IPC handler table (sender check, payload schema, core, wire copy), timed call by call.

import { dispatch } from '../test/support/ipc-dispatch';
import { APP_EVENT } from '../test/support/ipc-fakes';
import { createAppPath } from './app-path';
import { acrossRounds, DEFAULT_ROUNDS, type RoundFigure, summarize } from './stats';

export interface HandoffResult {
  /** Per-round p50 and p99 (µs), median and min–max across rounds. */
  p50Us: RoundFigure;
  p99Us: RoundFigure;
  meanUs: RoundFigure;
  /** Timed hand-offs per round. */
  iterations: number;
  rounds: number;
}

const DEMO = { username: 'demo', password: 'demo-password' };

/** Times `rounds` × `iterations` cached token hand-offs (after `warmup` untimed ones). */
export async function runHandoff(options: {
  apiBaseUrl: string;
  keychainService: string;
  iterations?: number;
  rounds?: number;
  warmup?: number;
}): Promise<HandoffResult> {
  const {
    apiBaseUrl,
    keychainService,
    iterations = 20_000,
    rounds = DEFAULT_ROUNDS,
    warmup = 10_000,
  } = options;
  const app = createAppPath({ apiBaseUrl, keychainService });
  try {
    const signIn = await app.session.signIn(DEMO.username, DEMO.password);
    if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.error.code}`);
    const call = () => dispatch(app.handlers, 'auth:get-access-token', APP_EVENT, undefined);
    for (let i = 0; i < warmup; i++) await call();
    const perRound: Array<ReturnType<typeof summarize>> = [];
    for (let r = 0; r < rounds; r++) {
      const samples = new Array<number>(iterations);
      for (let i = 0; i < iterations; i++) {
        const start = process.hrtime.bigint();
        const result = await call();
        samples[i] = Number(process.hrtime.bigint() - start) / 1e3;
        if (!result.ok) throw new Error(`hand-off failed: ${result.error.code}`);
      }
      perRound.push(summarize(samples));
    }
    await app.session.signOut();
    return {
      p50Us: acrossRounds(
        perRound.map((s) => s.p50),
        2,
      ),
      p99Us: acrossRounds(
        perRound.map((s) => s.p99),
        2,
      ),
      meanUs: acrossRounds(
        perRound.map((s) => s.mean),
        2,
      ),
      iterations,
      rounds,
    };
  } finally {
    await app.close();
  }
}
