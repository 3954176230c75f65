import {
  authorizationCodeGrant,
  Configuration,
  customFetch,
  discovery,
  fetchUserInfo,
  None,
  refreshTokenGrant,
  tokenRevocation,
} from 'openid-client';
import { describe, expect, it } from 'vitest';
import { isNetworkInTheWay } from '../../../common/errors';
import { isRejectedRequest } from '../auth-errors';
import { type OidcOperation, oidcErrorInfo, refusalReason, withErrorBody } from './oidc-errors';

// Every error below is one openid-client itself threw, against a provider stand-in that answers each
// request with a canned Response (or fails the fetch): the mapping is tested against the library's real
// classes and codes, not against look-alike objects.

const ISSUER = 'https://op.example';
const CLIENT_ID = 'tessera';
const METADATA = {
  issuer: ISSUER,
  authorization_endpoint: `${ISSUER}/auth`,
  token_endpoint: `${ISSUER}/token`,
  userinfo_endpoint: `${ISSUER}/me`,
  jwks_uri: `${ISSUER}/jwks`,
};
/** The injected clock: a fixed instant, unrelated to the machine's. */
const NOW = Date.parse('2030-06-01T12:00:00Z');

type Answer = () => Response | Promise<Response>;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A fetch failure as undici reports one (TypeError with the system error as cause). */
function fetchFailed(code: string): Answer {
  return () => {
    throw new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ${code}`), { code }) });
  };
}

/** A provider configuration whose every request is answered by `answer`. */
function provider(answer: Answer, metadata: typeof METADATA = METADATA): Configuration {
  const config = new Configuration(metadata, CLIENT_ID, undefined, None());
  config[customFetch] = async () => answer();
  return config;
}

/** What `run` throws (it must throw). */
async function thrown(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected openid-client to throw');
}

/** A refresh grant answered with `answer`. */
const refreshing = (answer: Answer) => thrown(() => refreshTokenGrant(provider(answer), 'refresh-token'));

/** An OAuth error body from the token endpoint: openid-client's ResponseBodyError. */
function tokenError(
  status: number,
  error: string,
  description?: string,
  headers: Record<string, string> = {},
) {
  return refreshing(() =>
    json(status, { error, ...(description ? { error_description: description } : {}) }, headers),
  );
}

const VERIFIER = 'v'.repeat(43);

/** The browser came back to the loopback redirect with `query`; the token endpoint answers `answer`. */
function callback(query: Record<string, string>, answer: Answer = () => json(500, {}), nonce?: string) {
  const url = new URL(`http://127.0.0.1:5000/callback?${new URLSearchParams(query)}`);
  return thrown(() =>
    authorizationCodeGrant(provider(answer), url, {
      expectedState: 'state',
      pkceCodeVerifier: VERIFIER,
      ...(nonce ? { expectedNonce: nonce, idTokenExpected: true } : {}),
    }),
  );
}

/** A token response whose ID token (dummy signature) has `claims`: from the token endpoint only claims are checked. */
function idTokenAnswer(claims: Record<string, unknown>): Answer {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const idToken = [
    part({ alg: 'RS256' }),
    part({ iss: ISSUER, aud: CLIENT_ID, sub: 'kim', iat: 946_684_800, exp: 4_102_444_800, ...claims }),
    'c2lnbmF0dXJl',
  ].join('.');
  return () => json(200, { access_token: 'at', token_type: 'bearer', id_token: idToken });
}

/** Discovery at the issuer, answered with `answer`. */
function discovering(answer: Answer, issuer = ISSUER) {
  return thrown(() =>
    discovery(new URL(issuer), CLIENT_ID, undefined, None(), { [customFetch]: async () => answer() }),
  );
}

describe('refusalReason()', () => {
  it.each([
    ['Maximum allowed refresh token reuse exceeded', 'refreshTokenReused'],
    ['grant request is invalid: refresh token already used', 'refreshTokenReused'],
    ['Token is not active', 'refreshTokenExpired'],
    ['AADSTS700082: The refresh token has expired due to inactivity.', 'refreshTokenExpired'],
    ['Session not active', 'refreshTokenExpired'],
    ['Unknown or invalid refresh token.', 'refreshTokenInvalid'],
    [undefined, 'refreshTokenInvalid'],
  ])('reads %j as %s', (description, reason) => {
    expect(refusalReason(description)).toBe(reason);
  });
});

describe('oidcErrorInfo()', () => {
  it('ends the session on invalid_grant at refresh, with the reason the provider described', async () => {
    const error = await tokenError(400, 'invalid_grant', 'Token is not active');
    expect(oidcErrorInfo('refresh', error, NOW)).toEqual({
      code: 'SESSION_EXPIRED',
      message:
        'The session has ended: the identity provider refused the refresh token (invalid_grant: Token is not active)',
      status: 400,
      serverError: 'invalid_grant',
      endReason: 'refreshTokenExpired',
    });
  });

  it('hides the values the request sent wherever the provider quotes them: description, error name, a client error', async () => {
    // Short values with no token shape: only the values themselves find them.
    const sent = ['c0de-42', 'verif-9'];
    const described = await callback({ code: 'c0de-42', state: 'state' }, () =>
      json(400, { error: 'invalid_grant', error_description: 'code c0de-42 with verifier verif-9 was used' }),
    );
    expect(oidcErrorInfo('sign-in', described, NOW, sent)).toEqual({
      code: 'BAD_RESPONSE',
      message:
        'the identity provider refused the authorization code (invalid_grant: code [redacted] with verifier [redacted] was used); try again',
      status: 400,
      serverError: 'invalid_grant',
    });
    // An error name made of what was sent is no name, and is not quoted either.
    const named = await callback({ code: 'c0de-42', state: 'state' }, () => json(400, { error: 'c0de-42' }));
    const info = oidcErrorInfo('sign-in', named, NOW, sent);
    expect(info).not.toHaveProperty('serverError');
    expect(info.message).not.toContain('c0de-42');
    const redirected = await callback({
      error: 'access_denied',
      error_description: 'no to c0de-42',
      state: 'state',
    });
    expect(oidcErrorInfo('sign-in', redirected, NOW, sent).message).toBe(
      'the identity provider did not allow the sign-in (access_denied: no to [redacted])',
    );
  });

  it('keeps the session through provider trouble: 5xx is SERVER, 429 RATE_LIMITED with its wait', async () => {
    expect(
      oidcErrorInfo('refresh', await refreshing(() => json(503, { error: 'temporarily_unavailable' })), NOW),
    ).toMatchObject({ code: 'SERVER', status: 503 });
    expect(oidcErrorInfo('refresh', await tokenError(400, 'temporarily_unavailable'), NOW)).toMatchObject({
      code: 'SERVER',
      serverError: 'temporarily_unavailable',
    });
    expect(
      oidcErrorInfo('refresh', await tokenError(429, 'slow_down', undefined, { 'retry-after': '30' }), NOW),
    ).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 30 });
  });

  // A 429 or a 5xx reaches the reader by several routes, by what came with it: openid-client raises a
  // ResponseBodyError for a 4xx OAuth error body, a WWWAuthenticateChallengeError for any challenge
  // (before it reads the body; the protocol then reads the body itself: withErrorBody), and a
  // ClientError holding the answer for an unexpected status or a body that is not JSON. Discovery reads
  // no challenge and no OAuth error. Each operation is called as oidc-protocol calls it.
  const ROUTES: Array<[string, (status: number, wait: Record<string, string>) => Response]> = [
    ['an OAuth error body', (status, wait) => json(status, { error: 'slow_down' }, wait)],
    [
      'a challenge beside an OAuth error body',
      (status, wait) =>
        json(status, { error: 'slow_down' }, { 'www-authenticate': 'Basic realm="op"', ...wait }),
    ],
    [
      'a challenge alone',
      (status, wait) =>
        new Response(null, { status, headers: { 'www-authenticate': 'Bearer realm="op"', ...wait } }),
    ],
    [
      'a page, not JSON',
      (status, wait) =>
        new Response('<html>Too many requests</html>', {
          status,
          headers: { 'content-type': 'text/html', ...wait },
        }),
    ],
    ['JSON without an OAuth error', (status, wait) => json(status, { message: 'slow down' }, wait)],
  ];
  const REVOCABLE = { ...METADATA, revocation_endpoint: `${ISSUER}/revoke` };
  const OPERATIONS: Array<[OidcOperation, (answer: Answer) => Promise<unknown>]> = [
    ['discovery', (answer) => discovering(answer)],
    ['sign-in', (answer) => callback({ code: 'code', state: 'state' }, answer).then(withErrorBody)],
    ['refresh', (answer) => refreshing(answer).then(withErrorBody)],
    ['userinfo', (answer) => thrown(() => fetchUserInfo(provider(answer), 'access-token', 'kim'))],
    [
      'revoke',
      (answer) =>
        thrown(() => tokenRevocation(provider(answer, REVOCABLE), 'refresh-token')).then(withErrorBody),
    ],
  ];
  const EVERY_WAY = OPERATIONS.flatMap(([operation, run]) =>
    ROUTES.map(([route, answer]) => [operation, route, run, answer] as const),
  );

  it.each(EVERY_WAY)(
    "reads a 429 at %s with %s as RATE_LIMITED (never a refused request), a 503 as the provider's trouble, each with its Retry-After",
    async (operation, _route, run, answer) => {
      for (const [status, code] of [
        [429, 'RATE_LIMITED'],
        [503, 'SERVER'],
      ] as const) {
        const info = oidcErrorInfo(operation, await run(() => answer(status, { 'retry-after': '120' })), NOW);
        expect(info).toMatchObject({ code, status, retryAfterSeconds: 120 });
        expect(isRejectedRequest(info)).toBe(false);
        const noWait = oidcErrorInfo(operation, await run(() => answer(status, {})), NOW);
        expect(noWait).toMatchObject({ code, status });
        expect(noWait).not.toHaveProperty('retryAfterSeconds');
      }
    },
  );

  it('passes a Retry-After on only with a 429 or a 5xx, as the password path does', async () => {
    const refused = await refreshing(() =>
      json(400, { error: 'temporarily_unavailable' }, { 'retry-after': '120' }),
    );
    const info = oidcErrorInfo('refresh', refused, NOW);
    expect(info).toMatchObject({ code: 'SERVER', status: 400 });
    expect(info).not.toHaveProperty('retryAfterSeconds');
  });

  it('reads an HTTP-date Retry-After against the injected clock, not the machine clock', async () => {
    const in90s = new Date(NOW + 90_000).toUTCString();
    const error = await tokenError(429, 'slow_down', undefined, { 'retry-after': in90s });
    expect(oidcErrorInfo('refresh', error, NOW)).toMatchObject({ retryAfterSeconds: 90 });
    expect(oidcErrorInfo('refresh', error, NOW + 60_000)).toMatchObject({ retryAfterSeconds: 30 });
  });

  it("reads an HTTP-date Retry-After on the provider's clock (its Date header) when it sends one", async () => {
    // The provider's clock is 2 hours behind this computer's: "until 1 minute from now" on its clock.
    const providerNow = NOW - 2 * 3600_000;
    const error = await tokenError(429, 'slow_down', undefined, {
      'retry-after': new Date(providerNow + 60_000).toUTCString(),
      date: new Date(providerNow).toUTCString(),
    });
    expect(oidcErrorInfo('refresh', error, NOW)).toMatchObject({ retryAfterSeconds: 60 });
  });

  it.each(['invalid_client', 'unauthorized_client', 'invalid_scope', 'invalid_request'])(
    'reports %s from an endpoint as OIDC_MISCONFIGURED',
    async (name) => {
      const error = await callback({ code: 'code', state: 'state' }, () => json(400, { error: name }));
      expect(oidcErrorInfo('sign-in', error, NOW)).toMatchObject({
        code: 'OIDC_MISCONFIGURED',
        serverError: name,
      });
    },
  );

  it('reports a refused authorization code as BAD_RESPONSE (try again), not as an ended session', async () => {
    const error = await callback({ code: 'code', state: 'state' }, () =>
      json(400, { error: 'invalid_grant' }),
    );
    expect(oidcErrorInfo('sign-in', error, NOW)).toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it.each(['access_denied', 'consent_required', 'login_required'])(
    'reports a redirected %s as ACCESS_DENIED',
    async (name) => {
      const error = await callback({
        error: name,
        error_description: 'End-User aborted interaction',
        state: 'state',
      });
      expect(oidcErrorInfo('sign-in', error, NOW)).toMatchObject({
        code: 'ACCESS_DENIED',
        serverError: name,
      });
    },
  );

  it('reports other redirected errors as OIDC_MISCONFIGURED', async () => {
    const error = await callback({ error: 'unsupported_response_type', state: 'state' });
    expect(oidcErrorInfo('sign-in', error, NOW)).toMatchObject({ code: 'OIDC_MISCONFIGURED' });
  });

  it('echoes a server error name only when it looks like a name', async () => {
    const info = oidcErrorInfo('refresh', await tokenError(400, 'not a <name>'), NOW);
    expect(info).toMatchObject({ code: 'BAD_RESPONSE', status: 400 });
    expect(info).not.toHaveProperty('serverError');
  });

  it.each([
    ['a wrong state', () => callback({ code: 'code', state: 'forged' }), 'OAUTH_INVALID_RESPONSE'],
    [
      'a wrong nonce',
      () => callback({ code: 'code', state: 'state' }, idTokenAnswer({ nonce: 'other' }), 'nonce'),
      'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
    ],
    [
      'an expired ID token',
      () =>
        callback(
          { code: 'code', state: 'state' },
          idTokenAnswer({ nonce: 'nonce', exp: 946_688_400 }),
          'nonce',
        ),
      'OAUTH_JWT_TIMESTAMP_CHECK_FAILED',
    ],
  ])('reports %s as BAD_RESPONSE naming the check', async (_label, run, code) => {
    expect(oidcErrorInfo('sign-in', await run(), NOW)).toMatchObject({
      code: 'BAD_RESPONSE',
      message: expect.stringContaining(code),
    });
  });

  it('reports a discovery document of another issuer, or none at all, as OIDC_MISCONFIGURED', async () => {
    const mismatch = await discovering(() => json(200, { ...METADATA, issuer: 'https://other.example' }));
    expect(oidcErrorInfo('discovery', mismatch, NOW)).toMatchObject({
      code: 'OIDC_MISCONFIGURED',
      message: expect.stringContaining('names a different issuer'),
    });
    const notFound = await discovering(() => new Response('Not Found', { status: 404 }));
    expect(oidcErrorInfo('discovery', notFound, NOW)).toMatchObject({
      code: 'OIDC_MISCONFIGURED',
      status: 404,
    });
    const down = await discovering(() => new Response('', { status: 502 }));
    expect(oidcErrorInfo('discovery', down, NOW)).toMatchObject({ code: 'SERVER', status: 502 });
    const insecure = await discovering(() => json(200, METADATA), 'http://op.example');
    expect(oidcErrorInfo('discovery', insecure, NOW)).toMatchObject({
      code: 'OIDC_MISCONFIGURED',
      message: expect.stringContaining('https'),
    });
  });

  it('reports a provider without a needed endpoint as OIDC_MISCONFIGURED', async () => {
    const error = await thrown(() =>
      tokenRevocation(
        provider(() => json(200, {})),
        'refresh-token',
      ),
    );
    expect(oidcErrorInfo('revoke', error, NOW)).toMatchObject({
      code: 'OIDC_MISCONFIGURED',
      message: expect.stringContaining('OAUTH_MISSING_SERVER_METADATA'),
    });
  });

  /** openid-client's WWWAuthenticateChallengeError for a 401 from userinfo with `header`. */
  const challenged = (header: string) =>
    thrown(() =>
      fetchUserInfo(
        provider(() => new Response(null, { status: 401, headers: { 'www-authenticate': header } })),
        'access-token',
        'kim',
      ),
    );

  it('treats a WWW-Authenticate challenge as an unusable token at userinfo only', async () => {
    const error = await challenged('Bearer error="invalid_token"');
    expect(oidcErrorInfo('userinfo', error, NOW)).toMatchObject({ code: 'SESSION_EXPIRED' });
    expect(oidcErrorInfo('refresh', error, NOW)).toMatchObject({ code: 'BAD_RESPONSE', status: 401 });
  });

  it.each([
    ['Basic realm="op", Bearer realm="op", error="invalid_token"', 'SESSION_EXPIRED'],
    ['Bearer realm="a", DPoP error="invalid_token"', 'BAD_RESPONSE'],
    ['Bearer realm="a", Basic error="invalid_token"', 'BAD_RESPONSE'],
    ['Bearer realm="a", error_description="error=invalid_token"', 'BAD_RESPONSE'],
  ])('reads the userinfo challenge %j by its Bearer challenge alone: %s', async (header, code) => {
    expect(oidcErrorInfo('userinfo', await challenged(header), NOW)).toMatchObject({ code, status: 401 });
  });

  it.each([
    ['a 200 page', 200, 'text/html; charset=utf-8'],
    ['a 511', 511, 'text/html'],
    ['an XHTML 200 page', 200, 'application/xhtml+xml'],
  ])('reads %s answering a refresh as the network in the way (a captive portal)', async (_, status, type) => {
    const page = () =>
      new Response('<html>Sign in to the Wi-Fi</html>', { status, headers: { 'content-type': type } });
    const info = oidcErrorInfo('refresh', await refreshing(page), NOW);
    expect(info).toMatchObject({ code: 'NETWORK', status });
    expect(isNetworkInTheWay(info)).toBe(true);
    expect(info.message).toBe(
      `Session refresh failed: a web page answered instead of the identity provider (HTTP ${status}); the network may need a sign-in (a captive portal) before the server can be reached`,
    );
    // Only a refresh, which worked before with these settings: at sign-in the page is a wrong address.
    const signIn = await callback({ code: 'code', state: 'state' }, page);
    expect(oidcErrorInfo('sign-in', signIn, NOW).code).not.toBe('NETWORK');
  });

  it('reads a refusal written in HTML by its status, not as the network in the way', async () => {
    const page = () =>
      new Response('<html>Forbidden</html>', { status: 403, headers: { 'content-type': 'text/html' } });
    expect(oidcErrorInfo('refresh', await refreshing(page), NOW)).toMatchObject({
      code: 'BAD_RESPONSE',
      status: 403,
    });
  });

  it('maps transport failures like the password client does, naming the identity provider', async () => {
    expect(oidcErrorInfo('refresh', await refreshing(fetchFailed('ECONNREFUSED')), NOW)).toEqual({
      code: 'NETWORK',
      message: 'Session refresh failed: the identity provider could not be reached (ECONNREFUSED)',
    });
    expect(oidcErrorInfo('discovery', await discovering(fetchFailed('CERT_HAS_EXPIRED')), NOW)).toMatchObject(
      {
        code: 'TLS',
      },
    );
    // Electron's net.fetch fails with a plain Error, which openid-client wraps in a ClientError without code.
    const chromium = await refreshing(() => {
      throw new Error('net::ERR_CONNECTION_REFUSED');
    });
    expect(oidcErrorInfo('refresh', chromium, NOW)).toMatchObject({
      code: 'NETWORK',
      message: expect.stringContaining('net::ERR_CONNECTION_REFUSED'),
    });
    const timeout = await refreshing(() => {
      throw new DOMException('timed out', 'TimeoutError');
    });
    expect(oidcErrorInfo('refresh', timeout, NOW)).toMatchObject({ code: 'TIMEOUT' });
    const aborted = await refreshing(() => {
      throw new DOMException('aborted', 'AbortError');
    });
    expect(oidcErrorInfo('refresh', aborted, NOW)).toMatchObject({ code: 'CANCELLED' });
  });

  it('never copies a token-shaped description into the message', async () => {
    const leaky = await tokenError(
      400,
      'invalid_request',
      'bad token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
    );
    expect(oidcErrorInfo('refresh', leaky, NOW).message).not.toContain('eyJ');
  });
});
