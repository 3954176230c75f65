// ID token times checked by the provider's clock when this computer's is off. The provider here is a
// stand-in answering each request (discovery, JWKS, token endpoint) with a canned, really signed answer:
// the test OpenID Provider runs in this process and so shares the machine's clock, which is the one
// thing this test needs to differ.
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { fakeJwt, testSettings } from '../../../test/support/fixtures';
import type { AuthClient, FetchLike } from '../auth-client';
import { createOidcProtocol } from './oidc-protocol';

const ISSUER = 'https://op.example';
const CLIENT_ID = 'tessera';
/** The provider's clock: 2 hours behind this computer's (a computer set 2 hours ahead). */
const BEHIND_MS = 2 * 3600_000;

/**
 * A provider answering as `issuer` (its discovery document says `documentIssuer`, its ID tokens
 * `tokenIssuer` with `claims`), its clock BEHIND_MS behind; `discoveries` counts its discovery answers.
 * `tokenAnswer` makes the token endpoint's answer fields (at the provider's time, in seconds), and
 * `dateOnToken: false` leaves out that answer's Date header.
 */
async function standInProvider(
  issuer = ISSUER,
  documentIssuer = issuer,
  tokenIssuer = issuer,
  claims: Record<string, string> = {},
  tokenAnswer: (issuedAt: number) => Record<string, unknown> = () => ({}),
  dateOnToken = true,
): Promise<{ fetch: FetchLike; refreshes: string[]; discoveries: () => number }> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const refreshes: string[] = [];
  let discoveries = 0;
  const answer = (body: unknown, dated = true) =>
    new Response(JSON.stringify(body), {
      headers: {
        'content-type': 'application/json',
        ...(dated ? { date: new Date(Date.now() - BEHIND_MS).toUTCString() } : {}),
      },
    });
  const fetch: FetchLike = async (request) => {
    const { pathname } = new URL(request.url);
    const path = pathname.slice(new URL(issuer).pathname.replace(/\/$/, '').length);
    if (path === '/.well-known/openid-configuration') {
      discoveries += 1;
      return answer({
        issuer: documentIssuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    if (path === '/jwks') return answer({ keys: [jwk] });
    if (path === '/token') {
      refreshes.push(new URLSearchParams(await request.text()).get('refresh_token') ?? '');
      const issuedAt = Math.floor((Date.now() - BEHIND_MS) / 1000);
      const idToken = await new SignJWT({ sub: 'kim', ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(tokenIssuer)
        .setAudience(CLIENT_ID)
        .setIssuedAt(issuedAt)
        .setExpirationTime(issuedAt + 300)
        .sign(privateKey);
      return answer(
        {
          access_token: 'access-token-2',
          token_type: 'Bearer',
          expires_in: 300,
          refresh_token: 'refresh-token-2',
          id_token: idToken,
          ...tokenAnswer(issuedAt),
        },
        dateOnToken,
      );
    }
    return new Response('not found', { status: 404 });
  };
  return { fetch, refreshes, discoveries: () => discoveries };
}

describe('ID token times with a computer clock hours off', () => {
  it("takes a refresh answer's ID token by the provider's clock (its Date header), keeping the rotated refresh token", async () => {
    const provider = await standInProvider();
    const protocol = createOidcProtocol({
      settings: testSettings('https://api.example', {
        authMode: 'oidc',
        oidcIssuer: ISSUER,
        oidcClientId: CLIENT_ID,
        mePath: '',
      }),
      fetch: provider.fetch,
      // Not called: a refresh does not reach the API.
      api: {} as AuthClient,
    });
    const refreshed = await protocol.refresh('refresh-token-1');
    expect(provider.refreshes).toEqual(['refresh-token-1']);
    expect(refreshed).toMatchObject({
      ok: true,
      value: { accessToken: 'access-token-2', refreshToken: 'refresh-token-2', idClaims: { sub: 'kim' } },
    });
  });

  it('also for Entra ID’s multi-tenant issuer ({tenantid}), whose configuration only discovery can make: discovered again with the skew, once', async () => {
    const tenant = '9188040d-6c67-4c5b-b112-36a304b66dad';
    const provider = await standInProvider(
      'https://login.microsoftonline.com/common/v2.0',
      'https://login.microsoftonline.com/{tenantid}/v2.0',
      `https://login.microsoftonline.com/${tenant}/v2.0`,
      { tid: tenant },
    );
    const protocol = createOidcProtocol({
      settings: testSettings('https://api.example', {
        authMode: 'oidc',
        oidcIssuer: 'https://login.microsoftonline.com/common/v2.0',
        oidcClientId: CLIENT_ID,
        mePath: '',
      }),
      fetch: provider.fetch,
      api: {} as AuthClient,
    });
    const refreshed = await protocol.refresh('refresh-token-1');
    expect(refreshed).toMatchObject({
      ok: true,
      value: { accessToken: 'access-token-2', refreshToken: 'refresh-token-2', idClaims: { sub: 'kim' } },
    });
    expect(provider.discoveries()).toBe(2);
    // The skew is the same: the configuration made for it is kept, no third discovery.
    expect(await protocol.refresh('refresh-token-2')).toMatchObject({ ok: true });
    expect(provider.refreshes).toEqual(['refresh-token-1', 'refresh-token-2']);
    expect(provider.discoveries()).toBe(2);
  });
});

describe('an access token lifetime told by exp alone (no expires_in) with a computer clock 2 hours ahead', () => {
  const refreshWith = async (
    tokenAnswer: (issuedAt: number) => Record<string, unknown>,
    dateOnToken = true,
  ) => {
    const provider = await standInProvider(ISSUER, ISSUER, ISSUER, {}, tokenAnswer, dateOnToken);
    const protocol = createOidcProtocol({
      settings: testSettings('https://api.example', {
        authMode: 'oidc',
        oidcIssuer: ISSUER,
        oidcClientId: CLIENT_ID,
        mePath: '',
      }),
      fetch: provider.fetch,
      api: {} as AuthClient,
    });
    return protocol.refresh('refresh-token-1');
  };

  it('reads exp − iat: 5 minutes, and keeps the rotated refresh token (was BAD_RESPONSE, the token lost)', async () => {
    const refreshed = await refreshWith((iat) => ({
      expires_in: undefined,
      access_token: fakeJwt({ sub: 'kim', iat, exp: iat + 300 }),
    }));
    expect(refreshed).toMatchObject({ ok: true, value: { expiresIn: 300, refreshToken: 'refresh-token-2' } });
  });

  it("without iat, reads exp minus the answer's Date header", async () => {
    const refreshed = await refreshWith((iat) => ({
      expires_in: undefined,
      access_token: fakeJwt({ sub: 'kim', exp: iat + 300 }),
    }));
    expect(refreshed).toMatchObject({ ok: true, value: { refreshToken: 'refresh-token-2' } });
    const { expiresIn } = (refreshed as { value: { expiresIn: number } }).value;
    expect(expiresIn).toBeGreaterThanOrEqual(298);
    expect(expiresIn).toBeLessThanOrEqual(300);
  });

  it("without iat nor a Date on the token answer, by our clock corrected with the provider's known skew", async () => {
    // No ID token either, so no JWKS is fetched during the refresh: the skew comes from discovery's Date.
    const refreshed = await refreshWith(
      (iat) => ({
        expires_in: undefined,
        id_token: undefined,
        access_token: fakeJwt({ sub: 'kim', exp: iat + 300 }),
      }),
      false,
    );
    expect(refreshed).toMatchObject({ ok: true, value: { refreshToken: 'refresh-token-2' } });
    const { expiresIn } = (refreshed as { value: { expiresIn: number } }).value;
    // The skew is known to the minute.
    expect(expiresIn).toBeGreaterThanOrEqual(240);
    expect(expiresIn).toBeLessThanOrEqual(360);
  });
});
