/** Tuning of the retry backoff after transient refresh failures. */
export interface BackoffOptions {
  /** Delay before the first retry; default 1 s. */
  baseMs?: number;
  /** Longest computed delay; default 60 s. */
  maxMs?: number;
  /** Longest wait a server's Retry-After may impose; default 10 min (a bogus header must not park us for days). */
  maxRetryAfterMs?: number;
  /** Fraction of the delay added at random so many clients do not retry in lockstep; default 0.2. */
  jitter?: number;
}

/**
 * Delay before retry number `attempt` (1-based): 1 s, 2 s, 4 s … capped, plus up to 20 % jitter.
 * A server's Retry-After is a floor, never shortened by the cap.
 */
export function backoffDelayMs(
  attempt: number,
  random: () => number,
  retryAfterSeconds?: number,
  options: BackoffOptions = {},
): number {
  const { baseMs = 1_000, maxMs = 60_000, maxRetryAfterMs = 600_000, jitter = 0.2 } = options;
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const capped = Math.min(maxMs, baseMs * 2 ** exponent);
  const delay = Math.min(maxMs, capped * (1 + jitter * random()));
  if (retryAfterSeconds === undefined || !Number.isFinite(retryAfterSeconds) || retryAfterSeconds <= 0) {
    return Math.round(delay);
  }
  return Math.round(Math.max(delay, Math.min(retryAfterSeconds * 1000, maxRetryAfterMs)));
}
