import type { FetchLike } from './auth-client';

/** How many redirects within the request's own origin are followed before giving up. */
export const MAX_REDIRECTS = 3;

const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Why a redirect was not followed. */
export type RedirectRefusal =
  /** It pointed at another origin: the request (a password, a refresh token) must not go there. */
  | 'crossOrigin'
  /** More than MAX_REDIRECTS in a row. */
  | 'tooMany'
  /** The fetch refused it without saying where it pointed (Electron's net.fetch in `manual` mode). */
  | 'unseen'
  /**
   * Within the origin, but a 301/302/303 would resend the POST as a GET without its body: never what an
   * auth endpoint means (Django's APPEND_SLASH 301). Refused only when the caller asks (`keepMethod`).
   */
  | 'methodChange';

/**
 * A redirect the client did not follow. `target` is the origin it pointed at — never its path or
 * query, which may carry a code or a token — or null when the network stack did not say.
 */
export class RedirectError extends Error {
  override readonly name = 'RedirectError';
  readonly refusal: RedirectRefusal;
  readonly status: number | undefined;
  readonly target: string | null;

  constructor(
    refusal: RedirectRefusal,
    status: number | undefined,
    target: string | null,
    cause?: unknown,
    /** `methodChange` only: the path it pointed to on the same origin (no query), to fix the setting by. */
    path?: string,
  ) {
    super(refusalText(refusal, target, status, path), cause === undefined ? undefined : { cause });
    this.refusal = refusal;
    this.status = status;
    this.target = target;
  }
}

function refusalText(
  refusal: RedirectRefusal,
  target: string | null,
  status: number | undefined,
  path: string | undefined,
): string {
  if (refusal === 'methodChange')
    return `redirected to ${path ?? 'another path'} (HTTP ${status}), which would resend the request as a GET without its body; set the endpoint's path to where it points`;
  if (refusal === 'crossOrigin')
    return `redirected to another origin (${target ?? 'unknown'}), which Tessera does not follow`;
  if (refusal === 'tooMany') return `redirected more than ${MAX_REDIRECTS} times`;
  return 'answered with a redirect, and the network stack did not say where to';
}

/** The RedirectError in an error's cause chain (wrappers such as openid-client's keep it as a cause). */
export function findRedirectError(error: unknown): RedirectError | undefined {
  let current: unknown = error;
  for (let i = 0; i < 6 && typeof current === 'object' && current !== null; i++) {
    if (current instanceof RedirectError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * True for what Electron's net.fetch rejects with when a request in `redirect: 'manual'` mode meets a
 * redirect: its ClientRequest dies with "Redirect was cancelled" (the `redirect` event has no listener
 * to follow it), or the URL loader reports net::ERR_ABORTED. Our own aborts (timeouts) are told
 * apart by the request's signal.
 */
function isUnseenRedirect(error: unknown): boolean {
  const message = (error as { message?: unknown } | null)?.message;
  return (
    typeof message === 'string' &&
    (message === 'Redirect was cancelled' || message.includes('net::ERR_ABORTED'))
  );
}

/** A redirect target's path for a message: no query or fragment, bounded. */
function shownPath(url: URL): string {
  return url.pathname.length > 120 ? `${url.pathname.slice(0, 120)}…` : url.pathname;
}

/** scheme://host[:port] of any URL (URL.origin is "null" for non-http schemes). */
function originOf(url: URL): string {
  return url.origin !== 'null' ? url.origin : `${url.protocol}//${url.host}`;
}

/**
 * Wraps a fetch so that redirects are handled here, with `redirect: 'manual'` semantics underneath:
 * one within the request's own origin is followed (at most MAX_REDIRECTS in a row, by fetch's rules:
 * 303, and 301/302 after a POST, continue as a GET without a body; 307/308 repeat the request);
 * one to any other origin is refused with a RedirectError naming that origin, so a password or
 * refresh token never follows it. Works with Node's fetch (which returns the 3xx) and with a fetch
 * that rejects instead (Electron's net.fetch): then the target is unknown and the RedirectError says so.
 * A 3xx without a Location header is returned as it is (an unexpected answer, for the caller to map).
 */
export function followSameOriginRedirects(
  fetch: FetchLike,
  maxRedirects = MAX_REDIRECTS,
  options: {
    /**
     * Refuse (`methodChange`, naming the path) a redirect that would turn a POST into a GET instead of
     * following it: the auth client's endpoints all take a POST body that must not be dropped.
     */
    keepMethod?: boolean;
  } = {},
): FetchLike {
  return async (input, init) => {
    const first = new URL(input.url);
    const origin = originOf(first);
    const signal = input.signal;
    const headers = new Headers(input.headers);
    let body: ArrayBuffer | null = input.body === null ? null : await input.arrayBuffer();
    let method = input.method;
    let url = first;
    for (let hop = 0; ; hop++) {
      const request = new Request(url, {
        method,
        headers,
        body,
        redirect: 'manual',
        signal,
        credentials: input.credentials,
      });
      let response: Response;
      try {
        response = await fetch(request, init);
      } catch (error) {
        if (!signal.aborted && isUnseenRedirect(error))
          throw new RedirectError('unseen', undefined, null, error);
        throw error;
      }
      // A browser-like fetch hides the redirect behind an opaque response (status 0).
      if (response.type === 'opaqueredirect') throw new RedirectError('unseen', undefined, null);
      const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get('location') : null;
      if (location === null) return response;
      await response.body?.cancel().catch(() => {});
      const target = URL.parse(location, url.href);
      if (target === null || originOf(target) !== origin)
        throw new RedirectError('crossOrigin', response.status, target === null ? null : originOf(target));
      if (hop >= maxRedirects) throw new RedirectError('tooMany', response.status, origin);
      const asGet =
        (response.status === 303 && method !== 'HEAD') ||
        ((response.status === 301 || response.status === 302) && method === 'POST');
      if (asGet && options.keepMethod && method !== 'GET')
        throw new RedirectError('methodChange', response.status, origin, undefined, shownPath(target));
      if (asGet) {
        method = 'GET';
        body = null;
        for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language'])
          headers.delete(name);
      }
      url = target;
    }
  };
}
