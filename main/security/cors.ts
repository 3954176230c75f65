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

const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
const ALLOWED_HEADERS = 'Authorization, Content-Type, Accept';
const EXPOSED_HEADERS = 'WWW-Authenticate, Retry-After, Content-Type, Content-Length, Date';

/**
 * Adds CORS response headers for the configured API origin only, so an API that sends none still
 * works from `app://tessera`. Responses from any other origin are left untouched (returns null),
 * so the page cannot use the shell to read other sites. Existing CORS headers are replaced rather
 * than duplicated (a duplicated Allow-Origin makes Chromium reject the response).
 */
export function patchCorsHeaders(response: CorsResponse, apiBaseUrl: string): CorsPatch | null {
  const apiOrigin = httpOrigin(apiBaseUrl);
  if (!apiOrigin || httpOrigin(response.url) !== apiOrigin) return null;
  const headers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(response.responseHeaders)) {
    if (!name.toLowerCase().startsWith('access-control-')) headers[name] = value;
  }
  headers['Access-Control-Allow-Origin'] = [APP_ORIGIN];
  headers['Access-Control-Expose-Headers'] = [EXPOSED_HEADERS];
  const vary = Object.keys(headers).find((h) => h.toLowerCase() === 'vary');
  if (!vary) headers.Vary = ['Origin'];
  const isPreflight = response.method.toUpperCase() === 'OPTIONS';
  if (!isPreflight) return { responseHeaders: headers };
  headers['Access-Control-Allow-Methods'] = [ALLOWED_METHODS];
  headers['Access-Control-Allow-Headers'] = [ALLOWED_HEADERS];
  headers['Access-Control-Max-Age'] = ['600'];
  const ok = response.statusCode >= 200 && response.statusCode < 300;
  return ok
    ? { responseHeaders: headers }
    : { responseHeaders: headers, statusLine: 'HTTP/1.1 204 No Content' };
}
