// The cost of handing a cached access token to the page: one `auth:get-access-token` call through
// the IPC handler table (sender check, payload schema, core, wire copy), timed call by call.

import { dispatch } from '../test/support/ipc-dispatch';
import { APP_EVENT } from '../test/support/ipc-fakes';
import { createAppPath } from './app-path';
import { round, summarize } from './stats';

export interface HandoffResult {
  p50Us: number;
  p99Us: number;
  meanUs: number;
  iterations: number;
}

const DEMO = { username: 'demo', password: 'demo-password' };

/** Times `iterations` cached token hand-offs (after `warmup` untimed ones). */
export async function runHandoff(options: {
  apiBaseUrl: string;
  keychainService: string;
  iterations?: number;
  warmup?: number;
}): Promise<HandoffResult> {
  const { apiBaseUrl, keychainService, iterations = 100_000, warmup = 10_000 } = options;
  const app = createAppPath({ apiBaseUrl, keychainService });
  try {
    const signIn = await app.session.signIn(DEMO.username, DEMO.password);
    if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.error.code}`);
    const call = () => dispatch(app.handlers, 'auth:get-access-token', APP_EVENT, undefined);
    for (let i = 0; i < warmup; i++) await call();
    const samples = new Array<number>(iterations);
    for (let i = 0; i < iterations; i++) {
      const start = process.hrtime.bigint();
      const result = await call();
      samples[i] = Number(process.hrtime.bigint() - start) / 1e3;
      if (!result.ok) throw new Error(`hand-off failed: ${result.error.code}`);
    }
    await app.session.signOut();
    const summary = summarize(samples);
    return {
      p50Us: round(summary.p50, 2),
      p99Us: round(summary.p99, 2),
      meanUs: round(summary.mean, 2),
      iterations,
    };
  } finally {
    app.dispose();
  }
}
