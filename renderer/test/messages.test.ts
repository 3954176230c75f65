import { HTTPError, NetworkError, TimeoutError } from 'ky';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, type ErrorInfo, TesseraError } from '../../common/errors';
import { SIGN_OUT_REASONS } from '../../common/session';
import { toBridgeError } from '../../preload/bridge';
import { catalogues, createTranslator } from '../src/i18n/index';
import {
  connectionCause,
  errorInfoMessage,
  errorInfoOf,
  errorNotice,
  isHeldBackAtStart,
  isOriginRefusal,
} from '../src/messages/error-messages';
import { reasonNotice } from '../src/messages/reason-messages';
import {
  noticeSentence,
  requestConnectionCause,
  requestErrorMessage,
  requestErrorNotice,
  statusLine,
} from '../src/messages/request-errors';

const t = createTranslator('en');
const ctx = { url: 'https://api.example.com' };
const message = (info: Omit<ErrorInfo, 'message'>) => errorInfoMessage({ message: 'x', ...info }, t, ctx);

describe('every error code and sign-out reason has a message with a next step, in both languages', () => {
  // One table: a code added to common/errors.ts or a reason added to common/session.ts without both
  // sentences in both catalogues fails here (the catalogue would fall back to English or show a key).
  const rows = [
    ...ERROR_CODES.map((code) => ({
      kind: 'error',
      name: code,
      what: `error.${code}`,
      next: `error.${code}.next`,
    })),
    ...SIGN_OUT_REASONS.map((reason) => ({
      kind: 'reason',
      name: reason,
      what: `reason.${reason}`,
      next: `reason.${reason}.next`,
    })),
  ];

  it.each(['en', 'ko'] as const)('%s', (locale) => {
    const catalogue: Record<string, string> = catalogues[locale];
    const missing = rows.flatMap((row) => {
      const what = catalogue[row.what]?.trim();
      const next = catalogue[row.next]?.trim();
      const problems: string[] = [];
      if (!what) problems.push(`${row.what}: no message`);
      if (!next) problems.push(`${row.next}: no next step`);
      if (what && next && what === next) problems.push(`${row.next}: repeats the message`);
      // A Korean sentence must be Korean (not the English one copied over).
      if (locale === 'ko' && next && !/[가-힣]/.test(next)) problems.push(`${row.next}: not Korean`);
      return problems;
    });
    expect(missing).toEqual([]);
    expect(rows).toHaveLength(ERROR_CODES.length + SIGN_OUT_REASONS.length);
  });

  it.each(['en', 'ko'] as const)('%s: every error renders as what happened plus what to do', (locale) => {
    const translate = createTranslator(locale);
    for (const code of ERROR_CODES) {
      const notice = errorNotice({ code, message: 'detail' }, translate, ctx);
      expect(notice.next).toBe(catalogues[locale][`error.${code}.next`]);
      expect(errorInfoMessage({ code, message: 'detail' }, translate, ctx)).toBe(
        `${notice.text} ${notice.next}`,
      );
      expect(`${notice.text} ${notice.next}`).not.toMatch(/\{\w+\}|error\./);
    }
    for (const reason of SIGN_OUT_REASONS) {
      const notice = reasonNotice(reason, translate);
      expect(notice.text).toBe(`${notice.what} ${notice.next}`);
      expect(notice.text).not.toMatch(/\{\w+\}|reason\./);
    }
  });
});

describe('reasonNotice()', () => {
  it('shows an automatic sign-out as an alert and the person’s own as a status', () => {
    expect(reasonNotice('refreshTokenExpired', t).kind).toBe('alert');
    expect(reasonNotice('userSignedOut', t)).toMatchObject({ kind: 'status', what: 'You signed out.' });
  });

  it('tells the person what to do after reuse: sign in, change the password, tell the administrator', () => {
    const { what, next } = reasonNotice('refreshTokenReused', t);
    expect(what).toMatch(/same session used twice/);
    expect(next).toMatch(/^Sign in again and change your password\. .*tell your administrator/);
    expect(reasonNotice('refreshTokenReused', createTranslator('ko')).next).toMatch(
      /비밀번호를 바꾸세요.*관리자/,
    );
  });

  it('does not call an interrupted refresh theft', () => {
    expect(reasonNotice('refreshInterrupted', t).text).not.toMatch(/someone else/);
    expect(reasonNotice('refreshInterrupted', createTranslator('ko')).text).not.toMatch(/다른 사람/);
  });
});

describe('errorInfoMessage()', () => {
  it.each<[Omit<ErrorInfo, 'message'>, string]>([
    [{ code: 'INVALID_CREDENTIALS' }, 'Wrong username or password. Check both and try again.'],
    [
      { code: 'NETWORK' },
      'Cannot reach the server at https://api.example.com. Check your network connection.',
    ],
    [{ code: 'RATE_LIMITED', retryAfterSeconds: 30 }, 'Too many attempts. Try again in 30 seconds.'],
    [{ code: 'RATE_LIMITED', retryAfterSeconds: 600 }, 'Too many attempts. Try again in 10 minutes.'],
    [{ code: 'RATE_LIMITED' }, 'Too many attempts. Wait a moment, then try again.'],
    [{ code: 'TLS' }, 'Cannot connect securely to https://api.example.com: its certificate is not trusted.'],
    [{ code: 'SERVER', status: 502 }, 'The server at https://api.example.com had a problem. The problem is'],
    [{ code: 'BAD_RESPONSE' }, 'gave an answer Tessera does not understand'],
    [{ code: 'KEYCHAIN_UNAVAILABLE' }, '“Stay signed in” is off'],
  ])('%o → %s', (info, text) => {
    expect(message(info)).toContain(text);
  });

  it('says a timeout is a slow answer, not an unreachable server', () => {
    expect(message({ code: 'TIMEOUT' })).toMatch(
      /^The server at https:\/\/api\.example\.com did not answer in time\. /,
    );
  });

  it('never puts the English detail inside the sentence; bugs and misconfigurations keep it for "Details"', () => {
    expect(errorInfoMessage({ code: 'INTERNAL', message: 'boom' }, t, ctx)).not.toContain('boom');
    expect(errorNotice({ code: 'INTERNAL', message: 'boom' }, t, ctx).detail).toBe('boom');
    expect(errorNotice({ code: 'INVALID_CREDENTIALS', message: 'boom' }, t, ctx).detail).toBeNull();
    const ko = createTranslator('ko');
    expect(errorInfoMessage({ code: 'OIDC_MISCONFIGURED', message: 'invalid_client' }, ko, ctx)).not.toMatch(
      /invalid_client/,
    );
  });

  it('keeps the detail of an answer the app could not use: which field, or the origin a redirect pointed at', () => {
    const redirect =
      'The refresh endpoint redirected to another origin (http://127.0.0.1:4000), which Tessera does not follow';
    const notice = errorNotice({ code: 'BAD_RESPONSE', status: 307, message: redirect }, t, ctx);
    expect(notice.detail).toBe(redirect);
    expect(notice.text).not.toContain('127.0.0.1');
  });

  it('keeps the detail of an API contract that does not match the server (it names the field or quotes the server)', () => {
    const detail =
      'The server refused the sign-in request itself (HTTP 400): "username: This field is required."';
    expect(errorNotice({ code: 'INVALID_CONFIG', key: 'authContract', message: detail }, t, ctx)).toEqual({
      text: 'A setting is not valid.',
      next: t('error.INVALID_CONFIG.next'),
      detail,
    });
    expect(
      errorNotice({ code: 'INVALID_CONFIG', key: 'loginPath', message: 'boom' }, t, ctx).detail,
    ).toBeNull();
  });

  it('says a server outside IT’s allow-list is not allowed, naming it, with the next step; main’s text only for "Details"', () => {
    const main =
      'Your organization does not allow Tessera to send sign-ins or tokens to https://login.other.example (allowedApiOrigins).';
    const refused: ErrorInfo = {
      code: 'MANAGED_SETTING',
      key: 'allowedApiOrigins',
      origin: 'https://login.other.example',
      message: main,
    };
    expect(errorNotice(refused, t, ctx)).toEqual({
      text: 'Your organization does not allow Tessera to connect to https://login.other.example.',
      next: 'Choose a server your organization has approved, or ask your administrator.',
      detail: main,
    });
    // Without the origin (an older main), the server the page names.
    expect(errorNotice({ ...refused, origin: undefined }, t, ctx).text).toBe(
      'Your organization does not allow Tessera to connect to https://api.example.com.',
    );
    const ko = createTranslator('ko');
    expect(errorInfoMessage(refused, ko, ctx)).toBe(
      '조직에서 Tessera가 https://login.other.example에 연결하는 것을 허용하지 않습니다. 조직에서 승인한 서버를 선택하거나 관리자에게 문의하세요.',
    );
    // A setting locked by policy is still that: the setting, not the server.
    expect(message({ code: 'MANAGED_SETTING', key: 'apiBaseUrl' })).toBe(
      'This setting is managed by your organization. Ask your administrator if it needs to change.',
    );
    expect(isOriginRefusal(refused)).toBe(true);
    expect(isOriginRefusal({ code: 'MANAGED_SETTING', key: 'apiBaseUrl', message: '' })).toBe(false);
  });

  it('says, for "stay signed in" locked off by a policy value that could not be used, that the organization’s settings could not be read', () => {
    const main =
      "The IT policy's value for staySignedIn could not be used: it is off, and the stored accounts are held back until the value is fixed.";
    const locked: ErrorInfo = { code: 'MANAGED_SETTING', key: 'staySignedIn', message: main };
    // Before, it read as a setting the person sees locked ("This setting is managed by your organization").
    expect(errorNotice(locked, t, ctx)).toEqual({
      text: 'Your organization’s settings for Tessera could not be read, so Tessera cannot keep you signed in.',
      next: 'Sign in to continue; until your administrator fixes the settings, you sign in again each time Tessera starts.',
      detail: main,
    });
    expect(errorInfoMessage(locked, createTranslator('ko'), ctx)).toBe(
      '조직의 Tessera 설정을 읽을 수 없어 로그인 상태를 유지할 수 없습니다. 계속하려면 로그인하세요. 관리자가 설정을 고칠 때까지는 Tessera를 시작할 때마다 다시 로그인해야 합니다.',
    );
    expect(isHeldBackAtStart(locked)).toBe(true);
    expect(isHeldBackAtStart({ code: 'MANAGED_SETTING', key: 'allowedApiOrigins', message: '' })).toBe(true);
    expect(isHeldBackAtStart({ code: 'MANAGED_SETTING', key: 'apiBaseUrl', message: '' })).toBe(false);
  });

  it('uses the Korean wait unit', () => {
    const ko = createTranslator('ko');
    expect(errorInfoMessage({ code: 'RATE_LIMITED', message: '', retryAfterSeconds: 30 }, ko, ctx)).toContain(
      '30초',
    );
  });
});

describe('connectionCause()', () => {
  it.each<[Omit<ErrorInfo, 'message'>, string | null]>([
    [{ code: 'NETWORK' }, 'unreachable'],
    [{ code: 'TIMEOUT' }, 'unreachable'],
    [{ code: 'RATE_LIMITED' }, 'busy'],
    [{ code: 'SERVER', status: 503 }, 'busy'],
    [{ code: 'SERVER', status: 500 }, 'failing'],
    [{ code: 'SESSION_EXPIRED' }, null],
    [{ code: 'TLS' }, null],
  ])('%o → %s', (info, cause) => {
    expect(connectionCause({ message: '', ...info })).toBe(cause);
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

  it('maps HTTP failures to what happened and what to do; the status code is only under "Details"', () => {
    expect(requestErrorNotice(httpError(401), t, ctx)).toEqual({
      text: 'The server did not accept your session.',
      next: 'Sign out, then sign in again. If it keeps happening, ask your administrator.',
      detail: 'HTTP 401',
    });
    expect(requestErrorNotice(httpError(403, 'Forbidden'), t, ctx)).toEqual({
      text: 'Your account is not allowed to do this.',
      next: 'If you need it, ask your administrator for access.',
      detail: 'HTTP 403 Forbidden',
    });
    expect(requestErrorNotice(httpError(404, 'Not Found'), t, ctx)).toEqual({
      text: 'The server turned down this request.',
      next: 'Try again later. If it keeps happening, ask your administrator to check Tessera’s settings for this server.',
      detail: 'HTTP 404 Not Found',
    });
    expect(requestErrorNotice(httpError(503), t, ctx)).toEqual({
      text: 'The server at https://api.example.com had a problem.',
      next: t('error.SERVER.next'),
      detail: 'HTTP 503',
    });
    // No status code, and a next step, in either language's sentence.
    for (const translator of [t, createTranslator('ko')]) {
      for (const status of [400, 401, 403, 404, 409, 500, 502, 503]) {
        const notice = requestErrorNotice(httpError(status), translator, ctx);
        expect(noticeSentence(notice)).not.toMatch(/HTTP|\d{3}/);
        expect(notice.next).not.toBe('');
      }
    }
  });

  it('keeps a sign-in refused by a failing server free of its status code, which is under "Details"', () => {
    const notice = errorNotice(
      { code: 'SERVER', message: 'Sign-in failed: server error (HTTP 500)', status: 500 },
      t,
      ctx,
    );
    expect(notice.text).toBe('The server at https://api.example.com had a problem.');
    expect(notice.detail).toBe('HTTP 500');
    expect(errorNotice({ code: 'SERVER', message: 'x' }, t, ctx).detail).toBeNull();
  });

  it('maps network failures to "cannot reach" and timeouts to "did not answer in time"', () => {
    expect(requestErrorMessage(new NetworkError(request), t, ctx)).toMatch(
      /^Cannot reach the server at https:\/\/api\.example\.com\. Check your network connection/,
    );
    expect(requestErrorMessage(new TimeoutError(request), t, ctx)).toContain('did not answer in time');
  });

  it('tells the banner which failures are connection problems', () => {
    expect(requestConnectionCause(new NetworkError(request))).toBe('unreachable');
    expect(requestConnectionCause(new TimeoutError(request))).toBe('unreachable');
    expect(requestConnectionCause(httpError(503))).toBe('busy');
    expect(requestConnectionCause(httpError(429))).toBe('busy');
    expect(requestConnectionCause(httpError(502))).toBe('failing');
    expect(requestConnectionCause(httpError(404))).toBeNull();
    expect(requestConnectionCause(toBridgeError({ code: 'NETWORK', message: '' }))).toBe('unreachable');
    expect(requestConnectionCause(toBridgeError({ code: 'SESSION_EXPIRED', message: '' }))).toBeNull();
  });

  it('maps bridge errors by code; anything else is the generic sentence, its raw text only as the detail', () => {
    expect(requestErrorMessage(toBridgeError({ code: 'NOT_SIGNED_IN', message: '' }), t, ctx)).toBe(
      'You are not signed in. Sign in to continue.',
    );
    const raw = new SyntaxError('Unexpected token \'<\', "<!doctype "... is not valid JSON');
    expect(requestErrorMessage(raw, t, ctx)).toBe(
      'Something went wrong inside Tessera. Try again. If it happens again, restart Tessera and report it to your administrator.',
    );
    expect(requestErrorNotice(raw, t, ctx).detail).toBe(raw.message);
    const ko = createTranslator('ko');
    expect(requestErrorMessage(new TypeError('Failed to parse'), ko, ctx)).not.toContain('Failed to parse');
    // Known failures carry no detail: there is nothing to hide.
    expect(requestErrorNotice(new NetworkError(request), t, ctx).detail).toBeNull();
  });

  it('writes a status line with or without a reason phrase', () => {
    expect(statusLine(200, 'OK')).toBe('200 OK');
    expect(statusLine(204, '')).toBe('204');
  });
});
