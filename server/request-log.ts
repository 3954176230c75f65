import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env';
import type { RecordedRequest } from './types';

/**
 * Logs one line per request (method, path, status, duration) and records it for the test controls.
 * Only the path is logged: never the query string, headers or body, which may carry secrets.
 */
export function requestLog(
  log: (line: string) => void,
  record: (entry: RecordedRequest) => void,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.get('connectionReset') ? 0 : c.res.status;
    const entry = { method: c.req.method, path: c.req.path, status };
    record(entry);
    const ms = Math.round(performance.now() - started);
    log(`${entry.method} ${entry.path} ${status === 0 ? 'reset' : status} ${ms}ms`);
  };
}
