// `Retry-After` (RFC 9110 §10.2.3), read the same way by main (the session's waits, the messages)
// and by the page (the connection banner's next retry).

import { parseHttpDate } from './http-date';

/**
 * The longest `Retry-After` believed, in seconds (a day). A longer one (a date decades ahead, a run of
 * digits) is a broken header: the person is not told to wait for years, and the answer reads as one
 * without Retry-After (the session's backoff bounds its own wait anyway).
 */
const MAX_RETRY_AFTER_SECONDS = 86_400;

/**
 * Parses `Retry-After` (delta-seconds or HTTP-date) into whole seconds; undefined when absent,
 * unparsable or over a day. An HTTP-date is the server's clock: it is measured from the answer's
 * `Date` header (`serverDate`) when that is valid, else from `nowMs` (this computer's clock, which
 * may be hours off).
 */
export function parseRetryAfter(
  header: string | null | undefined,
  nowMs: number,
  serverDate?: string | null,
): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  let seconds: number;
  if (/^\d+$/.test(trimmed)) {
    seconds = Number(trimmed);
  } else {
    const date = parseHttpDate(trimmed);
    if (date === undefined) return undefined;
    seconds = Math.max(0, Math.ceil((date - (parseHttpDate(serverDate) ?? nowMs)) / 1000));
  }
  return seconds <= MAX_RETRY_AFTER_SECONDS ? seconds : undefined;
}
