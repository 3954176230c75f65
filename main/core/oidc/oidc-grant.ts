import type { TokenEndpointResponse, TokenEndpointResponseHelpers } from 'openid-client';
import type { Result } from '../../../common/errors';
import { MAX_EXPIRES_IN_SECONDS, type TokenGrant } from '../auth-responses';
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
 * or, when a provider leaves it out, the JWT's `exp` against the local clock (the only other clue).
 */
function lifetimeOf(response: TokenResponse, nowMs: number): number | undefined {
  if (typeof response.expires_in === 'number') return response.expires_in;
  const exp = readClaims(response.access_token).exp;
  return exp === undefined ? undefined : Math.floor(exp - nowMs / 1000);
}

/**
 * Turns a token endpoint answer (already validated by openid-client: ID token signature, issuer,
 * audience, nonce) into the session's TokenGrant. The access token may be opaque: only the API reads it.
 */
export function grantFromResponse(response: TokenResponse, nowMs: number): Result<TokenGrant> {
  const accessToken = response.access_token;
  if (typeof accessToken !== 'string' || accessToken.length === 0 || accessToken.length > 16_384)
    return bad('had no usable access token');
  if (String(response.token_type).toLowerCase() !== 'bearer')
    return bad(`had token type ${JSON.stringify(String(response.token_type).slice(0, 20))}, not Bearer`);
  const expiresIn = lifetimeOf(response, nowMs);
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
