/** Failed sign-ins allowed per username within the window. */
export const MAX_LOGIN_FAILURES = 5;
/** Length of the sliding window, 15 minutes. */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;

const SWEEP_THRESHOLD = 10_000;

export interface LoginLimiter {
  /** Seconds to wait when the username is locked out, else undefined. */
  retryAfterSeconds(username: string): number | undefined;
  recordFailure(username: string): void;
  /** A successful sign-in forgets earlier failures. */
  reset(username: string): void;
}

/**
 * Per-username limiter over a sliding window: locked while the last MAX_LOGIN_FAILURES failures all
 * lie within LOGIN_WINDOW_MS. Kept in memory: it only has to slow down guessing against a running server.
 */
export function createLoginLimiter(now: () => number): LoginLimiter {
  const failures = new Map<string, number[]>();

  const recent = (username: string, nowMs: number): number[] => {
    const kept = (failures.get(username) ?? []).filter((at) => nowMs - at < LOGIN_WINDOW_MS);
    if (kept.length === 0) failures.delete(username);
    else failures.set(username, kept);
    return kept;
  };

  return {
    retryAfterSeconds(username) {
      const nowMs = now();
      const times = recent(username, nowMs);
      const oldest = times[0];
      if (times.length < MAX_LOGIN_FAILURES || oldest === undefined) return undefined;
      return Math.max(1, Math.ceil((oldest + LOGIN_WINDOW_MS - nowMs) / 1000));
    },
    recordFailure(username) {
      const nowMs = now();
      // Sweep stale usernames now and then so guessing many names cannot grow the map without bound.
      if (failures.size > SWEEP_THRESHOLD) for (const name of [...failures.keys()]) recent(name, nowMs);
      const times = recent(username, nowMs);
      times.push(nowMs);
      // Only the newest MAX_LOGIN_FAILURES matter for the lockout, so memory per username stays bounded.
      failures.set(username, times.slice(-MAX_LOGIN_FAILURES));
    },
    reset(username) {
      failures.delete(username);
    },
  };
}
