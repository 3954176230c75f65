import type { ErrorInfo } from '../../common/errors';
import type { AuthClient } from './auth-client';
import type { AuthProtocol, ProtocolResult } from './auth-protocol';
import type { TokenGrant } from './auth-responses';
import { readClaims } from './token-claims';

/** No profile endpoint configured: the session falls back to the token's claims without a request. */
export const NO_PROFILE_ENDPOINT = {
  code: 'INVALID_CONFIG',
  key: 'mePath',
  message: 'No profile endpoint is configured',
} as const;

/**
 * A refused refresh, with why the session ends when the error name cannot say: a refresh token that
 * is a JWT whose `exp` has passed (by the server's clock when it refused, else `now`) reached its time limit. SimpleJWT refuses an expired
 * one exactly as a blacklisted or forged one (401 `token_not_valid`), and its refresh tokens live a
 * day by default: without this the person read "the server no longer accepts it … an administrator
 * ends your sessions" after a night away, instead of "it reached its time limit".
 */
export function explainRefusal(
  result: ProtocolResult<TokenGrant>,
  refreshToken: string,
  now: number,
): ProtocolResult<TokenGrant> {
  if (result.ok || result.error.code !== 'SESSION_EXPIRED') return result;
  // A specific reason the server gave (an OAuth description: reused, expired) stands.
  const given = result.error.endReason;
  if (given !== undefined && given !== 'refreshTokenInvalid') return result;
  const { exp } = readClaims(refreshToken);
  // The server's clock when it refused, when it said (a clock of ours hours ahead would otherwise
  // call a token refused for another reason in its last hours expired); else ours.
  if (exp === undefined || exp * 1000 > (result.error.serverTime ?? now)) return result;
  return { ok: false, error: { ...result.error, endReason: 'refreshTokenExpired' } };
}

/**
 * True when a sign-out that sent the refresh token alone (no Bearer) was refused with 401: the server
 * refused that token, so it is dead there already and nothing is left to revoke. SimpleJWT's
 * blacklist answers an expired or already blacklisted token so; without this, signing out after the
 * server had ended the session warned that "Tessera could not tell the server".
 */
function alreadyDead(client: AuthClient, refreshToken: string | null, error: ErrorInfo): boolean {
  const logout = client.contract.ok ? client.contract.value.logout : null;
  return (
    error.code === 'SESSION_EXPIRED' &&
    error.status === 401 &&
    refreshToken !== null &&
    logout !== null &&
    logout.tokenField !== null &&
    !logout.sendBearer
  );
}

/** The password flow (`POST loginPath`, `refreshPath`, `logoutPath`, `GET mePath`) as an AuthProtocol. */
export function createPasswordProtocol(
  client: AuthClient,
  mePath: string,
  now: () => number = Date.now,
): AuthProtocol {
  return {
    mode: 'password',
    async signIn(request) {
      if (request.kind !== 'password')
        return {
          ok: false,
          error: { code: 'INVALID_CONFIG', key: 'authMode', message: 'Not a password sign-in' },
        };
      const result = await client.login(request.username, request.password);
      if (!result.ok) return result;
      const { refreshToken, ...grant } = result.value;
      return {
        ok: true,
        value: { ...grant, refreshToken: refreshToken ?? null, username: request.username },
      };
    },
    refresh: async (refreshToken) => explainRefusal(await client.refresh(refreshToken), refreshToken, now()),
    async revoke(refreshToken, accessToken) {
      if (client.contract.ok && client.contract.value.logout === null)
        return { ok: true, value: 'unsupported' };
      const result = await client.logout(refreshToken, accessToken);
      if (result.ok || alreadyDead(client, refreshToken, result.error)) return { ok: true, value: 'revoked' };
      return result;
    },
    async profile({ accessToken }) {
      // The contract's profile mapping wins over mePath; without either, the token's claims.
      const mapped = client.contract.ok && client.contract.value.profile !== null;
      if (!mapped && mePath === '') return { ok: false, error: { ...NO_PROFILE_ENDPOINT } };
      return client.me(accessToken);
    },
  };
}
