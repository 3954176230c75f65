// Does a sign-in flood starve authenticated traffic? `GET /api/user/me` latency on the reference server
// in a child process, unloaded and while 120 concurrent `POST /login` with distinct usernames (each one a
// full scrypt check when admitted) are kept in flight. The checks are sent open loop: one due every
// ME_INTERVAL_MS whether or not the earlier ones were answered, as real traffic arrives, and each one's
// latency counts from when it was due (see `openLoop`). A client that waits for each answer before the
// next (closed loop) lets a 40 ms stall cost one slow sample where arriving traffic would have had 20
// requests waiting: it under-states the tail it is meant to measure (coordinated omission). The flood ignores Retry-After, as an attacker would, and runs in its own worker
// thread so its bookkeeping does not delay the measuring event loop. Unloaded and flood phases
// alternate over a few rounds, so a neighbour's burst on a shared machine hits both alike; each
// unloaded phase starts a second after the previous flood's last answer (SETTLE_MS).
// Figures only; the target is p99 under flood ≤ 2 × unloaded p99.
// Run alone: tsx bench/login-flood.ts   (or npm run bench -- --only loginFlood)
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { childResult } from './child-result';
import { HASHINGS, type Hashing, startChildServer } from './child-server';
import { acrossRounds, type RoundFigure, round, summarize } from './stats';

export interface LoginFloodResult {
  unloadedP50Ms: number;
  unloadedP99Ms: number;
  floodP50Ms: number;
  floodP99Ms: number;
  /** Each round's flood p99 / the same round's unloaded p99: median and min–max across rounds (target ≤ 2). */
  p99Ratio: RoundFigure;
  p50Ratio: RoundFigure;
  /**
   * /api/user/me requests answered 200, all unloaded and all flood phases, and those that answered
   * otherwise (not in the samples; any means not met).
   */
  meRequestsUnloaded: number;
  meRequestsFlood: number;
  meFailures: number;
  /**
   * The failures by phase and kind ("flood 503", "unloaded ECONNRESET"): what a failed check was.
   * Absent in files from before.
   */
  meFailureKinds?: Record<string, number>;
  /** Sign-in attempts answered during the flood, by outcome. */
  logins: { invalidCredentials: number; serverBusy: number; other: number };
  /** Sign-in attempts kept in flight. */
  floodConcurrency: number;
  /** Measured seconds per phase and round, and rounds (unloaded then flood). */
  secondsPerPhase: number;
  rounds: number;
  /**
   * The open-loop schedule of the /api/user/me checks: one due every `intervalMs` in both phases,
   * `requestsPerPhase` sent per phase and round, over a keep-alive agent of up to `maxSockets`
   * connections; `settleMs` of unmeasured checks after each flood before the next unloaded phase
   * (absent before definition 3). Absent in files from before (definition 1: closed loop, one request
   * at a time).
   */
  schedule?: { intervalMs: number; requestsPerPhase: number; maxSockets: number; settleMs?: number };
  /**
   * How late the harness itself sent the checks (due → handed to http.request), p50 / p99 over all
   * rounds, per phase: part of the latencies above (Node's timers fire to the millisecond).
   */
  sendLagMs?: { unloadedP50: number; unloadedP99: number; floodP50: number; floodP99: number };
  /**
   * The same checks timed from when each went out instead of when it was due: the harness's own
   * lateness (`sendLagMs`) left out, so what is left is the server's (and the loopback's) part. The
   * harness shares the machine's cores with the server and its hashing threads, and goes out late
   * under the flood where a client on another machine would not. Information beside the judged
   * figure, which stays timed from the due time. Absent in files from before.
   */
  fromSend?: { unloadedP99Ms: number; floodP99Ms: number; p99Ratio: RoundFigure };
  /**
   * Set only by a measurement with the password hashing replaced (`--hashing wait|spin`, see
   * bench/hashing-stand-in.cjs): not the server's figure, never in a recorded file.
   */
  hashing?: Exclude<Hashing, 'scrypt'>;
}

type LoginCounts = LoginFloodResult['logins'];

// The flood, in plain JavaScript for an eval'd worker: `concurrency` loops, each sending the next
// attempt (a new username) as soon as the previous one is answered, until told to stop.
const FLOOD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { Agent, request } = require('node:http');
const { url, concurrency, prefix } = workerData;
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const counts = { invalidCredentials: 0, serverBusy: 0, other: 0 };
let flooding = true;
let next = 0;
parentPort.once('message', () => { flooding = false; });
const attempt = () => new Promise((resolve) => {
  const body = JSON.stringify({ username: prefix + (next++), password: 'not-the-password' });
  const req = request(url, { agent, method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
    res.resume();
    res.on('end', () => resolve(res.statusCode));
  });
  req.on('error', () => resolve(0));
  req.end(body);
});
const loop = async () => {
  while (flooding) {
    const status = await attempt();
    if (status === 401) counts.invalidCredentials += 1;
    else if (status === 503) counts.serverBusy += 1;
    else counts.other += 1;
  }
};
Promise.all(Array.from({ length: concurrency }, loop)).then(() => {
  agent.destroy();
  parentPort.postMessage(counts);
});
`;

interface Answer {
  status: number;
  body: string;
}

function send(
  agent: Agent,
  url: URL,
  init: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** The measuring clock (ms), injectable so `openLoop` can be tested without time. */
export interface Clock {
  now(): number;
  /** Resolves after about `ms` (it may be early or late: `openLoop` checks `now()` again). */
  sleep(ms: number): Promise<void>;
}

/** Node's timers: whole milliseconds (a timer due in 1.4 ms fires 1–2 ms later, or a little early). */
export const realClock: Clock = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

// A sleeper thread: told how long to wait, it blocks in Atomics.wait (sub-millisecond) and answers.
const SLEEPER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const cell = new Int32Array(new SharedArrayBuffer(4));
parentPort.on('message', (ms) => {
  Atomics.wait(cell, 0, 0, ms);
  parentPort.postMessage(0);
});
`;

/**
 * The measuring clock for the checks: `performance.now()`, and sleeps that end when a worker thread
 * blocked in Atomics.wait answers or, a millisecond later, Node's timer fires, whichever is first.
 * Measured on the 2-core machine at a load of 3 (1,500 sends due every 2 ms, answered at once): with
 * Node's timers alone (`realClock`) the sends went out late by 0.55–0.58 ms at the median — more than
 * an unloaded answer takes, in both phases, which pads every latency and pulls the ratio towards 1 —
 * and 2.4–7 ms at p99; with the thread alone 0.18 ms at the median but 5–70 ms at p99 (two threads
 * woken in turn); with the race 0.19–0.20 and 3.0–3.5 ms. Neither spins: no CPU is spent waiting.
 * `close()` ends the thread.
 */
export function preciseClock(): Clock & { close(): Promise<void> } {
  const sleeper = new Worker(SLEEPER_SOURCE, { eval: true });
  // One entry per sleep, answered in order; an entry the timer already ended just does nothing.
  const waiting: Array<() => void> = [];
  sleeper.on('message', () => waiting.shift()?.());
  return {
    now: () => performance.now(),
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        let ended = false;
        const end = () => {
          if (ended) return;
          ended = true;
          clearTimeout(timer);
          resolve();
        };
        waiting.push(end);
        sleeper.postMessage(ms);
        // A backstop a millisecond later: a timer may fire early, and the thread would then be asked
        // for the next sleep while it still waits out this one.
        timer = setTimeout(end, ms + 1);
      }),
    async close() {
      await sleeper.terminate();
    },
  };
}

/** One request of an open-loop run: when it was due, when it went out, and its latency from when it was due. */
export interface Timed<T> {
  dueAt: number;
  sentAt: number;
  /** Answer time − due time: a send the loop made late counts its lateness. */
  latencyMs: number;
  outcome: T;
}

/**
 * Open loop: calls `send` `count` times, the i-th due at start + i × `intervalMs`, without waiting for
 * any answer before the next send (only for its due time). Each latency counts from the due time, not
 * from the send, so whatever held a send back — the measuring process's event loop busy, a timer that
 * fired late, a loop behind its schedule (it then sends what is due at once) — is in the figure, as it
 * would be for requests that arrive whether or not the server is keeping up. `send` must not reject.
 */
export async function openLoop<T>(
  schedule: { intervalMs: number; count: number },
  send: () => Promise<T>,
  clock: Clock = realClock,
): Promise<Timed<T>[]> {
  const start = clock.now();
  const answers: Promise<Timed<T>>[] = [];
  for (let i = 0; i < schedule.count; i++) {
    const dueAt = start + i * schedule.intervalMs;
    // Never early: a timer may fire before its time, and a send before its due time would hide lateness.
    for (let wait = dueAt - clock.now(); wait > 0; wait = dueAt - clock.now()) await clock.sleep(wait);
    const sentAt = clock.now();
    answers.push(send().then((outcome) => ({ dueAt, sentAt, latencyMs: clock.now() - dueAt, outcome })));
  }
  return Promise.all(answers);
}

/**
 * A check due every 2 ms: 500 a second, about 3 % of what the same server answers on /api/user/me with
 * 10 connections (the `server` benchmark: ~17,000/s), and fewer than the closed loop sent (one per
 * answer, ~0.6 ms apart). So the unloaded phase loads the server lightly and the flood, not the checks,
 * is what loads it, while a stall of a few milliseconds still meets several checks waiting.
 */
export const ME_INTERVAL_MS = 2;
/**
 * Connections the checks may use (keep-alive): at 2 ms apart, 64 cover a stall of 128 ms before a due
 * check waits for a free connection (it would still count from when it was due). The warm-up opens them.
 */
export const ME_MAX_SOCKETS = 64;

/** A phase's checks: how many answered other than 200 (or not at all), and how late each went out (ms). */
export interface PhaseFigures {
  failures: number;
  /** The failures by what they were: an HTTP status ("503"), or the error of a check that got no answer ("ECONNRESET"). */
  failureKinds: Record<string, number>;
  sendLags: number[];
  /** The latencies (ms) of the 200 answers again, each from when the check went out, not when it was due. */
  fromSend: number[];
}

/**
 * Sends `count` checks of /api/user/me open loop, one due every `intervalMs`; adds the latencies (ms,
 * from when each was due) of the 200 answers to `samples` and counts those that answered otherwise or
 * not at all (their times are not a token check's: a refusal can be fast).
 */
export async function measureMe(
  agent: Agent,
  url: URL,
  token: string,
  schedule: { intervalMs: number; count: number },
  samples: number[],
  clock: Clock = realClock,
): Promise<PhaseFigures> {
  const headers = { authorization: `Bearer ${token}` };
  const answers = await openLoop(
    schedule,
    () =>
      send(agent, url, { headers }).then(
        (answer): number | string => answer.status,
        (error: unknown) => (error as NodeJS.ErrnoException)?.code ?? 'no answer',
      ),
    clock,
  );
  let failures = 0;
  const failureKinds: Record<string, number> = {};
  const fromSend: number[] = [];
  for (const answer of answers) {
    if (answer.outcome === 200) {
      samples.push(answer.latencyMs);
      fromSend.push(answer.latencyMs - (answer.sentAt - answer.dueAt));
      continue;
    }
    failures += 1;
    countInto(failureKinds, String(answer.outcome), 1);
  }
  return {
    failures,
    failureKinds,
    sendLags: answers.map((answer) => answer.sentAt - answer.dueAt),
    fromSend,
  };
}

/** Adds `count` to `kinds[kind]`. */
function countInto(kinds: Record<string, number>, kind: string, count: number): void {
  kinds[kind] = (kinds[kind] ?? 0) + count;
}

/** Starts the flood; `stop()` ends it once every attempt in flight is answered, with the counts. */
function startFlood(url: URL, concurrency: number, prefix: string) {
  const worker = new Worker(FLOOD_SOURCE, { eval: true, workerData: { url: url.href, concurrency, prefix } });
  const done = once(worker, 'message') as Promise<[LoginCounts]>;
  return {
    async stop(): Promise<LoginCounts> {
      worker.postMessage('stop');
      const [counts] = await done;
      await worker.terminate();
      return counts;
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Unmeasured checks before the first round, on the same schedule, so round 1's baseline is a warm server's. */
const WARMUP_MS = 10_000;
/** Then an unmeasured flood, so round 1's flood does not meet a cold sign-in path. */
const WARMUP_FLOOD_MS = 3_000;
/**
 * Unmeasured checks after each flood (the warm-up's too) before the unloaded phase. A flood's stop
 * returns once its last attempt is answered, 1.4–1.9 s after it was told to stop; a timeline of the
 * checks' p99 per 500 ms from that moment (four floods, 2026-12-04) stayed raised — 3–10 ms against
 * 1–2 ms later — for 1.5–2 s, so up to half a second into an unloaded phase started at once. The gap
 * keeps the flood's tail out of the divisor.
 */
export const SETTLE_MS = 1_000;

/** `rounds` × (`seconds` unloaded, then `seconds` under a flood of `concurrency` sign-ins). */
export async function runLoginFlood(
  options: { seconds?: number; rounds?: number; concurrency?: number; hashing?: Hashing } = {},
): Promise<LoginFloodResult> {
  const { seconds = 3, rounds = 9, concurrency = 120, hashing = 'scrypt' } = options;
  const server = await startChildServer({ alg: 'HS256', accessTtlSeconds: 3600, hashing });
  const agent = new Agent({ keepAlive: true, maxSockets: ME_MAX_SOCKETS });
  const clock = preciseClock();
  // Checks per phase: every ME_INTERVAL_MS for the phase's length, the same count in every phase.
  const phase = (ms: number) => ({ intervalMs: ME_INTERVAL_MS, count: Math.ceil(ms / ME_INTERVAL_MS) });
  const perPhase = phase(seconds * 1000);
  try {
    const base = new URL(server.url);
    const me = new URL('/api/user/me', base);
    const login = new URL('/login', base);
    const signedIn = await send(agent, login, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo', password: 'demo-password' }),
    });
    if (signedIn.status !== 200) {
      throw new Error(`sign-in on the benchmark server failed: HTTP ${signedIn.status}`);
    }
    const token = (JSON.parse(signedIn.body) as { accessToken: string }).accessToken;

    // Unmeasured: the server's unloaded p99 falls from ~4 ms to under 1 ms over its first seconds (JIT),
    // and the first flood meets a cold sign-in path (compiled on first use, hashing threads started):
    // 5 times the later rounds' ratio. Every measured round starts from a server that has seen both.
    await measureMe(agent, me, token, phase(WARMUP_MS), [], clock);
    const warmFlood = startFlood(login, concurrency, 'warm-up-');
    await measureMe(agent, me, token, phase(WARMUP_FLOOD_MS), [], clock);
    await warmFlood.stop();
    const unloaded: number[] = [];
    const flooded: number[] = [];
    const ratios: Array<{ p50: number; p99: number; p99FromSend: number }> = [];
    const unloadedFromSend: number[] = [];
    const floodFromSend: number[] = [];
    const logins: LoginCounts = { invalidCredentials: 0, serverBusy: 0, other: 0 };
    const failureKinds: Record<string, number> = {};
    const quietLags: number[] = [];
    const floodLags: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const quietRound: number[] = [];
      const floodRound: number[] = [];
      await measureMe(agent, me, token, phase(SETTLE_MS), [], clock);
      const quietPhase = await measureMe(agent, me, token, perPhase, quietRound, clock);
      const flood = startFlood(login, concurrency, `flood-${r}-`);
      // Let it build up (hashing queue full, refusals held) before measuring.
      await sleep(1_000);
      const floodPhase = await measureMe(agent, me, token, perPhase, floodRound, clock);
      for (const [kind, count] of Object.entries(quietPhase.failureKinds)) {
        countInto(failureKinds, `unloaded ${kind}`, count);
      }
      for (const [kind, count] of Object.entries(floodPhase.failureKinds)) {
        countInto(failureKinds, `flood ${kind}`, count);
      }
      quietLags.push(...quietPhase.sendLags);
      floodLags.push(...floodPhase.sendLags);
      unloaded.push(...quietRound);
      flooded.push(...floodRound);
      const q = summarize(quietRound);
      const f = summarize(floodRound);
      unloadedFromSend.push(...quietPhase.fromSend);
      floodFromSend.push(...floodPhase.fromSend);
      const p99FromSend = summarize(floodPhase.fromSend).p99 / summarize(quietPhase.fromSend).p99;
      ratios.push({ p50: f.p50 / q.p50, p99: f.p99 / q.p99, p99FromSend });
      const counts = await flood.stop();
      logins.invalidCredentials += counts.invalidCredentials;
      logins.serverBusy += counts.serverBusy;
      logins.other += counts.other;
    }

    const quiet = summarize(unloaded);
    const loaded = summarize(flooded);
    const quietLag = summarize(quietLags);
    const floodLag = summarize(floodLags);
    return {
      unloadedP50Ms: round(quiet.p50),
      unloadedP99Ms: round(quiet.p99),
      floodP50Ms: round(loaded.p50),
      floodP99Ms: round(loaded.p99),
      p99Ratio: acrossRounds(
        ratios.map((r) => r.p99),
        2,
      ),
      p50Ratio: acrossRounds(
        ratios.map((r) => r.p50),
        2,
      ),
      meRequestsUnloaded: quiet.count,
      meRequestsFlood: loaded.count,
      meFailures: Object.values(failureKinds).reduce((sum, count) => sum + count, 0),
      meFailureKinds: failureKinds,
      logins,
      floodConcurrency: concurrency,
      secondsPerPhase: seconds,
      rounds,
      schedule: {
        intervalMs: ME_INTERVAL_MS,
        requestsPerPhase: perPhase.count,
        maxSockets: ME_MAX_SOCKETS,
        settleMs: SETTLE_MS,
      },
      sendLagMs: {
        unloadedP50: round(quietLag.p50),
        unloadedP99: round(quietLag.p99),
        floodP50: round(floodLag.p50),
        floodP99: round(floodLag.p99),
      },
      fromSend: {
        unloadedP99Ms: round(summarize(unloadedFromSend).p99),
        floodP99Ms: round(summarize(floodFromSend).p99),
        p99Ratio: acrossRounds(
          ratios.map((r) => r.p99FromSend),
          2,
        ),
      },
      ...(hashing === 'scrypt' ? {} : { hashing }),
    };
  } finally {
    await clock.close();
    agent.destroy();
    await server.stop();
  }
}

/**
 * `runLoginFlood` in a new process of its own (this file as its entry point, `--json`): what
 * `npm run bench` runs. In the bench's own process, after the benchmarks before it, the unloaded
 * phases caught stalls a fresh process does not have: two full runs (2026-12-04) had 4 of 9 rounds
 * with the higher p99 unloaded and an unloaded p99 of 7.2 and 9.8 ms, where the same benchmark alone
 * (`--only loginFlood`, or this file run directly: eleven runs) had an unloaded p99 of 1.3–3.5 ms,
 * and the three `--only` runs whose rounds were kept had none, none and one such round.
 */
export async function runLoginFloodInFreshProcess(): Promise<LoginFloodResult> {
  return childResult<LoginFloodResult>(
    ['--import', 'tsx', import.meta.filename, '--json'],
    'the loginFlood process',
  );
}

/**
 * This file's options when run directly (without node and the script): `--json` (the result alone, on
 * one line) and `--hashing wait|spin` (a measurement with the hashing replaced; default real scrypt).
 */
export function loginFloodArgs(argv: readonly string[]): { json: boolean; hashing: Hashing } {
  const { values } = parseArgs({
    args: [...argv],
    options: { json: { type: 'boolean', default: false }, hashing: { type: 'string', default: 'scrypt' } },
  });
  const hashing = HASHINGS.find((known) => known === values.hashing);
  if (hashing === undefined) {
    throw new Error(`--hashing takes ${HASHINGS.join(', ')}, not ${JSON.stringify(values.hashing)}`);
  }
  return { json: values.json, hashing };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = loginFloodArgs(process.argv.slice(2));
  const result = await runLoginFlood({ hashing: args.hashing });
  // For runLoginFloodInFreshProcess: the result alone, on one line.
  if (args.json) {
    console.log(JSON.stringify(result));
    process.exit(0);
  }
  console.log(JSON.stringify(result, null, 2));
  console.log(
    `/api/user/me (open loop, one due every ${ME_INTERVAL_MS} ms) p50 ${result.unloadedP50Ms} → ${result.floodP50Ms} ms, p99 ${result.unloadedP99Ms} → ` +
      `${result.floodP99Ms} ms under a ${result.floodConcurrency}-concurrent /login flood: ` +
      `p99 ratio ${result.p99Ratio.median} (${result.p99Ratio.min}–${result.p99Ratio.max} over ${result.rounds} rounds; target ≤ 2)` +
      (result.hashing
        ? ` — with the hashing replaced (${result.hashing}): a measurement, not the server's figure`
        : ''),
  );
}
