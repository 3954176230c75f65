import { AuthorizationResponseError, ClientError, ResponseBodyError } from 'openid-client';
import { describe, expect, it } from 'vitest';
import { oidcErrorInfo, refusalReason } from './oidc-errors';

/** An OAuth error body from an endpoint, as openid-client throws it. */
function body(status: number, error: string, description?: string, headers: Record<string, string> = {}) {
  return new ResponseBodyError('server responded with an error in the response body', {
    cause: { error, ...(description ? { error_description: description } : {}) },
    response: new Response(null, { status, headers }),
  });
}

/** An error the provider sent back through the browser redirect. */
function redirectError(error: string, description?: string) {
  const params = new URLSearchParams({ error, ...(description ? { error_description: description } : {}) });
  return new AuthorizationResponseError('authorization response from the server is an error', {
    cause: params,
  });
}

/** A fetch failure as undici reports one (TypeError with the system error as cause). */
function fetchFailed(code: string) {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(`connect ${code}`), { code }) });
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
  it('ends the session on invalid_grant at refresh, with the reason the provider described', () => {
    expect(oidcErrorInfo('refresh', body(400, 'invalid_grant', 'Token is not active'))).toEqual({
      code: 'SESSION_EXPIRED',
      message:
        'The session has ended: the identity provider refused the refresh token (invalid_grant: Token is not active)',
      status: 400,
      serverError: 'invalid_grant',
      endReason: 'refreshTokenExpired',
    });
  });

  it('keeps the session through provider trouble: 5xx is SERVER, 429 RATE_LIMITED with its wait', () => {
    expect(oidcErrorInfo('refresh', body(503, 'temporarily_unavailable'))).toMatchObject({
      code: 'SERVER',
      status: 503,
    });
    expect(
      oidcErrorInfo('refresh', body(429, 'slow_down', undefined, { 'retry-after': '30' })),
    ).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 30,
    });
  });

  it.each(['invalid_client', 'unauthorized_client', 'invalid_scope', 'invalid_request'])(
    'reports %s from an endpoint as OIDC_MISCONFIGURED',
    (name) => {
      expect(oidcErrorInfo('sign-in', body(400, name))).toMatchObject({
        code: 'OIDC_MISCONFIGURED',
        serverError: name,
      });
    },
  );

  it('reports a refused authorization code as BAD_RESPONSE (try again), not as an ended session', () => {
    expect(oidcErrorInfo('sign-in', body(400, 'invalid_grant'))).toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it.each(['access_denied', 'consent_required', 'login_required'])(
    'reports a redirected %s as ACCESS_DENIED',
    (name) => {
      expect(oidcErrorInfo('sign-in', redirectError(name, 'End-User aborted interaction'))).toMatchObject({
        code: 'ACCESS_DENIED',
        serverError: name,
      });
    },
  );

  it('reports other redirected errors as OIDC_MISCONFIGURED', () => {
    expect(oidcErrorInfo('sign-in', redirectError('unsupported_response_type'))).toMatchObject({
      code: 'OIDC_MISCONFIGURED',
    });
  });

  it('reports state, nonce and ID token validation failures as BAD_RESPONSE', () => {
    for (const code of [
      'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED',
      'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
      'OAUTH_JWS_SIGNATURE_VERIFICATION_FAILED',
    ])
      expect(oidcErrorInfo('sign-in', new ClientError('unexpected value', { code } as never))).toMatchObject({
        code: 'BAD_RESPONSE',
        message: expect.stringContaining(code),
      });
  });

  it('reports a discovery document of another issuer, or none at all, as OIDC_MISCONFIGURED', () => {
    const mismatch = new ClientError('unexpected JSON attribute value', {
      code: 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED',
    } as never);
    expect(oidcErrorInfo('discovery', mismatch)).toMatchObject({ code: 'OIDC_MISCONFIGURED' });
    const notFound = new ClientError('unexpected HTTP response status code', {
      code: 'OAUTH_RESPONSE_IS_NOT_CONFORM',
      cause: new Response(null, { status: 404 }),
    } as never);
    expect(oidcErrorInfo('discovery', notFound)).toMatchObject({ code: 'OIDC_MISCONFIGURED', status: 404 });
    const down = new ClientError('unexpected HTTP response status code', {
      code: 'OAUTH_RESPONSE_IS_NOT_CONFORM',
      cause: new Response(null, { status: 502 }),
    } as never);
    expect(oidcErrorInfo('discovery', down)).toMatchObject({ code: 'SERVER', status: 502 });
  });

  it('maps transport failures like the password client does, naming the identity provider', () => {
    expect(oidcErrorInfo('refresh', fetchFailed('ECONNREFUSED'))).toEqual({
      code: 'NETWORK',
      message: 'Session refresh failed: the identity provider could not be reached (ECONNREFUSED)',
    });
    expect(oidcErrorInfo('discovery', fetchFailed('CERT_HAS_EXPIRED'))).toMatchObject({ code: 'TLS' });
    const timeout = new ClientError('operation timed out', {
      code: 'OAUTH_TIMEOUT',
      cause: new DOMException('timed out', 'TimeoutError'),
    } as never);
    expect(oidcErrorInfo('refresh', timeout)).toMatchObject({ code: 'TIMEOUT' });
  });

  it('never copies a token-shaped description into the message', () => {
    const leaky = body(400, 'invalid_request', 'bad token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl');
    expect(oidcErrorInfo('refresh', leaky).message).not.toContain('eyJ');
  });
});
