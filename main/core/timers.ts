/** An opaque timer handle (Node's Timeout, a number in browsers, anything in fakes). */
export type TimerHandle = unknown;

/** Injectable timers, so tests control time instead of waiting for it. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real timers, unref'd: a pending refresh must never keep a test run or a quitting app alive. */
export const realTimers: Timers = {
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, Math.max(0, ms));
    (handle as { unref?: () => void }).unref?.();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
