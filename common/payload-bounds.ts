// One rule for both ends of the bridge: the preload refuses an oversized request before it is sent
// (so main never has to deserialize it), and main refuses it again (a page that reached ipcRenderer
// some other way, or the e2e browser host's in-process transport).
import type { ErrorInfo } from './errors';

/**
 * Limits on what one IPC request from the page may hold (a settings patch is the largest legitimate
 * one). Text is counted in characters (UTF-16 code units), keys included; a number or true/false as 8.
 */
export const PAYLOAD_LIMITS = { keys: 64, stringChars: 8 * 1024, totalChars: 64 * 1024, depth: 5 } as const;

/**
 * Why `payload` is too large to look at, or null. Walks it with early exits so a hostile payload (a
 * million keys, a megabyte string) is refused after bounded work, before any schema or handler runs.
 */
export function payloadTooLarge(payload: unknown): string | null {
  let total = 0;
  const visit = (value: unknown, depth: number): string | null => {
    if (typeof value === 'string') {
      if (value.length > PAYLOAD_LIMITS.stringChars)
        return `a text value is longer than ${PAYLOAD_LIMITS.stringChars} characters`;
      total += value.length;
    } else if (typeof value === 'object' && value !== null) {
      // Only what the bridge builds: lists and plain objects. The walk counts keys and text, so an
      // ArrayBuffer, a typed array, a Map or a Set (structured clone carries them all) would pass as
      // nearly empty whatever it holds.
      if (!Array.isArray(value) && !isPlainObject(value))
        return 'it holds a value whose size is not counted (only text, numbers, true or false, lists and plain objects are)';
      if (depth >= PAYLOAD_LIMITS.depth) return 'it is nested too deeply';
      // A list counts by its length, not by the entries present: a sparse one (new Array(2 ** 32 - 1))
      // is a few bytes over IPC, and a schema walks every hole.
      if (Array.isArray(value) && value.length > PAYLOAD_LIMITS.keys)
        return `it has more than ${PAYLOAD_LIMITS.keys} entries`;
      let keys = 0;
      for (const key in value) {
        keys += 1;
        if (keys > PAYLOAD_LIMITS.keys) return `it has more than ${PAYLOAD_LIMITS.keys} entries`;
        total += key.length;
        const problem = visit((value as Record<string, unknown>)[key], depth + 1);
        if (problem) return problem;
      }
    } else if (typeof value === 'bigint') {
      // Not a value any request holds, and one may be megabytes long.
      return 'it holds a value whose size is not counted (only text, numbers, true or false, lists and plain objects are)';
    } else {
      total += 8;
    }
    return total > PAYLOAD_LIMITS.totalChars
      ? `it holds more than ${PAYLOAD_LIMITS.totalChars} characters in all`
      : null;
  };
  return visit(payload, 0);
}

/** An object as structured clone makes it from the page's: no array, Map, Date or other class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** The INVALID_REQUEST both ends answer for a `channel` request that `payloadTooLarge` refused. */
export function tooLargeError(channel: string, problem: string): ErrorInfo {
  return { code: 'INVALID_REQUEST', message: `The ${channel} request is too large: ${problem}.` };
}
