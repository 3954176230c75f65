import { type JsonRule, matchesJsonRule, readJsonPath } from '../../common/auth-contract';
import type { ErrorInfo } from '../../common/errors';
import { parseHttpDate } from '../../common/http-date';
import { parseRetryAfter } from '../../common/retry-after';
import type { SignOutReason } from '../../common/session';
import { parseChallenges } from '../../common/www-authenticate';
import { MAX_ANSWER_BYTES } from './answer-size';
import type { ProtocolError } from './auth-protocol';
import { isHTTPError, isTimeoutError } from './ky-loader';
import { hideSentValues, redactText } from './redact';
import { findRedirectError } from './redirects';

/** Which auth call failed; decides what a 401 means. */
export type AuthOperation = 'login' | 'refresh' | 'logout' | 'me';

const LABEL: Record<AuthOperation, string> = {
  login: 'Sign-in',
  refresh: 'Session refresh',
  logout: 'Sign-out',
  me: 'Profile request',
};

// Node (OpenSSL) certificate codes; Electron's net.fetch reports Chromium's net::ERR_CERT_* / ERR_SSL_*.
const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'HOSTNAME_MISMATCH',
  'EPROTO',
]);
const TLS_PATTERN = /^(ERR_TLS_|ERR_SSL_|ERR_CERT_|CERT_)|net::ERR_(CERT|SSL)_/;

/** Server error names are echoed back only when they look like a name (never a body fragment). */
const ERROR_NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

/**
 * The `error` name of a JSON error body (`{error, message}`) or an OAuth error (`{error,
 * error_description}`, as openid-client throws it), if it has a sane one. The one rule for which
 * server-supplied error names may be shown and logged.
 */
export function serverErrorName(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const name = (data as { error?: unknown }).error;
  return typeof name === 'string' && ERROR_NAME.test(name) ? name : undefined;
}

/** Where other backends keep the error name: Supabase's `error_code`, DRF's `code`, Directus's. */
const OTHER_NAME_PATHS = ['error_code', 'code', 'errors.0.extensions.code'];

/**
 * The error name of an API's error body: `error` (serverErrorName's rule), else Supabase's
 * `error_code`, DRF's `code` or Directus's `errors[0].extensions.code`, under the same rule.
 */
export function bodyErrorName(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  if ((data as { error?: unknown }).error !== undefined) return serverErrorName(data);
  for (const path of OTHER_NAME_PATHS) {
    const name = readJsonPath(data, path);
    if (typeof name === 'string') return ERROR_NAME.test(name) ? name : undefined;
  }
  return undefined;
}

/** Longest server message shown or logged. */
const MAX_SERVER_MESSAGE = 200;

/** Where JSON error bodies keep their sentence, most specific first. */
const MESSAGE_PATHS = [
  'error_description',
  'detail',
  'message',
  'msg',
  'errors.0.message',
  'error',
  'non_field_errors.0',
];

/**
 * The one rule for quoting what a server said about a request (its sentence, an error name): the
 * values the request sent hidden first (a server may echo the password, the refresh token, the code or
 * the PKCE verifier it was sent, and a short opaque one has no shape to recognize), then anything
 * token-shaped. Used by the password protocol's errors and the OpenID Connect ones alike.
 */
export function quotableWords(text: string, sent: readonly string[]): string {
  return redactText(hideSentValues(text, sent));
}

/** `name` (a server's error name), unless it holds a value that was sent: such a name is no name. */
export function nameUnlessSent(name: string | undefined, sent: readonly string[]): string | undefined {
  return name !== undefined && hideSentValues(name, sent) === name ? name : undefined;
}

/**
 * The server's own sentence from an error body, made safe to show and log: token-shaped text
 * redacted, control characters and runs of spaces collapsed, at most 200 characters. A Django REST
 * framework field error (`{"username": ["This field is required."]}`) reads as `username: …`.
 */
export function serverMessage(data: unknown, sent: readonly string[] = []): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  let text: string | undefined;
  for (const path of MESSAGE_PATHS) {
    const value = readJsonPath(data, path);
    if (typeof value === 'string' && value.trim() !== '') {
      text = value;
      break;
    }
  }
  if (text === undefined) {
    const field = fieldErrors(data as Record<string, unknown>)[0];
    if (field) text = `${field.name}: ${field.message}`;
  }
  if (text === undefined) return undefined;
  const clean = quotableWords(text, sent)
    .replace(/[\p{Cc}\s]+/gu, ' ')
    .trim();
  return clean.length > MAX_SERVER_MESSAGE ? `${clean.slice(0, MAX_SERVER_MESSAGE - 1)}…` : clean;
}

/**
 * Keys of error bodies that are about the error, not about a request field. DRF's `non_field_errors`
 * is its serializer's verdict on the whole request, which at a sign-in is the credentials
 * (`"Unable to log in with provided credentials."` of dj-rest-auth, djoser and ObtainAuthToken).
 */
const NOT_FIELDS = new Set([
  'detail',
  'message',
  'msg',
  'error',
  'error_description',
  'error_code',
  'code',
  'status',
  'messages',
  'errors',
  'non_field_errors',
]);

/**
 * Validation errors per request field: DRF's `{"username": ["This field is required."]}` and
 * PocketBase's `{"data": {"identity": {"code": "validation_required", "message": "…"}}}`.
 */
function fieldErrors(body: Record<string, unknown>): Array<{ name: string; message: string }> {
  const found: Array<{ name: string; message: string }> = [];
  for (const [name, value] of Object.entries(body)) {
    if (NOT_FIELDS.has(name)) continue;
    if (Array.isArray(value) && typeof value[0] === 'string') found.push({ name, message: value[0] });
  }
  const data = body.data;
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
    for (const [name, value] of Object.entries(data)) {
      const message = readJsonPath(value, 'message');
      if (typeof message === 'string') found.push({ name, message });
    }
  }
  return found;
}

/**
 * Error names that say the sign-in request itself was wrong (a malformed body, a missing field, a
 * client the server does not know), not the credentials: RFC 6749 §5.2, the reference server,
 * Directus, Supabase and PocketBase.
 */
const REQUEST_PROBLEMS = new Set([
  'invalid_request',
  'invalid_client',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'BadRequestError',
  'UnsupportedMediaTypeError',
  'INVALID_PAYLOAD',
  'validation_failed',
  'bad_json',
]);

/**
 * Error names of a refused sign-in that are about the account, not the password, so the person is
 * not told to retype it: Directus checks the password, then answers `INVALID_OTP` for an account with
 * two-factor sign-in (Tessera sends no one-time code); it answers `USER_SUSPENDED` for a suspended
 * account (and suspends one after `auth_login_attempts` wrong passwords), and 403 `INVALID_PROVIDER`
 * at `/auth/login` for an account that signs in through LDAP or single sign-on: the contract's
 * sign-in path is not this account's.
 */
const ACCOUNT_REFUSALS = new Map<string, Pick<ErrorInfo, 'code' | 'message' | 'key'>>([
  [
    'INVALID_PROVIDER',
    {
      code: 'INVALID_CONFIG',
      key: 'authContract',
      message:
        'The server signs this account in through another provider (INVALID_PROVIDER); check the API contract: an LDAP account signs in at authContract.login.path /auth/login/<provider> with usernameField "identifier"',
    },
  ],
  [
    'INVALID_OTP',
    {
      code: 'SECOND_FACTOR_REQUIRED',
      message: 'Sign-in needs a one-time code (two-factor sign-in), which Tessera cannot send',
    },
  ],
  ['USER_SUSPENDED', { code: 'ACCOUNT_SUSPENDED', message: 'The server has suspended this account' }],
]);

/**
 * Why a session ends when its refresh is refused with this error name, where the name says more than
 * the flow's status: an RFC 6749 `invalid_grant` explains itself in its description (refusalReason);
 * an account refusal of the sign-in's table that is about the account's state (Directus checks the
 * account at each refresh too, and answers a suspended one 401 `USER_SUSPENDED`) ends it for that
 * reason, not as a token the server merely no longer accepts. Anything else: the session reads the
 * name itself (reasonForRefusal).
 */
function refreshEndReason(
  serverError: string | undefined,
  said: string | undefined,
): { endReason?: SignOutReason } {
  if (serverError === 'invalid_grant') return { endReason: refusalReason(said) };
  const account = serverError === undefined ? undefined : ACCOUNT_REFUSALS.get(serverError);
  return account?.code === 'ACCOUNT_SUSPENDED' ? { endReason: 'accountSuspended' } : {};
}

/** True when a 400/401 sign-in answer says the request was wrong rather than the credentials. */
function requestWasWrong(serverError: string | undefined, body: unknown): boolean {
  if (serverError !== undefined && REQUEST_PROBLEMS.has(serverError)) return true;
  return typeof body === 'object' && body !== null && !Array.isArray(body)
    ? fieldErrors(body as Record<string, unknown>).length > 0
    : false;
}

/**
 * True when a refused sign-in complains only about the contract's username field, which was sent
 * with what the person typed: the server refuses that value (Directus wants an email address:
 * `"email" must be a valid email`; a DRF or PocketBase field error on it), not the contract, whose
 * field name it read.
 */
function refusesTypedUsername(body: unknown, usernameField: string | undefined): boolean {
  if (usernameField === undefined || typeof body !== 'object' || body === null || Array.isArray(body))
    return false;
  const fields = fieldErrors(body as Record<string, unknown>);
  if (fields.length > 0) return fields.every((field) => field.name === usernameField);
  // Directus (Joi) quotes the field in its sentence: `Invalid payload. "email" must be a valid email.`
  const said = readJsonPath(body, 'errors.0.message');
  return typeof said === 'string' && said.includes(`"${usernameField}"`) && !/\bis required\b/.test(said);
}

/** What a failed answer can tell beyond its status: its body, and the contract's refusal rule. */
export interface AnswerDetail {
  /** The parsed JSON body, when there was one. */
  body?: unknown;
  /** The contract's `refresh.refused` predicate. */
  refused?: JsonRule | null;
  /** The password or tokens the request carried: hidden wherever the server's words are quoted. */
  sent?: readonly string[];
  /** At sign-in: the contract's username field (sent with what the person typed). */
  usernameField?: string;
}

/**
 * True for a refresh the server refused as a request (a 4xx none of the refusal rules explains) or
 * redirected where the app will not follow (another origin, a POST turned GET, too many hops), that
 * it answered with a 2xx the contract cannot use (no lifetime where the contract reads one, not
 * JSON: it will answer so again), or that an OpenID provider refused as misconfigured
 * (`invalid_client`, `unauthorized_client`, `invalid_scope`, …: the client was disabled or lost its
 * refresh grant): most likely a setting that does not match the server, so the session retries only
 * a few times and never reads it as offline.
 */
export function isRejectedRequest(error: ErrorInfo): boolean {
  if (error.code === 'OIDC_MISCONFIGURED') return true;
  return (
    error.code === 'BAD_RESPONSE' &&
    error.status !== undefined &&
    error.status >= 200 &&
    error.status < 500 &&
    error.status !== 408 &&
    error.status !== 429
  );
}

/** Every `code` and `message` along an error's cause chain (bounded: causes can be cyclic). */
function causeChain(error: unknown): Array<{ code?: string; message?: string; name?: string }> {
  const chain: Array<{ code?: string; message?: string; name?: string }> = [];
  let current: unknown = error;
  for (let i = 0; i < 6 && typeof current === 'object' && current !== null; i++) {
    const { code, message, name, cause } = current as Record<string, unknown>;
    chain.push({
      code: typeof code === 'string' ? code : undefined,
      message: typeof message === 'string' ? message : undefined,
      name: typeof name === 'string' ? name : undefined,
    });
    current = cause;
  }
  return chain;
}

/** The first TLS-looking code in the chain, if any. */
function tlsCode(error: unknown): string | undefined {
  for (const { code, message } of causeChain(error)) {
    if (code && (TLS_CODES.has(code) || TLS_PATTERN.test(code))) return code;
    const match = message?.match(/net::ERR_(?:CERT|SSL)_[A-Z_]+/);
    if (match) return match[0];
  }
  return undefined;
}

/** A short, secret-free description of a low-level failure: the first system code in the chain. */
function systemCode(error: unknown): string | undefined {
  for (const { code, message } of causeChain(error)) {
    if (code && /^[A-Z][A-Z0-9_]+$/.test(code)) return code;
    const match = message?.match(/net::ERR_[A-Z_]+/);
    if (match) return match[0];
  }
  return undefined;
}

function isAbortTimeout(error: unknown): boolean {
  return causeChain(error).some(({ name }) => name === 'TimeoutError');
}

/** True when the answer's body went past MAX_ANSWER_BYTES (answer-size.ts) and was not read further. */
export function isAnswerTooLarge(error: unknown): boolean {
  return causeChain(error).some(({ name }) => name === 'AnswerTooLargeError');
}

/**
 * Why a refresh token was refused, from the server's description (OAuth has only `invalid_grant`),
 * for an OpenID provider and an RFC 6749 password-grant server alike. Keycloak says "Maximum allowed
 * refresh token reuse exceeded" / "Token is not active", Entra ID "AADSTS700082: The refresh token
 * has expired…", node-oauth's oauth2-server "Invalid grant: refresh token has expired"; anything
 * unrecognised is simply "no longer accepted".
 */
export function refusalReason(description: string | undefined): SignOutReason {
  if (!description) return 'refreshTokenInvalid';
  if (/reuse|replay|already (?:been )?(?:used|redeemed)/i.test(description)) return 'refreshTokenReused';
  if (/expired|not active|inactive|idle/i.test(description)) return 'refreshTokenExpired';
  return 'refreshTokenInvalid';
}

/**
 * The wait an error answer asks for, in whole seconds: its `Retry-After` (parseRetryAfter), read on a
 * 429 or a 5xx only, the answers read as RATE_LIMITED or SERVER, whose retry the session's backoff
 * holds off for at least that long (backoffDelayMs). The one rule for the password path's answers and
 * the OpenID provider's.
 */
export function retryAfterOf(
  status: number,
  headers: Pick<Headers, 'get'>,
  nowMs: number,
): number | undefined {
  if (status !== 429 && status < 500) return undefined;
  return parseRetryAfter(headers.get('retry-after'), nowMs, headers.get('date'));
}

/**
 * Maps an HTTP error status (and the body's error name) of an auth call to an ErrorInfo; a refused
 * RFC 6749 refresh (`invalid_grant`) carries why the session ends, read from its description.
 */
export function httpErrorInfo(
  operation: AuthOperation,
  status: number,
  serverError: string | undefined,
  retryAfterSeconds: number | undefined,
  detail: AnswerDetail = {},
): ProtocolError {
  const label = LABEL[operation];
  const base = { status, ...(serverError ? { serverError } : {}) };
  const said = serverMessage(detail.body, detail.sent);
  const quoted = said === undefined ? '' : `: "${said}"`;
  const withRetry = retryAfterSeconds === undefined ? base : { ...base, retryAfterSeconds };
  // A proxy on the way wants a user name and password main could not give (its prompt was cancelled,
  // or refused too often): the request never reached the server, so this is no answer of the server's
  // and no refused request (never 'check the API contract'); the session retries it as when offline.
  if (status === 407)
    return {
      code: 'NETWORK',
      message: `${label} failed: a proxy on the way asks for a user name and password (HTTP 407)`,
      ...base,
    };
  if (status === 429) {
    return { code: 'RATE_LIMITED', message: `${label} was rate limited by the server`, ...withRetry };
  }
  if (status >= 500)
    return { code: 'SERVER', message: `${label} failed: server error (HTTP ${status})`, ...withRetry };
  if (status === 408)
    return { code: 'TIMEOUT', message: `${label} timed out on the server (HTTP 408)`, ...base };
  const accountRefusal =
    operation === 'login' && serverError !== undefined && status >= 400 && status < 500
      ? ACCOUNT_REFUSALS.get(serverError)
      : undefined;
  if (accountRefusal) return { ...accountRefusal, ...base };
  if (
    operation === 'login' &&
    (status === 400 || status === 401 || serverError === 'InvalidCredentialsError')
  ) {
    // The username as typed is not one the server takes (Directus wants an email address).
    if (refusesTypedUsername(detail.body, detail.usernameField))
      return {
        code: 'USERNAME_NOT_ACCEPTED',
        message: `The server did not accept the username as typed (HTTP ${status}${serverError ? `, ${serverError}` : ''})${quoted}`,
        ...base,
      };
    // Wrong credentials, unless the body says the request itself was wrong (a field, a client, a body).
    if (serverError !== 'InvalidCredentialsError' && requestWasWrong(serverError, detail.body))
      return {
        code: 'INVALID_CONFIG',
        key: 'authContract',
        message: `The server refused the sign-in request itself (HTTP ${status}${serverError ? `, ${serverError}` : ''})${quoted}; check the API contract (authContract.login)`,
        ...base,
      };
    return { code: 'INVALID_CREDENTIALS', message: 'The username or password is incorrect', ...base };
  }
  // 401 from the flow's server; 400 invalid_grant from an RFC 6749 server; the contract's own refusal
  // (Supabase's refresh_token_not_found): the refresh token is dead. Not a 401 that names the request
  // or the client (RFC 6749 §5.2 lets a token endpoint answer invalid_client with 401, as Keycloak
  // does for a disabled client): that is a setting, retried as a refused request, and the token kept.
  if (
    operation === 'refresh' &&
    ((status === 401 && !(serverError !== undefined && REQUEST_PROBLEMS.has(serverError))) ||
      (status === 400 && serverError === 'invalid_grant') ||
      (status >= 400 && status < 500 && matchesJsonRule(detail.body, detail.refused)))
  ) {
    return {
      code: 'SESSION_EXPIRED',
      message: 'The session has ended: the server refused the refresh token',
      ...base,
      ...refreshEndReason(serverError, said),
    };
  }
  // A sign-out refused as a request (RFC 7009 answers 200 for any token: its 401 is `invalid_client`):
  // the client was refused, nothing was said of the token, so it is not "already dead".
  if (
    operation === 'logout' &&
    status === 401 &&
    serverError !== undefined &&
    REQUEST_PROBLEMS.has(serverError)
  ) {
    return {
      code: 'BAD_RESPONSE',
      message: `${label} was refused as a request (HTTP 401, ${serverError})${quoted}`,
      ...base,
    };
  }
  if ((operation === 'me' || operation === 'logout') && status === 401) {
    return {
      code: 'SESSION_EXPIRED',
      message: `${label} was refused: the token is no longer valid`,
      ...base,
    };
  }
  if (status >= 300 && status < 400) {
    return { code: 'BAD_RESPONSE', message: `${label} got an unexpected redirect (HTTP ${status})`, ...base };
  }
  return {
    code: 'BAD_RESPONSE',
    message: `${label} got an unexpected answer (HTTP ${status}${serverError ? `, ${serverError}` : ''})${quoted}`,
    ...base,
  };
}

/** Content types of a page made for a person to read (a captive portal's sign-in page), never an API's. */
const HTML_TYPE = /^\s*(?:text\/html|application\/xhtml\+xml)\s*(?:;|$)/i;

/** The end of a message for an answer the network gave in the server's place. */
const NETWORK_IN_THE_WAY =
  'the network may need a sign-in (a captive portal) before the server can be reached';

/** A JSON content type (`application/json`, `application/problem+json`, …): an API's answer. */
const JSON_TYPE = /^\s*[a-z]+\/(?:[^;\s]*\+)?json\s*(?:;|$)/i;

/**
 * A refresh answered by something between the app and the server, where the server's JSON was
 * expected: a web page (HTML) with a 2xx, or a 511 (RFC 6585 "Network Authentication Required") — a
 * captive portal or a filter; or a 401 that is a gateway's, not the token endpoint's: a sign-in page
 * (HTML), or, without a JSON body, a challenge for credentials of its own (`WWW-Authenticate: Basic`,
 * `Negotiate`, `NTLM`: a reverse proxy or single sign-on gateway in front of the API), where the
 * refresh request carries none. Nothing there judged the refresh token, so: NETWORK (the token is
 * kept and tried again with backoff, as when offline), never a refused request or an ended session.
 * A 401 in JSON, or in plain text with no such challenge, is the server's and still ends the session;
 * an OAuth `invalid_client` 401 (JSON, with its Basic challenge) is still a refused request. Other 4xx
 * in HTML are read by their status. A sign-out (`logout`) answered so was not seen by the server
 * either: it is NETWORK too (the server was not told; never "the token is already dead"). Null for any
 * other answer, and for every other operation (a sign-in's HTML is a wrong address). Shared with the
 * OpenID Connect client's token endpoint; `server` names the other side in the message.
 */
export function answeredByTheNetwork(
  operation: AuthOperation,
  status: number,
  headers: Pick<Headers, 'get'>,
  server = 'the server',
): ProtocolError | null {
  if (operation !== 'refresh' && operation !== 'logout') return null;
  const contentType = headers.get('content-type') ?? '';
  const page = HTML_TYPE.test(contentType);
  const label = LABEL[operation];
  const after = operation === 'logout' ? 'the server was not told' : 'the session is kept and tried again';
  if (page && ((status >= 200 && status < 300) || status === 511))
    return {
      code: 'NETWORK',
      message: `${label} failed: a web page answered instead of ${server} (HTTP ${status}); ${NETWORK_IN_THE_WAY}`,
      status,
    };
  if (status !== 401) return null;
  const schemes = parseChallenges(headers.get('www-authenticate')).map((challenge) => challenge.scheme);
  const gateway = !JSON_TYPE.test(contentType) && schemes.length > 0 && !schemes.includes('bearer');
  if (!page && !gateway) return null;
  const asked = gateway ? ` (${schemes.join(', ')})` : '';
  return {
    code: 'NETWORK',
    message: `${label} failed: a gateway in front of ${server} asked for a sign-in of its own (HTTP 401${asked}); ${after}`,
    status,
  };
}

/**
 * A refresh that worked before, redirected to another origin: a captive portal's sign-in page, most
 * likely (nothing was sent there). Read as the network in the way, like answeredByTheNetwork, with the
 * redirect's status. Null for any other failure and operation. Shared with the OpenID Connect client.
 */
export function redirectedByTheNetwork(
  operation: AuthOperation,
  error: unknown,
  server = 'the server',
): ProtocolError | null {
  const redirect = findRedirectError(error);
  if (operation !== 'refresh' || redirect?.refusal !== 'crossOrigin') return null;
  return {
    code: 'NETWORK',
    message: `${LABEL[operation]} failed: ${server} ${redirect.message}; ${NETWORK_IN_THE_WAY}`,
    ...(redirect.status === undefined ? {} : { status: redirect.status }),
  };
}

/**
 * Maps anything a ky call threw to an ErrorInfo; the message never includes a body or header value
 * other than the server's own sentence, quoted without `sent` (what the request carried: a server may
 * echo it, and a short opaque token or a password has no shape the redactor could recognize).
 */
export function requestErrorInfo(
  operation: AuthOperation,
  error: unknown,
  nowMs: number,
  refused?: JsonRule | null,
  sent: readonly string[] = [],
  usernameField?: string,
): ProtocolError {
  const label = LABEL[operation];
  if (isHTTPError(error)) {
    const { headers } = error.response;
    const retryAfter = retryAfterOf(error.response.status, headers, nowMs);
    const portal = answeredByTheNetwork(operation, error.response.status, headers);
    if (portal) return portal;
    const name = bodyErrorName(error.data);
    // An error name that holds what was sent is no name.
    const serverError = nameUnlessSent(name, sent);
    const info = httpErrorInfo(operation, error.response.status, serverError, retryAfter, {
      body: error.data,
      refused: refused ?? null,
      sent,
      ...(usernameField === undefined ? {} : { usernameField }),
    });
    if (info.code !== 'SESSION_EXPIRED' || operation !== 'refresh') return info;
    // When the server refused the refresh token, by its own clock (ours may be hours off).
    const serverTime = parseHttpDate(error.response.headers.get('date'));
    return serverTime === undefined ? info : { ...info, serverTime };
  }
  if (isTimeoutError(error)) return { code: 'TIMEOUT', message: `${label} timed out` };
  return redirectedByTheNetwork(operation, error) ?? transportErrorInfo(label, error);
}

/**
 * A failure below HTTP (timeout, certificate, connection) as TIMEOUT, TLS or NETWORK; `server` names
 * the other side in the message. Shared with the OpenID Connect client, whose fetch fails the same way.
 * A redirect that was not followed (redirects.ts) is an answer, not an outage: BAD_RESPONSE, never
 * NETWORK, so it is not mistaken for being offline; the message names the target origin at most. So
 * is an answer cut off at MAX_ANSWER_BYTES (answer-size.ts).
 */
export function transportErrorInfo(label: string, error: unknown, server = 'the server'): ErrorInfo {
  const redirect = findRedirectError(error);
  if (redirect) {
    return {
      code: 'BAD_RESPONSE',
      message: `${label} failed: ${server} ${redirect.message}`,
      ...(redirect.status === undefined ? {} : { status: redirect.status }),
    };
  }
  if (isAbortTimeout(error)) return { code: 'TIMEOUT', message: `${label} timed out` };
  // An answer, just far too big to be the one asked for: not an outage.
  if (isAnswerTooLarge(error))
    return {
      code: 'BAD_RESPONSE',
      message: `${label} failed: ${server} answered with more than ${MAX_ANSWER_BYTES / (1024 * 1024)} MiB`,
    };
  const tls = tlsCode(error);
  if (tls)
    return { code: 'TLS', message: `${label} failed: ${server}'s certificate was not accepted (${tls})` };
  const code = systemCode(error);
  return {
    code: 'NETWORK',
    message: `${label} failed: ${server} could not be reached${code ? ` (${code})` : ''}`,
  };
}
