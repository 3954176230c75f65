import { hashToken } from './token-hash';

/**
 * What a token's verification depended on besides the token and the clock: a change to any of these
 * (compared by value; the key by identity) empties the memo.
 */
export interface VerifyContext {
  key: unknown;
  issuer: string;
  audience: string;
  leewaySeconds: number;
}

/** Tokens the memo holds at most by default: the oldest goes first. */
export const DEFAULT_VERIFIED_TOKENS = 10_000;

export interface VerifiedTokens<T> {
  /**
   * What `remember` stored for exactly this token, if `nowMs` lies in [when it was verified, its exp)
   * and the context is the one it was verified under; else undefined (verify it in full).
   */
  recall(token: string, nowMs: number, context: VerifyContext): T | undefined;
  /** Stores `value` for a token verified in full at `nowMs` under `context`, until `expMs`. */
  remember(token: string, nowMs: number, expMs: number, context: VerifyContext, value: T): void;
  /** Entries held, and recalls answered from the memo or not (diagnostics and tests). */
  stats(): { entries: number; hits: number; misses: number };
}

interface Entry<T> {
  verifiedAtMs: number;
  expMs: number;
  value: T;
}

/**
 * A memo of access tokens that passed the full check (signature, algorithm, type, issuer, audience,
 * times, claim shapes), so the same token presented again skips the signature check: each of a
 * client's requests carries the token it used the last time, until it expires. The signature check
 * is the request's costliest step and, through WebCrypto, a hop to libuv's thread pool and back.
 *
 * It only ever answers "verified before": the full check stays the one place of every rule. An entry
 * is used only from the moment its token was verified until its `exp` (before any leeway), so every
 * time rule the check applied (exp, nbf) holds again; a clock set back, a token past its exp, another
 * key, issuer, audience or leeway all go back to the full check. What may change with a token still
 * valid — sign-out, reuse revocation, a denied `jti` — is not in the memo: the caller checks it on
 * every request. Entries are keyed by the token's SHA-256, so the memo does not keep tokens; only
 * tokens that passed are stored, so a flood of forged ones cannot fill it.
 */
export function createVerifiedTokens<T>(maxEntries: number = DEFAULT_VERIFIED_TOKENS): VerifiedTokens<T> {
  if (!(Number.isInteger(maxEntries) && maxEntries >= 1)) {
    throw new TypeError('maxEntries must be a positive integer');
  }
  const entries = new Map<string, Entry<T>>();
  let context: VerifyContext | undefined;
  let hits = 0;
  let misses = 0;

  const sameContext = (other: VerifyContext): boolean =>
    context !== undefined &&
    context.key === other.key &&
    context.issuer === other.issuer &&
    context.audience === other.audience &&
    context.leewaySeconds === other.leewaySeconds;

  return {
    recall(token, nowMs, current) {
      const id = hashToken(token);
      const entry = sameContext(current) ? entries.get(id) : undefined;
      if (entry === undefined || nowMs < entry.verifiedAtMs || nowMs >= entry.expMs) {
        // Outside its window it goes: the full check decides, and remembers the token again if it passes.
        if (entry !== undefined) entries.delete(id);
        misses += 1;
        return undefined;
      }
      hits += 1;
      return entry.value;
    },

    remember(token, nowMs, expMs, current, value) {
      if (!(nowMs < expMs)) return;
      if (!sameContext(current)) {
        entries.clear();
        context = { ...current };
      }
      const id = hashToken(token);
      entries.delete(id);
      if (entries.size >= maxEntries) {
        // Map keeps insertion order: the first key is the oldest entry.
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      entries.set(id, { verifiedAtMs: nowMs, expMs, value });
    },

    stats() {
      return { entries: entries.size, hits, misses };
    },
  };
}
