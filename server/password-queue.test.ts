import { describe, expect, it } from 'vitest';
import { type Answer, call, login, me, startTestServer, useTestServers } from './test-support';
import { createWorkQueue, refusalHoldMs } from './work-queue';

useTestServers();

/** A task that finishes when told to. */
function gate() {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, task: () => opened };
}

describe('the work queue', () => {
  it('runs at most `concurrency` tasks, queues up to `maxQueue` in order and refuses the rest', async () => {
    const queue = createWorkQueue({ concurrency: 2, maxQueue: 2 });
    const gates = Array.from({ length: 5 }, gate);
    const order: number[] = [];
    const submitted = gates.map((g, i) =>
      queue.submit(() => {
        order.push(i);
        return g.task();
      }),
    );
    expect(submitted.map((p) => p !== undefined)).toEqual([true, true, true, true, false]);
    expect(order).toEqual([0, 1]);
    expect(queue.stats()).toMatchObject({ running: 2, waiting: 2, rejected: 1 });
    expect(queue.retryAfterSeconds()).toBeGreaterThanOrEqual(1);

    gates[1]?.open();
    await submitted[1];
    expect(order).toEqual([0, 1, 2]);
    for (const g of gates) g.open();
    await Promise.all(submitted);
    expect(order).toEqual([0, 1, 2, 3]);
    expect(queue.stats()).toMatchObject({ running: 0, waiting: 0 });
  });

  it('frees the slot of a task that fails, and passes the failure on', async () => {
    const queue = createWorkQueue({ concurrency: 1, maxQueue: 0 });
    await expect(queue.submit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(
      queue.submit(() => {
        throw new Error('sync boom');
      }),
    ).rejects.toThrow('sync boom');
    expect(await queue.submit(async () => 42)).toBe(42);
  });

  it('refuses invalid bounds', () => {
    expect(() => createWorkQueue({ concurrency: 0 })).toThrow(TypeError);
    expect(() => createWorkQueue({ maxQueue: -1 })).toThrow(TypeError);
  });
});

describe('POST /login under a flood', () => {
  it('answers 503 ServerBusyError with Retry-After once the hashing queue is full, while /api/user/me answers', async () => {
    const server = await startTestServer({ passwordHashing: { concurrency: 1, maxQueue: 3 } });
    const { accessToken } = await login(server);

    const settled: boolean[] = [];
    const flood = Array.from({ length: 24 }, (_, i) =>
      call(server, '/login', { json: { username: `flood-${i}`, password: 'wrong-password' } }).then(
        (answer: Answer) => {
          settled.push(answer.status !== 503);
          return answer;
        },
      ),
    );
    const profile = await me(server, accessToken);
    // Token checks do not wait for the password checks: the admitted sign-ins are not all done yet.
    const admittedDoneBeforeProfile = settled.filter(Boolean).length;
    const answers = await Promise.all(flood);

    expect(profile.status).toBe(200);
    const busy = answers.filter((answer) => answer.status === 503);
    const checked = answers.filter((answer) => answer.status === 401);
    expect(busy.length + checked.length).toBe(answers.length);
    expect(busy.length).toBeGreaterThan(0);
    // One running plus three waiting at the moment of a refusal; later ones may get in as slots free.
    expect(checked.length).toBeGreaterThanOrEqual(4);
    expect(admittedDoneBeforeProfile).toBeLessThan(checked.length);
    for (const answer of busy) {
      expect(Object.keys(answer.body ?? {}).sort()).toEqual(['error', 'message']);
      expect(answer.body?.error).toBe('ServerBusyError');
      expect(answer.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    }
    for (const answer of checked) expect(answer.body?.error).toBe('InvalidCredentialsError');

    // Refused attempts are not counted as failures, and the queue drains: signing in works again.
    expect(
      (await call(server, '/login', { json: { username: 'demo', password: 'demo-password' } })).status,
    ).toBe(200);
  });
});

describe('refusals held under a flood', () => {
  it('holds each one between half and one and a half times the delay, the delay on average', () => {
    expect(refusalHoldMs(1000, () => 0)).toBe(500);
    expect(refusalHoldMs(1000, () => 0.5)).toBe(1000);
    expect(refusalHoldMs(1000, () => 0.999)).toBeCloseTo(1499, 0);
    const holds = Array.from({ length: 2000 }, () => refusalHoldMs(1000));
    for (const hold of holds) expect(hold >= 500 && hold < 1500).toBe(true);
    const mean = holds.reduce((a, b) => a + b, 0) / holds.length;
    expect(mean).toBeGreaterThan(950);
    expect(mean).toBeLessThan(1050);
  });

  it('answers a burst of refused sign-ins spread over time, not in one wave', async () => {
    const server = await startTestServer({
      passwordHashing: { concurrency: 1, maxQueue: 0, refusalDelayMs: 400 },
    });
    const sentAt = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(server, '/login', { json: { username: `burst-${i}`, password: 'wrong-password' } }).then(
          (answer: Answer) => ({ status: answer.status, ms: performance.now() - sentAt }),
        ),
      ),
    );
    const refused = answers.filter((answer) => answer.status === 503).map((answer) => answer.ms);
    // One sign-in is checked; the others arrive while it runs and are refused.
    expect(refused.length).toBeGreaterThanOrEqual(15);
    // Held 200–600 ms each (timers fire a little late, never early).
    for (const ms of refused) expect(ms).toBeGreaterThanOrEqual(195);
    // A fixed hold answers them all within a few milliseconds of each other; spread out, 15 or more
    // uniform holds over 400 ms fall within 150 ms of each other about once in 100,000 runs.
    expect(Math.max(...refused) - Math.min(...refused)).toBeGreaterThan(150);
  });
});
