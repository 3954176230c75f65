import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from './backoff';

const noJitter = () => 0;
const maxJitter = () => 0.999_999;

describe('backoffDelayMs()', () => {
  it('doubles from one second per attempt', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, noJitter))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000,
    ]);
  });

  it('caps at sixty seconds however many attempts failed', () => {
    expect(backoffDelayMs(7, noJitter)).toBe(60_000);
    expect(backoffDelayMs(500, maxJitter)).toBe(60_000);
  });

  it('adds at most twenty percent jitter', () => {
    expect(backoffDelayMs(3, maxJitter)).toBe(4_800);
    expect(backoffDelayMs(3, () => 0.5)).toBe(4_400);
  });

  it('waits at least as long as the server asked in Retry-After', () => {
    expect(backoffDelayMs(1, noJitter, 30)).toBe(30_000);
    expect(backoffDelayMs(1, noJitter, 120)).toBe(120_000);
  });

  it('does not shorten the backoff for a small Retry-After', () => {
    expect(backoffDelayMs(4, noJitter, 1)).toBe(8_000);
  });

  it('bounds an absurd Retry-After at ten minutes', () => {
    expect(backoffDelayMs(1, noJitter, 86_400 * 30)).toBe(600_000);
  });
});
