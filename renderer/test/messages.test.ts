import { HTTPError, NetworkError, TimeoutError } from 'ky';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorInfo, TesseraError } from '../../common/errors';
import type { SignOutReason } from '../../common/session';
import { toBridgeError } from '../../preload/bridge';
import { createTranslator } from '../src/i18n/index';
import { errorInfoMessage, errorInfoOf } from '../src/messages/error-messages';
import { reasonNotice } from '../src/messages/reason-messages';
import { requestErrorMessage, statusLine } from '../src/messages/request-errors';

const t = createTranslator('en');
const ctx = { url: 'https://api.example.com' };
const message = (info: Omit<ErrorInfo, 'message'>) => errorInfoMessage({ message: 'x', ...info }, t, ctx);

describe('reasonNotice()', () => {
  it.each<[SignOutReason, string]>([
    ['refreshTokenReused', 'Your session ended because the refresh token was reused. Sign in again.'],
    [
      'refreshInterrupted',
      'Your session ended because a refresh was interrupted before its answer arrived, and the server no longer accepts the saved token. Sign in again.',
    ],
    ['refreshTokenExpired', 'Your session ended because it expired. Sign in again.'],
    ['refreshTokenInvalid', 'Your session ended because the server no longer accepts it. Sign in again.'],
    ['apiChanged', 'Your session ended because the API address changed. Sign in again.'],
    ['silentSignInFailed', 'Your previous session could not be restored. Sign in again.'],
  ])('shows %s as an alert', (reason, text) => {
    const notice = reasonNotice(reason, t);
    expect(notice.kind).toBe('alert');
    expect(notice.text).toContain(text);
  });

  it('has a sentence for every reason in both languages', () => {
    // A Record, so a reason added to SignOutReason but not here fails the type check.
    const reasons: Record<SignOutReason, true> = {
      userSignedOut: true,
      refreshTokenReused: true,
      refreshInterrupted: true,
      refreshTokenExpired: true,
      refreshTokenInvalid: true,
      apiChanged: true,
      signInMethodChanged: true,
      silentSignInFailed: true,
      identityChanged: true,
      accessTokenExpired: true,
      refreshMisconfigured: true,
    };
    for (const locale of ['en', 'ko'] as const) {
      const translate = createTranslator(locale);
      for (const reason of Object.keys(reasons) as SignOutReason[]) {
        expect(reasonNotice(reason, translate).text).not.toMatch(/^reason\.|^$/);
      }
    }
  });

  it('does not call an interrupted refresh theft', () => {
    expect(reasonNotice('refreshInterrupted', t).text).not.toMatch(/someone else/);
    expect(reasonNotice('refreshInterrupted', createTranslator('ko')).text).not.toMatch(/다른 사람/);
  });

  it('shows the person’s own sign-out as a status, not an alert', () => {
    expect(reasonNotice('userSignedOut', t)).toEqual({ kind: 'status', text: 'You signed out.' });
  });
});

describe('errorInfoMessage()', () => {
  it('has a sentence for every error code in both languages', () => {
    for (const locale of ['en', 'ko'] as const) {
      for (const code of ERROR_CODES) {
        const text = errorInfoMessage({ code, message: 'detail' }, createTranslator(locale), ctx);
        expect(text).not.toMatch(/\{\w+\}|^error\./);
      }
    }
  });

  it.each<[Omit<ErrorInfo, 'message'>, string]>([
    [{ code: 'INVALID_CREDENTIALS' }, 'Wrong username or password.'],
    [{ code: 'NETWORK' }, 'Cannot reach the server at https://api.example.com.'],
    [{ code: 'RATE_LIMITED', retryAfterSeconds: 30 }, 'Too many attempts. Try again in 30 seconds.'],
    [{ code: 'RATE_LIMITED', retryAfterSeconds: 600 }, 'Too many attempts. Try again in 10 minutes.'],
    [{ code: 'RATE_LIMITED' }, 'Too many attempts. Wait a moment, then try again.'],
    [{ code: 'TLS' }, 'Cannot connect securely to https://api.example.com: its certificate is not trusted.'],
    [{ code: 'SERVER', status: 502 }, 'The server at https://api.example.com had a problem (HTTP 502).'],
    [{ code: 'BAD_RESPONSE' }, 'gave an answer Tessera does not understand'],
    [{ code: 'KEYCHAIN_UNAVAILABLE' }, '“Stay signed in” is unavailable'],
  ])('%o → %s', (info, text) => {
    expect(message(info)).toContain(text);
  });

  it('says TIMEOUT like NETWORK, adding that the server was too slow', () => {
    expect(message({ code: 'TIMEOUT' })).toMatch(
      /^Cannot reach the server at https:\/\/api\.example\.com\. /,
    );
  });

  it('adds the English detail only for codes that mean a bug', () => {
    expect(errorInfoMessage({ code: 'INTERNAL', message: 'boom' }, t, ctx)).toBe(
      'Something went wrong inside Tessera. Details: boom',
    );
    expect(errorInfoMessage({ code: 'INVALID_CREDENTIALS', message: 'boom' }, t, ctx)).not.toContain('boom');
  });

  it('adds the detail of an API contract that does not match the server (it names the field or quotes the server)', () => {
    const detail =
      'The server refused the sign-in request itself (HTTP 400): "username: This field is required."';
    expect(errorInfoMessage({ code: 'INVALID_CONFIG', key: 'authContract', message: detail }, t, ctx)).toBe(
      `A setting is not valid. Check Settings. Details: ${detail}`,
    );
    expect(
      errorInfoMessage({ code: 'INVALID_CONFIG', key: 'loginPath', message: 'boom' }, t, ctx),
    ).not.toContain('boom');
  });

  it('uses the Korean wait unit', () => {
    const ko = createTranslator('ko');
    expect(errorInfoMessage({ code: 'RATE_LIMITED', message: '', retryAfterSeconds: 30 }, ko, ctx)).toContain(
      '30초',
    );
  });
});

describe('errorInfoOf()', () => {
  it('reads a bridge rejection, including after contextBridge made it a plain object', () => {
    const info: ErrorInfo = { code: 'RATE_LIMITED', message: 'slow down', retryAfterSeconds: 5 };
    expect(errorInfoOf(toBridgeError(info))).toEqual(info);
    expect(errorInfoOf({ ...toBridgeError(info) })).toEqual(info);
    expect(errorInfoOf(new TesseraError(info))).toEqual(info);
    expect(errorInfoOf(info)).toEqual(info);
  });

  it('returns null for anything else', () => {
    expect(errorInfoOf(new Error('x'))).toBeNull();
    expect(errorInfoOf({ code: 'WHATEVER', message: 'x' })).toBeNull();
    expect(errorInfoOf(undefined)).toBeNull();
  });
});

describe('requestErrorMessage()', () => {
  const request = new Request('https://api.example.com/x');
  const httpError = (status: number, statusText = '') =>
    new HTTPError(new Response(null, { status, statusText }), request, {} as never);

  it('maps HTTP failures to sentences', () => {
    expect(requestErrorMessage(httpError(401), t, ctx)).toBe(
      'The server did not accept your session (HTTP 401).',
    );
    expect(requestErrorMessage(httpError(403), t, ctx)).toContain('not allowed');
    expect(requestErrorMessage(httpError(404, 'Not Found'), t, ctx)).toBe(
      'The server answered 404 Not Found.',
    );
    expect(requestErrorMessage(httpError(503), t, ctx)).toContain('(HTTP 503)');
  });

  it('maps network failures and timeouts to "cannot reach"', () => {
    expect(requestErrorMessage(new NetworkError(request), t, ctx)).toBe(
      'Cannot reach the server at https://api.example.com.',
    );
    expect(requestErrorMessage(new TimeoutError(request), t, ctx)).toContain('did not answer in time');
  });

  it('maps bridge errors by code and keeps anything else visible', () => {
    expect(requestErrorMessage(toBridgeError({ code: 'NOT_SIGNED_IN', message: '' }), t, ctx)).toBe(
      'You are not signed in.',
    );
    expect(requestErrorMessage(new TypeError('Failed to parse'), t, ctx)).toBe(
      'The request failed: Failed to parse',
    );
  });

  it('writes a status line with or without a reason phrase', () => {
    expect(statusLine(200, 'OK')).toBe('200 OK');
    expect(statusLine(204, '')).toBe('204');
  });
});
