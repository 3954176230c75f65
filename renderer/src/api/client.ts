import ky, { HTTPError, type KyInstance } from 'ky';
import { type JsonRule, saysAccessTokenExpired, TESSERA_EXPIRED } from '../../../common/auth-contract';
import type { TesseraBridge } from '../../../common/ipc';
import type { AccessTokenGrant, SessionView } from '../../../common/session';

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
  /** Local clock (tests); the grant's `expiresAt` is main's local time on the same machine. */
  now?: () => number;
}

/** Every method: the one retry is for an expired token, whatever the method (the request never acted). */
const ALL_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'trace'];
/** A grant is reused until this long before it expires; then main is asked (it refreshes when due). */
const REUSE_MARGIN_MS = 30_000;

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** The body ky read into `HTTPError.data`, as the contract's rule reads it (a bare JSON string too). */
function bodyOf(data: unknown): unknown {
  if (typeof data !== 'string') return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

/**
 * The last grant main handed out, kept in this page's memory only (never in storage). Reused until
 * shortly before it expires, so a request needs no bridge hop when the token is known good; dropped
 * on every session change that replaces or ends the token (main's one `session:changed` event).
 */
function createGrantMemory(bridge: Pick<TesseraBridge, 'auth'>, now: () => number) {
  let kept: AccessTokenGrant | null = null;
  /** The active account the kept grant belongs to, as the last session event named it. */
  let account: string | null | undefined;
  const forget = (view: SessionView) => {
    // Another account became active: its grant is another one, even if it expires at the same moment.
    const switched = view.accountId !== account;
    account = view.accountId;
    if (kept && (switched || view.state === 'signedOut' || view.expiresAt !== kept.expiresAt)) kept = null;
  };
  let subscribed = false;
  return {
    async current(): Promise<AccessTokenGrant> {
      if (!subscribed) {
        subscribed = true;
        bridge.auth.onSessionChange(forget);
      }
      if (kept && now() < kept.expiresAt - REUSE_MARGIN_MS) return kept;
      kept = await bridge.auth.getAccessToken();
      return kept;
    },
    /** After a 401 for `sent`: the token that replaced it, or a forced refresh naming the rejected grant. */
    async afterRejection(sent: string | undefined): Promise<AccessTokenGrant> {
      kept = null;
      const current = await bridge.auth.getAccessToken();
      kept =
        current.accessToken !== sent
          ? current
          : await bridge.auth.getAccessToken({ forceRefresh: true, rejectedExpiresAt: current.expiresAt });
      return kept;
    },
  };
}

/**
 * Creates the ky instance every view uses. Paths are joined onto the API base URL (`prefix`, so a
 * base URL with a path keeps it). `beforeRequest` sets `Authorization: Bearer` from the grant in
 * memory (asking main only when there is none or it is about to expire). A 401 that says the token
 * expired (RFC 6750 `error="invalid_token"`, or the API contract's `expired` predicate) gets exactly one
 * retry through ky's own retry (`shouldRetry` reads the body ky already parsed into the error, so a
 * successful response is never copied), with the token that replaced the rejected one or a forced
 * refresh (single flight is main's job). Any other 401, or a second expiry, asks main for the session so
 * the UI can follow a sign-out. HTTP errors throw (`HTTPError`); with `throwHttpErrors: false` only a 401
 * that survived the retry does. Nothing else is ever retried.
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const { bridge, getBaseUrl, getTimeoutMs, onSessionChecked } = options;
  const expiredRule = options.getExpiredRule ?? (() => TESSERA_EXPIRED);
  const grants = createGrantMemory(bridge, options.now ?? Date.now);
  /** The grant each retry carries, from the shouldRetry that decided it to the beforeRetry that sets it. */
  const retryGrants = new WeakMap<Error, AccessTokenGrant>();
  const checkSession = async () => onSessionChecked?.(await bridge.auth.getSession());

  return ky.create({
    retry: {
      limit: 1,
      methods: ALL_METHODS,
      statusCodes: [401],
      // A fresh token is ready when shouldRetry answers: retry at once.
      delay: () => 0,
      async shouldRetry({ error }) {
        if (!(error instanceof HTTPError) || error.response.status !== 401) return false;
        const sentHeader = error.request.headers.get('Authorization');
        if (!sentHeader) return false;
        const expired = saysAccessTokenExpired(
          {
            status: 401,
            wwwAuthenticate: error.response.headers.get('www-authenticate'),
            body: bodyOf(error.data),
          },
          expiredRule(),
        );
        if (!expired) {
          await checkSession();
          return false;
        }
        retryGrants.set(error, await grants.afterRejection(sentHeader.slice('Bearer '.length)));
        return true;
      },
    },
    hooks: {
      init: [
        (init) => {
          init.prefix = getBaseUrl();
          // The token retry runs on ky's error path: a call that takes 4xx/5xx as answers
          // (`throwHttpErrors: false`) still gets it; only a 401 that survives it is thrown.
          if (init.throwHttpErrors === false) init.throwHttpErrors = (status: number) => status === 401;
          const timeout = getTimeoutMs?.();
          if (timeout !== undefined) init.timeout = timeout;
        },
      ],
      beforeRequest: [
        async ({ request }) => {
          // The token is for the configured API only, whatever URL a caller managed to build.
          if (originOf(request.url) !== originOf(getBaseUrl())) return;
          const grant = await grants.current();
          request.headers.set('Authorization', `Bearer ${grant.accessToken}`);
        },
      ],
      beforeRetry: [
        ({ request, error }) => {
          const grant = retryGrants.get(error as Error);
          if (grant) request.headers.set('Authorization', `Bearer ${grant.accessToken}`);
        },
      ],
      beforeError: [
        async ({ error, retryCount }) => {
          // The retried request was refused too: the session may have ended; let the UI know.
          if (retryCount > 0 && error instanceof HTTPError && error.response.status === 401)
            await checkSession();
          return error;
        },
      ],
    },
  });
}
