import { EventEmitter } from 'node:events';

/**
 * Why `candidate` is not something the updater may fetch, or null when it may: https, no credentials,
 * the configured update server (host and port), inside the configured update folder. `feedUrl` is the
 * https URL update-policy.ts parsed (with its trailing slash).
 */
export function checkFeedUrl(candidate: string | URL, feedUrl: string): string | null {
  const feed = new URL(feedUrl);
  const folder = feed.pathname.endsWith('/') ? feed.pathname : `${feed.pathname}/`;
  const url = URL.parse(String(candidate));
  if (url === null) return 'is not an absolute URL';
  if (url.protocol !== 'https:') return `uses ${url.protocol.replace(/:$/, '')}, not https`;
  if (url.username !== '' || url.password !== '') return 'contains credentials';
  if (url.host !== feed.host) return `is on ${url.host}, not on the configured update server ${feed.host}`;
  if (!url.pathname.startsWith(folder)) return `is outside the configured update folder ${folder}`;
  // An encoded slash or backslash is no part of a file name: a server that decodes it before it
  // resolves `..` (`/tessera/..%2Fother/x`) would serve a file outside the folder.
  if (/%2f|%5c|\\/i.test(url.pathname)) return 'has an encoded slash or backslash in its path';
  return null;
}

/** What this reads of the update metadata (`latest.yml` …) electron-updater parsed. */
export interface UpdateFilesLike {
  files?: ReadonlyArray<{ url: string }> | null;
  /** Deprecated single-file form. */
  path?: string | null;
  /** Web installer packages (NSIS web): never used, still checked. */
  packages?: Readonly<Record<string, { path?: string } | undefined>> | null;
}

/**
 * Problems with the file URLs the metadata lists, resolved against the feed as electron-updater does
 * (`new URL(url, feed)`): each must pass checkFeedUrl. Empty means every file stays in the feed folder.
 */
export function checkUpdateFiles(info: UpdateFilesLike, feedUrl: string): string[] {
  const listed = [
    ...(info.files ?? []).map((file) => file.url),
    ...(info.path ? [info.path] : []),
    ...Object.values(info.packages ?? {}).flatMap((entry) => (entry?.path ? [entry.path] : [])),
  ];
  if (listed.length === 0) return ['the update metadata lists no files'];
  return listed.flatMap((raw) => {
    const resolved = URL.parse(raw, feedUrl);
    const problem = resolved === null ? 'is not a URL' : checkFeedUrl(resolved, feedUrl);
    return problem === null ? [] : [`${raw} ${problem}`];
  });
}

/** The request options electron-updater's HTTP client builds (builder-util-runtime `configureRequestUrl`). */
export interface UpdaterRequestOptions {
  protocol?: string | null;
  hostname?: string | null;
  host?: string | null;
  port?: number | string | null;
  path?: string | null;
  headers?: Record<string, unknown> | null;
  /** Electron `net.request`'s redirect policy. */
  redirect?: string;
}

/** The part of electron-updater's HTTP client (builder-util-runtime `HttpExecutor`) this guards. */
export interface GuardableExecutor {
  createRequest(options: UpdaterRequestOptions, callback: (response: unknown) => void): unknown;
}

/** The request URL the options describe, or null if they name no host. */
export function requestUrl(options: UpdaterRequestOptions): string | null {
  const hostname = options.hostname ?? options.host;
  if (!hostname) return null;
  const port =
    options.port === undefined || options.port === null || options.port === '' ? '' : `:${options.port}`;
  return `${options.protocol ?? 'https:'}//${hostname}${port}${options.path ?? '/'}`;
}

/**
 * Stands in for a request that must not be made: electron-updater attaches its handlers and calls
 * `end()`, and gets the refusal as the request's error.
 */
class RefusedRequest extends EventEmitter {
  private failed = false;
  constructor(private readonly reason: Error) {
    super();
  }
  end(): void {
    process.nextTick(() => {
      if (this.failed) return;
      this.failed = true;
      if (this.listenerCount('error') > 0) this.emit('error', this.reason);
    });
  }
  write(): boolean {
    return true;
  }
  setHeader(): void {}
  abort(): void {}
  followRedirect(): void {}
}

/** What `guardUpdateRequests` needs of a live request (Electron's ClientRequest) to refuse a redirect. */
interface RedirectingRequest {
  on(event: 'redirect', listener: (statusCode: number, method: string, redirectUrl: string) => void): unknown;
  abort(): void;
  listenerCount(event: string): number;
  emit(event: 'error', error: Error): boolean;
}

function isRedirectingRequest(value: unknown): value is RedirectingRequest {
  const request = value as Partial<RedirectingRequest> | null;
  return (
    typeof request?.on === 'function' &&
    typeof request.abort === 'function' &&
    typeof request.listenerCount === 'function' &&
    typeof request.emit === 'function'
  );
}

function isGuardable(value: unknown): value is GuardableExecutor {
  return typeof (value as Partial<GuardableExecutor> | null)?.createRequest === 'function';
}

/**
 * Makes every request of electron-updater's HTTP client (`autoUpdater.httpExecutor`, the metadata, the
 * downloads, blockmaps and range requests) stay on the feed: a request whose URL fails checkFeedUrl is
 * never sent and fails instead, and so does every redirect that leaves the feed folder:
 * - electron-updater follows a redirect by making a new request through `createRequest` (checked here);
 * - Electron's net follows redirects by itself for requests without a redirect policy (the differential
 *   downloader's): those get `redirect: 'manual'`, so a redirect waits for `followRedirect()`, and this
 *   guard's own `redirect` listener, the first one, aborts a refused one before anyone can follow it.
 * Returns false (and changes nothing) when `executor` is not the client this expects.
 */
export function guardUpdateRequests(
  executor: unknown,
  feedUrl: string,
  onRefused: (url: string, problem: string) => void,
): boolean {
  if (!isGuardable(executor)) return false;
  const createRequest = executor.createRequest.bind(executor);
  executor.createRequest = (options, callback) => {
    const url = requestUrl(options);
    const hostHeader = Object.keys(options.headers ?? {}).some((name) => name.toLowerCase() === 'host');
    const problem =
      url === null ? 'names no host' : hostHeader ? 'sets a Host header' : checkFeedUrl(url, feedUrl);
    if (problem !== null) {
      onRefused(url ?? '(none)', problem);
      return new RefusedRequest(new Error(`update request refused: ${url ?? 'a request'} ${problem}`));
    }
    if (options.redirect === undefined) options.redirect = 'manual';
    const request = createRequest(options, callback);
    if (isRedirectingRequest(request)) {
      request.on('redirect', (_statusCode, _method, redirectUrl) => {
        const target = URL.parse(redirectUrl, url ?? undefined)?.href ?? redirectUrl;
        const refusal = checkFeedUrl(target, feedUrl);
        if (refusal === null) return;
        onRefused(target, `redirect ${refusal}`);
        request.abort();
        const error = new Error(`update request refused: redirect to ${target} ${refusal}`);
        if (request.listenerCount('error') > 0) request.emit('error', error);
      });
    }
    return request;
  };
  return true;
}
