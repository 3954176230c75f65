import type { TokenEndpointResponse, TokenEndpointResponseHelpers } from 'openid-client';
import type { Result } from '../../../common/errors';
import {
  claimedLifetime,
  type LifetimeClues,
  MAX_EXPIRES_IN_SECONDS,
  type TokenGrant,
} from '../auth-responses';
import { readClaims } from '../token-claims';

/** What openid-client hands back from the token endpoint. */
export type TokenResponse = TokenEndpointResponse & TokenEndpointResponseHelpers;

function bad(what: string): Result<never> {
  return {
    ok: false,
    error: { code: 'BAD_RESPONSE', message: `The identity provider's token answer ${what}` },
  };
}

/**
 * Seconds until the access token expires: `expires_in` as received (what the session schedules by),
 * or, when a provider leaves it out, the JWT's `exp` read by the password path's rule
 * (claimedLifetime): exp − iat when the token has an `iat`, else exp minus the provider's time of the
 * answer (its `Date` header, or our clock corrected by the provider's known skew), else minus our
 * receipt time. Never `exp` against our clock alone when a better clue exists: a computer clock ahead
 * by more than the lifetime would refuse every answer (losing a rotated refresh token), one behind
 * would schedule a 5-minute token as hours.
 */
function lifetimeOf(response: TokenResponse, clues: LifetimeClues): number | undefined {
  if (typeof response.expires_in === 'number') return response.expires_in;
  const { exp, iat } = readClaims(response.access_token);
  return exp === undefined ? undefined : Math.floor(claimedLifetime(exp, iat, response.refresh_token, clues));
}

/**
 * Turns a token endpoint answer (already validated by openid-client: ID token signature, issuer,
 * audience, nonce) into the session's TokenGrant. The access token may be opaque: only the API reads it.
 * `clues`: when the answer came (our clock and the provider's), for a lifetime told by `exp` alone.
 */
export function grantFromResponse(response: TokenResponse, clues: LifetimeClues): Result<TokenGrant> {
  const accessToken = response.access_token;
  if (typeof accessToken !== 'string' || accessToken.length === 0 || accessToken.length > 16_384)
    return bad('had no usable access token');
  if (String(response.token_type).toLowerCase() !== 'bearer')
    return bad(`had token type ${JSON.stringify(String(response.token_type).slice(0, 20))}, not Bearer`);
  const expiresIn = lifetimeOf(response, clues);
  const byOurClock =
    typeof response.expires_in !== 'number' &&
    clues.serverDate === undefined &&
    readClaims(accessToken).iat === undefined;
  if (byOurClock && expiresIn !== undefined && expiresIn < 1)
    return bad(
      "had no expires_in and an access token that had expired on arrival by this computer's clock (it has no iat and the answer no Date, so its lifetime is measured with that clock): check this computer's date and time",
    );
  if (
    expiresIn === undefined ||
    !Number.isFinite(expiresIn) ||
    expiresIn < 1 ||
    expiresIn > MAX_EXPIRES_IN_SECONDS
  )
    return bad('had a missing or unusable expires_in');
  const grant: TokenGrant = { accessToken, tokenType: 'Bearer', expiresIn };
  const refreshToken = response.refresh_token;
  if (typeof refreshToken === 'string' && /^[\x20-\x7e]{1,8192}$/.test(refreshToken))
    grant.refreshToken = refreshToken;
  else if (refreshToken !== undefined) return bad('had an unusable refresh token');
  const claims = response.claims();
  if (typeof response.id_token === 'string' && claims) {
    grant.idToken = response.id_token;
    grant.idClaims = { ...claims };
  }
  return { ok: true, value: grant };
}

/** The optional `audience` / `resource` parameters for an API identifier (RFC 8707 wants an absolute URI). */
export function audienceParameters(audience: string): Record<string, string> {
  if (audience === '') return {};
  return URL.canParse(audience) ? { audience, resource: audience } : { audience };
}
