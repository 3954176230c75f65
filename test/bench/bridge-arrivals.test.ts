// bridgeForced: when the forced calls reached the core against the refresh they share
// (bench/bridge-arrivals.ts), and the browser host's probe that records it (bench/browser-bench.ts).
import { describe, expect, it } from 'vitest';
import { classifyArrivals } from '../../bench/bridge-arrivals';
import { createBridgeRecorder } from '../../bench/browser-bench';

const forced = { forceRefresh: true, rejectedExpiresAt: 1 };

describe('classifyArrivals', () => {
  it('sorts the calls by the refresh being sent and the first call answered with the new grant', () => {
    const arrivals = classifyArrivals({
      refreshes: [{ sentAt: 10, answeredAt: 20 }],
      calls: [
        { arrivedAt: 5, answeredAt: 22, ok: true },
        { arrivedAt: 9.9, answeredAt: 22.5, ok: true },
        { arrivedAt: 10, answeredAt: 22.5, ok: true },
        // After the server answered, before the grant landed in the core: still "during".
        { arrivedAt: 21, answeredAt: 22.5, ok: true },
        { arrivedAt: 22, answeredAt: 22.6, ok: true },
        { arrivedAt: 30, answeredAt: 30.1, ok: true },
      ],
    });
    expect(arrivals).toEqual({ beforeRefresh: 2, duringRefresh: 2, afterRefresh: 2, landedAfterMs: 17 });
  });

  it('does not take a failed answer for the grant landing', () => {
    const arrivals = classifyArrivals({
      refreshes: [{ sentAt: 10 }],
      calls: [
        { arrivedAt: 5, answeredAt: 6, ok: false },
        { arrivedAt: 7, answeredAt: 25, ok: true },
        { arrivedAt: 12, answeredAt: 25, ok: true },
      ],
    });
    expect(arrivals).toMatchObject({ beforeRefresh: 2, duringRefresh: 1, afterRefresh: 0 });
  });

  it('without a refresh or any answer, every call is "before"', () => {
    expect(classifyArrivals({ refreshes: [], calls: [{ arrivedAt: 1 }, { arrivedAt: 2 }] })).toEqual({
      beforeRefresh: 2,
      duringRefresh: 0,
      afterRefresh: 0,
    });
  });
});

describe('createBridgeRecorder', () => {
  it('records forced getAccessToken calls and /token/refresh requests only, and only while started', () => {
    let now = 0;
    const recorder = createBridgeRecorder(() => now);
    const { probe } = recorder;
    expect(probe.call?.('auth:get-access-token', forced)).toBeUndefined();
    recorder.start();
    expect(probe.call?.('auth:get-access-token', undefined)).toBeUndefined();
    expect(probe.call?.('auth:get-access-token', { forceRefresh: false })).toBeUndefined();
    expect(probe.call?.('auth:get-session', forced)).toBeUndefined();
    expect(probe.request?.('http://127.0.0.1:1/api/user/me')).toBeUndefined();
    now = 1;
    const answered = probe.call?.('auth:get-access-token', forced);
    now = 2;
    const refreshed = probe.request?.('http://127.0.0.1:1/token/refresh');
    now = 3;
    refreshed?.();
    now = 4;
    answered?.({ ok: true, value: {} });
    expect(recorder.stop()).toEqual({
      calls: [{ arrivedAt: 1, answeredAt: 4, ok: true }],
      refreshes: [{ sentAt: 2, answeredAt: 3 }],
    });
    expect(probe.call?.('auth:get-access-token', forced)).toBeUndefined();
  });
});
