import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { AppDeps } from './app-deps';
import type { AppEnv } from './app-env';
import { corsAllowList } from './cors';
import { errorResponse } from './errors';
import { hostCheck } from './host-check';
import { requestLog } from './request-log';
import { registerApiRoutes } from './routes-api';
import { registerAuthRoutes } from './routes-auth';

/** Largest accepted request body, 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Sent on every answer over TLS: one year, subdomains included. */
export const HSTS_VALUE = 'max-age=31536000; includeSubDomains';

/**
 * A known path asked with a method it does not serve answers 405 with `Allow` (and a plain OPTIONS
 * that is not a CORS preflight answers 204 with `Allow`), instead of the 404 of an unknown path.
 */
function registerMethodFallbacks(app: Hono<AppEnv>): void {
  const methodsByPath = new Map<string, Set<string>>();
  for (const route of app.routes) {
    if (route.method === 'ALL') continue;
    const methods = methodsByPath.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    if (route.method === 'GET') methods.add('HEAD');
    methods.add('OPTIONS');
    methodsByPath.set(route.path, methods);
  }
  for (const [path, methods] of methodsByPath) {
    const allow = [...methods].join(', ');
    app.all(path, (c) => {
      c.header('Allow', allow);
      if (c.req.method === 'OPTIONS') return c.body(null, 204);
      return errorResponse(c, 405, 'MethodNotAllowedError', `${c.req.method} is not allowed on ${path}`);
    });
  }
}

/** Builds the Hono app: logging, CORS, fault injection, body limit, routes and JSON error mapping. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  // The request log names the user of a bearer-authenticated request (which account QA's app used).
  app.use(requestLog(deps.log, deps.controls.record, (sub) => deps.users.findById(sub)?.username));
  if (deps.hsts) {
    app.use(async (c, next) => {
      await next();
      // On the answer's own headers, as in cors.ts: `c.header()` here would rebuild the response.
      c.res.headers.set('Strict-Transport-Security', HSTS_VALUE);
    });
  }
  // Every answer is per user or about authentication (ASVS V8.2.1, V14.4.4): never cached, never
  // sniffed as anything but its declared type. The token responses set their own (with Pragma).
  app.use(async (c, next) => {
    await next();
    const headers = c.res.headers;
    headers.set('X-Content-Type-Options', 'nosniff');
    if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store');
  });
  app.use(corsAllowList(deps.corsOrigins));
  // Before the fault injection: a misdirected request (DNS rebinding) never reaches a route or a fault.
  if (deps.allowedHosts) app.use(hostCheck(deps.allowedHosts));
  app.use(deps.controls.middleware);
  // The rest of the body is never read, so the connection cannot be reused for another request.
  const tooLarge = (c: Context<AppEnv>) =>
    errorResponse(c, 413, 'PayloadTooLargeError', 'Request body is larger than 1 MiB', {
      Connection: 'close',
    });
  const limitChunkedBody = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });
  // Only a request that announces a body has one (RFC 9112 §6.3); a declared length is checked as it
  // is. Only a chunked body goes through Hono's bodyLimit, which counts it as it arrives: it asks for
  // the fetch `Request`, and building one for every call was the bulk of what a request allocated.
  app.use((c, next) => {
    if (c.req.header('transfer-encoding') !== undefined) return limitChunkedBody(c, next);
    const length = c.req.header('content-length');
    if (length === undefined) return next();
    return Number.parseInt(length, 10) > MAX_BODY_BYTES ? Promise.resolve(tooLarge(c)) : next();
  });

  registerAuthRoutes(app, deps);
  registerApiRoutes(app, deps);
  registerMethodFallbacks(app);

  app.notFound((c) => errorResponse(c, 404, 'NotFoundError', `No route for ${c.req.method} ${c.req.path}`));

  app.onError((err, c) => {
    if (err instanceof HTTPException && err.status === 400) {
      return errorResponse(c, 400, 'BadRequestError', err.message || 'Bad request');
    }
    // Only the error's type and stack frames: messages of parse errors can quote the request body.
    const frames = err.stack?.split('\n').slice(1, 4).join(' | ') ?? '';
    deps.log(`internal error ${err.name} ${frames}`);
    return errorResponse(c, 500, 'InternalServerError', 'Internal server error');
  });

  return app;
}
