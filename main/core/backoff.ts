/** Delay before the first retry. */
const BASE_MS = 1_000;
/** Longest computed delay. */
const MAX_MS = 60_000;
/** Longest wait a server's Retry-After may impose (a bogus header must not park us for days). */
const MAX_RETRY_AFTER_MS = 600_000;
/** Fraction of the delay added at random so many clients do not retry in lockstep. */
const JITTER = 0.2;

/**
 * Delay before retry number `attempt` (1-based): 1 s, 2 s, 4 s … capped, plus up to 20 % jitter.
 * A server's Retry-After is a floor, never shortened by the cap.
 */
export function backoffDelayMs(attempt: number, random: () => number, retryAfterSeconds?: number): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const capped = Math.min(MAX_MS, BASE_MS * 2 ** exponent);
  const delay = Math.min(MAX_MS, capped * (1 + JITTER * random()));
  if (retryAfterSeconds === undefined || !Number.isFinite(retryAfterSeconds) || retryAfterSeconds <= 0) {
    return Math.round(delay);
  }
  return Math.round(Math.max(delay, Math.min(retryAfterSeconds * 1000, MAX_RETRY_AFTER_MS)));
}
