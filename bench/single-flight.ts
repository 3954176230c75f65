// 1,000 concurrent API calls with an expired access token: the app's path (one shared refresh in the
// session) against the peers a developer would otherwise pick (bench/peers.ts: ky's readme
// afterResponse pattern, axios + axios-auth-refresh), side by side on one reference server in one run,
// `rounds` times.
import { startQuietServer } from '../test/support/test-server';
import { createAppPath } from './app-path';
import { axiosAuthRefreshClient, naiveKyClient, peerCalls, peerSignIn } from './peers';
import { acrossRounds, type RoundFigure } from './stats';

/** Refreshes the server saw and calls that failed, per round. */
export interface StormFigures {
  refreshRequests: RoundFigure;
  failures: RoundFigure;
}

export interface SingleFlightResult {
  calls: number;
  rounds: number;
  /** The app path: `/token/refresh` requests for all calls together (target 1) and failed calls (target 0). */
  refreshRequests: RoundFigure;
  failures: RoundFigure;
  /**
   * The harder variant: the core still believes its token is valid, the server already says
   * TokenExpiredError, so every call comes back 401 and asks for a forced refresh at about the same time.
   */
  on401: StormFigures;
  /** The same storm through the peers, each with a fresh sign-in of its own per round. */
  peers: { naiveKy: StormFigures; axiosAuthRefresh: StormFigures };
}

const DEMO = { username: 'demo', password: 'demo-password' };
const ACCESS_TTL_S = 60;

async function fire(calls: number, call: () => Promise<unknown>): Promise<number> {
  const results = await Promise.allSettled(Array.from({ length: calls }, call));
  return results.filter((r) => r.status === 'rejected').length;
}

function storm(refreshes: number[], failures: number[]): StormFigures {
  return { refreshRequests: acrossRounds(refreshes, 0), failures: acrossRounds(failures, 0) };
}

/** Runs the app path (both variants) and the peers `rounds` times; `keychainService` is cleaned up by the caller. */
export async function runSingleFlight(options: {
  calls?: number;
  rounds?: number;
  keychainService: string;
}): Promise<SingleFlightResult> {
  const { calls = 1000, rounds = 5 } = options;
  // Separate clocks for the server and the app, so each side's idea of "expired" can be moved.
  let serverOffset = 0;
  let appOffset = 0;
  const server = await startQuietServer({
    accessTtlSeconds: ACCESS_TTL_S,
    now: () => Date.now() + serverOffset,
  });
  const app = createAppPath({
    apiBaseUrl: server.url,
    keychainService: options.keychainService,
    logSink: () => {},
    now: () => Date.now() + appOffset,
  });
  const refreshes = () => server.requests('/token/refresh').length;
  const measure = async (call: () => Promise<unknown>) => {
    server.clearRequests();
    const failed = await fire(calls, call);
    return { refreshes: refreshes(), failed };
  };
  const app1 = { refreshes: [] as number[], failed: [] as number[] };
  const app401 = { refreshes: [] as number[], failed: [] as number[] };
  const naive = { refreshes: [] as number[], failed: [] as number[] };
  const axios = { refreshes: [] as number[], failed: [] as number[] };
  const record = (into: typeof app1, m: { refreshes: number; failed: number }) => {
    into.refreshes.push(m.refreshes);
    into.failed.push(m.failed);
  };
  try {
    const win = app.openWindow();
    await win.bridge.auth.signIn(DEMO);
    for (let round = 0; round < rounds; round++) {
      // The peers sign in afresh each round: the ky pattern's reuse storm revokes its token family.
      const clients = peerCalls({
        naiveKy: naiveKyClient(server.url, await peerSignIn(server.url)),
        axios: axiosAuthRefreshClient(server.url, await peerSignIn(server.url)),
      });
      // Every side sees every token expired: the app refreshes up front, the peers on the 401s.
      serverOffset += 2 * ACCESS_TTL_S * 1000;
      appOffset = serverOffset;
      record(app1, await measure(() => win.api.get('api/user/me').json()));
      record(naive, await measure(clients.naiveKy));
      record(axios, await measure(clients.axios));
      // Only the server's clock moves on: the app learns of the expiry from 1,000 401 TokenExpiredError.
      serverOffset += 2 * ACCESS_TTL_S * 1000;
      record(app401, await measure(() => win.api.get('api/user/me').json()));
    }
    await win.bridge.auth.signOut();
    return {
      calls,
      rounds,
      refreshRequests: acrossRounds(app1.refreshes, 0),
      failures: acrossRounds(app1.failed, 0),
      on401: storm(app401.refreshes, app401.failed),
      peers: {
        naiveKy: storm(naive.refreshes, naive.failed),
        axiosAuthRefresh: storm(axios.refreshes, axios.failed),
      },
    };
  } finally {
    app.dispose();
    await server.close();
  }
}
