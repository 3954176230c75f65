import { NetworkError, TimeoutError } from 'ky';
import { describe, expect, it } from 'vitest';
import { httpErrorInfo, parseRetryAfter, requestErrorInfo, serverErrorName } from './auth-errors';

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

  it('ignores missing and unparsable values', () => {
    expect(parseRetryAfter(null, 0)).toBeUndefined();
    expect(parseRetryAfter('soon', 0)).toBeUndefined();
    expect(parseRetryAfter('-5', 0)).toBeUndefined();
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

  it("maps RFC 6749's 400 invalid_grant on refresh to SESSION_EXPIRED", () => {
    expect(httpErrorInfo('refresh', 400, 'invalid_grant', undefined).code).toBe('SESSION_EXPIRED');
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
