// bench/auth-overhead-chromium.ts end to end, small: a real Chromium page made cross-origin isolated
// (the page refuses to measure otherwise: its clock would step in 100 µs), the reference server in a
// child process, each of the five sides (the app's client, plain fetch, bare ky, the two peers) timed
// per request.
import { describe, expect, it } from 'vitest';
import { runAuthOverheadChromium } from '../../bench/auth-overhead-chromium';

describe('runAuthOverheadChromium', () => {
  it('times every request in an isolated page and forms each round’s ratio of p50s', async () => {
    const result = await runAuthOverheadChromium({ n: 40, rounds: 2, warmup: 20, batch: 20 });
    expect(result.failures).toBe(0);
    const { peers } = result;
    if (!peers) throw new Error('no peer figures');
    for (const figure of [
      result.ratio,
      result.bareKyRatio,
      result.ratioVsKy,
      peers.naiveKy,
      peers.axiosAuthRefresh,
    ]) {
      expect(figure.rounds).toHaveLength(2);
      for (const value of figure.rounds) expect(value).toBeGreaterThan(0.2);
      for (const value of figure.rounds) expect(value).toBeLessThan(5);
    }
    for (const ms of [result.appMs, result.fetchMs, result.bareKyMs]) expect(ms).toBeGreaterThan(0);
    expect(result.browser).toMatch(/^Chromium \d+/);
  }, 90_000);
});
