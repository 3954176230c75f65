// Every way the session model changes, as named pure functions `(model, event) → model`. Only the
// session owner (session.ts) applies them; it performs the effects (network, keychain, timers).
import type { ErrorInfo } from '../../../common/errors';
import type { SessionState, SessionUser, SignOutReason } from '../../../common/session';
import type { Settings } from '../../../common/settings';
import { readClaims } from '../token-claims';
import { initialModel, outcomeUnknown, type SessionModel, type SessionSecrets } from './model';

/**
 * The keychain status without `unread`: a stored session the start-up restore could not read is no
 * longer waited for once the session moves on (signed in or out, another API, nothing kept any more).
 */
function settledKeychain(keychain: SessionModel['keychain']): SessionModel['keychain'] {
  const { unread: _, ...rest } = keychain;
  return rest;
}

/** Ends the current session in memory: a new generation, no secrets, the keychain no longer holds it. */
function ended(
  model: SessionModel,
  state: SessionState,
  reason: SignOutReason | null,
  lastError: ErrorInfo | null,
): SessionModel {
  return {
    ...initialModel(model.settings),
    generation: model.generation + 1,
    state,
    lastError,
    keychain: { ...settledKeychain(model.keychain), persisted: false },
    reason,
  };
}

/** The person started a sign-in: whatever session there was ends (its cleanup is the owner's). */
export function signInStarted(model: SessionModel): SessionModel {
  return ended(model, 'signingIn', null, null);
}

/** The server (or provider) refused or failed the sign-in. */
export function signInFailed(model: SessionModel, error: ErrorInfo): SessionModel {
  return { ...model, state: 'signedOut', lastError: error };
}

/** The sign-in answered with tokens; the profile is still loading (token requests may use them). */
export function signInGranted(
  model: SessionModel,
  secrets: SessionSecrets,
  receivedAt: number,
): SessionModel {
  return { ...model, secrets, lastRefreshAt: receivedAt };
}

/** The profile of the signed-in person arrived (or was taken from the token's claims). */
export function profileLoaded(model: SessionModel, user: SessionUser): SessionModel {
  return { ...model, user };
}

/** Signed in, or restored, or refreshed: the session is usable and no sign-out reason stands. */
export function sessionActivated(model: SessionModel): SessionModel {
  return { ...model, state: 'active', reason: null };
}

/** The person cancelled a browser sign-in that was waiting for them. */
export function signInCancelled(model: SessionModel): SessionModel {
  return ended(model, 'signedOut', null, null);
}

/** The person signed out. */
export function signedOut(model: SessionModel): SessionModel {
  return ended(model, 'signedOut', 'userSignedOut', null);
}

/** Start-up with "stay signed in": looking for a stored refresh token. */
export function restoreStarted(model: SessionModel): SessionModel {
  return { ...model, state: 'signingIn' };
}

/**
 * Start-up (or a read again, see `retryRestore`) found no stored token; `keychainError`: the keychain
 * could not be read, so one may be waiting there (`unread`).
 */
export function restoreFoundNothing(model: SessionModel, keychainError?: string): SessionModel {
  const keychain: SessionModel['keychain'] =
    keychainError === undefined
      ? { available: true, persisted: false }
      : { ...unavailable(keychainError), unread: true };
  return { ...model, state: 'signedOut', keychain };
}

/** Start-up found a stored refresh token; the first refresh turns it into a session. */
export function storedTokenLoaded(
  model: SessionModel,
  stored: { username: string; refreshToken: string; unconfirmed?: true },
): SessionModel {
  // A stored JWT names its own end; an opaque one is known again after the first refresh.
  const exp = readClaims(stored.refreshToken).exp;
  const storedExpiry = exp === undefined ? {} : { refreshExpiresAt: exp * 1000 };
  // The last run's write of its successor never confirmed: the server may have rotated this one out.
  const unconfirmed = stored.unconfirmed ? { refreshUnconfirmed: 'interrupted' as const } : {};
  return {
    ...model,
    keychain: { available: true, persisted: true },
    secrets: {
      username: stored.username,
      refreshToken: stored.refreshToken,
      access: null,
      ...storedExpiry,
      ...unconfirmed,
    },
  };
}

/** A refresh went out; an active session shows it (a restore stays `signingIn`/`signedOut`). */
export function refreshStarted(model: SessionModel): SessionModel {
  return model.state === 'active' ? { ...model, state: 'refreshing' } : model;
}

/** The refresh answered with tokens: new secrets, online again, failures forgotten. */
export function refreshSucceeded(
  model: SessionModel,
  secrets: SessionSecrets,
  receivedAt: number,
): SessionModel {
  return { ...model, secrets, lastRefreshAt: receivedAt, offline: false, lastError: null, failures: 0 };
}

/**
 * A refresh failed for a reason that may pass (network, 5xx, 429): the token is kept and a retry is
 * due at `retryAt`. A stored session not yet restored reads as signed out, for now, until it is.
 */
export function refreshFailedTransiently(
  model: SessionModel,
  event: {
    error: ErrorInfo;
    secrets: SessionSecrets;
    retryAt: number;
    /** false: the server answered and refused the request itself (a 4xx), which is no outage. */
    offline?: boolean;
  },
): SessionModel {
  const { error, secrets, retryAt } = event;
  // The server may have rotated the token with an answer we never got: remember, to explain a reuse refusal.
  const unconfirmed = outcomeUnknown(error) && model.secrets === secrets;
  const next: SessionModel = {
    ...model,
    secrets: unconfirmed ? { ...secrets, refreshUnconfirmed: 'interrupted' } : model.secrets,
    failures: model.failures + 1,
    offline: event.offline !== false,
    lastError: error,
    nextRefreshAt: retryAt,
  };
  return secrets.access
    ? { ...next, state: 'active' }
    : { ...next, state: 'signedOut', reason: 'silentSignInFailed' };
}

/**
 * The refresh endpoint kept refusing the request (not the token) for minutes: the session reads as
 * ended (`refreshMisconfigured`, its access token and profile dropped), but the refresh token is kept,
 * in memory and in the keychain, and tried again at `retryAt`; a success restores the session.
 */
export function refreshGaveUp(
  model: SessionModel,
  event: { error: ErrorInfo; retryAt: number },
): SessionModel {
  return {
    ...model,
    state: 'signedOut',
    reason: 'refreshMisconfigured',
    lastError: event.error,
    secrets: model.secrets && { ...model.secrets, access: null },
    user: null,
    offline: false,
    failures: model.failures + 1,
    nextRefreshAt: event.retryAt,
  };
}

/** The server refused the refresh token for good: the session ends with the reason it gave. */
export function refreshRefused(model: SessionModel, reason: SignOutReason, error: ErrorInfo): SessionModel {
  return ended(model, 'signedOut', reason, error);
}

/** The next proactive refresh (or backoff retry) is due at local time `at`. */
export function refreshScheduled(model: SessionModel, at: number): SessionModel {
  return { ...model, nextRefreshAt: at };
}

/**
 * The API, provider or sign-in method changed. A session (or sign-in) in progress ends with `reason`;
 * otherwise only the generation moves on, so a late answer about the old API is dropped.
 */
export function apiChanged(model: SessionModel, settings: Settings, reason: SignOutReason): SessionModel {
  if (model.secrets !== null || model.state === 'signingIn') {
    return { ...ended(model, 'signedOut', reason, null), settings };
  }
  // A session the keychain could not give at start was the old API's: nothing to read again for this one.
  const keychain = settledKeychain(model.keychain);
  return { ...model, settings, keychain, generation: model.generation + 1, nextRefreshAt: null, failures: 0 };
}

/** Other settings changed (same API and sign-in method): the session carries on under them. */
export function settingsChanged(model: SessionModel, settings: Settings): SessionModel {
  return { ...model, settings };
}

/** The refresh token is now stored in the keychain. */
export function keychainSaved(model: SessionModel): SessionModel {
  return { ...model, keychain: { available: true, persisted: true } };
}

/** The keychain failed (locked, missing daemon): the session lives on in memory only. */
export function keychainFailed(model: SessionModel, reason: string): SessionModel {
  return { ...model, keychain: unavailable(reason) };
}

/** "Stay signed in" was turned off: the stored token is gone, the session stays. */
export function persistenceStopped(model: SessionModel): SessionModel {
  return { ...model, keychain: { ...settledKeychain(model.keychain), persisted: false } };
}

/** Sign-out could not revoke the tokens on the server: the person is told, the session stays ended. */
export function revocationFailed(model: SessionModel, error: ErrorInfo): SessionModel {
  return { ...model, lastError: error };
}

function unavailable(reason: string): SessionModel['keychain'] {
  return { available: false, persisted: false, reason };
}
