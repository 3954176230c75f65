import { describe, expect, it } from 'vitest';
import {
  formatCountdown,
  formatDuration,
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
