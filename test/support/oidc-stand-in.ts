// A stand-in OpenID Provider for tests that never reach its token endpoint (a browser sign-in that is
// cancelled, timed out or superseded), and a probe of the app's loopback listener.
import type { FetchLike } from '../../main/core/auth-client';

/** The stand-in's issuer. */
export const STAND_IN_ISSUER = 'https://op.example';

/** A fetch answering the stand-in's discovery document, and 404 for anything else. */
export const discoveryOnly: FetchLike = async (request) =>
  new URL(request.url).pathname === '/.well-known/openid-configuration'
    ? new Response(
        JSON.stringify({
          issuer: STAND_IN_ISSUER,
          authorization_endpoint: `${STAND_IN_ISSUER}/auth`,
          token_endpoint: `${STAND_IN_ISSUER}/token`,
          jwks_uri: `${STAND_IN_ISSUER}/jwks`,
        }),
        { headers: { 'content-type': 'application/json' } },
      )
    : new Response('not found', { status: 404 });

/** The HTTP status `url` answers, or the connection error's code when nothing listens there. */
export async function listenerAnswer(url: string): Promise<number | string> {
  try {
    return (await fetch(url)).status;
  } catch (error) {
    return (error as { cause?: { code?: string } }).cause?.code ?? String(error);
  }
}
