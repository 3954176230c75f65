import type { ErrorInfo, Result } from '../../common/errors';
import type { SessionUser, SignOutReason } from '../../common/session';
import type { AuthMode, Settings } from '../../common/settings';
import type { TokenGrant } from './auth-responses';
import { apiScope } from './vault';

/** What starts an interactive sign-in: credentials (password mode) or a browser round trip (oidc). */
export type ProtocolSignIn =
  | { kind: 'password'; username: string; password: string }
  | { kind: 'browser'; signal: AbortSignal };

/** A successful sign-in: tokens, plus the account name the refresh token is stored under. */
export interface SignInGrant extends Omit<TokenGrant, 'refreshToken'> {
  /** null: the API contract issues none, so the session ends when the access token expires. */
  refreshToken: string | null;
  /** Keychain account name: the typed username (password) or the ID token's `sub` (oidc). */
  username: string;
}

/**
 * An expected failure of a protocol call. `endReason`, on a refresh refusal, says why the session ends
 * when the protocol can tell better than the error name can; `serverTime`, on a refused refresh, is
 * the server's clock when it refused (its `Date` header, ms), for judging the token's own `exp` by the
 * server's clock rather than ours. Both stay in main (answers are rebuilt).
 */
export type ProtocolError = ErrorInfo & { endReason?: SignOutReason; serverTime?: number };

/** A protocol result whose failure may carry an `endReason`. */
export type ProtocolResult<T> = { ok: true; value: T } | { ok: false; error: ProtocolError };

/** What the profile is built from: the access token, the stored account name and any ID token claims. */
export interface ProfileInput {
  accessToken: string;
  username: string;
  idClaims?: Record<string, unknown>;
}

/**
 * How the session talks to an identity service. The session (session/session.ts) owns scheduling,
 * single-flight, offline handling, the keychain and sign-out; a protocol only speaks the wire format.
 * Every expected failure is a value; nothing here throws.
 */
export interface AuthProtocol {
  readonly mode: AuthMode;
  signIn(request: ProtocolSignIn): Promise<Result<SignInGrant>>;
  refresh(refreshToken: string): Promise<ProtocolResult<TokenGrant>>;
  /**
   * Revokes the refresh token (null: the session has none) and the access token where the protocol
   * can; `unsupported` = no endpoint.
   */
  revoke(refreshToken: string | null, accessToken?: string): Promise<Result<'revoked' | 'unsupported'>>;
  /** Ends the session at the provider too, after the person signed out (RP-initiated logout). */
  endSession?(idToken: string | undefined): Promise<void>;
  profile(input: ProfileInput): Promise<Result<SessionUser>>;
}

/**
 * The keychain scope of a session: the API (password mode, unchanged from before oidc existed), or the
 * API plus issuer and client (oidc), so a token is never offered to a provider or client that did not issue it.
 */
export function sessionScope(settings: Settings): string {
  const api = apiScope(settings.apiBaseUrl);
  if (settings.authMode !== 'oidc') return api;
  return `${api} oidc ${settings.oidcIssuer} ${settings.oidcClientId}`;
}

/** The failure of a call that the configured sign-in method does not offer. */
export function wrongMode(mode: AuthMode): ErrorInfo {
  return {
    code: 'INVALID_CONFIG',
    key: 'authMode',
    message:
      mode === 'oidc'
        ? 'This app signs in with an OpenID Provider; password sign-in is turned off'
        : 'This app signs in with a username and password; provider sign-in is turned off',
  };
}
