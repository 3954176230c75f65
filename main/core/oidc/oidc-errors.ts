import type { ErrorInfo } from '../../../common/errors';
import type { SignOutReason } from '../../../common/session';
import { parseRetryAfter, serverErrorName, transportErrorInfo } from '../auth-errors';
import type { ProtocolError } from '../auth-protocol';
import { redactText } from '../redact';

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

/** openid-client / oauth4webapi codes of answers that failed validation (state, nonce, ID token …). */
const VALIDATION_PREFIX = /^OAUTH_(JSON_ATTRIBUTE|JWT_|JWS_|INVALID_RESPONSE|PARSE_ERROR|KEY_SELECTION)/;

interface OAuthLike {
  code?: unknown;
  error?: unknown;
  error_description?: unknown;
  status?: unknown;
  message?: unknown;
  cause?: unknown;
  response?: unknown;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** A provider's own words, shortened and scrubbed of anything token-shaped before it reaches a log. */
function providerWords(value: unknown): string {
  const words = text(value);
  return words ? `: ${redactText(words).slice(0, 200)}` : '';
}

/**
 * Why a refresh token was refused, from the provider's description (OAuth has only `invalid_grant`).
 * Keycloak says "Maximum allowed refresh token reuse exceeded" / "Token is not active", Entra ID
 * "AADSTS700082: The refresh token has expired…"; anything unrecognised is simply "no longer accepted".
 */
export function refusalReason(description: string | undefined): SignOutReason {
  if (!description) return 'refreshTokenInvalid';
  if (/reuse|replay|already (?:been )?(?:used|redeemed)/i.test(description)) return 'refreshTokenReused';
  if (/expired|not active|inactive|idle/i.test(description)) return 'refreshTokenExpired';
  return 'refreshTokenInvalid';
}

/** The HTTP status behind an openid-client error (its own field, or the Response it kept as cause). */
function statusOf(error: OAuthLike): number | undefined {
  if (typeof error.status === 'number') return error.status;
  const cause = error.cause as { status?: unknown } | undefined;
  return typeof cause?.status === 'number' ? cause.status : undefined;
}

/** An OAuth error body from an endpoint (`ResponseBodyError`): `{error, error_description}` + status. */
function bodyError(operation: OidcOperation, error: OAuthLike): ProtocolError {
  const label = LABEL[operation];
  const name = text(error.error) ?? 'unknown_error';
  const status = statusOf(error);
  const serverError = serverErrorName(error);
  const base = { ...(status === undefined ? {} : { status }), ...(serverError ? { serverError } : {}) };
  const description = text(error.error_description);
  const said = `${name}${providerWords(description)}`;
  if (status === 429) {
    const headers = (error.response as Response | undefined)?.headers;
    const wait = parseRetryAfter(headers?.get('retry-after'), Date.now());
    return {
      code: 'RATE_LIMITED',
      message: `${label} was rate limited by ${PROVIDER}`,
      ...base,
      ...(wait === undefined ? {} : { retryAfterSeconds: wait }),
    };
  }
  if (
    (status !== undefined && status >= 500) ||
    name === 'server_error' ||
    name === 'temporarily_unavailable'
  )
    return { code: 'SERVER', message: `${label} failed: ${PROVIDER} had a problem (${said})`, ...base };
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
function authorizationError(error: OAuthLike): ErrorInfo {
  const name = text(error.error) ?? 'unknown_error';
  const said = `${name}${providerWords(error.error_description)}`;
  const safeName = serverErrorName(error);
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

/** A library error with an `OAUTH_*` code: a validation failure, a bad answer, or a bad configuration. */
function clientError(operation: OidcOperation, code: string, error: OAuthLike): ErrorInfo {
  const label = LABEL[operation];
  const detail = `${code}${providerWords(error.message)}`;
  if (code === 'OAUTH_TIMEOUT') return { code: 'TIMEOUT', message: `${label} timed out` };
  if (code === 'OAUTH_ABORT') return { code: 'CANCELLED', message: `${label} was cancelled` };
  if (code === 'OAUTH_HTTP_REQUEST_FORBIDDEN' || code === 'OAUTH_REQUEST_PROTOCOL_FORBIDDEN')
    return {
      code: 'OIDC_MISCONFIGURED',
      message: `${label}: the provider must be reached over https (${detail})`,
    };
  const status = statusOf(error);
  if (code === 'OAUTH_RESPONSE_IS_NOT_CONFORM' && status !== undefined && status >= 500)
    return { code: 'SERVER', message: `${label} failed: ${PROVIDER} had a problem (HTTP ${status})`, status };
  if (operation === 'discovery') {
    // Anything but a working discovery document at the issuer is a wrong issuer URL (or no OIDC there).
    const what =
      code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED'
        ? 'the discovery document names a different issuer: check the issuer URL, character for character'
        : status !== undefined
          ? `no OpenID configuration at the issuer URL (HTTP ${status})`
          : `the discovery document is not usable (${detail})`;
    return { code: 'OIDC_MISCONFIGURED', message: `${label} failed: ${what}`, ...(status ? { status } : {}) };
  }
  if (code === 'OAUTH_MISSING_SERVER_METADATA' || code === 'OAUTH_UNSUPPORTED_OPERATION')
    return {
      code: 'OIDC_MISCONFIGURED',
      message: `${label}: the provider lacks a needed feature (${detail})`,
    };
  if (VALIDATION_PREFIX.test(code))
    return { code: 'BAD_RESPONSE', message: `${label}: the provider's answer failed validation (${detail})` };
  return {
    code: 'BAD_RESPONSE',
    message: `${label} got an unexpected answer from ${PROVIDER} (${detail})`,
    ...(status ? { status } : {}),
  };
}

/**
 * Maps anything openid-client threw to the contract's codes: transport failures as NETWORK / TIMEOUT /
 * TLS (the session keeps going offline), refusals by OAuth error name, validation failures (state,
 * nonce, ID token) as BAD_RESPONSE. The message never contains a token or a response body.
 */
export function oidcErrorInfo(operation: OidcOperation, error: unknown): ProtocolError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as OAuthLike;
  const code = text(e.code);
  if (code === 'OAUTH_RESPONSE_BODY_ERROR') return bodyError(operation, e);
  if (code === 'OAUTH_AUTHORIZATION_RESPONSE_ERROR') return authorizationError(e);
  if (code === 'OAUTH_WWW_AUTHENTICATE_CHALLENGE') {
    return operation === 'userinfo'
      ? { code: 'SESSION_EXPIRED', message: `${LABEL[operation]} was refused: the token is not valid there` }
      : { code: 'BAD_RESPONSE', message: `${LABEL[operation]} was refused by ${PROVIDER}` };
  }
  if (code?.startsWith('OAUTH_')) return clientError(operation, code, e);
  // openid-client throws argument TypeErrors (ERR_INVALID_ARG_*) for settings it cannot use.
  if (code?.startsWith('ERR_INVALID_ARG'))
    return {
      code: 'OIDC_MISCONFIGURED',
      message: `${LABEL[operation]}: ${redactText(text(e.message) ?? code)}`,
    };
  return transportErrorInfo(LABEL[operation], error, PROVIDER);
}
