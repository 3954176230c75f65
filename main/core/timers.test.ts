import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_MS, realTimers } from './timers';

const DAY_MS = 24 * 3600 * 1000;

describe('realTimers', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fires a short delay once', async () => {
    let fired = 0;
    realTimers.setTimeout(() => {
      fired += 1;
    }, 5);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(fired).toBe(1);
  });

  it('does not fire a delay longer than one platform timer at once (the platform would after 1 ms)', async () => {
    let fired = 0;
    const handle = realTimers.setTimeout(() => {
      fired += 1;
    }, 30 * DAY_MS);
    await new Promise((resolve) => setTimeout(resolve, 60));
    realTimers.clearTimeout(handle);
    expect(fired).toBe(0);
  });

  it('fires a 60-day delay once, when it is due', () => {
    vi.useFakeTimers();
    let fired = 0;
    realTimers.setTimeout(() => {
      fired += 1;
    }, 60 * DAY_MS);
    vi.advanceTimersByTime(MAX_TIMER_MS);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(60 * DAY_MS - MAX_TIMER_MS - 1);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(1);
    vi.advanceTimersByTime(60 * DAY_MS);
    expect(fired).toBe(1);
  });

  it('clears a long delay in any of its steps', () => {
    vi.useFakeTimers();
    let fired = 0;
    const handle = realTimers.setTimeout(() => {
      fired += 1;
    }, 60 * DAY_MS);
    vi.advanceTimersByTime(MAX_TIMER_MS + DAY_MS);
    realTimers.clearTimeout(handle);
    vi.advanceTimersByTime(60 * DAY_MS);
    expect(fired).toBe(0);
  });
});
