// Start-up with "stay signed in": a fresh session reads the refresh token from the real OS
// keychain, refreshes it on loopback, stores the rotated one and loads the profile.
import { createAppPath } from './app-path';
import { elapsedMs, round, summarize } from './stats';

export interface SilentSignInResult {
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  iterations: number;
  failures: number;
}

const DEMO = { username: 'demo', password: 'demo-password' };

/** Signs in once, then times `iterations` cold starts of a new core against the same keychain entry. */
export async function runSilentSignIn(options: {
  apiBaseUrl: string;
  keychainService: string;
  iterations?: number;
}): Promise<SilentSignInResult> {
  const { apiBaseUrl, keychainService, iterations = 50 } = options;
  const first = createAppPath({ apiBaseUrl, keychainService });
  const signIn = await first.session.signIn(DEMO.username, DEMO.password);
  first.dispose();
  if (!signIn.ok) throw new Error(`sign-in failed: ${signIn.error.code}`);
  if (!signIn.value.keychain.persisted)
    throw new Error(`keychain unavailable: ${signIn.value.keychain.reason}`);

  const samples: number[] = [];
  let failures = 0;
  let last = first;
  // One untimed start first: it pays for loading keytar and opening the D-Bus connection.
  for (let i = 0; i <= iterations; i++) {
    const app = createAppPath({ apiBaseUrl, keychainService });
    last = app;
    const start = process.hrtime.bigint();
    const view = await app.session.start();
    const ms = elapsedMs(start, process.hrtime.bigint());
    if (view.state !== 'active' || !view.keychain.persisted) failures += 1;
    if (i > 0) samples.push(ms);
    if (i < iterations) app.dispose();
  }
  // The last core signs out, which revokes the session and deletes the keychain entries.
  await last.session.signOut();
  last.dispose();
  const summary = summarize(samples);
  return {
    p50Ms: round(summary.p50),
    p99Ms: round(summary.p99),
    meanMs: round(summary.mean),
    iterations,
    failures,
  };
}
