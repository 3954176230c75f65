// Failed calls: their times stay out of the latency samples, and a run with any is not met.
import { once } from 'node:events';
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type AuthOverheadResult, timeCalls } from '../../bench/auth-overhead';
import type { ChromiumOverheadResult } from '../../bench/auth-overhead-chromium';
import { type LoginFloodResult, measureMe } from '../../bench/login-flood';
import { timeBatch } from '../../bench/page-client';
import { kindsOf, rows } from '../../bench/report';
import type { RoundFigure } from '../../bench/stats';
import { testMachine } from './test-machine';

const machine = testMachine();

const fig = (median: number): RoundFigure => ({ median, min: median, max: median, rounds: [median] });

/** A call that fails every other time, at once. */
function flaky() {
  let calls = 0;
  return async () => {
    calls += 1;
    if (calls % 2 === 0) throw new Error('HTTP 500');
    await new Promise((resolve) => setTimeout(resolve, 2));
  };
}

describe('timeCalls (authOverhead)', () => {
  it('keeps the times of the calls that succeeded only, and counts the others', async () => {
    const samples: number[] = [];
    const failed = await timeCalls(flaky(), 10, samples);
    expect(failed).toBe(5);
    expect(samples).toHaveLength(5);
    // The fast failures are not among them.
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(1);
  });
});

describe('timeBatch (authOverheadChromium page)', () => {
  it('times each call of a batch whose calls all succeeded', async () => {
    let clock = 0;
    let call = 0;
    const result = await timeBatch(
      async () => {
        call += 1;
        clock += call;
      },
      4,
      () => clock,
    );
    expect(result).toEqual({ timesMs: [1, 2, 3, 4], failures: 0 });
  });

  it('leaves a batch with a failed call out (null) and counts its failures', async () => {
    expect(await timeBatch(flaky(), 4)).toEqual({ timesMs: null, failures: 2 });
  });
});

describe('measureMe (loginFlood)', () => {
  it('samples the 200 answers only and counts the others as failures', async () => {
    let answered = 0;
    const server = createServer((_request, response) => {
      answered += 1;
      response.writeHead(answered % 3 === 0 ? 503 : 200).end('{}');
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const { port } = server.address() as AddressInfo;
      const samples: number[] = [];
      const { failures, failureKinds, sendLags } = await measureMe(
        agent,
        new URL(`http://127.0.0.1:${port}/api/user/me`),
        't',
        { intervalMs: 1, count: 30 },
        samples,
      );
      expect(answered).toBe(30);
      expect(failures).toBe(10);
      expect(failureKinds).toEqual({ '503': 10 });
      expect(samples).toHaveLength(20);
      expect(sendLags).toHaveLength(30);
    } finally {
      agent.destroy();
      server.close();
    }
  });
});

describe('measureMe (loginFlood): a check that gets no answer', () => {
  it('is a failure, not a rejection of the phase', async () => {
    let answered = 0;
    const server = createServer((request, response) => {
      answered += 1;
      // Every second connection is cut before an answer.
      if (answered % 2 === 0) request.socket.destroy();
      else response.writeHead(200).end('{}');
    }).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    try {
      const { port } = server.address() as AddressInfo;
      const samples: number[] = [];
      const { failures, failureKinds } = await measureMe(
        agent,
        new URL(`http://127.0.0.1:${port}/api/user/me`),
        't',
        { intervalMs: 1, count: 10 },
        samples,
      );
      expect(failures).toBeGreaterThan(0);
      // Named by the socket error, not a status.
      expect(Object.keys(failureKinds).every((kind) => /^E[A-Z]+$/.test(kind))).toBe(true);
      expect(Object.values(failureKinds).reduce((a, b) => a + b, 0)).toBe(failures);
      expect(samples.length + failures).toBe(10);
    } finally {
      agent.destroy();
      server.close();
    }
  });
});

describe('the met column with failed calls', () => {
  const overhead = (failures: number): AuthOverheadResult => {
    const side = { ratio: fig(1), p50Ms: 1, p99Ms: 2 };
    return {
      ratio: fig(1.05),
      meanRatio: fig(1.05),
      p50Ms: 1,
      p99Ms: 2,
      baselineP50Ms: 1,
      baselineP99Ms: 2,
      bareKy: side,
      ratioVsKy: fig(1),
      peers: { naiveKy: side, axiosAuthRefresh: side },
      rounds: 5,
      requestsPerSide: 1000,
      requests: 25000,
      failures,
    };
  };
  const flood = (meFailures: number): LoginFloodResult => ({
    unloadedP50Ms: 1,
    unloadedP99Ms: 1,
    floodP50Ms: 1,
    floodP99Ms: 1.5,
    p99Ratio: fig(1.5),
    p50Ratio: fig(1),
    meRequestsUnloaded: 100,
    meRequestsFlood: 100,
    meFailures,
    logins: { invalidCredentials: 0, serverBusy: 0, other: 0 },
    floodConcurrency: 120,
    secondsPerPhase: 3,
    rounds: 9,
  });

  it('authOverhead: a ratio within the target is not met when calls failed, and says how many', () => {
    expect(rows({ machine, authOverhead: overhead(0) })[0]).toMatchObject({ value: '1.05', met: true });
    expect(rows({ machine, authOverhead: overhead(3) })[0]).toMatchObject({
      value: '1.05; 3 calls failed',
      met: false,
    });
  });

  it('loginFlood: not met when a token check failed, and says how many', () => {
    expect(rows({ machine, loginFlood: flood(0) })[0]?.met).toBe(true);
    expect(rows({ machine, loginFlood: flood(1) })[0]).toMatchObject({
      value: '1.50; 1 call failed',
      met: false,
    });
  });

  it('authOverheadChromium: says how many calls failed', () => {
    const chromium: ChromiumOverheadResult = {
      ratio: fig(1.05),
      bareKyRatio: fig(1.05),
      ratioVsKy: fig(1),
      appMs: 2,
      fetchMs: 2,
      bareKyMs: 2,
      rounds: 9,
      requestsPerSide: 1000,
      batch: 50,
      failures: 12,
      browser: 'Chromium',
    };
    expect(rows({ machine, authOverheadChromium: chromium })[0]?.value).toBe('1.05; 12 calls failed');
    // Measured as p50s (definition 2), the row is judged: a run with failed calls does not meet it.
    const judged = rows({
      machine,
      authOverheadChromium: chromium,
      measured: { authOverheadChromium: { definition: 2, machine } },
    })[0];
    expect(judged).toMatchObject({ value: '1.05; 12 calls failed', target: '≤ 1.10', met: false });
    expect(
      rows({
        machine,
        authOverheadChromium: { ...chromium, failures: 0 },
        measured: { authOverheadChromium: { definition: 2, machine } },
      })[0]?.met,
    ).toBe(true);
  });
});

describe('what failed calls were (kindsOf)', () => {
  it('lists each kind with its count, and nothing where a result says nothing', () => {
    expect(kindsOf({ 'flood ECONNRESET': 2, 'unloaded 503': 1 })).toBe(
      ' (flood ECONNRESET 2, unloaded 503 1)',
    );
    expect(kindsOf({})).toBe('');
    expect(kindsOf(undefined)).toBe('');
  });
});
