// Requests per second of the reference server (run as `server/cli.ts` in a child process) for the
// authenticated profile route under HS256 and RS256, and for the unauthenticated health check.
import autocannon from 'autocannon';
import { startChildServer } from './child-server';
import { round } from './stats';

export interface ServerThroughputResult {
  meHs256Rps: number;
  meRs256Rps: number;
  healthRps: number;
  /** p99 latency (ms) of each run, and any non-2xx answers or errors (all should be 0). */
  meHs256P99Ms: number;
  meRs256P99Ms: number;
  healthP99Ms: number;
  non2xxOrErrors: number;
  durationSeconds: number;
  connections: number;
  /** /api/user/me runs per algorithm (best kept). */
  rounds: number;
}

const DEMO = { username: 'demo', password: 'demo-password' };

interface Run {
  rps: number;
  p99: number;
  bad: number;
}

async function load(url: string, seconds: number, connections: number, headers: Record<string, string>) {
  // A short warm-up lets the JIT and the connection pool settle before the measured run.
  await autocannon({ url, connections, duration: 1, headers });
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

/** Runs autocannon for `seconds` per route with `connections` connections. */
export async function runServerThroughput(
  options: { seconds?: number; connections?: number } = {},
): Promise<ServerThroughputResult> {
  const { seconds = 5, connections = 10 } = options;
  // Both servers up (and warmed) before either is measured, so neither pays for the other's start-up.
  const [hsServer, rsServer] = await Promise.all([
    startChildServer({ alg: 'HS256', accessTtlSeconds: 3600 }),
    startChildServer({ alg: 'RS256', accessTtlSeconds: 3600 }),
  ]);
  try {
    const bearer = async (url: string) => ({ authorization: `Bearer ${await tokenFor(url)}` });
    const hsHeaders = await bearer(hsServer.url);
    const rsHeaders = await bearer(rsServer.url);
    const hsUrl = `${hsServer.url}/api/user/me`;
    const rsUrl = `${rsServer.url}/api/user/me`;
    // Two rounds in swapped order, best of each kept: on a shared machine a neighbour's burst then
    // costs one run, not the comparison between the algorithms.
    const hs1 = await load(hsUrl, seconds, connections, hsHeaders);
    const rs1 = await load(rsUrl, seconds, connections, rsHeaders);
    const rs2 = await load(rsUrl, seconds, connections, rsHeaders);
    const hs2 = await load(hsUrl, seconds, connections, hsHeaders);
    const health = await load(`${hsServer.url}/health`, seconds, connections, {});
    const best = (a: Run, b: Run): Run => (a.rps >= b.rps ? a : { ...b, bad: a.bad + b.bad });
    const hsMe = best(hs1, hs2);
    const rsMe = best(rs1, rs2);
    return summary(hsMe, rsMe, health, seconds, connections);
  } finally {
    await Promise.all([hsServer.stop(), rsServer.stop()]);
  }
}

function summary(
  hs: Run,
  rs: Run,
  health: Run,
  seconds: number,
  connections: number,
): ServerThroughputResult {
  return {
    meHs256Rps: hs.rps,
    meRs256Rps: rs.rps,
    healthRps: health.rps,
    meHs256P99Ms: hs.p99,
    meRs256P99Ms: rs.p99,
    healthP99Ms: health.p99,
    non2xxOrErrors: hs.bad + rs.bad + health.bad,
    rounds: 2,
    durationSeconds: seconds,
    connections,
  };
}
