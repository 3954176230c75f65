/** Failed sign-ins allowed per username within the window. */
export const MAX_LOGIN_FAILURES = 5;
/** Length of the sliding window, 15 minutes. */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
/** Usernames tracked at most by default; the least recently seen one makes room for a new one. */
export const MAX_TRACKED_USERNAMES = 100_000;

export interface LoginLimiter {
  /** Seconds to wait when the username is locked out, else undefined. */
  retryAfterSeconds(username: string): number | undefined;
  recordFailure(username: string): void;
  /** A successful sign-in forgets earlier failures. */
  reset(username: string): void;
  /** Usernames tracked now (never more than the maximum). */
  readonly size: number;
  /** Entries read, written, moved or evicted so far: the limiter's work, for tests and diagnostics. */
  readonly entriesTouched: number;
}

/**
 * Per-username limiter over a sliding window: locked while the last MAX_LOGIN_FAILURES failures all
 * lie within LOGIN_WINDOW_MS. An LRU of at most `maxEntries` usernames (a Map in recency order): every
 * call touches a constant number of entries and never sweeps, so a flood of distinct names costs O(1)
 * per request and bounded memory. Evicting the least recently seen name forgets its failures; at the
 * default size, pushing out a name being guessed takes 100,000 admitted scrypt checks in between.
 * Kept in memory: it only has to slow down guessing against a running server.
 */
export function createLoginLimiter(now: () => number, maxEntries = MAX_TRACKED_USERNAMES): LoginLimiter {
  if (!(Number.isInteger(maxEntries) && maxEntries >= 1)) {
    throw new TypeError('maxEntries must be a positive integer');
  }
  // Failure times, oldest first, at most MAX_LOGIN_FAILURES each.
  const failures = new Map<string, number[]>();
  let touched = 0;

  /** The username's failures still inside the window, marked most recently used; drops stale entries. */
  const recent = (username: string, nowMs: number): number[] | undefined => {
    touched += 1;
    const times = failures.get(username);
    if (times === undefined) return undefined;
    failures.delete(username);
    while (times.length > 0 && nowMs - (times[0] as number) >= LOGIN_WINDOW_MS) times.shift();
    if (times.length === 0) return undefined;
    failures.set(username, times);
    return times;
  };

  return {
    retryAfterSeconds(username) {
      const nowMs = now();
      const times = recent(username, nowMs);
      const oldest = times?.[0];
      if (times === undefined || times.length < MAX_LOGIN_FAILURES || oldest === undefined) return undefined;
      return Math.max(1, Math.ceil((oldest + LOGIN_WINDOW_MS - nowMs) / 1000));
    },
    recordFailure(username) {
      const nowMs = now();
      const times = recent(username, nowMs) ?? [];
      times.push(nowMs);
      // Only the newest MAX_LOGIN_FAILURES matter for the lockout, so memory per username stays bounded.
      if (times.length > MAX_LOGIN_FAILURES) times.shift();
      failures.set(username, times);
      if (failures.size > maxEntries) {
        // The first key of the Map is the least recently used one.
        const oldest = failures.keys().next().value;
        if (oldest !== undefined) failures.delete(oldest);
        touched += 1;
      }
    },
    reset(username) {
      touched += 1;
      failures.delete(username);
    },
    get size() {
      return failures.size;
    },
    get entriesTouched() {
      return touched;
    },
  };
}
