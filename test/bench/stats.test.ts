import { describe, expect, it } from 'vitest';
import { heapSlopes } from '../../bench/soak';
import { acrossRounds, formatRounds, judgedMedian, median, slope } from '../../bench/stats';

describe('median', () => {
  it('is the middle value, the mean of the middle two for an even count, NaN for none', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('acrossRounds', () => {
  it('gives the median and the min–max range of per-round values, keeping the rounds in order', () => {
    expect(acrossRounds([1.3, 1.1, 1.2, 1.5, 1.0])).toEqual({
      median: 1.2,
      min: 1,
      max: 1.5,
      rounds: [1.3, 1.1, 1.2, 1.5, 1],
    });
  });

  it('takes the mean of the two middle values for an even number of rounds', () => {
    expect(acrossRounds([4, 1, 3, 2]).median).toBe(2.5);
  });

  it('rounds to the digits asked for', () => {
    expect(acrossRounds([1.23456, 2.34567], 2)).toMatchObject({ median: 1.79, min: 1.23, max: 2.35 });
  });

  it('keeps the unrounded median beside the rounded one when rounding changed it', () => {
    expect(acrossRounds([2.004, 2.004, 1.9], 2)).toMatchObject({ median: 2, unroundedMedian: 2.004 });
    expect(acrossRounds([2, 2, 1.9], 2)).not.toHaveProperty('unroundedMedian');
  });

  it('refuses an empty list', () => {
    expect(() => acrossRounds([])).toThrow(/at least one round/);
  });
});

describe('judgedMedian', () => {
  it('is the unrounded median when the file kept one, else the median (older files)', () => {
    expect(judgedMedian({ median: 2, unroundedMedian: 2.004, min: 1.9, max: 2.1, rounds: [] })).toBe(2.004);
    expect(judgedMedian({ median: 2, min: 1.9, max: 2.1, rounds: [] })).toBe(2);
  });
});

describe('formatRounds', () => {
  it('shows the median with its range, or the value alone when every round agreed', () => {
    expect(formatRounds({ median: 1.05, min: 1.01, max: 1.093, rounds: [] })).toBe('1.05 (1.01–1.09)');
    expect(formatRounds({ median: 1, min: 1, max: 1, rounds: [] }, 0)).toBe('1');
  });
});

describe('slope', () => {
  it('is the least-squares slope', () => {
    expect(slope([0, 1, 2, 3], [1, 3, 5, 7])).toBeCloseTo(2);
    expect(slope([0, 1, 2, 3], [2, 1, 2, 1])).toBeCloseTo(-0.2);
  });

  it('is NaN without two points or without spread in x', () => {
    expect(slope([1], [1])).toBeNaN();
    expect(slope([2, 2], [1, 3])).toBeNaN();
  });
});

describe('heapSlopes (soak)', () => {
  it('gives bytes per minute over the whole soak and per fifth of it', () => {
    // 1 MiB more every minute, sampled every 6 s over 2 minutes.
    const seconds = Array.from({ length: 21 }, (_, i) => i * 6);
    const mb = seconds.map((s) => 10 + s / 60);
    const { whole, segments } = heapSlopes(seconds, mb, 120);
    expect(whole).toBe(1024 * 1024);
    expect(segments.rounds).toHaveLength(5);
    expect(segments.min).toBe(1024 * 1024);
    expect(segments.max).toBe(1024 * 1024);
  });

  it('is 0 for a flat heap', () => {
    const seconds = [0, 30, 60, 90, 120];
    expect(heapSlopes(seconds, [12, 12, 12, 12, 12], 120).whole).toBe(0);
  });
});
