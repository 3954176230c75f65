/**
 * Stable error codes shared by main, preload and renderer. Errors cross IPC as plain
 * `{ code, message }` objects (class instances do not survive structured clone), so callers
 * check `code`, never `instanceof`.
 */
export const ERROR_CODES = [
  'NOT_SIGNED_IN',
  'INVALID_CREDENTIALS',
  /** The password was right, but the account also needs a one-time code (two-factor), which Tessera cannot send. */
  'SECOND_FACTOR_REQUIRED',
  /** The server refuses the account itself: suspended or locked (often after too many wrong passwords). */
  'ACCOUNT_SUSPENDED',
  /** The server refuses the username as typed (a server that signs in by email address got a name). */
  'USERNAME_NOT_ACCEPTED',
  'RATE_LIMITED',
  'SESSION_EXPIRED',
  'NETWORK',
  'TIMEOUT',
  'TLS',
  'SERVER',
  'BAD_RESPONSE',
  'KEYCHAIN_UNAVAILABLE',
  'INVALID_CONFIG',
  'MANAGED_SETTING',
  /** An admin setting (updates): policy, command line or environment only, never the page. */
  'ADMIN_SETTING',
  /** A connection change needs the person's confirmation in main, and none could be asked. */
  'CONFIRMATION_REQUIRED',
  'INVALID_REQUEST',
  'FORBIDDEN_SENDER',
  'CANCELLED',
  'OIDC_MISCONFIGURED',
  'ACCESS_DENIED',
  'BROWSER_UNAVAILABLE',
  /** No account with that id (switching to, or signing out of, an account that is not signed in). */
  'NOT_FOUND',
  /** Adding an account would go beyond the `maxAccounts` the IT policy allows. */
  'LIMIT_REACHED',
  /** A file Tessera keeps (settings.json) could not be written: a full disk, a read-only folder, no permission. */
  'NOT_SAVED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** One value a settings change refused: the key and main's reason (English; the renderer words its own). */
export interface FieldProblem {
  key: string;
  message: string;
}

/** An expected failure as a plain, cloneable value. Never carries a token. */
export interface ErrorInfo {
  code: ErrorCode;
  /** Human-readable, English; the renderer maps `code` to its own catalogue text. */
  message: string;
  /** Seconds to wait before retrying, when the server said so (429/503 `Retry-After`). */
  retryAfterSeconds?: number;
  /** HTTP status that caused it, when there was one. */
  status?: number;
  /** The server's `error` name (e.g. `RefreshTokenReusedError`), when there was one. */
  serverError?: string;
  /** For INVALID_CONFIG / MANAGED_SETTING: the setting key concerned. */
  key?: string;
  /** For INVALID_CONFIG from a settings change: every refused value, so a form reports all at once. */
  fields?: FieldProblem[];
  /**
   * For MANAGED_SETTING naming `allowedApiOrigins`: the origin IT's allow-list does not include (the API
   * or a contract endpoint), so the page names the server and puts the refusal on the field behind it.
   */
  origin?: string;
}

/** Result of an IPC call: expected failures are values (STYLE.md #4). */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/**
 * True for a NETWORK failure the network itself answered (main's `answeredByTheNetwork` and a refresh
 * redirected to another origin): it carries that answer's HTTP status, which no other NETWORK failure
 * does except a proxy's 407 (which has its own password prompt). A captive portal, most likely: the
 * person may need to sign in to the network.
 */
export function isNetworkInTheWay(info: ErrorInfo): boolean {
  return info.code === 'NETWORK' && info.status !== undefined && info.status !== 407;
}

/** True when `value` is a well-formed ErrorInfo (used at process boundaries). */
export function isErrorInfo(value: unknown): value is ErrorInfo {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.code === 'string' &&
    (ERROR_CODES as readonly string[]).includes(v.code) &&
    typeof v.message === 'string'
  );
}

/**
 * CANCELLED for a call whose session was replaced or ended while it ran (main's answer to it, and the
 * page's own refusal of an answer that came for an account it no longer shows).
 */
export const SESSION_CHANGED: ErrorInfo = {
  code: 'CANCELLED',
  message: 'The session changed while the request was running',
};

/** The error a bridge promise rejects with: an Error that keeps the stable `code`. */
export class TesseraError extends Error {
  override name = 'TesseraError' as const;
  readonly code: ErrorCode;
  readonly info: ErrorInfo;

  constructor(info: ErrorInfo, options?: { cause?: unknown }) {
    super(info.message, options);
    this.code = info.code;
    this.info = info;
  }
}
