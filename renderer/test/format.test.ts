import { describe, expect, it } from 'vitest';
import {
  formatCountdown,
  formatDuration,
  formatLifetime,
  formatSize,
  formatSkew,
  formatUntil,
  formatWait,
} from '../src/format';

describe('formatCountdown()', () => {
  it('shows minutes and seconds, rounding up so 0:00 means now', () => {
    expect(formatCountdown(14 * 60_000 + 59_001)).toBe('15:00');
    expect(formatCountdown(61_000)).toBe('1:01');
    expect(formatCountdown(999)).toBe('0:01');
    expect(formatCountdown(0)).toBe('0:00');
    expect(formatCountdown(-5000)).toBe('0:00');
  });

  it('adds hours from an hour up', () => {
    expect(formatCountdown(3_600_000 + 62_000)).toBe('1:01:02');
  });
});

describe('unit formatting', () => {
  it('formats waits in seconds, then minutes, never rounding down', () => {
    expect(formatWait(1, 'en')).toBe('1 second');
    expect(formatWait(29.2, 'en')).toBe('30 seconds');
    expect(formatWait(150, 'en')).toBe('3 minutes');
    expect(formatWait(30, 'ko')).toBe('30초');
  });

  it('says a long wait in hours or days, still rounding up', () => {
    expect(formatWait(7_199, 'en')).toBe('120 minutes');
    expect(formatWait(7_200, 'en')).toBe('2 hours');
    expect(formatWait(7_201, 'en')).toBe('3 hours');
    expect(formatWait(86_400, 'en')).toBe('24 hours');
    expect(formatWait(3 * 86_400, 'en')).toBe('3 days');
    expect(formatWait(3 * 86_400 + 1, 'en')).toBe('4 days');
    expect(formatWait(3 * 86_400, 'ko')).toBe('3일');
  });

  it('formats lifetimes in seconds, minutes, hours or days, to a tenth at most, never rounding up', () => {
    expect(formatLifetime(90.9, 'en')).toBe('90 seconds');
    expect(formatLifetime(118, 'en')).toBe('118 seconds');
    expect(formatLifetime(150, 'en')).toBe('2.5 minutes');
    expect(formatLifetime(900, 'en')).toBe('15 minutes');
    expect(formatLifetime(3_600, 'en')).toBe('60 minutes');
    expect(formatLifetime(7_198, 'en')).toBe('119.9 minutes');
    expect(formatLifetime(9_000, 'en')).toBe('2.5 hours');
    expect(formatLifetime(36 * 3_600, 'en')).toBe('36 hours');
    expect(formatLifetime(51 * 3_600, 'en')).toBe('2.1 days');
    expect(formatLifetime(604_800, 'en')).toBe('7 days');
    // Measured a second short (whole-second times): still the week the server set.
    expect(formatLifetime(604_799, 'en')).toBe('7 days');
    expect(formatLifetime(899, 'en')).toBe('15 minutes');
    expect(formatLifetime(604_790, 'en')).toBe('6.9 days');
    expect(formatLifetime(604_800, 'ko')).toBe('7일');
    expect(formatLifetime(30 * 86_400, 'en')).toBe('30 days');
    expect(formatLifetime(36 * 3_600, 'ko')).toBe('36시간');
  });

  it('formats durations, sizes and clock differences', () => {
    expect(formatDuration(34.4, 'en')).toBe('34 ms');
    expect(formatDuration(1234, 'en')).toBe('1.2 sec');
    expect(formatSize(512, 'en')).toBe('512 bytes');
    expect(formatSize(204_800, 'en')).toBe('200 kB');
    expect(formatSize(5_242_880, 'en')).toBe('5 MB');
    expect(formatSize(12_845_056, 'en')).toBe('12.3 MB');
    expect(formatSize(12_845_056, 'ko')).toBe('12.3MB');
    expect(formatSkew(-180_000, 'en')).toBe('3 minutes');
  });
});

describe('formatUntil()', () => {
  const now = Date.UTC(2026, 10, 30, 9, 0);

  it('gives the day and month, with the year only when it is another year', () => {
    expect(formatUntil(Date.UTC(2026, 11, 14, 9, 0), now, 'en', 'UTC')).toBe('December 14');
    expect(formatUntil(Date.UTC(2026, 11, 14, 9, 0), now, 'ko', 'UTC')).toBe('12월 14일');
    expect(formatUntil(Date.UTC(2027, 0, 3, 9, 0), now, 'en', 'UTC')).toBe('January 3, 2027');
  });

  it('gives the time when the session ends today', () => {
    expect(formatUntil(Date.UTC(2026, 10, 30, 15, 30), now, 'en', 'UTC')).toBe('3:30 PM');
    expect(formatUntil(Date.UTC(2026, 10, 30, 15, 30), now, 'ko', 'UTC')).toMatch(/3:30/);
  });
});
