import type * as oauth from 'oauth4webapi';
import {
  AuthorizationResponseError,
  ClientError,
  ResponseBodyError,
  WWWAuthenticateChallengeError,
} from 'openid-client';
import { saysAccessTokenExpired } from '../../../common/auth-contract';
import type { ErrorInfo } from '../../../common/errors';
import {
  answeredByTheNetwork,
  isAnswerTooLarge,
  nameUnlessSent,
  quotableWords,
  redirectedByTheNetwork,
  refusalReason,
  retryAfterOf,
  serverErrorName,
  transportErrorInfo,
} from '../auth-errors';
import type { ProtocolError } from '../auth-protocol';

/** Which OpenID Connect step failed; decides what an error means. */
export type OidcOperation = 'discovery' | 'sign-in' | 'refresh' | 'revoke' | 'userinfo';

const LABEL: Record<OidcOperation, string> = {
  discovery: 'Provider discovery',
  'sign-in': 'Sign-in',
  refresh: 'Session refresh',
  revoke: 'Sign-out',
  userinfo: 'Profile request',
};

const PROVIDER = 'the identity provider';

/** OAuth error codes that mean the client registration or the settings are wrong, not the person. */
const MISCONFIGURED = new Set([
  'invalid_client',
  'unauthorized_client',
  'invalid_scope',
  'unsupported_grant_type',
  'unsupported_response_type',
  'invalid_request',
  'invalid_request_uri',
  'invalid_target',
  'invalid_redirect_uri',
]);

/** Authorization errors that mean the person (or the provider's policy for them) said no. */
const DENIED = new Set([
  'access_denied',
  'consent_required',
  'login_required',
  'interaction_required',
  'account_selection_required',
]);

/**
 * The oauth4webapi codes openid-client puts on its `ClientError`. oauth4webapi is openid-client's own
 * dependency, not the app's, so it is imported for its types only: each string below is checked by
 * the compiler against the constant the library declares.
 */
const OAUTH: Pick<
  typeof oauth,
  | 'HTTP_REQUEST_FORBIDDEN'
  | 'REQUEST_PROTOCOL_FORBIDDEN'
  | 'RESPONSE_IS_NOT_CONFORM'
  | 'JSON_ATTRIBUTE_COMPARISON'
  | 'JWT_CLAIM_COMPARISON'
  | 'JWT_TIMESTAMP_CHECK'
  | 'JWT_USERINFO_EXPECTED'
  | 'INVALID_RESPONSE'
  | 'PARSE_ERROR'
  | 'KEY_SELECTION'
  | 'MISSING_SERVER_METADATA'
  | 'UNSUPPORTED_OPERATION'
> = {
  HTTP_REQUEST_FORBIDDEN: 'OAUTH_HTTP_REQUEST_FORBIDDEN',
  REQUEST_PROTOCOL_FORBIDDEN: 'OAUTH_REQUEST_PROTOCOL_FORBIDDEN',
  RESPONSE_IS_NOT_CONFORM: 'OAUTH_RESPONSE_IS_NOT_CONFORM',
  JSON_ATTRIBUTE_COMPARISON: 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED',
  JWT_CLAIM_COMPARISON: 'OAUTH_JWT_CLAIM_COMPARISON_FAILED',
  JWT_TIMESTAMP_CHECK: 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED',
  JWT_USERINFO_EXPECTED: 'OAUTH_JWT_USERINFO_EXPECTED',
  INVALID_RESPONSE: 'OAUTH_INVALID_RESPONSE',
  PARSE_ERROR: 'OAUTH_PARSE_ERROR',
  KEY_SELECTION: 'OAUTH_KEY_SELECTION_FAILED',
  MISSING_SERVER_METADATA: 'OAUTH_MISSING_SERVER_METADATA',
  UNSUPPORTED_OPERATION: 'OAUTH_UNSUPPORTED_OPERATION',
};

/** openid-client's own codes for a DOMException from fetch (it exports no constants for them). */
const TIMEOUT = 'OAUTH_TIMEOUT';
const ABORT = 'OAUTH_ABORT';

/** Codes of answers that failed validation: state, iss, nonce, ID token claims and times, JWKS keys. */
const VALIDATION_FAILED: ReadonlySet<string> = new Set([
  OAUTH.JSON_ATTRIBUTE_COMPARISON,
  OAUTH.JWT_CLAIM_COMPARISON,
  OAUTH.JWT_TIMESTAMP_CHECK,
  OAUTH.JWT_USERINFO_EXPECTED,
  OAUTH.INVALID_RESPONSE,
  OAUTH.PARSE_ERROR,
  OAUTH.KEY_SELECTION,
]);

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * A provider's own words, shortened and scrubbed before they reach a message or a log: the values the
 * request sent hidden, then anything token-shaped (auth-errors' one rule, `quotableWords`).
 */
function providerWords(value: unknown, sent: readonly string[]): string {
  const words = text(value);
  return words ? `: ${quotableWords(words, sent).slice(0, 200)}` : '';
}

/** How a provider's error name and description are quoted: `invalid_grant: …`, both scrubbed. */
function providerSaid(name: string, description: unknown, sent: readonly string[]): string {
  return `${quotableWords(name, sent)}${providerWords(description, sent)}`;
}

// The rule for reading an OAuth refusal's description lives with the password flow's, which shares it.
export { refusalReason };

/**
 * A provider endpoint (from the discovery document) that breaks the settings' one http(s) URL rule,
 * refused before any request or browser tab goes to it (oidc-discovery's endpointProblem).
 */
export class ProviderEndpointError extends Error {
  override readonly name = 'ProviderEndpointError';
}

/** The HTTP status of the response a `ClientError` kept as its cause (unexpected status, not JSON). */
function causeStatus(error: ClientError): number | undefined {
  const status = (error.cause as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The provider's own trouble (a 5xx: askedToWait; or an OAuth `server_error`,
 * `temporarily_unavailable`): SERVER keeps the refresh token and retries on the server backoff.
 * `said`: the provider's scrubbed words, if any.
 */
function providerTrouble(operation: OidcOperation, status: number, said?: string): ProtocolError {
  return {
    code: 'SERVER',
    message: `${LABEL[operation]} failed: ${PROVIDER} had a problem (${said ?? `HTTP ${status}`})`,
    status,
  };
}

/** An OAuth error body from an endpoint: `{error, error_description}` with a 4xx status (askedToWait reads 429s). */
function bodyError(
  operation: OidcOperation,
  error: ResponseBodyError,
  sent: readonly string[],
): ProtocolError {
  const label = LABEL[operation];
  const name = text(error.error) ?? 'unknown_error';
  const { status } = error;
  const serverError = nameUnlessSent(serverErrorName(error), sent);
  const base = { status, ...(serverError ? { serverError } : {}) };
  const description = text(error.error_description);
  const said = providerSaid(name, description, sent);
  if (name === 'server_error' || name === 'temporarily_unavailable')
    return { ...providerTrouble(operation, status, said), ...base };
  if (operation === 'refresh' && name === 'invalid_grant') {
    return {
      code: 'SESSION_EXPIRED',
      message: `The session has ended: ${PROVIDER} refused the refresh token (${said})`,
      endReason: refusalReason(description),
      ...base,
    };
  }
  if (MISCONFIGURED.has(name))
    return { code: 'OIDC_MISCONFIGURED', message: `${label} was refused by ${PROVIDER} (${said})`, ...base };
  if (operation === 'sign-in' && name === 'invalid_grant')
    return {
      code: 'BAD_RESPONSE',
      message: `${PROVIDER} refused the authorization code (${said}); try again`,
      ...base,
    };
  if (operation === 'userinfo' && status === 401)
    return {
      code: 'SESSION_EXPIRED',
      message: `${label} was refused: the token is not valid there`,
      ...base,
    };
  return {
    code: 'BAD_RESPONSE',
    message: `${label} got an unexpected answer from ${PROVIDER} (${said})`,
    ...base,
  };
}

/** An error the provider sent back through the browser redirect (`?error=access_denied`). */
function authorizationError(error: AuthorizationResponseError, sent: readonly string[]): ErrorInfo {
  const name = text(error.error) ?? 'unknown_error';
  const said = providerSaid(name, error.error_description, sent);
  const safeName = nameUnlessSent(serverErrorName(error), sent);
  const serverError = safeName ? { serverError: safeName } : {};
  if (DENIED.has(name))
    return {
      code: 'ACCESS_DENIED',
      message: `${PROVIDER} did not allow the sign-in (${said})`,
      ...serverError,
    };
  if (name === 'server_error' || name === 'temporarily_unavailable')
    return { code: 'SERVER', message: `Sign-in failed: ${PROVIDER} had a problem (${said})`, ...serverError };
  return {
    code: 'OIDC_MISCONFIGURED',
    message: `${PROVIDER} refused the sign-in request (${said})`,
    ...serverError,
  };
}

/** An error openid-client raised with a code: a validation failure, a bad answer, or a bad configuration. */
function clientError(
  operation: OidcOperation,
  code: string,
  error: ClientError,
  sent: readonly string[],
): ErrorInfo {
  const label = LABEL[operation];
  const detail = `${code}${providerWords(error.message, sent)}`;
  if (code === TIMEOUT) return { code: 'TIMEOUT', message: `${label} timed out` };
  if (code === ABORT) return { code: 'CANCELLED', message: `${label} was cancelled` };
  if (code === OAUTH.HTTP_REQUEST_FORBIDDEN || code === OAUTH.REQUEST_PROTOCOL_FORBIDDEN)
    return {
      code: 'OIDC_MISCONFIGURED',
      message: `${label}: the provider must be reached over https (${detail})`,
    };
  const status = causeStatus(error);
  if (operation === 'discovery') {
    // Anything but a working discovery document at the issuer is a wrong issuer URL (or no OIDC there).
    const what =
      code === OAUTH.JSON_ATTRIBUTE_COMPARISON
        ? 'the discovery document names a different issuer: check the issuer URL, character for character'
        : status !== undefined
          ? `no OpenID configuration at the issuer URL (HTTP ${status})`
          : `the discovery document is not usable (${detail})`;
    return { code: 'OIDC_MISCONFIGURED', message: `${label} failed: ${what}`, ...(status ? { status } : {}) };
  }
  if (code === OAUTH.MISSING_SERVER_METADATA || code === OAUTH.UNSUPPORTED_OPERATION)
    return {
      code: 'OIDC_MISCONFIGURED',
      message: `${label}: the provider lacks a needed feature (${detail})`,
    };
  if (VALIDATION_FAILED.has(code))
    return { code: 'BAD_RESPONSE', message: `${label}: the provider's answer failed validation (${detail})` };
  return {
    code: 'BAD_RESPONSE',
    message: `${label} got an unexpected answer from ${PROVIDER} (${detail})`,
    ...(status ? { status } : {}),
  };
}

/** The HTTP answer an openid-client error kept: a ClientError's cause (unexpected status or type), or its own. */
function answerOf(error: unknown): Pick<Response, 'status' | 'headers'> | undefined {
  if (error instanceof ResponseBodyError || error instanceof WWWAuthenticateChallengeError)
    return error.response;
  const cause = error instanceof ClientError ? (error.cause as Partial<Response> | undefined) : undefined;
  return typeof cause?.status === 'number' && typeof cause.headers?.get === 'function'
    ? { status: cause.status, headers: cause.headers }
    : undefined;
}

/**
 * An answer that asks to wait, whatever else came with it (an OAuth error body, a `WWW-Authenticate`
 * challenge, a page, JSON without an OAuth error), at any operation: a 429 is RATE_LIMITED, never a
 * refused request; a 5xx is the provider's trouble (providerTrouble), as the password path's
 * httpErrorInfo reads both. Either carries the wait its `Retry-After` names (retryAfterOf, the password
 * path's rule), which the session's backoff takes as the least delay. Null for any other error.
 */
function askedToWait(
  operation: OidcOperation,
  error: unknown,
  nowMs: number,
  sent: readonly string[],
): ProtocolError | null {
  const answer = answerOf(error);
  if (answer === undefined || (answer.status !== 429 && answer.status < 500)) return null;
  const { status, headers } = answer;
  const body = error instanceof ResponseBodyError ? error : undefined;
  const serverError = nameUnlessSent(serverErrorName(body), sent);
  const wait = retryAfterOf(status, headers, nowMs);
  const base = {
    status,
    ...(serverError ? { serverError } : {}),
    ...(wait === undefined ? {} : { retryAfterSeconds: wait }),
  };
  if (status === 429)
    return { code: 'RATE_LIMITED', message: `${LABEL[operation]} was rate limited by ${PROVIDER}`, ...base };
  const said = body && providerSaid(text(body.error) ?? 'unknown_error', body.error_description, sent);
  return { ...providerTrouble(operation, status, said), ...base };
}

/**
 * A refresh answered by a captive portal or a sign-in gateway instead of the provider (a redirect to
 * another origin, an HTML 2xx, a 511): NETWORK, by the password path's rules (auth-errors), so the
 * refresh token is kept and tried again on the offline backoff. Null for anything else. Also read for
 * the discovery a refresh needs (oidc-discovery), which the same portal answers first.
 */
export function networkInTheWay(operation: OidcOperation, error: unknown): ProtocolError | null {
  if (operation !== 'refresh') return null;
  const answer = answerOf(error);
  const page = answer && answeredByTheNetwork('refresh', answer.status, answer.headers, PROVIDER);
  return page ?? redirectedByTheNetwork('refresh', error, PROVIDER);
}

/**
 * An error answer with a `WWW-Authenticate` challenge, which openid-client raises for any challenge it
 * parses (a 429 or a 5xx, challenge or not, is read by askedToWait first). What the challenge
 * means is the app's own reading (common/www-authenticate, through saysAccessTokenExpired): at
 * userinfo, only a Bearer challenge's own `error="invalid_token"` on a 401 says the access token is not
 * valid there; a DPoP or Basic challenge's parameters do not count.
 */
function challengeError(operation: OidcOperation, error: WWWAuthenticateChallengeError): ErrorInfo {
  const label = LABEL[operation];
  const { status } = error;
  const wwwAuthenticate = error.response.headers.get('www-authenticate');
  if (operation === 'userinfo' && saysAccessTokenExpired({ status, wwwAuthenticate, body: undefined }, null))
    return { code: 'SESSION_EXPIRED', message: `${label} was refused: the token is not valid there`, status };
  return { code: 'BAD_RESPONSE', message: `${label} was refused by ${PROVIDER} (HTTP ${status})`, status };
}

/**
 * openid-client stops at any `WWW-Authenticate` challenge on an error answer before it reads the body,
 * so a token endpoint's OAuth error (`invalid_grant`: the refresh token is dead; `invalid_client`)
 * would be lost to a challenge that says nothing about it (a Basic challenge for client authentication,
 * a gateway's own). This reads that body as openid-client does without a challenge: a 4xx
 * `application/json` answer naming an `error` becomes its ResponseBodyError; anything else stays as it
 * was. For the token and revocation endpoints only (at userinfo the challenge is the answer).
 */
export async function withErrorBody(error: unknown): Promise<unknown> {
  if (!(error instanceof WWWAuthenticateChallengeError)) return error;
  const { response } = error;
  const type = response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (response.status < 400 || response.status > 499 || response.bodyUsed || type !== 'application/json')
    return error;
  try {
    const body: unknown = await response.clone().json();
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
      const said = body as oauth.OAuth2Error;
      if (typeof said.error === 'string' && said.error.length > 0)
        return new ResponseBodyError('server responded with an error in the response body', {
          cause: said,
          response,
        });
    }
  } catch {
    // Not JSON after all: the challenge is all there is to read.
  }
  return error;
}

/** oauth4webapi's argument errors: a TypeError with `code` ERR_INVALID_ARG_VALUE or _TYPE. */
function invalidArgumentCode(error: unknown): string | undefined {
  if (!(error instanceof TypeError)) return undefined;
  const code = text((error as { code?: unknown }).code);
  return code?.startsWith('ERR_INVALID_ARG') ? code : undefined;
}

/**
 * Maps anything openid-client threw to the contract's codes, by the library's error classes and
 * codes: transport failures as NETWORK / TIMEOUT / TLS (the session keeps going offline), and so a
 * refresh a captive portal answered (networkInTheWay); a 429 or a 5xx as RATE_LIMITED or SERVER with
 * its Retry-After, whatever came with it (askedToWait); refusals by OAuth error name (after
 * withErrorBody, when a challenge came with them), validation failures (state, nonce, ID token) as
 * BAD_RESPONSE. The message never contains a token or a response body, nor any of `sent` (the refresh
 * token, authorization code, PKCE verifier or access token the request carried), which a provider may
 * quote back in its `error_description`. `nowMs` is the injected clock's now, for an HTTP-date Retry-After.
 */
export function oidcErrorInfo(
  operation: OidcOperation,
  error: unknown,
  nowMs: number,
  sent: readonly string[] = [],
): ProtocolError {
  const label = LABEL[operation];
  const inTheWay = networkInTheWay(operation, error);
  if (inTheWay) return inTheWay;
  const waitFor = askedToWait(operation, error, nowMs, sent);
  if (waitFor) return waitFor;
  if (error instanceof ResponseBodyError) return bodyError(operation, error, sent);
  if (error instanceof AuthorizationResponseError) return authorizationError(error, sent);
  // openid-client wraps what its fetch hook threw (an Error, not a TypeError) in a ClientError.
  const refused = error instanceof ClientError ? error.cause : error;
  if (refused instanceof ProviderEndpointError)
    return { code: 'OIDC_MISCONFIGURED', message: `${label}: ${quotableWords(refused.message, sent)}` };
  if (error instanceof WWWAuthenticateChallengeError) return challengeError(operation, error);
  // An answer cut off at MAX_ANSWER_BYTES reaches openid-client as a body it could not parse.
  if (isAnswerTooLarge(error)) return transportErrorInfo(label, error, PROVIDER);
  // A ClientError without a code wraps what the fetch threw (Electron's net::ERR_*): a transport failure.
  if (error instanceof ClientError && error.code !== undefined)
    return clientError(operation, error.code, error, sent);
  // openid-client throws argument TypeErrors for settings it cannot use.
  const invalidArgument = invalidArgumentCode(error);
  if (invalidArgument !== undefined)
    return {
      code: 'OIDC_MISCONFIGURED',
      message: `${label}: ${quotableWords(text((error as Error).message) ?? invalidArgument, sent)}`,
    };
  return transportErrorInfo(label, error, PROVIDER);
}
