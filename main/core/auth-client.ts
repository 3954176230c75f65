import ky, { type KyInstance } from 'ky';
import type { Result } from '../../common/errors';
import type { SessionUser } from '../../common/session';
import type { Settings } from '../../common/settings';
import { type AuthOperation, requestErrorInfo } from './auth-errors';
import { parseJsonBody, parseTokenBody, parseUserBody, type TokenGrant } from './auth-responses';
import { type Logger, silentLogger } from './logger';
import { followSameOriginRedirects } from './redirects';

export type { TokenGrant } from './auth-responses';

/** The settings the auth client reads: base URL, endpoint paths and the per-request timeout. */
export type AuthEndpoints = Pick<
  Settings,
  'apiBaseUrl' | 'loginPath' | 'refreshPath' | 'logoutPath' | 'mePath' | 'requestTimeoutMs'
>;

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
  login(username: string, password: string): Promise<Result<TokenGrant & { refreshToken: string }>>;
  refresh(refreshToken: string): Promise<Result<TokenGrant>>;
  /** Revokes the refresh token; the access token (when given) is sent as Bearer so it is deny-listed. */
  logout(refreshToken: string, accessToken?: string): Promise<Result<void>>;
  me(accessToken: string): Promise<Result<SessionUser>>;
}

/** Default timeout when settings carry none. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

/**
 * Builds the ky instance: no retries (the session does its own backoff); redirects are followed only
 * within the API's own origin, by followSameOriginRedirects (never by the fetch underneath).
 */
function createHttp(deps: AuthClientDeps): KyInstance {
  const timeout =
    deps.endpoints.requestTimeoutMs > 0 ? deps.endpoints.requestTimeoutMs : DEFAULT_REQUEST_TIMEOUT_MS;
  return ky.create({
    // `prefix` (not baseUrl): '/login' must stay under a base path like https://host/v1/.
    prefix: deps.endpoints.apiBaseUrl,
    fetch: followSameOriginRedirects(deps.fetch) as typeof fetch,
    timeout,
    retry: 0,
    // A redirect followed by the fetch itself would resend the refresh token or password to wherever
    // it points; the wrapper above sees each one and follows it only within the same origin.
    redirect: 'manual',
    headers: { accept: 'application/json' },
  });
}

/** Creates the auth endpoints client for one set of endpoint settings (recreate it when they change). */
export function createAuthClient(deps: AuthClientDeps): AuthClient {
  const http = createHttp(deps);
  const logger = deps.logger ?? silentLogger;
  const now = deps.now ?? Date.now;
  const { loginPath, refreshPath, logoutPath, mePath } = deps.endpoints;

  /** Runs one request and returns its body text, or the mapped failure. */
  async function send(
    operation: AuthOperation,
    path: string,
    init: { method: 'get' | 'post'; json?: unknown; bearer?: string },
  ): Promise<Result<string>> {
    const started = now();
    try {
      const headers: Record<string, string> = init.bearer ? { authorization: `Bearer ${init.bearer}` } : {};
      const body = await http(path, { method: init.method, json: init.json, headers }).text();
      logger.debug('auth request succeeded', { operation, ms: now() - started });
      return { ok: true, value: body };
    } catch (error) {
      const info = requestErrorInfo(operation, error, now());
      logger.info('auth request failed', {
        operation,
        code: info.code,
        status: info.status,
        ms: now() - started,
      });
      return { ok: false, error: info };
    }
  }

  async function tokens(
    operation: 'login' | 'refresh',
    path: string,
    json: unknown,
  ): Promise<Result<TokenGrant>> {
    const text = await send(operation, path, { method: 'post', json });
    if (!text.ok) return text;
    const body = parseJsonBody(operation, text.value);
    if (!body.ok) return body;
    const grant = parseTokenBody(operation, body.value, operation === 'login');
    if (!grant.ok) logger.warn('auth response rejected', { operation, reason: grant.error.message });
    return grant;
  }

  return {
    async login(username, password) {
      // parseTokenBody required the refresh token for 'login', so the narrower type holds.
      const grant = await tokens('login', loginPath, { username, password });
      return grant as Result<TokenGrant & { refreshToken: string }>;
    },

    refresh(refreshToken) {
      return tokens('refresh', refreshPath, { refreshToken });
    },

    async logout(refreshToken, accessToken) {
      const result = await send('logout', logoutPath, {
        method: 'post',
        json: { refreshToken },
        ...(accessToken ? { bearer: accessToken } : {}),
      });
      return result.ok ? { ok: true, value: undefined } : result;
    },

    async me(accessToken) {
      const text = await send('me', mePath, { method: 'get', bearer: accessToken });
      if (!text.ok) return text;
      const body = parseJsonBody('me', text.value);
      return body.ok ? parseUserBody(body.value) : body;
    },
  };
}
