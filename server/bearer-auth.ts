import type { MiddlewareHandler } from 'hono';
import type { AccessTokens } from './access-tokens';
import type { AppEnv } from './app-env';
import { errorResponse } from './errors';
import type { Role } from './types';

const REALM = 'Bearer realm="tessera"';

/** RFC 6750 §3 challenge; no error attribute when the request simply carried no token. */
function challenge(error?: string, description?: string): string {
  return error ? `${REALM}, error="${error}", error_description="${description}"` : REALM;
}

/** The token of an `Authorization: Bearer` header; undefined when absent or another scheme; '' when empty. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^(\S+)(?:\s+(.*))?$/.exec(header?.trim() ?? '');
  if (match?.[1]?.toLowerCase() !== 'bearer') return undefined;
  return match[2]?.trim() ?? '';
}

/** Verifies the bearer access token and puts its claims on the context; 401 with a challenge otherwise. */
export function requireAccessToken(tokens: AccessTokens): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearerToken(c.req.header('Authorization'));
    if (token === undefined) {
      return errorResponse(c, 401, 'MissingTokenError', 'An Authorization: Bearer access token is required', {
        'WWW-Authenticate': challenge(),
      });
    }
    const result = await tokens.verify(token);
    if (!result.ok) {
      return errorResponse(c, 401, result.error, result.message, {
        'WWW-Authenticate': challenge('invalid_token', result.message),
      });
    }
    c.set('claims', result.claims);
    await next();
  };
}

/** Lets only tokens carrying `role` through; 403 with an insufficient_scope challenge otherwise. */
export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.get('claims').role !== role) {
      const message = `This route requires the ${role} role`;
      return errorResponse(c, 403, 'InsufficientRoleError', message, {
        'WWW-Authenticate': challenge('insufficient_scope', message),
      });
    }
    await next();
  };
}
