// Start-up with "stay signed in": a fresh session reads the refresh token from the real OS
// keychain, refreshes it on loopback, stores the rotated one and loads the profile.
import { createAppPath } from './app-path';
import { acrossRounds, DEFAULT_ROUNDS, elapsedMs, type RoundFigure, round, summarize } from './stats';

export interface SilentSignInResult {
  /** Per-round p50 (ms), median and min–max across rounds. */
  p50Ms: RoundFigure;
  /** p99 and mean over every start of every round. */
  p99Ms: number;
  meanMs: number;
  /** Timed starts per round. */
  iterations: number;
  rounds: number;
  failures: number;
}

const DEMO = { username: 'demo', password: 'demo-password' };

/** Signs in once, then times `rounds` × `iterations` cold starts of a new core against the same keychain entry. */
export async function runSilentSignIn(options: {
  apiBaseUrl: string;
  keychainService: string;
  iterations?: number;
  rounds?: number;
}): Promise<SilentSignInResult> {
  const { apiBaseUrl, keychainService, iterations = 10, rounds = DEFAULT_ROUNDS } = options;
  const total = iterations * rounds;
  const first = createAppPath({ apiBaseUrl, keychainService });
  const signIn = await first.session.signIn(DEMO.username, DEMO.password);
  await first.close();
  if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.error.code}`);
  if (!signIn.value.keychain.persisted)
    throw new Error(`keychain unavailable: ${signIn.value.keychain.reason}`);

  const samples: number[] = [];
  let failures = 0;
  let last = first;
  // One untimed start first: it pays for loading keytar and opening the D-Bus connection.
  for (let i = 0; i <= total; i++) {
    const app = createAppPath({ apiBaseUrl, keychainService });
    last = app;
    const start = process.hrtime.bigint();
    const view = await app.session.start();
    const ms = elapsedMs(start, process.hrtime.bigint());
    if (view.state !== 'active' || !view.keychain.persisted) failures += 1;
    if (i > 0) samples.push(ms);
    // Closed, not only disposed: the next start does not share the keychain with this one's writes.
    if (i < total) await app.close();
  }
  // The last core signs out, which revokes the session and deletes the keychain entries.
  await last.session.signOut();
  await last.close();
  const summary = summarize(samples);
  const perRound = Array.from({ length: rounds }, (_, r) =>
    summarize(samples.slice(r * iterations, (r + 1) * iterations)),
  );
  return {
    p50Ms: acrossRounds(perRound.map((s) => s.p50)),
    p99Ms: round(summary.p99),
    meanMs: round(summary.mean),
    iterations,
    rounds,
    failures,
  };
}
