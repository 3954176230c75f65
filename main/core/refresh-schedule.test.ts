import { describe, expect, it } from 'vitest';
import { isRefreshDue, proactiveRefreshAt, refreshLeadMs } from './refresh-schedule';

describe('refreshLeadMs()', () => {
  it('is a minute for long-lived tokens', () => {
    expect(refreshLeadMs(3_600_000)).toBe(60_000);
    expect(refreshLeadMs(900_000)).toBe(60_000);
  });

  it('is a quarter of the lifetime for short-lived tokens', () => {
    expect(refreshLeadMs(2_000)).toBe(500);
    expect(refreshLeadMs(120_000)).toBe(30_000);
  });
});

describe('proactiveRefreshAt()', () => {
  it('refreshes a 2-second token about 1.5 seconds after receipt', () => {
    const at = proactiveRefreshAt(12_000, 2_000, () => 0);
    expect(at).toBe(11_500);
    expect(proactiveRefreshAt(12_000, 2_000, () => 0.999)).toBeGreaterThanOrEqual(11_400);
  });

  it('refreshes a 15-minute token a minute (plus at most five seconds of jitter) early', () => {
    const expiresAt = 1_000_000 + 900_000;
    expect(proactiveRefreshAt(expiresAt, 900_000, () => 0)).toBe(expiresAt - 60_000);
    expect(proactiveRefreshAt(expiresAt, 900_000, () => 0.999_99)).toBe(expiresAt - 65_000);
  });

  it('never schedules before the middle of the lifetime, so short tokens cannot cause a refresh loop', () => {
    for (const lifetime of [1_000, 2_000, 10_000, 60_000, 3_600_000]) {
      const receivedAt = 5_000;
      const at = proactiveRefreshAt(receivedAt + lifetime, lifetime, () => 0.999);
      expect(at - receivedAt).toBeGreaterThanOrEqual(lifetime * 0.5);
    }
  });
});

describe('isRefreshDue()', () => {
  it('is false outside the lead window and true inside it or after expiry', () => {
    expect(isRefreshDue(0, 900_000, 900_000)).toBe(false);
    expect(isRefreshDue(840_000, 900_000, 900_000)).toBe(true);
    expect(isRefreshDue(1_000_000, 900_000, 900_000)).toBe(true);
  });
});
