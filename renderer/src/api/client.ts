import ky, { type Input, type KyInstance, type Options, type ResponsePromise } from 'ky';
import {
  type ExpiredRule,
  mayBeExpiry,
  saysAccessTokenExpired,
  TESSERA_EXPIRED,
} from '../../../common/auth-contract';
import { boundedText } from '../../../common/bounded-text';
import { SESSION_CHANGED, TesseraError } from '../../../common/errors';
import type { TesseraBridge } from '../../../common/ipc';
import type { AccessTokenGrant, SessionView } from '../../../common/session';

/** A fetch as ky calls it: with the `Request` ky built, and the options `Request` does not know. */
export type Transport = (input: Input, init?: RequestInit) => Promise<Response>;

/**
 * The app's one HTTP client for the configured API: ky's calls (`api(path, options)`, `api.get(…)`,
 * `.json()`, `HTTPError`, …) with the token logic underneath. `extend(options)` makes another client
 * with more defaults; an `extend({ fetch })` replaces only the transport under the token logic (tests
 * and benchmarks record or stub what crosses the wire that way), never the token logic itself.
 */
export interface ApiClient {
  <T>(url: Input, options?: Options): ResponsePromise<T>;
  get: <T>(url: Input, options?: Options) => ResponsePromise<T>;
  post: <T>(url: Input, options?: Options) => ResponsePromise<T>;
  put: <T>(url: Input, options?: Options) => ResponsePromise<T>;
  patch: <T>(url: Input, options?: Options) => ResponsePromise<T>;
  delete: <T>(url: Input, options?: Options) => ResponsePromise<T>;
  head: (url: Input, options?: Options) => ResponsePromise;
  extend(options: Options): ApiClient;
}

/** What the client needs: the bridge (tokens, session check) and the current settings. */
export interface ApiClientOptions {
  bridge: Pick<TesseraBridge, 'auth'>;
  /** The configured API base URL, read on every request so a settings change applies at once. */
  getBaseUrl: () => string;
  /** Timeout in ms for a whole call, the one token retry included (default: ky's 10 s). */
  getTimeoutMs?: () => number;
  /** Receives the session view fetched after a 401 (or an expired-token 403) that a refresh cannot fix. */
  onSessionChecked?: (session: SessionView) => void;
  /**
   * The API contract's "expired" predicate (`expiredRuleOf(settings.values)`), read on every 401 and
   * 403; default: the reference server's `{"error": "TokenExpiredError"}` (401 only).
   */
  getExpiredRule?: () => ExpiredRule | null;
  /** Local clock (tests); the grant's `expiresAt` is main's local time on the same machine. */
  now?: () => number;
  /** What sends a request once the token is on it (default: the page's `fetch`). */
  fetch?: Transport;
}

/** A grant is reused until this long before it expires; then main is asked (it refreshes when due). */
const REUSE_MARGIN_MS = 30_000;
/** How much of a 401's (or a 403's) body is read to tell an expired token from other refusals (they are short). */
const REJECTION_BODY_LIMIT = 64 * 1024;

/** The body as the contract's rule reads it: parsed JSON (a bare JSON string too), else undefined. */
function parsedBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Whether a request goes to the configured API. `Request.url` is serialised, so it starts with its
 * origin's serialisation and a `/`; the base URL's origin is parsed once per base URL, not per request.
 */
function createOriginCheck(getBaseUrl: () => string): (url: string) => boolean {
  let base: string | null = null;
  let prefix: string | null = null;
  return (url) => {
    const current = getBaseUrl();
    if (current !== base) {
      base = current;
      try {
        prefix = `${new URL(current).origin}/`;
      } catch {
        prefix = null;
      }
    }
    // An opaque origin ("null", e.g. a file: URL) never matches.
    return prefix !== null && prefix !== 'null/' && url.startsWith(prefix);
  };
}

/**
 * The last grant main handed out, kept in this page's memory only (never in storage). Reused until
 * shortly before it expires, so a request needs no bridge hop when the token is known good; dropped
 * on every session change that replaces or ends the token (main's one `session:changed` event).
 *
 * Every grant names its account (`accountId`), and an answer from main is weighed when it arrives, not
 * when it was asked for: it must belong to the account the last session event named (a switch while
 * main was refreshing must not leave the previous account's token here, to be sent to the new one's
 * server), and it is kept only if no session event came in while it was awaited, or the last one is
 * the refresh that produced it (main sends that event before its answer).
 */
function createGrantMemory(bridge: Pick<TesseraBridge, 'auth'>, now: () => number) {
  let kept: AccessTokenGrant | null = null;
  /** The active account as the last session event named it (undefined: no event heard yet). */
  let account: string | null | undefined;
  /** The last event's token expiry (null: signed out or none). */
  let shownExpiresAt: number | null = null;
  /** Bumped by every session event: an answer awaited across one is weighed again. */
  let epoch = 0;
  const forget = (view: SessionView) => {
    epoch += 1;
    // Another account became active: its grant is another one, even if it expires at the same moment.
    // A grant's account is the one main named in it (else the one active when it was kept).
    const owner = kept?.accountId !== undefined ? kept.accountId : account;
    const switched = (view.accountId ?? null) !== (owner ?? null);
    account = view.accountId;
    shownExpiresAt = view.state === 'signedOut' ? null : view.expiresAt;
    if (kept && (switched || view.state === 'signedOut' || view.expiresAt !== kept.expiresAt)) kept = null;
  };
  let subscribed = false;
  const subscribe = () => {
    if (subscribed) return;
    subscribed = true;
    bridge.auth.onSessionChange(forget);
  };
  /** Whether `grant` is the token of the account the page shows now (any, before the first event). */
  const shownAccount = (grant: AccessTokenGrant) =>
    account === undefined || (grant.accountId ?? null) === (account ?? null);
  /** Keeps `grant` if nothing told of a newer state while it was awaited (`since`: the epoch when asked). */
  const keep = (grant: AccessTokenGrant, since: number) => {
    if (epoch === since || shownExpiresAt === grant.expiresAt) kept = grant;
    return kept === grant;
  };
  return {
    /** The kept grant while it is known good, else null (no promise: the common case stays synchronous). */
    known(): AccessTokenGrant | null {
      return kept && now() < kept.expiresAt - REUSE_MARGIN_MS ? kept : null;
    },
    /** Whether `grant` (one this page sent) still belongs to the account the page shows. */
    stillShown: shownAccount,
    /**
     * The grant to send: the kept one, or main's answer (main refreshes when due). An answer for another
     * account than the one shown when it arrives, or than the one shown when asked, fails with "the
     * session changed" (the request was made for the other account's view); an answer for the shown
     * account that a session event overtook is asked for again, once.
     */
    async current(): Promise<AccessTokenGrant> {
      subscribe();
      const asked = account;
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const since = epoch;
        const grant = await bridge.auth.getAccessToken(
          typeof asked === 'string' ? { account: asked } : undefined,
        );
        const sameAccount = shownAccount(grant) && (typeof asked !== 'string' || asked === account);
        if (!sameAccount) break;
        if (keep(grant, since)) return grant;
      }
      throw new TesseraError(SESSION_CHANGED);
    },
    /**
     * After a 401 for `sent`: the token that replaced it, or a forced refresh naming the rejected grant,
     * both asked for `sent`'s account (main refuses once another is active). Null when the answer is not
     * for that account or no longer for the one shown: the request is then not sent again.
     */
    async afterRejection(sent: AccessTokenGrant): Promise<AccessTokenGrant | null> {
      if (kept === sent) kept = null;
      const since = epoch;
      const account = typeof sent.accountId === 'string' ? { account: sent.accountId } : {};
      const ours = (grant: AccessTokenGrant) =>
        (grant.accountId ?? null) === (sent.accountId ?? null) && shownAccount(grant);
      const current = await bridge.auth.getAccessToken(
        typeof sent.accountId === 'string' ? account : undefined,
      );
      if (!ours(current)) return null;
      const next =
        current.accessToken !== sent.accessToken
          ? current
          : await bridge.auth.getAccessToken({
              forceRefresh: true,
              rejectedExpiresAt: current.expiresAt,
              ...account,
            });
      if (!ours(next)) return null;
      keep(next, since);
      return next;
    },
  };
}

/**
 * Creates the client every view uses. Paths are joined onto the API base URL (`prefix`, so a base URL
 * with a path keeps it). The token logic sits under ky, as the fetch ky calls:
 * - it sets `Authorization: Bearer` from the grant in memory (asking main only when there is none or it
 *   is about to expire), for requests to the configured API's origin only;
 * - a 2xx (or any non-401, non-403) passes straight through: nothing is copied, and a request without a
 *   body is not copied either (one with a body is, before sending, so it can be sent again);
 * - a 401 that says the token expired (RFC 6750 `error="invalid_token"`, or the API contract's
 *   `expired` predicate, read from at most 64 KiB of a copy of the body), or a 403 that the predicate
 *   names (its `status` lists 403: Directus's `INVALID_TOKEN` after its SECRET changed) gets exactly
 *   one retry, with the token that replaced the rejected one or a forced refresh naming it (single
 *   flight is main's job);
 * - a 401 or 403 from another origin the API redirected to passes through as it came (fetch drops the
 *   token on such a redirect: the refusal is not about it);
 * - any other 401, or a 401 to the retry, asks main for the session so the UI can follow a sign-out;
 *   a 403 the predicate does not name passes through as it came, and one it names but no retry follows
 *   asks for the session too.
 * ky itself never retries (`retry: 0`): the one token retry is the only one, whatever the method, since
 * a request refused for its token never acted. ky's timeout covers the whole call, retry included.
 * HTTP errors throw (`HTTPError`), unless the caller passes `throwHttpErrors: false`.
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const { bridge, getBaseUrl, getTimeoutMs, onSessionChecked } = options;
  const expiredRule = options.getExpiredRule ?? (() => TESSERA_EXPIRED);
  const grants = createGrantMemory(bridge, options.now ?? Date.now);
  const forApi = createOriginCheck(getBaseUrl);
  const checkSession = async () => onSessionChecked?.(await bridge.auth.getSession());

  const withToken =
    (send: Transport): Transport =>
    async (input, init) => {
      // ky always hands over the Request it built; anything else is made into one.
      const request = input instanceof Request ? input : new Request(input, init);
      if (!forApi(request.url)) return send(request, init);
      const grant = grants.known() ?? (await grants.current());
      // The wait for main crossed a change of API: the request was made for the previous one.
      if (!forApi(request.url)) throw new TesseraError(SESSION_CHANGED);
      const baseUrl = getBaseUrl();
      // A body can be read once: keep a copy for the one retry. A request without one is sent again as it is.
      const spare = request.body === null ? null : request.clone();
      request.headers.set('Authorization', `Bearer ${grant.accessToken}`);
      const response = await send(request, init);
      if (response.status !== 401 && response.status !== 403) return response;
      // From another origin the API redirected to: fetch left the token behind, so this refusal is not
      // about it (nothing to refresh or retry, nothing said about the session).
      if (response.redirected && !forApi(response.url)) return response;
      // A 403 is read only when the contract says it can mean an expired token; else it is a plain refusal.
      const rule = expiredRule();
      if (!mayBeExpiry(response.status, rule)) return response;

      const again = spare ?? request;
      /** The retry goes where and as whom the request went: same account, same API, still the active one. */
      const unchanged = () => getBaseUrl() === baseUrl && forApi(again.url) && grants.stillShown(grant);
      let next: AccessTokenGrant | null = null;
      try {
        const text = await boundedText(response.clone(), REJECTION_BODY_LIMIT);
        const expired = saysAccessTokenExpired(
          {
            status: response.status,
            wwwAuthenticate: response.headers.get('www-authenticate'),
            body: parsedBody(text),
          },
          rule,
        );
        // A 403 that does not say "expired" is a plain refusal: handed back as it came, session unasked.
        if (!expired && response.status === 403) return response;
        // A bridge failure (signed out meanwhile, offline, another account active) means no retry: the
        // caller gets the 401 itself, and the session check tells the UI what became of the session.
        if (expired && unchanged()) next = await grants.afterRejection(grant).catch(() => null);
        if (next !== null && !unchanged()) next = null;
        if (next === null) await checkSession();
      } catch (error) {
        await response.body?.cancel().catch(() => {});
        throw error;
      }
      // Handed back unread: ky makes it the HTTPError (or the answer, with throwHttpErrors: false).
      if (next === null) return response;
      await response.body?.cancel().catch(() => {});
      // The cancel is a wait too: a change of account or API during it means the retry is not sent.
      if (!unchanged()) throw new TesseraError(SESSION_CHANGED);
      again.headers.set('Authorization', `Bearer ${next.accessToken}`);
      const retried = await send(again, init);
      // The retried request was refused too: the session may have ended; let the UI know.
      if (retried.status === 401) await checkSession();
      return retried;
    };

  /**
   * The settings every call reads at the moment it is made: the base URL always, the timeout unless
   * given. Answers are not kept in the browser's HTTP cache (`cache: 'no-store'`), unless the call asks
   * for another cache mode: what the API answers a signed-in person is not left on disk after sign-out.
   */
  const current = (callOptions: Options | undefined): Options => {
    const timeout = getTimeoutMs?.();
    return {
      cache: 'no-store',
      ...(timeout === undefined ? {} : { timeout }),
      ...callOptions,
      prefix: getBaseUrl(),
    };
  };

  const wrap = (instance: KyInstance): ApiClient => {
    const client = (<T>(url: Input, callOptions?: Options) =>
      instance<T>(url, current(callOptions))) as ApiClient;
    client.get = (url, callOptions) => instance.get(url, current(callOptions));
    client.post = (url, callOptions) => instance.post(url, current(callOptions));
    client.put = (url, callOptions) => instance.put(url, current(callOptions));
    client.patch = (url, callOptions) => instance.patch(url, current(callOptions));
    client.delete = (url, callOptions) => instance.delete(url, current(callOptions));
    client.head = (url, callOptions) => instance.head(url, current(callOptions));
    client.extend = ({ fetch, ...more }) =>
      wrap(instance.extend(fetch ? { ...more, fetch: withToken(fetch) } : more));
    return client;
  };

  const send: Transport = options.fetch ?? ((request, init) => globalThis.fetch(request, init));
  return wrap(ky.create({ retry: 0, fetch: withToken(send) }));
}
