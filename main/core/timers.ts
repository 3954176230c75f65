/** An opaque timer handle (Node's Timeout, a number in browsers, anything in fakes). */
export type TimerHandle = unknown;

/** Injectable timers, so tests control time instead of waiting for it. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /**
   * The clock these timers run on, in ms (monotonic: a wall-clock change does not move it). Lets a
   * caller that re-arms a timer from a wall-clock deadline see that the wall clock was set back. Fakes
   * without it fall back to the wall clock.
   */
  monotonicNow?(): number;
}

/**
 * The longest delay one platform timer holds (2^31 − 1 ms, about 24.8 days). Node and Chromium fire a
 * longer one after 1 ms — for a refresh planned a month ahead, that is a refresh loop.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The process's monotonic clock in ms: for durations (a pause, a grace period), which a wall clock set
 * back or forward while they run must not stretch or cut short.
 */
export const monotonicNow = (): number => performance.now();

/** A real timer that may be longer than one platform timer: a chain of them, the current one here. */
interface ChainedTimer {
  current: ReturnType<typeof setTimeout> | undefined;
}

/**
 * The real timers, unref'd: a pending refresh must never keep a test run or a quitting app alive.
 * A delay over {@link MAX_TIMER_MS} waits in steps of at most that long, so it fires when it is due.
 */
export const realTimers: Timers = {
  setTimeout(callback, ms) {
    const chained: ChainedTimer = { current: undefined };
    const wait = (remaining: number) => {
      const step = Math.min(remaining, MAX_TIMER_MS);
      chained.current = setTimeout(() => {
        if (remaining > step) wait(remaining - step);
        else callback();
      }, step);
      chained.current.unref?.();
    };
    wait(Math.max(0, ms));
    return chained;
  },
  clearTimeout(handle) {
    clearTimeout((handle as ChainedTimer | undefined)?.current);
  },
  monotonicNow,
};
