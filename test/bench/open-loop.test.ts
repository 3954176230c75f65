// loginFlood's open loop (bench/login-flood.ts openLoop): checks go out on their schedule whether or not
// earlier ones were answered, and each latency counts from when the check was due, so a stall costs
// every check it delays (no coordinated omission). On a made-up clock: no timing in the assertions.
// measureMe's figures too, with a loopback server answering (its real time does not enter the clock).
import { once } from 'node:events';
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { type Clock, measureMe, openLoop } from '../../bench/login-flood';

/** A clock the test moves; `sleep` moves it by what `overshoot` says for that call (default: exactly). */
function madeUpClock(start: number, overshoot: (call: number, ms: number) => number = () => 0) {
  let now = start;
  let sleeps = 0;
  const clock: Clock = {
    now: () => now,
    sleep: async (ms) => {
      now += ms + overshoot(sleeps++, ms);
    },
  };
  return {
    clock,
    set: (t: number) => {
      now = t;
    },
    sleeps: () => sleeps,
  };
}

/** A send the test answers by hand: records when each call went out and hands back its resolver. */
function handAnswered(clock: Clock) {
  const sent: number[] = [];
  const answer: Array<(value: string) => void> = [];
  const send = () => {
    sent.push(clock.now());
    return new Promise<string>((resolve) => answer.push(resolve));
  };
  return { sent, answer, send };
}

/** Lets the loop run as far as it can without an answer (promise jobs only, no timers involved). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('openLoop (loginFlood)', () => {
  it('sends every check at its due time while none has been answered', async () => {
    const time = madeUpClock(1000);
    const { sent, answer, send } = handAnswered(time.clock);
    const run = openLoop({ intervalMs: 2, count: 5 }, send, time.clock);
    await settle();
    // A closed loop would have sent one and be waiting for its answer.
    expect(sent).toEqual([1000, 1002, 1004, 1006, 1008]);
    time.set(1050);
    for (const resolve of answer) resolve('ok');
    const timed = await run;
    expect(timed.map((t) => t.latencyMs)).toEqual([50, 48, 46, 44, 42]);
    expect(timed.map((t) => t.outcome)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
  });

  it('counts a check the loop sent late from when it was due, and sends what is overdue at once', async () => {
    // The second sleep (before check 1, due at 1002) ends 7 ms late: the loop itself fell behind.
    const time = madeUpClock(1000, (call) => (call === 0 ? 7 : 0));
    const { sent, answer, send } = handAnswered(time.clock);
    const run = openLoop({ intervalMs: 2, count: 4 }, send, time.clock);
    await settle();
    // Checks 2 and 3 (due at 1004 and 1006) were overdue when check 1 went out: sent with it.
    expect(sent).toEqual([1000, 1009, 1009, 1009]);
    time.set(1020);
    for (const resolve of answer) resolve('ok');
    const timed = await run;
    expect(timed.map((t) => t.dueAt)).toEqual([1000, 1002, 1004, 1006]);
    expect(timed.map((t) => t.sentAt)).toEqual([1000, 1009, 1009, 1009]);
    // From the due time: check 1 waited 7 ms before it could go out, and that is in its 18 ms.
    expect(timed.map((t) => t.latencyMs)).toEqual([20, 18, 16, 14]);
  });

  it('answers out of order still count each from its own due time', async () => {
    const time = madeUpClock(0);
    const { answer, send } = handAnswered(time.clock);
    const run = openLoop({ intervalMs: 2, count: 3 }, send, time.clock);
    await settle();
    // The first check stalls; the later ones are answered before it.
    time.set(5);
    answer[1]?.('second');
    answer[2]?.('third');
    await settle();
    time.set(40);
    answer[0]?.('first');
    const timed = await run;
    expect(timed.map((t) => [t.outcome, t.latencyMs])).toEqual([
      ['first', 40],
      ['second', 3],
      ['third', 1],
    ]);
  });

  it('never sends before the due time, even when a sleep ends early', async () => {
    // Every sleep ends half a millisecond early, as a timer may.
    const time = madeUpClock(0, (_call, ms) => -Math.min(0.5, ms / 2));
    const { sent, answer, send } = handAnswered(time.clock);
    const run = openLoop({ intervalMs: 2, count: 4 }, send, time.clock);
    await settle();
    for (const [i, at] of sent.entries()) expect(at).toBeGreaterThanOrEqual(i * 2);
    expect(time.sleeps()).toBeGreaterThan(3);
    for (const resolve of answer) resolve('ok');
    await run;
  });
});

describe('measureMe (loginFlood): timed from the due time, and from the send beside it', () => {
  it('leaves the harness’s own lateness out of the from-send figure only', async () => {
    const server = createServer((_request, response) => response.writeHead(200).end('{}')).listen(
      0,
      '127.0.0.1',
    );
    await once(server, 'listening');
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    try {
      const { port } = server.address() as AddressInfo;
      // The sleep before check 1 (due at 1002) ends 7 ms late: checks 1–3 go out together at 1009.
      // The made-up clock stands still while the server answers, so every answer comes "at" 1009.
      const time = madeUpClock(1000, (call) => (call === 0 ? 7 : 0));
      const samples: number[] = [];
      const figures = await measureMe(
        agent,
        new URL(`http://127.0.0.1:${port}/api/user/me`),
        't',
        { intervalMs: 2, count: 4 },
        samples,
        time.clock,
      );
      expect(samples).toEqual([9, 7, 5, 3]);
      expect(figures.sendLags).toEqual([0, 7, 5, 3]);
      expect(figures.fromSend).toEqual([9, 0, 0, 0]);
    } finally {
      agent.destroy();
      server.close();
    }
  });
});
