import { type ErrorInfo, SESSION_CHANGED } from '../../../common/errors';
import type {
  KeychainStatus,
  SessionState,
  SessionUser,
  SessionView,
  SignOutReason,
} from '../../../common/session';
import type { Settings } from '../../../common/settings';
import { isRejectedRequest } from '../auth-errors';

/** The current access token and what the client computed about it on receipt. */
export interface AccessState {
  readonly accessToken: string;
  /** Local receive time + expiresIn: the only basis for scheduling. */
  readonly expiresAt: number;
  readonly lifetimeMs: number;
  /** `exp` claim minus `expiresAt`; a display/diagnostic signal only. */
  readonly clockSkewMs: number | null;
}

/** The secrets of one session. `access` is null while a stored token awaits its first refresh. */
export interface SessionSecrets {
  readonly username: string;
  /** null: the API contract issues no refresh token; the session ends when the access token expires. */
  readonly refreshToken: string | null;
  readonly access: AccessState | null;
  /** Local epoch ms at which the refresh token ends (its `exp`, or `refreshExpiresIn`); absent when unknown. */
  readonly refreshExpiresAt?: number;
  /** OpenID Connect: the latest ID token (a logout hint) and its claims (a profile source). */
  readonly idToken?: string;
  readonly idClaims?: Record<string, unknown>;
  /**
   * The server may have rotated this token out in a renewal of our own. `interrupted`: a refresh with it
   * was sent and its answer never arrived or could not be used (timeout, connection lost, an unreadable
   * 2xx), or — a token read from the keychain — the last run's write of its successor was never
   * confirmed (the app ended during it, or the keychain refused it and its clean-up); a later refusal of
   * it, as reused or without a reason (servers that do not tell reuse apart), is then that renewal's
   * doing. `notRotated`: the last refresh answer carried no new refresh token (a server that does not
   * rotate, or one whose new token was lost on the way); a later reuse refusal is then not theft.
   */
  readonly refreshUnconfirmed?: 'interrupted' | 'notRotated';
}

/**
 * Everything the session knows, as one immutable value; `secrets` never leaves main/core.
 * `generation` counts ended or replaced sessions: async work compares the generation it started
 * with, so a late answer of an old session is dropped instead of resurrecting it.
 */
export interface SessionModel {
  readonly settings: Settings;
  readonly generation: number;
  readonly state: SessionState;
  readonly secrets: SessionSecrets | null;
  readonly user: SessionUser | null;
  readonly lastRefreshAt: number | null;
  readonly nextRefreshAt: number | null;
  readonly offline: boolean;
  /** Consecutive transient refresh failures of this session (the backoff attempt number). */
  readonly failures: number;
  readonly lastError: ErrorInfo | null;
  readonly keychain: KeychainStatus;
  readonly reason: SignOutReason | null;
}

/** A fresh, signed-out model for the given settings. */
export function initialModel(settings: Settings): SessionModel {
  return {
    settings,
    generation: 0,
    state: 'signedOut',
    secrets: null,
    user: null,
    lastRefreshAt: null,
    nextRefreshAt: null,
    offline: false,
    failures: 0,
    lastError: null,
    keychain: { available: true, persisted: false },
    reason: null,
  };
}

/** The origin shown in the view; an unparsable base URL shows as given (config validates it first). */
export function originOf(apiBaseUrl: string): string {
  try {
    return new URL(apiBaseUrl).origin;
  } catch {
    return apiBaseUrl;
  }
}

/** The token-free view every window sees. */
export function buildView(model: SessionModel): SessionView {
  const access = model.secrets?.access ?? null;
  return {
    state: model.state,
    apiOrigin: originOf(model.settings.apiBaseUrl),
    user: model.user ? { ...model.user } : null,
    expiresAt: access?.expiresAt ?? null,
    lifetimeMs: access?.lifetimeMs ?? null,
    refreshExpiresAt: model.secrets?.refreshExpiresAt ?? null,
    lastRefreshAt: model.lastRefreshAt,
    nextRefreshAt: model.nextRefreshAt,
    offline: model.offline,
    lastError: model.lastError ? { ...model.lastError } : null,
    keychain: { ...model.keychain },
    reason: model.reason,
    clockSkewMs: access?.clockSkewMs ?? null,
  };
}

/** Why the session ended, from the server's refusal of the refresh token. */
export function reasonForRefusal(serverError: string | undefined): SignOutReason {
  if (serverError === 'RefreshTokenReusedError') return 'refreshTokenReused';
  if (serverError === 'RefreshTokenExpiredError') return 'refreshTokenExpired';
  return 'refreshTokenInvalid';
}

/**
 * Whether a refusal of the refresh token is most likely our own renewal's doing (`refreshInterrupted`):
 * a reuse refusal of a token the server may have rotated out; and, after an interrupted renewal, a
 * refusal without a reason too (SimpleJWT's blacklist and Directus answer a rotated-out token as
 * merely invalid). A refusal naming the token's own expiry, or any other reason, stays as it is.
 */
export function ownRenewalExplains(
  refused: SignOutReason,
  unconfirmed: SessionSecrets['refreshUnconfirmed'],
): boolean {
  if (unconfirmed === undefined) return false;
  return (
    refused === 'refreshTokenReused' || (refused === 'refreshTokenInvalid' && unconfirmed === 'interrupted')
  );
}

/**
 * True when a failed refresh may still have reached the server and been acted on (the token rotated)
 * without the app getting the new one: no HTTP answer came back (a timeout or a lost connection), or
 * one came that could not be used (a 2xx whose body was unreadable, incomplete or far too large, or
 * failed validation). A 5xx/429 answer, a 408, a refused request (a 3xx/4xx) or a TLS refusal is clear.
 */
export function outcomeUnknown(error: ErrorInfo): boolean {
  if (error.code === 'BAD_RESPONSE') {
    return error.status === undefined || (error.status >= 200 && error.status < 300);
  }
  return (error.code === 'TIMEOUT' || error.code === 'NETWORK') && error.status === undefined;
}

/**
 * True while a failed refresh's retry is pending and the failure asks for patience: the server
 * refused the request itself (a gateway's 404, a proxy's 403, a redirect within its origin), named a Retry-After,
 * or the session gave up on it. A token request then waits for the timer instead of trying at once,
 * so a page that asks before every API call cannot spend the retries (or ignore Retry-After) in a
 * burst. A network failure or a 5xx without Retry-After is tried again at once when a token is needed.
 */
export function retryMustWait(model: SessionModel, at: number): boolean {
  const error = model.lastError;
  if (error === null || model.failures === 0 || model.nextRefreshAt === null) return false;
  if (at >= model.nextRefreshAt) return false;
  return (
    model.reason === 'refreshMisconfigured' ||
    isRejectedRequest(error) ||
    error.retryAfterSeconds !== undefined
  );
}

/** A NOT_SIGNED_IN failure. */
export const NOT_SIGNED_IN: ErrorInfo = { code: 'NOT_SIGNED_IN', message: 'Not signed in' };
/** The answer to a call whose session was replaced or ended while it ran. */
export const CANCELLED: ErrorInfo = SESSION_CHANGED;
