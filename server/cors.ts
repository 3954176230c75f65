import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from './app-env';

/**
 * CORS for an allow-list of origins. Hono's cors() would still add Allow-Methods/Expose-Headers
 * for foreign origins, so it only runs for listed ones: other origins get no CORS headers at all.
 */
export function corsAllowList(origins: readonly string[]): MiddlewareHandler<AppEnv> {
  const allowed = new Set(origins);
  const handler = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Authorization', 'Content-Type'],
    exposeHeaders: ['WWW-Authenticate', 'Retry-After'],
    maxAge: 600,
  });
  return async (c, next) => {
    if (allowed.has(c.req.header('Origin') ?? '')) return handler(c, next);
    await next();
    // Answers differ by Origin, so caches must key on it even when no CORS header was added. On the
    // answer's own headers: `c.header()` after the handler rebuilds the whole response (with a stream
    // for its body) on every request.
    c.res.headers.append('Vary', 'Origin');
  };
}
