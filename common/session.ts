import type { ErrorInfo } from './errors';

/** Session states of the main-process state machine. */
export type SessionState = 'signedOut' | 'signingIn' | 'active' | 'refreshing';

/**
 * Why the session ended. `null` while signed in or before the first sign-in.
 * The renderer turns each into a sentence with a next step ("Your session ended because …").
 */
export const SIGN_OUT_REASONS = [
  'userSignedOut',
  'refreshTokenReused',
  /** Refused as reused (or, after our own refresh went unanswered, for no reason): likely our lost rotation, not theft. */
  'refreshInterrupted',
  'refreshTokenExpired',
  'refreshTokenInvalid',
  /** The refresh was refused because the server has suspended the account (Directus's `USER_SUSPENDED`). */
  'accountSuspended',
  'apiChanged',
  'signInMethodChanged',
  'silentSignInFailed',
  /** OpenID Connect: a refreshed ID token named another account than the one signed in. */
  'identityChanged',
  /** The server gives no refresh token (its API contract has none) and the access token expired. */
  'accessTokenExpired',
  /** The refresh endpoint kept refusing the request itself (a 4xx it does not explain): a setting is wrong. */
  'refreshMisconfigured',
] as const;

/** Why the session ended (one of SIGN_OUT_REASONS). */
export type SignOutReason = (typeof SIGN_OUT_REASONS)[number];

/** The signed-in person, from `GET /api/user/me` or, failing that, the access token's claims. */
export interface SessionUser {
  sub: string;
  username: string;
  name: string;
  role: string;
}

/** Whether "stay signed in" (refresh token in the OS keychain) is working, and why not. */
export interface KeychainStatus {
  available: boolean;
  /** True when the current refresh token is stored in the keychain (survives a restart). */
  persisted: boolean;
  /** Why the keychain is unavailable (the underlying error, no secrets). */
  reason?: string;
  /**
   * The start-up restore could not read the keychain, so a stored session may be waiting there
   * (signed out only). Tessera reads it again when a keychain call that timed out answers at last (a
   * password prompt answered late), and when the person asks (`auth:retry-restore`).
   */
  unread?: true;
}

/** What every window sees of the session. Contains no token. */
export interface SessionView {
  state: SessionState;
  /** The API origin the session belongs to. */
  apiOrigin: string;
  user: SessionUser | null;
  /** Local epoch ms at which the access token expires (receive time + expiresIn). */
  expiresAt: number | null;
  /** Lifetime of the current access token in ms (expiresIn × 1000). */
  lifetimeMs: number | null;
  /**
   * Local epoch ms at which the refresh token ends, so the person must sign in again (its `exp` claim
   * when it is a JWT, else the server's `refreshExpiresIn`); null when the server does not say.
   */
  refreshExpiresAt: number | null;
  /** Local epoch ms of the last successful sign-in or refresh. */
  lastRefreshAt: number | null;
  /** Local epoch ms of the next scheduled refresh attempt. */
  nextRefreshAt: number | null;
  /** True while refreshes fail for transient reasons (network, 5xx, 429): session kept. */
  offline: boolean;
  /** The last error the session met (transient refresh failure, failed revocation …). */
  lastError: ErrorInfo | null;
  keychain: KeychainStatus;
  /** Why the session ended, after an automatic or explicit sign-out. */
  reason: SignOutReason | null;
  /** `exp` claim minus the locally computed expiry, in ms (positive: server clock ahead). */
  clockSkewMs: number | null;
  /** The active account this view belongs to (null: none is active); set by the account registry. */
  accountId?: string | null;
  /** The API base URL of the session (the active account's, which may differ from the setting). */
  apiBaseUrl?: string;
}

/**
 * One signed-in (or signed-out-by-the-server) account as `auth.listAccounts()` lists it. Its `id` is
 * opaque and stable across restarts, and says nothing secret.
 */
export interface AccountSummary {
  id: string;
  /** The display name (the profile's name, else the user name). */
  name: string;
  username: string;
  /** The account's API base URL (its host is what the switcher shows). */
  apiBaseUrl: string;
  state: SessionState;
  offline: boolean;
  /** Why the server ended it ("signed out — sign in again"), or null. */
  reason: SignOutReason | null;
  /** The account the page's requests go out as. */
  active: boolean;
}

/** The access token handed to the app's own page on request. */
export interface AccessTokenGrant {
  accessToken: string;
  tokenType: 'Bearer';
  expiresAt: number;
  /**
   * The account the token belongs to, as the session view's `accountId` names it (set by the account
   * registry: the account that was active when main was asked and still is when it answers). The page
   * keeps a grant only while that account is the one its last session event named.
   */
  accountId?: string | null;
}

/** Outcome of sign-out: local sign-out always succeeds; revocation may not have. */
export interface SignOutResult {
  revoked: boolean;
  revocationError?: ErrorInfo;
}
