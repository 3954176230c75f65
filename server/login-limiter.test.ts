import { describe, expect, it } from 'vitest';
import { createLoginLimiter, MAX_LOGIN_FAILURES, MAX_TRACKED_USERNAMES } from './login-limiter';
import { testClock } from './test-support';

/** What /login does with a wrong password: check the lockout, then count the failure. */
function failedLogin(limiter: ReturnType<typeof createLoginLimiter>, username: string): number | undefined {
  const wait = limiter.retryAfterSeconds(username);
  if (wait === undefined) limiter.recordFailure(username);
  return wait;
}

describe('the login rate limiter', () => {
  it('handles 100,000 distinct failed usernames with constant work each and a bounded size', () => {
    const clock = testClock();
    const max = 1_000;
    const limiter = createLoginLimiter(clock.now, max);
    let largest = 0;
    let mostWork = 0;
    for (let i = 0; i < 100_000; i += 1) {
      const before = limiter.entriesTouched;
      failedLogin(limiter, `user-${i}`);
      mostWork = Math.max(mostWork, limiter.entriesTouched - before);
      largest = Math.max(largest, limiter.size);
      clock.advance(1);
    }
    // Constant per request (a look-up, a write, at most one eviction): never a sweep of the map.
    expect(mostWork).toBeLessThanOrEqual(3);
    expect(largest).toBe(max);
    expect(limiter.size).toBeLessThanOrEqual(max);
    expect(limiter.entriesTouched).toBeLessThanOrEqual(3 * 100_000);
  });

  it('tracks 100,000 names by default without evicting any', () => {
    const clock = testClock();
    const limiter = createLoginLimiter(clock.now);
    for (let i = 0; i < 100_000; i += 1) failedLogin(limiter, `user-${i}`);
    expect(limiter.size).toBe(MAX_TRACKED_USERNAMES);
    expect(limiter.entriesTouched).toBeLessThanOrEqual(3 * 100_000);
  });

  it('still locks out a name being guessed while a flood of other names goes on', () => {
    const clock = testClock();
    const limiter = createLoginLimiter(clock.now, 1_000);
    for (let attempt = 0; attempt < MAX_LOGIN_FAILURES; attempt += 1) {
      expect(failedLogin(limiter, 'demo')).toBeUndefined();
      for (let i = 0; i < 900; i += 1) failedLogin(limiter, `flood-${attempt}-${i}`);
    }
    expect(limiter.retryAfterSeconds('demo')).toBeGreaterThan(0);
    expect(limiter.size).toBeLessThanOrEqual(1_000);
  });

  it('forgets failures outside the window lazily, on the next look at that name', () => {
    const clock = testClock();
    const limiter = createLoginLimiter(clock.now, 10);
    for (let i = 0; i < MAX_LOGIN_FAILURES; i += 1) limiter.recordFailure('demo');
    expect(limiter.retryAfterSeconds('demo')).toBe(15 * 60);
    clock.advance(15 * 60 * 1000);
    expect(limiter.retryAfterSeconds('demo')).toBeUndefined();
    expect(limiter.size).toBe(0);
  });

  it('refuses a maximum size below 1', () => {
    expect(() => createLoginLimiter(Date.now, 0)).toThrow(TypeError);
  });
});
