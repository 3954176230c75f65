// Requests per second of the reference server (run as `server/cli.ts` in a child process) for the
// authenticated profile route under HS256 and RS256, and for the unauthenticated health check.
import autocannon from 'autocannon';
import { startChildServer } from './child-server';
import { acrossRounds, DEFAULT_ROUNDS, type RoundFigure, round } from './stats';

export interface ServerThroughputResult {
  /** Requests per second, per round: median and min–max across rounds. */
  meHs256Rps: RoundFigure;
  meRs256Rps: RoundFigure;
  healthRps: RoundFigure;
  /** Worst p99 latency (ms) of any round, per route, and any non-2xx answers or errors (all should be 0). */
  meHs256P99Ms: number;
  meRs256P99Ms: number;
  healthP99Ms: number;
  non2xxOrErrors: number;
  /** Seconds per autocannon run (one run per route and round). */
  durationSeconds: number;
  connections: number;
  rounds: number;
}

const DEMO = { username: 'demo', password: 'demo-password' };

interface Run {
  rps: number;
  p99: number;
  bad: number;
}

async function load(url: string, seconds: number, connections: number, headers: Record<string, string>) {
  const result = await autocannon({ url, connections, duration: seconds, headers });
  return {
    rps: round(result.requests.total / result.duration, 0),
    p99: result.latency.p99,
    bad: result.non2xx + result.errors + result.timeouts,
  } satisfies Run;
}

async function tokenFor(url: string): Promise<string> {
  const login = await fetch(`${url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO),
  });
  if (!login.ok) throw new Error(`sign-in on the benchmark server failed: HTTP ${login.status}`);
  return ((await login.json()) as { accessToken: string }).accessToken;
}

/** Runs autocannon for `seconds` per route and round with `connections` connections, `rounds` times. */
export async function runServerThroughput(
  options: { seconds?: number; connections?: number; rounds?: number } = {},
): Promise<ServerThroughputResult> {
  const { seconds = 2, connections = 10, rounds = DEFAULT_ROUNDS } = options;
  // Both servers up (and warmed) before either is measured, so neither pays for the other's start-up.
  const [hsServer, rsServer] = await Promise.all([
    startChildServer({ alg: 'HS256', accessTtlSeconds: 3600 }),
    startChildServer({ alg: 'RS256', accessTtlSeconds: 3600 }),
  ]);
  try {
    const bearer = async (url: string) => ({ authorization: `Bearer ${await tokenFor(url)}` });
    const routes = [
      { url: `${hsServer.url}/api/user/me`, headers: await bearer(hsServer.url), runs: [] as Run[] },
      { url: `${rsServer.url}/api/user/me`, headers: await bearer(rsServer.url), runs: [] as Run[] },
      { url: `${hsServer.url}/health`, headers: {}, runs: [] as Run[] },
    ];
    // A short warm-up per route lets the JIT and the connection pool settle before the measured runs.
    for (const route of routes) await load(route.url, 1, connections, route.headers);
    // Routes take turns within every round, the first one rotating: a neighbour's burst on a shared
    // machine then costs one run of one route, not the comparison between them.
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < routes.length; k++) {
        const route = routes[(r + k) % routes.length];
        if (route) route.runs.push(await load(route.url, seconds, connections, route.headers));
      }
    }
    const [hs, rs, health] = routes.map((route) => route.runs) as [Run[], Run[], Run[]];
    const worstP99 = (runs: Run[]) => Math.max(...runs.map((run) => run.p99));
    return {
      meHs256Rps: acrossRounds(
        hs.map((run) => run.rps),
        0,
      ),
      meRs256Rps: acrossRounds(
        rs.map((run) => run.rps),
        0,
      ),
      healthRps: acrossRounds(
        health.map((run) => run.rps),
        0,
      ),
      meHs256P99Ms: worstP99(hs),
      meRs256P99Ms: worstP99(rs),
      healthP99Ms: worstP99(health),
      non2xxOrErrors: [...hs, ...rs, ...health].reduce((total, run) => total + run.bad, 0),
      durationSeconds: seconds,
      connections,
      rounds,
    };
  } finally {
    await Promise.all([hsServer.stop(), rsServer.stop()]);
  }
}
