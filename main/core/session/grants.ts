import type { SessionUser } from '../../../common/session';
import type { TokenGrant } from '../auth-client';
import type { AuthProtocol } from '../auth-protocol';
import type { Logger } from '../logger';
import { clockSkewMs, readClaims, userFromClaims } from '../token-claims';
import type { AccessState, SessionSecrets } from './model';

/** A skew below this is latency and rounding, not a wrong clock: left alone and not logged. */
const NOTABLE_SKEW_MS = 60_000;

/** What the client computes on receipt; scheduling uses only receive time + expiresIn. */
export function accessFrom(
  grant: Pick<TokenGrant, 'accessToken' | 'expiresIn'>,
  receivedAt: number,
  logger: Logger,
): AccessState {
  const lifetimeMs = grant.expiresIn * 1000;
  const expiresAt = receivedAt + lifetimeMs;
  const skew = clockSkewMs(readClaims(grant.accessToken), expiresAt);
  // Harmless for scheduling (expiresIn only), but worth a line when someone debugs odd expiries.
  if (skew !== null && Math.abs(skew) > NOTABLE_SKEW_MS)
    logger.warn('clock skew against the server', { skewMs: skew });
  return { accessToken: grant.accessToken, expiresAt, lifetimeMs, clockSkewMs: skew };
}

/**
 * When the refresh token stops working (local epoch ms), so the person can be told until when they
 * stay signed in: its `exp` claim when it is a JWT, else receive time + the server's
 * `refreshExpiresIn`, else undefined (unknown: many servers say nothing). `exp` is the server's
 * clock: with the access token's skew known (`clockSkewMs`, over a minute) it is moved onto ours,
 * so a machine clock hours off neither shows the wrong end nor counts the token expired too early.
 */
export function refreshExpiryOf(
  refreshToken: string | null | undefined,
  refreshExpiresIn: number | undefined,
  receivedAt: number,
  clockSkewMs: number | null = null,
): number | undefined {
  const exp = refreshToken ? readClaims(refreshToken).exp : undefined;
  if (exp !== undefined) {
    const skew = clockSkewMs !== null && Math.abs(clockSkewMs) > NOTABLE_SKEW_MS ? clockSkewMs : 0;
    return exp * 1000 - skew;
  }
  return refreshExpiresIn === undefined ? undefined : receivedAt + refreshExpiresIn * 1000;
}

/** The secrets after a refresh: a rotated refresh token replaces the old one; a missing ID token keeps the last. */
export function refreshedSecrets(
  previous: SessionSecrets,
  grant: TokenGrant,
  access: AccessState,
  receivedAt: number,
): SessionSecrets {
  const idToken = grant.idToken ?? previous.idToken;
  const idClaims = grant.idClaims ?? previous.idClaims;
  const refreshToken = grant.refreshToken ?? previous.refreshToken;
  // A refresh that did not rotate keeps the old token's end unless the server names a new one (a
  // kept JWT's end is read again: a token restored from the keychain had no skew to correct it by).
  const skew = access.clockSkewMs;
  const kept =
    grant.refreshToken === undefined
      ? (refreshExpiryOf(previous.refreshToken, undefined, receivedAt, skew) ?? previous.refreshExpiresAt)
      : undefined;
  const refreshExpiresAt =
    refreshExpiryOf(grant.refreshToken, grant.refreshExpiresIn, receivedAt, skew) ?? kept;
  return {
    username: previous.username,
    refreshToken,
    access,
    ...(refreshExpiresAt !== undefined ? { refreshExpiresAt } : {}),
    ...(idToken !== undefined ? { idToken } : {}),
    ...(idClaims !== undefined ? { idClaims } : {}),
    // No new refresh token in the answer: a server that does not rotate, or one that did and whose new
    // token was lost on the way; a later reuse refusal of the kept one is then not someone else's copy.
    ...(grant.refreshToken === undefined && refreshToken !== null
      ? { refreshUnconfirmed: 'notRotated' as const }
      : {}),
  };
}

/** The profile from the protocol (`mePath`, ID token); failing that the previous one, or the token's claims. */
export async function loadProfile(
  protocol: AuthProtocol,
  secrets: SessionSecrets,
  current: SessionUser | null,
  logger: Logger,
): Promise<SessionUser> {
  const token = secrets.access?.accessToken ?? '';
  const result = await protocol.profile({
    accessToken: token,
    username: secrets.username,
    ...(secrets.idClaims ? { idClaims: secrets.idClaims } : {}),
  });
  if (result.ok) return result.value;
  logger.info('profile unavailable; using token claims', { code: result.error.code });
  return current ?? userFromClaims(readClaims(token), secrets.username);
}
