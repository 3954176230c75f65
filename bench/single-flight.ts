// 1,000 concurrent API calls with an expired access token: the app's path (one shared refresh in the
// session) against the peers a developer would otherwise pick (bench/peers.ts: ky's readme
// afterResponse pattern, axios + axios-auth-refresh), side by side on one reference server in one run,
// `rounds` times.
import { isHTTPError } from 'ky';
import { startQuietServer } from '../test/support/test-server';
import { createAppPath } from './app-path';
import { axiosAuthRefreshClient, naiveKyClient, peerCalls, peerSignIn } from './peers';
import { acrossRounds, DEFAULT_ROUNDS, type RoundFigure } from './stats';

/** Refreshes the server saw and calls that failed, per round. */
export interface StormFigures {
  refreshRequests: RoundFigure;
  failures: RoundFigure;
  /** What the failed calls failed with, over all rounds (a timeout on a loaded machine is not a 401). */
  failureKinds: FailureKinds;
  /** `GET /api/user/me` answered 401, per round: shows which scenario the round really ran (absent in older runs). */
  unauthorized?: RoundFigure;
}

export interface SingleFlightResult {
  calls: number;
  rounds: number;
  /** The app path: `/token/refresh` requests for all calls together (target 1) and failed calls (target 0). */
  refreshRequests: RoundFigure;
  failures: RoundFigure;
  failureKinds: FailureKinds;
  /** 401s on `GET /api/user/me` per round: 0 when the core refreshed up front, as this row claims (absent in older runs). */
  unauthorized?: RoundFigure;
  /**
   * The harder variant: the core still believes its token is valid, the server already says
   * TokenExpiredError, so every call comes back 401 and asks for a forced refresh at about the same time.
   */
  on401: StormFigures;
  /**
   * True when every round ran the scenario its row names: 0 × 401 on the expired-token row (the core
   * refreshed before sending) and at least one 401 in every `on401` round. False means a row measured
   * the other scenario; bench/report.ts then shows it as not met.
   */
  scenarioHeld?: boolean;
  /** The same storm through the peers, each with a fresh sign-in of its own per round. */
  peers: { naiveKy: StormFigures; axiosAuthRefresh: StormFigures };
}

const DEMO = { username: 'demo', password: 'demo-password' };
const ACCESS_TTL_S = 60;

/** Failed calls by kind (`HTTP 401`, `TimeoutError`, …), added up over the rounds. */
export type FailureKinds = Record<string, number>;

function kindOf(error: unknown): string {
  if (isHTTPError(error)) return `HTTP ${error.response.status}`;
  const status = (error as { response?: { status?: number } }).response?.status;
  if (typeof status === 'number') return `HTTP ${status}`;
  return (error as { code?: string }).code ?? (error as Error).name ?? 'unknown';
}

async function fire(calls: number, call: () => Promise<unknown>, kinds: FailureKinds): Promise<number> {
  const results = await Promise.allSettled(Array.from({ length: calls }, call));
  let failed = 0;
  for (const result of results) {
    if (result.status === 'fulfilled') continue;
    failed += 1;
    const kind = kindOf(result.reason);
    kinds[kind] = (kinds[kind] ?? 0) + 1;
  }
  return failed;
}

interface Tally {
  refreshes: number[];
  failed: number[];
  unauthorized: number[];
  kinds: FailureKinds;
}

function storm(tally: Tally): StormFigures {
  return {
    refreshRequests: acrossRounds(tally.refreshes, 0),
    failures: acrossRounds(tally.failed, 0),
    failureKinds: tally.kinds,
    unauthorized: acrossRounds(tally.unauthorized, 0),
  };
}

/** Runs the app path (both variants) and the peers `rounds` times; `keychainService` is cleaned up by the caller. */
export async function runSingleFlight(options: {
  calls?: number;
  rounds?: number;
  keychainService: string;
}): Promise<SingleFlightResult> {
  const { calls = 1000, rounds = DEFAULT_ROUNDS } = options;
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
  const unauthorized = () => server.requests('/api/user/me').filter((r) => r.status === 401).length;
  const tally = (): Tally => ({ refreshes: [], failed: [], unauthorized: [], kinds: {} });
  const app1 = tally();
  const app401 = tally();
  const naive = tally();
  const axios = tally();
  const record = async (into: Tally, call: () => Promise<unknown>) => {
    server.clearRequests();
    into.failed.push(await fire(calls, call, into.kinds));
    into.refreshes.push(refreshes());
    into.unauthorized.push(unauthorized());
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
      await record(app1, () => win.api.get('api/user/me').json());
      await record(naive, clients.naiveKy);
      await record(axios, clients.axios);
      // Only the server's clock moves on: the app learns of the expiry from 1,000 401 TokenExpiredError.
      serverOffset += 2 * ACCESS_TTL_S * 1000;
      await record(app401, () => win.api.get('api/user/me').json());
    }
    await win.bridge.auth.signOut();
    const scenarioHeld =
      app1.unauthorized.every((count) => count === 0) && app401.unauthorized.every((count) => count > 0);
    return {
      calls,
      rounds,
      scenarioHeld,
      ...storm(app1),
      on401: storm(app401),
      peers: { naiveKy: storm(naive), axiosAuthRefresh: storm(axios) },
    };
  } finally {
    await app.close();
    await server.close();
  }
}
