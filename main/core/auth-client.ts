import type ky from 'ky';
import type { KyInstance } from 'ky';
import {
  type AuthContract,
  type BodyEncoding,
  type FieldValue,
  profileFromAnswer,
  saysAccessTokenExpired,
} from '../../common/auth-contract';
import type { ErrorInfo, Result } from '../../common/errors';
import { parseHttpDate } from '../../common/http-date';
import type { SessionUser } from '../../common/session';
import type { Settings } from '../../common/settings';
import { limitAnswerSize, readAnswerText } from './answer-size';
import { type AuthOperation, answeredByTheNetwork, requestErrorInfo } from './auth-errors';
import type { ProtocolResult } from './auth-protocol';
import { parseContractTokenBody, parseJsonBody, parseUserBody, type TokenGrant } from './auth-responses';
import { effectiveContract } from './config/auth-contract-schema';
import { isHTTPError, loadKy } from './ky-loader';
import { type Logger, silentLogger } from './logger';
import { followSameOriginRedirects } from './redirects';
import { readClaims } from './token-claims';

export type { TokenGrant } from './auth-responses';

/**
 * The settings the auth client reads: base URL, endpoint paths, the per-request timeout and the API
 * contract (apiProfile + authContract; without them, the `tessera` contract at the paths above).
 */
export type AuthEndpoints = Pick<
  Settings,
  'apiBaseUrl' | 'loginPath' | 'refreshPath' | 'logoutPath' | 'mePath' | 'requestTimeoutMs'
> &
  Partial<Pick<Settings, 'apiProfile' | 'authContract'>>;

/** A `fetch` compatible function: Electron's `net.fetch` in the app, Node's `fetch` in tests. */
export type FetchLike = (input: Request, init?: RequestInit) => Promise<Response>;

export interface AuthClientDeps {
  fetch: FetchLike;
  endpoints: AuthEndpoints;
  logger?: Logger;
  /** Used to turn an HTTP-date Retry-After into seconds. */
  now?: () => number;
}

/** The four auth endpoints. Every expected failure is a value; nothing here throws. */
export interface AuthClient {
  /** The contract spoken, or the INVALID_CONFIG failure that every call answers with. */
  readonly contract: Result<AuthContract>;
  /** The grant carries a refresh token whenever the contract names one (sign-in requires it then). */
  login(username: string, password: string): Promise<Result<TokenGrant>>;
  /** A refusal carries the server's clock reading (`serverTime`) when its answer had a `Date` header. */
  refresh(refreshToken: string): Promise<ProtocolResult<TokenGrant>>;
  /**
   * Revokes the refresh token (null: the session has none); the access token (when given and the
   * contract sends one) goes as Bearer so the server can deny-list it.
   */
  logout(refreshToken: string | null, accessToken?: string): Promise<Result<void>>;
  me(accessToken: string): Promise<Result<SessionUser>>;
}

/** Default timeout when settings carry none. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

/**
 * Builds the ky instance: no retries (the session does its own backoff); redirects are followed only
 * within the API's own origin, by followSameOriginRedirects (never by the fetch underneath).
 */
function createHttp(kyModule: typeof ky, deps: AuthClientDeps, timeout: number): KyInstance {
  return kyModule.create({
    // `prefix` (not baseUrl): '/login' must stay under a base path like https://host/v1/.
    prefix: deps.endpoints.apiBaseUrl,
    // keepMethod: a 301/302/303 that would resend a sign-in or refresh as a bodiless GET is refused,
    // naming where it points (Django's APPEND_SLASH), instead of failing later as a puzzling 405.
    // No answer is read past MAX_ANSWER_BYTES (a huge or gzip-bombed body would fill main's memory).
    fetch: limitAnswerSize(
      followSameOriginRedirects(deps.fetch, undefined, { keepMethod: true }),
    ) as typeof fetch,
    // Until the answer's head arrives; `send` holds the whole exchange, body included, to it as well.
    timeout,
    retry: 0,
    // A redirect followed by the fetch itself would resend the refresh token or password to wherever
    // it points; the wrapper above sees each one and follows it only within the same origin.
    redirect: 'manual',
    headers: { accept: 'application/json' },
  });
}

/** An endpoint of the contract: a path under the API base URL, or an absolute URL on another host. */
function target(path: string): string | URL {
  return path.startsWith('/') ? path : new URL(path);
}

/** The request body: the static extra fields first, then the fields that carry credentials. */
function bodyOf(
  encoding: BodyEncoding,
  fields: Record<string, FieldValue>,
): { json: Record<string, FieldValue> } | { body: URLSearchParams } {
  if (encoding === 'json') return { json: fields };
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) form.append(name, String(value));
  return { body: form };
}

/** One request as the client sends it. */
interface Send {
  method: 'get' | 'post';
  fields?: { encoding: BodyEncoding; values: Record<string, FieldValue> };
  bearer?: string;
  /** The password or token among the fields: hidden where a failure quotes the server (requestErrorInfo). */
  secret?: string;
  /** The contract's static headers (auth requests only). */
  headers?: Record<string, string>;
}

/** Creates the auth endpoints client for one set of endpoint settings (recreate it when they change). */
export function createAuthClient(deps: AuthClientDeps): AuthClient {
  const timeout =
    deps.endpoints.requestTimeoutMs > 0 ? deps.endpoints.requestTimeoutMs : DEFAULT_REQUEST_TIMEOUT_MS;
  // Built on the first request, once ky is loaded (main/core/ky-loader.ts).
  let http: KyInstance | undefined;
  const httpClient = async (): Promise<KyInstance> => {
    http ??= createHttp((await loadKy()).default, deps, timeout);
    return http;
  };
  const logger = deps.logger ?? silentLogger;
  const now = deps.now ?? Date.now;
  const { mePath } = deps.endpoints;
  const contract = effectiveContract(deps.endpoints);

  /** Runs one request and returns its body text, or the mapped failure (and what was thrown). */
  async function send(
    operation: AuthOperation,
    path: string,
    init: Send,
  ): Promise<
    | { ok: true; value: string; status: number; serverDate?: number }
    | { ok: false; error: ErrorInfo; thrown: unknown }
  > {
    const started = now();
    // ky's timeout ends when the answer's head arrives; this deadline, counted from the start, ends
    // the body's read too, so an answer that stalls half way fails as TIMEOUT instead of holding the
    // call (a refresh: the session's one refresh in flight, which every token request joins) for ever.
    const deadline = new AbortController();
    const timer = setTimeout(
      () => deadline.abort(new DOMException('The operation timed out.', 'TimeoutError')),
      timeout,
    );
    try {
      const headers: Record<string, string> = { ...init.headers };
      if (init.bearer) headers.authorization = `Bearer ${init.bearer}`;
      const body = init.fields ? bodyOf(init.fields.encoding, init.fields.values) : {};
      const response = await (await httpClient())(target(path), { method: init.method, ...body, headers });
      const text = await readAnswerText(response, deadline.signal);
      const portal = answeredByTheNetwork(operation, response.status, response.headers);
      if (portal) {
        logger.info('auth request failed', { operation, code: portal.code, status: portal.status });
        return { ok: false, error: portal, thrown: undefined };
      }
      logger.debug('auth request succeeded', { operation, ms: now() - started });
      // The server's clock, for a lifetime told by exp alone (see TokenReading.serverDate).
      const serverDate = parseHttpDate(response.headers.get('date'));
      return {
        ok: true,
        value: text,
        status: response.status,
        ...(serverDate === undefined ? {} : { serverDate }),
      };
    } catch (error) {
      const refused = operation === 'refresh' && contract.ok ? contract.value.refresh?.refused : null;
      const sent = [init.secret, init.bearer].filter((value) => value !== undefined);
      const usernameField =
        operation === 'login' && contract.ok ? contract.value.login.usernameField : undefined;
      const info = requestErrorInfo(operation, error, now(), refused, sent, usernameField);
      logger.info('auth request failed', {
        operation,
        code: info.code,
        status: info.status,
        ms: now() - started,
      });
      return { ok: false, error: info, thrown: error };
    } finally {
      clearTimeout(timer);
    }
  }

  async function tokens(
    operation: 'login' | 'refresh',
    path: string,
    init: Send,
    using: AuthContract,
    sentRefreshToken?: string,
  ): Promise<Result<TokenGrant>> {
    const text = await send(operation, path, init);
    if (!text.ok) return { ok: false, error: text.error };
    const receivedAt = now();
    // An answer that cannot be used carries its (2xx) status: the server answered, and will answer
    // the same way again (see isRejectedRequest), which an outage does not tell.
    const answered = (error: ErrorInfo): { ok: false; error: ErrorInfo } => ({
      ok: false,
      error: error.status === undefined ? { ...error, status: text.status } : error,
    });
    const body = parseJsonBody(operation, text.value);
    if (!body.ok) return answered(body.error);
    const grant = parseContractTokenBody(operation, body.value, {
      tokens: using.tokens,
      requireRefreshToken: operation === 'login',
      receivedAt,
      ...(text.serverDate === undefined ? {} : { serverDate: text.serverDate }),
      ...(sentRefreshToken === undefined ? {} : { sentRefreshToken }),
    });
    if (grant.ok) return grant;
    logger.warn('auth response rejected', { operation, reason: grant.error.message });
    return answered(grant.error);
  }

  /** True when a failed call was refused because the access token sent with it has expired. */
  function expiredBearer(thrown: unknown, using: AuthContract): boolean {
    if (!isHTTPError(thrown)) return false;
    const { response } = thrown;
    return saysAccessTokenExpired(
      {
        status: response.status,
        wwwAuthenticate: response.headers.get('www-authenticate'),
        body: thrown.data,
      },
      using.expired,
    );
  }

  return {
    contract,

    async login(username, password) {
      if (!contract.ok) return contract;
      const { login, headers } = contract.value;
      const values = {
        ...login.extraFields,
        [login.usernameField]: username,
        [login.passwordField]: password,
      };
      return tokens(
        'login',
        login.path,
        {
          method: 'post',
          fields: { encoding: login.encoding, values },
          secret: password,
          headers,
        },
        contract.value,
      );
    },

    async refresh(refreshToken) {
      if (!contract.ok) return contract;
      const { refresh, headers } = contract.value;
      if (refresh === null)
        return {
          ok: false,
          error: { code: 'SESSION_EXPIRED', message: 'This server offers no refresh: the session has ended' },
        };
      const values =
        refresh.send === 'body'
          ? { ...refresh.extraFields, [refresh.tokenField]: refreshToken }
          : refresh.extraFields;
      return tokens(
        'refresh',
        refresh.path,
        {
          method: 'post',
          ...(Object.keys(values).length > 0 ? { fields: { encoding: refresh.encoding, values } } : {}),
          ...(refresh.send === 'bearer' ? { bearer: refreshToken } : {}),
          secret: refreshToken,
          headers,
        },
        contract.value,
        refreshToken,
      );
    },

    async logout(refreshToken, accessToken) {
      if (!contract.ok) return contract;
      const { logout, headers } = contract.value;
      if (logout === null) return { ok: true, value: undefined };
      const values: Record<string, FieldValue> = { ...logout.extraFields };
      if (logout.tokenField !== null && refreshToken !== null) values[logout.tokenField] = refreshToken;
      const bearer = logout.sendBearer ? accessToken : undefined;
      const request = (withBearer: string | undefined): Send => ({
        method: 'post',
        ...(Object.keys(values).length > 0 ? { fields: { encoding: logout.encoding, values } } : {}),
        ...(withBearer ? { bearer: withBearer } : {}),
        ...(refreshToken === null ? {} : { secret: refreshToken }),
        headers,
      });
      let result = await send('logout', logout.path, request(bearer));
      // The Bearer only helps the server deny-list it; if it expired on the way, revoke without it.
      if (!result.ok && bearer && refreshToken !== null && expiredBearer(result.thrown, contract.value))
        result = await send('logout', logout.path, request(undefined));
      return result.ok ? { ok: true, value: undefined } : { ok: false, error: result.error };
    },

    async me(accessToken) {
      // The contract's profile mapping, when it has one; else mePath and the reference server's shape.
      const mapping = contract.ok ? contract.value.profile : null;
      const text = await send('me', mapping ? mapping.path : mePath, { method: 'get', bearer: accessToken });
      if (!text.ok) return { ok: false, error: text.error };
      const body = parseJsonBody('me', text.value);
      if (!body.ok) return body;
      if (!mapping) return parseUserBody(body.value);
      const mapped = profileFromAnswer(body.value, mapping, readClaims(accessToken).sub);
      if (mapped.ok) return { ok: true, value: mapped.user };
      return {
        ok: false,
        error: {
          code: 'BAD_RESPONSE',
          message: `The server's profile response had nothing at "${mapped.missing}" (authContract profile.username)`,
        },
      };
    },
  };
}
