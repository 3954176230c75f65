import type { Hono } from 'hono';
import type { AppDeps } from './app-deps';
import type { AppEnv } from './app-env';
import { requireAccessToken, requireRole } from './bearer-auth';
import { errorResponse } from './errors';

/** Registers GET /health, the protected /api routes and (RS256 only) the JWKS. */
export function registerApiRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  const authenticated = requireAccessToken(deps.accessTokens);

  app.get('/health', (c) => c.json({ status: 'ok' }));

  app.get('/api/user/me', authenticated, (c) => {
    const user = deps.users.findById(c.get('claims').sub);
    if (!user) {
      const message = 'Access token is invalid';
      return errorResponse(c, 401, 'InvalidTokenError', message, {
        'WWW-Authenticate': `Bearer realm="tessera", error="invalid_token", error_description="${message}"`,
      });
    }
    return c.json(user);
  });

  app.get('/api/admin/stats', authenticated, requireRole('admin'), (c) =>
    c.json({ users: deps.users.count(), activeRefreshFamilies: deps.refreshTokens.countActiveFamilies() }),
  );

  // A symmetric key must never be published, so under HS256 this path is simply unknown (404).
  const { jwks } = deps.keys;
  if (jwks) app.get('/.well-known/jwks.json', (c) => c.json(jwks));
}
