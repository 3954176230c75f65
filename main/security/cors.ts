import { APP_ORIGIN, httpOrigin } from './app-origin';

export interface CorsResponse {
  method: string;
  url: string;
  statusCode: number;
  responseHeaders: Record<string, string[]>;
}

export interface CorsPatch {
  responseHeaders: Record<string, string[]>;
  /** Replacement status line for a preflight the API itself does not answer with 2xx. */
  statusLine?: string;
}

const ALLOWED_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const ALLOWED_HEADERS = ['Authorization', 'Content-Type', 'Accept'];
const EXPOSED_HEADERS = ['WWW-Authenticate', 'Retry-After', 'Content-Type', 'Content-Length', 'Date'];
const PREFLIGHT_MAX_AGE = '600';

/** The headers this decides; whatever the API sent under these names (any case) is merged, not kept twice. */
const DECIDED = new Set([
  'access-control-allow-origin',
  'access-control-expose-headers',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-max-age',
  'vary',
]);

/** Every comma-separated item the response sent under `name`, in any letter case and any number of lines. */
function listSent(headers: Record<string, string[]>, name: string): string[] {
  return Object.entries(headers)
    .filter(([key]) => key.toLowerCase() === name)
    .flatMap(([, values]) => values.flatMap((value) => value.split(',')))
    .map((item) => item.trim())
    .filter(Boolean);
}

/** `sent` then `ours`, each item once (compared without letter case), as one header value. */
function union(sent: string[], ours: string[]): string {
  const seen = new Set<string>();
  const items: string[] = [];
  for (const item of [...sent, ...ours]) {
    if (seen.has(item.toLowerCase())) continue;
    seen.add(item.toLowerCase());
    items.push(item);
  }
  return items.join(', ');
}

/**
 * Adds CORS response headers for the configured API origin only, so an API that sends none still
 * works from the app's page (`appOrigin`, default `app://tessera`). Responses from any other origin are
 * left untouched (returns null), so the page cannot use the shell to read other sites.
 *
 * What the API sent is merged, not replaced: its exposed headers (ETag, Link, X-Request-Id …), allowed
 * methods and headers and `Vary` are kept alongside the ones the app needs, and its preflight max-age
 * wins. Only Allow-Origin is replaced — by the app's origin, once (a duplicated or foreign Allow-Origin
 * makes Chromium reject the response). Every other header passes through as sent.
 */
export function patchCorsHeaders(
  response: CorsResponse,
  apiBaseUrl: string,
  appOrigin: string = APP_ORIGIN,
): CorsPatch | null {
  const apiOrigin = httpOrigin(apiBaseUrl);
  if (!apiOrigin || httpOrigin(response.url) !== apiOrigin) return null;
  const sent = response.responseHeaders;
  const headers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(sent)) {
    if (!DECIDED.has(name.toLowerCase())) headers[name] = value;
  }
  headers['Access-Control-Allow-Origin'] = [appOrigin];
  headers['Access-Control-Expose-Headers'] = [
    union(listSent(sent, 'access-control-expose-headers'), EXPOSED_HEADERS),
  ];
  // Answers differ by Origin; `Vary: *` already says everything varies.
  const vary = listSent(sent, 'vary');
  headers.Vary = [vary.includes('*') ? '*' : union(vary, ['Origin'])];
  const isPreflight = response.method.toUpperCase() === 'OPTIONS';
  if (!isPreflight) return { responseHeaders: headers };
  headers['Access-Control-Allow-Methods'] = [
    union(listSent(sent, 'access-control-allow-methods'), ALLOWED_METHODS),
  ];
  headers['Access-Control-Allow-Headers'] = [
    union(listSent(sent, 'access-control-allow-headers'), ALLOWED_HEADERS),
  ];
  headers['Access-Control-Max-Age'] = [listSent(sent, 'access-control-max-age')[0] ?? PREFLIGHT_MAX_AGE];
  const ok = response.statusCode >= 200 && response.statusCode < 300;
  return ok
    ? { responseHeaders: headers }
    : { responseHeaders: headers, statusLine: 'HTTP/1.1 204 No Content' };
}
