import { NetworkError, TimeoutError } from 'ky';
import { beforeAll, describe, expect, it } from 'vitest';
import { PRESET_CONTRACTS } from '../../common/auth-contract';
import { parseRetryAfter } from '../../common/retry-after';
import {
  bodyErrorName,
  httpErrorInfo,
  isRejectedRequest,
  requestErrorInfo,
  retryAfterOf,
  serverErrorName,
  serverMessage,
} from './auth-errors';
import { loadKy } from './ky-loader';

const request = new Request('https://api.example.com/login', { method: 'POST' });

/** Undici's shape: TypeError('fetch failed') whose cause carries the system code. */
function fetchFailed(code: string, message = 'boom'): Error {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
}

describe('parseRetryAfter()', () => {
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', 0)).toBe(120);
    expect(parseRetryAfter(' 0 ', 0)).toBe(0);
  });

  it('reads an HTTP-date relative to now', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Mon, 31 Dec 2029 00:00:00 GMT', now)).toBe(0);
  });

  it("measures an HTTP-date from the answer's Date header when it has a valid one", () => {
    const ours = Date.parse('2030-01-01T00:00:00Z');
    const server = 'Tue, 01 Jan 2030 02:00:00 GMT';
    expect(parseRetryAfter('Tue, 01 Jan 2030 02:01:00 GMT', ours, server)).toBe(60);
    expect(parseRetryAfter('Tue, 01 Jan 2030 00:00:30 GMT', ours, 'garbage')).toBe(30);
  });

  it('disbelieves a wait of more than a day', () => {
    expect(parseRetryAfter('86400', 0)).toBe(86_400);
    expect(parseRetryAfter('86401', 0)).toBeUndefined();
    expect(parseRetryAfter('99999999999999999999', 0)).toBeUndefined();
    expect(
      parseRetryAfter('Fri, 01 Jan 2100 00:00:00 GMT', Date.parse('2030-01-01T00:00:00Z')),
    ).toBeUndefined();
  });

  it('ignores missing and unparsable values', () => {
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter('-5', 0)).toBeUndefined();
  });
});

describe('retryAfterOf()', () => {
  it("reads an answer's Retry-After, against its Date header, on a 429 or a 5xx only", () => {
    const headers = new Headers({
      'retry-after': 'Tue, 01 Jan 2030 02:01:00 GMT',
      date: 'Tue, 01 Jan 2030 02:00:00 GMT',
    });
    expect(retryAfterOf(429, headers, 0)).toBe(60);
    expect(retryAfterOf(503, headers, 0)).toBe(60);
    expect(retryAfterOf(500, new Headers({ 'retry-after': '5' }), 0)).toBe(5);
    expect(retryAfterOf(400, headers, 0)).toBeUndefined();
    expect(retryAfterOf(301, headers, 0)).toBeUndefined();
    expect(retryAfterOf(429, new Headers(), 0)).toBeUndefined();
  });
});

describe('serverErrorName()', () => {
  it('takes the error name of a JSON error body', () => {
    expect(serverErrorName({ error: 'RefreshTokenReusedError', message: 'x' })).toBe(
      'RefreshTokenReusedError',
    );
    expect(serverErrorName({ error: 'invalid_grant' })).toBe('invalid_grant');
  });

  it('never echoes something that is not a plain name', () => {
    expect(serverErrorName({ error: 'eyJhbGciOi.payload.sig with spaces' })).toBeUndefined();
    expect(serverErrorName({ error: 42 })).toBeUndefined();
    expect(serverErrorName('text body')).toBeUndefined();
  });
});

describe('httpErrorInfo()', () => {
  it('maps a sign-in 401 to INVALID_CREDENTIALS', () => {
    expect(httpErrorInfo('login', 401, 'InvalidCredentialsError', undefined)).toMatchObject({
      code: 'INVALID_CREDENTIALS',
      status: 401,
      serverError: 'InvalidCredentialsError',
    });
  });

  it('maps a refresh 401 to SESSION_EXPIRED carrying the server error name', () => {
    expect(httpErrorInfo('refresh', 401, 'RefreshTokenExpiredError', undefined)).toMatchObject({
      code: 'SESSION_EXPIRED',
      serverError: 'RefreshTokenExpiredError',
    });
  });

  it("maps a proxy's 407 to NETWORK for every call, never to a refused request", () => {
    for (const operation of ['login', 'refresh', 'logout', 'me'] as const) {
      const info = httpErrorInfo(operation, 407, undefined, undefined);
      expect(info).toMatchObject({ code: 'NETWORK', status: 407 });
      expect(isRejectedRequest(info)).toBe(false);
    }
  });

  it("maps RFC 6749's 400 invalid_grant on refresh to SESSION_EXPIRED", () => {
    expect(httpErrorInfo('refresh', 400, 'invalid_grant', undefined).code).toBe('SESSION_EXPIRED');
  });

  it.each([
    ['Invalid grant: refresh token has expired', 'refreshTokenExpired'],
    ['Maximum allowed refresh token reuse exceeded', 'refreshTokenReused'],
    ['Invalid grant: refresh token is invalid', 'refreshTokenInvalid'],
  ])('reads why an RFC 6749 refresh refusal ends the session from its description (%s)', (said, reason) => {
    const body = { error: 'invalid_grant', error_description: said };
    expect(httpErrorInfo('refresh', 400, 'invalid_grant', undefined, { body })).toMatchObject({
      code: 'SESSION_EXPIRED',
      endReason: reason,
    });
    // Another backend's refusal names its own reason (or none): the session reads its error name.
    expect(httpErrorInfo('refresh', 401, 'token_not_valid', undefined, { body })).not.toHaveProperty(
      'endReason',
    );
  });

  it('maps 429 to RATE_LIMITED and 5xx to SERVER, both with Retry-After', () => {
    expect(httpErrorInfo('login', 429, 'TooManyRequestsError', 60)).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: 60,
    });
    expect(httpErrorInfo('refresh', 503, undefined, 7)).toMatchObject({
      code: 'SERVER',
      retryAfterSeconds: 7,
    });
    expect(httpErrorInfo('refresh', 500, undefined, undefined)).not.toHaveProperty('retryAfterSeconds');
  });

  it('maps other statuses to BAD_RESPONSE', () => {
    expect(httpErrorInfo('login', 404, undefined, undefined).code).toBe('BAD_RESPONSE');
    expect(httpErrorInfo('refresh', 302, undefined, undefined).code).toBe('BAD_RESPONSE');
  });
});

describe('requestErrorInfo()', () => {
  // Main loads ky on first use; its errors are recognised once it is (main/core/ky-loader.ts).
  beforeAll(async () => {
    await loadKy();
  });

  it('maps a ky timeout to TIMEOUT', () => {
    expect(requestErrorInfo('refresh', new TimeoutError(request), 0).code).toBe('TIMEOUT');
  });

  it('maps refused and reset connections to NETWORK with the system code', () => {
    const refused = requestErrorInfo(
      'login',
      new NetworkError(request, { cause: fetchFailed('ECONNREFUSED') }),
      0,
    );
    expect(refused).toEqual({
      code: 'NETWORK',
      message: 'Sign-in failed: the server could not be reached (ECONNREFUSED)',
    });
    expect(requestErrorInfo('login', fetchFailed('ECONNRESET'), 0).code).toBe('NETWORK');
  });

  it.each([
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'CERT_HAS_EXPIRED',
    'ERR_TLS_CERT_ALTNAME_INVALID',
  ])('maps the certificate error %s to TLS', (code) => {
    const info = requestErrorInfo('login', new NetworkError(request, { cause: fetchFailed(code) }), 0);
    expect(info.code).toBe('TLS');
    expect(info.message).toContain(code);
  });

  it("maps Electron's net::ERR_CERT_* messages to TLS and other net:: errors to NETWORK", () => {
    expect(requestErrorInfo('login', new Error('net::ERR_CERT_AUTHORITY_INVALID'), 0).code).toBe('TLS');
    expect(requestErrorInfo('login', new Error('net::ERR_INTERNET_DISCONNECTED'), 0)).toMatchObject({
      code: 'NETWORK',
      message: expect.stringContaining('net::ERR_INTERNET_DISCONNECTED'),
    });
  });

  it('never copies a low-level message (which could quote anything) into its own', () => {
    const info = requestErrorInfo('refresh', fetchFailed('ECONNRESET', 'body was {"refreshToken":"abc"}'), 0);
    expect(info.message).not.toContain('abc');
  });
});

describe('honest answers from other backends', () => {
  /** httpErrorInfo as requestErrorInfo calls it for a JSON body. */
  const info = (operation: 'login' | 'refresh', status: number, body: unknown, refused = null as never) =>
    httpErrorInfo(operation, status, bodyErrorName(body), undefined, { body, refused });

  it.each([
    ['a bare 400', 400, undefined],
    [
      "RFC 6749's 400 invalid_grant",
      400,
      { error: 'invalid_grant', error_description: 'Invalid credentials' },
    ],
    [
      "Supabase's 400 invalid_credentials",
      400,
      { code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' },
    ],
    [
      "PocketBase's 400 without field errors",
      400,
      { status: 400, message: 'Failed to authenticate.', data: {} },
    ],
    ["SimpleJWT's 401", 401, { detail: 'No active account found with the given credentials' }],
    [
      "DRF's 400 non_field_errors (dj-rest-auth, djoser, ObtainAuthToken)",
      400,
      { non_field_errors: ['Unable to log in with provided credentials.'] },
    ],
    [
      "Directus's 401",
      401,
      { errors: [{ message: 'Invalid user credentials.', extensions: { code: 'INVALID_CREDENTIALS' } }] },
    ],
  ])('reads %s at sign-in as wrong credentials', (_, status, body) => {
    expect(info('login', status, body)).toMatchObject({ code: 'INVALID_CREDENTIALS', status });
  });

  it.each([
    [
      'an OAuth client the server does not know',
      401,
      { error: 'invalid_client', error_description: 'Invalid client: cannot retrieve client credentials' },
      'HTTP 401, invalid_client): "Invalid client: cannot retrieve client credentials"',
    ],
    [
      'a DRF field error',
      400,
      { username: ['This field is required.'] },
      'HTTP 400): "username: This field is required."',
    ],
    [
      'a PocketBase field error',
      400,
      {
        status: 400,
        message: 'Failed to authenticate.',
        data: { identity: { code: 'validation_required', message: 'Missing required value.' } },
      },
      'HTTP 400): "Failed to authenticate."',
    ],
    [
      "Directus's invalid payload",
      400,
      { errors: [{ message: '"email" is required', extensions: { code: 'INVALID_PAYLOAD' } }] },
      'HTTP 400, INVALID_PAYLOAD): ""email" is required"',
    ],
    [
      "the reference server's malformed body",
      400,
      { error: 'BadRequestError', message: 'Body must be JSON' },
      'HTTP 400, BadRequestError): "Body must be JSON"',
    ],
  ])('reads %s at sign-in as the contract not matching the server, quoting it', (_, status, body, quoted) => {
    const error = info('login', status, body);
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', key: 'authContract', status });
    expect(error.message).toContain(quoted);
  });

  it.each([
    ['INVALID_OTP', 'SECOND_FACTOR_REQUIRED', 'Invalid user OTP.'],
    ['USER_SUSPENDED', 'ACCOUNT_SUSPENDED', 'User suspended.'],
  ] as const)("reads Directus's 401 %s at sign-in as %s, not as a wrong password", (name, code, said) => {
    const body = { errors: [{ message: said, extensions: { code: name } }] };
    expect(info('login', 401, body)).toMatchObject({ code, status: 401, serverError: name });
    // Only at sign-in: a refresh refused with it still ends the session.
    expect(info('refresh', 401, body)).toMatchObject({ code: 'SESSION_EXPIRED' });
  });

  it("reads Directus's 401 USER_SUSPENDED at refresh as the account suspended, not as a session no longer accepted", () => {
    const suspended = { errors: [{ message: 'User suspended.', extensions: { code: 'USER_SUSPENDED' } }] };
    expect(info('refresh', 401, suspended)).toMatchObject({
      code: 'SESSION_EXPIRED',
      status: 401,
      serverError: 'USER_SUSPENDED',
      endReason: 'accountSuspended',
    });
    // Directus's refusal of a session it no longer has, and an account refusal that is no account
    // state (a one-time code), name no reason: the session reads them as no longer accepted.
    for (const name of ['INVALID_CREDENTIALS', 'INVALID_OTP']) {
      const body = { errors: [{ message: 'x', extensions: { code: name } }] };
      expect(info('refresh', 401, body)).not.toHaveProperty('endReason');
    }
    // Other backends keep theirs: SimpleJWT's inactive user, an RFC 6749 server's description.
    expect(info('refresh', 401, { detail: 'User is inactive', code: 'user_inactive' })).not.toHaveProperty(
      'endReason',
    );
    const grant = { error: 'invalid_grant', error_description: 'Invalid grant: user is suspended' };
    expect(info('refresh', 400, grant)).toMatchObject({ endReason: 'refreshTokenInvalid' });
  });

  it("reads Directus's 403 INVALID_PROVIDER at sign-in (an LDAP or SSO account) as a contract that does not fit it", () => {
    const body = { errors: [{ message: 'Invalid provider.', extensions: { code: 'INVALID_PROVIDER' } }] };
    const error = info('login', 403, body);
    expect(error).toMatchObject({ code: 'INVALID_CONFIG', key: 'authContract', status: 403 });
    expect(error.message).toContain('/auth/login/<provider>');
  });

  it.each([
    [
      "Directus's email check",
      'email',
      {
        errors: [
          {
            message: 'Invalid payload. "email" must be a valid email.',
            extensions: { code: 'INVALID_PAYLOAD' },
          },
        ],
      },
    ],
    ['a DRF field error on the username field', 'email', { email: ['Enter a valid email address.'] }],
    [
      'a PocketBase field error on identity',
      'identity',
      {
        status: 400,
        message: 'Failed to authenticate.',
        data: { identity: { code: 'validation_invalid_email', message: 'Must be a valid email address.' } },
      },
    ],
  ])(
    'reads %s at sign-in as the typed username not accepted, not as a contract error',
    (_, usernameField, body) => {
      const error = httpErrorInfo('login', 400, bodyErrorName(body), undefined, { body, usernameField });
      expect(error).toMatchObject({ code: 'USERNAME_NOT_ACCEPTED', status: 400 });
    },
  );

  it('still reads a complaint about another field than the one the contract sent as a contract error', () => {
    const missing = {
      errors: [{ message: 'Invalid payload. "email" is required.', extensions: { code: 'INVALID_PAYLOAD' } }],
    };
    expect(
      httpErrorInfo('login', 400, 'INVALID_PAYLOAD', undefined, { body: missing, usernameField: 'username' }),
    ).toMatchObject({ code: 'INVALID_CONFIG' });
    const drf = { username: ['This field is required.'] };
    expect(
      httpErrorInfo('login', 400, undefined, undefined, { body: drf, usernameField: 'user' }),
    ).toMatchObject({ code: 'INVALID_CONFIG' });
  });

  it('looks an account refusal up by its own names only (never an inherited property)', () => {
    expect(info('login', 401, { code: 'constructor' })).toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });

  it.each([
    ['invalid_client', 'Invalid client credentials'],
    ['unauthorized_client', 'Client not enabled to retrieve service account'],
  ])(
    'reads a refresh refused with 401 %s as a refused request (a setting), not a dead token',
    (error, said) => {
      // RFC 6749 §5.2 allows 401 for invalid_client; Keycloak's token endpoint answers so for a disabled
      // or unknown client (a documented answer: the OAuth2 library of the interop suite answers 400
      // unless the client authenticated with an Authorization header, which Tessera never sends there).
      const refused = info('refresh', 401, { error, error_description: said });
      expect(refused).toMatchObject({ code: 'BAD_RESPONSE', status: 401, serverError: error });
      expect(isRejectedRequest(refused)).toBe(true);
      // A 401 that names nothing, or the refresh token itself, still ends the session.
      expect(info('refresh', 401, { error: 'invalid_grant' })).toMatchObject({ code: 'SESSION_EXPIRED' });
      expect(info('refresh', 401, undefined)).toMatchObject({ code: 'SESSION_EXPIRED' });
    },
  );

  it("ends the session on the contract's own refusal of a refresh token (Supabase)", () => {
    const body = {
      code: 400,
      error_code: 'refresh_token_not_found',
      msg: 'Invalid Refresh Token: Refresh Token Not Found',
    };
    expect(
      httpErrorInfo('refresh', 400, bodyErrorName(body), undefined, {
        body,
        refused: PRESET_CONTRACTS.supabase.refresh?.refused ?? null,
      }),
    ).toMatchObject({ code: 'SESSION_EXPIRED', serverError: 'refresh_token_not_found' });
  });

  it('reports any other 4xx of a refresh as a refused request quoting the server, never as offline', () => {
    const body = {
      errors: [
        {
          message: 'Invalid payload. The refresh token is required in either the payload or cookie.',
          extensions: { code: 'INVALID_PAYLOAD' },
        },
      ],
    };
    const error = info('refresh', 400, body);
    expect(error).toEqual({
      code: 'BAD_RESPONSE',
      status: 400,
      serverError: 'INVALID_PAYLOAD',
      message:
        'Session refresh got an unexpected answer (HTTP 400, INVALID_PAYLOAD): "Invalid payload. The refresh token is required in either the payload or cookie."',
    });
    expect(isRejectedRequest(error)).toBe(true);
    // A redirect the client will not follow is a setting to fix, not a network problem.
    expect(
      isRejectedRequest({ code: 'BAD_RESPONSE', status: 307, message: 'redirected to another origin' }),
    ).toBe(true);
    for (const status of [408, 429, 500, 503])
      expect(isRejectedRequest(httpErrorInfo('refresh', status, undefined, undefined))).toBe(false);
    // An OpenID provider refusing the client (disabled, no refresh grant) answered: no outage either.
    expect(
      isRejectedRequest({ code: 'OIDC_MISCONFIGURED', status: 401, message: 'refused (invalid_client)' }),
    ).toBe(true);
    for (const code of ['NETWORK', 'TIMEOUT', 'SERVER'] as const)
      expect(isRejectedRequest({ code, message: 'no answer' })).toBe(false);
  });
});

describe('serverMessage()', () => {
  it('redacts anything token-shaped, flattens control characters and bounds the length', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
    expect(serverMessage({ message: `token ${jwt} is bad` })).toBe('token [redacted] is bad');
    expect(serverMessage({ detail: 'line one\n\tline two\u0000' })).toBe('line one line two');
    const long = serverMessage({ message: 'x '.repeat(500) }) ?? '';
    expect(long.length).toBeLessThanOrEqual(200);
    expect(long.endsWith('…')).toBe(true);
    expect(serverMessage('plain text')).toBeUndefined();
    expect(serverMessage({ status: 400 })).toBeUndefined();
  });

  it("quotes DRF's non-field error as the server's sentence", () => {
    expect(serverMessage({ non_field_errors: ['Unable to log in with provided credentials.'] })).toBe(
      'Unable to log in with provided credentials.',
    );
  });
});

describe('bodyErrorName()', () => {
  it("reads `error`, then Supabase's error_code, DRF's code and Directus's extensions code", () => {
    expect(bodyErrorName({ error: 'TokenExpiredError', code: 'other' })).toBe('TokenExpiredError');
    expect(bodyErrorName({ code: 400, error_code: 'refresh_token_not_found' })).toBe(
      'refresh_token_not_found',
    );
    expect(bodyErrorName({ detail: 'x', code: 'token_not_valid' })).toBe('token_not_valid');
    expect(bodyErrorName({ errors: [{ extensions: { code: 'TOKEN_EXPIRED' } }] })).toBe('TOKEN_EXPIRED');
    expect(bodyErrorName({ code: 'not a name, with spaces' })).toBeUndefined();
    expect(bodyErrorName({ status: 400 })).toBeUndefined();
  });
});
