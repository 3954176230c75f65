import ky, { type KyInstance } from 'ky';
import { type JsonRule, saysAccessTokenExpired, TESSERA_EXPIRED } from '../../../common/auth-contract';
import type { TesseraBridge } from '../../../common/ipc';
import type { SessionView } from '../../../common/session';

/** The app's one HTTP client for the configured API. */
export type ApiClient = KyInstance;

/** What the client needs: the bridge (tokens, session check) and the current settings. */
export interface ApiClientOptions {
  bridge: Pick<TesseraBridge, 'auth'>;
  /** The configured API base URL, read on every request so a settings change applies at once. */
  getBaseUrl: () => string;
  /** Per-attempt timeout in ms (default: ky's 10 s). */
  getTimeoutMs?: () => number;
  /** Receives the session view fetched after a 401 that a refresh cannot fix. */
  onSessionChecked?: (session: SessionView) => void;
  /**
   * The API contract's "expired" predicate (`expiredRuleOf(settings.values)`), read on every 401;
   * default: the reference server's `{"error": "TokenExpiredError"}`.
   */
  getExpiredRule?: () => JsonRule | null;
}

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** True when a 401 says the access token expired, by the rule main uses too (common/auth-contract.ts). */
async function saysTokenExpired(response: Response, rule: JsonRule | null): Promise<boolean> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined; // not JSON: only the WWW-Authenticate header can tell
  }
  return saysAccessTokenExpired(
    { status: response.status, wwwAuthenticate: response.headers.get('www-authenticate'), body },
    rule,
  );
}

/**
 * Creates the ky instance every view uses. Paths are joined onto the API base URL (`prefix`, so a
 * base URL with a path keeps it). `beforeRequest` asks main for the access token and sets
 * `Authorization: Bearer`; the token lives only in that request's headers. `afterResponse` turns a
 * 401 that says the token expired (RFC 6750 `error="invalid_token"`, or the API contract's `expired`
 * predicate, e.g. the reference server's TokenExpiredError) into one retry, with a forced refresh (single-flight is main's job) unless the
 * rejected token has already been replaced;
 * any other 401 (or a second expiry) asks main for the session so the UI can follow a sign-out.
 * Errors propagate: HTTP errors throw unless a call passes `throwHttpErrors: false` (the console).
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const { bridge, getBaseUrl, getTimeoutMs, onSessionChecked } = options;
  const expiredRule = options.getExpiredRule ?? (() => TESSERA_EXPIRED);
  return ky.create({
    // No automatic retries, for any method: a retried POST could act twice, and the console should
    // show the one exchange that happened. The limit of 1 is the token retry below, so `retryCount`
    // counts token retries only.
    retry: { limit: 1, methods: [] },
    hooks: {
      init: [
        (init) => {
          init.prefix = getBaseUrl();
          const timeout = getTimeoutMs?.();
          if (timeout !== undefined) init.timeout = timeout;
        },
      ],
      beforeRequest: [
        async ({ request }) => {
          // The token is for the configured API only, whatever URL a caller managed to build.
          if (originOf(request.url) !== originOf(getBaseUrl())) return;
          const grant = await bridge.auth.getAccessToken();
          request.headers.set('Authorization', `Bearer ${grant.accessToken}`);
        },
      ],
      afterResponse: [
        async ({ request, response, retryCount }) => {
          if (response.status !== 401 || !request.headers.has('Authorization')) return;
          if (retryCount === 0 && (await saysTokenExpired(response, expiredRule()))) {
            // A 401 for a token that another request has already replaced needs no new refresh:
            // retry with the current token. Only when main still holds the rejected one, force.
            const sent = request.headers.get('Authorization')?.slice('Bearer '.length);
            const current = await bridge.auth.getAccessToken();
            const grant =
              current.accessToken !== sent
                ? current
                : await bridge.auth.getAccessToken({
                    forceRefresh: true,
                    rejectedExpiresAt: current.expiresAt,
                  });
            const headers = new Headers(request.headers);
            headers.set('Authorization', `Bearer ${grant.accessToken}`);
            return ky.retry({ request: new Request(request, { headers }), code: 'TOKEN_EXPIRED', delay: 0 });
          }
          const session = await bridge.auth.getSession();
          onSessionChecked?.(session);
        },
      ],
    },
  });
}
