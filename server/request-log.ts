import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env';
import type { RecordedRequest } from './types';

// C0 and C1 controls, DEL, and the Unicode line/paragraph separators: anything that could break or
// forge a log line, or steer a terminal.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Escapes control characters as `\xNN` / `\uNNNN` (and `\` itself), so one request is one log line. */
export function escapeControl(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(CONTROL, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
  });
}

/**
 * The path as the client sent it (percent-encoding kept, query and fragment cut off), instead of
 * Hono's decoded `c.req.path`, in which `%0a` would already be a newline.
 */
export function rawPath(url: string): string {
  const authority = url.indexOf('//');
  const start = url.indexOf('/', authority === -1 ? 0 : authority + 2);
  if (start === -1) return '/';
  const end = url.slice(start).search(/[?#]/);
  return end === -1 ? url.slice(start) : url.slice(start, start + end);
}

/**
 * Longest path kept in a log line or the request record; a longer one is cut and ends in `…`. Node
 * accepts a request line of up to 16 KiB: kept whole, 20,000 recorded requests with such paths would
 * pin about 300 MiB.
 */
export const MAX_RECORDED_PATH = 512;

/** `path` cut to MAX_RECORDED_PATH characters (the last one `…` when cut). */
export function cutPath(path: string): string {
  return path.length <= MAX_RECORDED_PATH ? path : `${path.slice(0, MAX_RECORDED_PATH - 1)}…`;
}

/** Sockets whose request node's HTTP layer answered itself (client-error.ts) while the app had it. */
const httpLayerAnswers = new WeakMap<object, number>();

/** Records that node's HTTP layer answered the request on `socket` with `status` (a 408 mid-body). */
export function answeredByHttpLayer(socket: object, status: number): void {
  httpLayerAnswers.set(socket, status);
}

/**
 * Logs one line per request (method, raw path with control characters escaped, status, duration)
 * and records it for the test controls. Only the path is logged: never the query string, headers or
 * body, which may carry secrets.
 */
export function requestLog(
  log: (line: string) => void,
  record: (entry: RecordedRequest) => void,
  usernameOf: (sub: string) => string | undefined = () => undefined,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    // The client got what node's HTTP layer answered, if it answered (a body too slow to arrive: 408).
    const socket = c.env?.incoming?.socket;
    const httpLayerStatus = socket ? httpLayerAnswers.get(socket) : undefined;
    const status = c.get('connectionReset') ? 0 : (httpLayerStatus ?? c.res.status);
    // Set only when the bearer middleware accepted an access token for this request.
    const claims = c.get('claims') as { sub: string } | undefined;
    const user = claims ? usernameOf(claims.sub) : undefined;
    const entry: RecordedRequest = { method: c.req.method, path: cutPath(c.req.path), status };
    if (user !== undefined) entry.user = user;
    record(entry);
    const ms = Math.round(performance.now() - started);
    const shown = `${escapeControl(entry.method)} ${escapeControl(cutPath(rawPath(c.req.url)))}`;
    log(`${shown} ${status === 0 ? 'reset' : status} ${ms}ms`);
  };
}
