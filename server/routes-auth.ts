import type { Context, Hono } from 'hono';
import { z } from 'zod';
import type { AppDeps } from './app-deps';
import type { AppEnv } from './app-env';
import { bearerToken } from './bearer-auth';
import { errorResponse } from './errors';
import { jsonBody, requireJsonContentType } from './json-body';
import type { IssuedRefreshToken } from './refresh-tokens';
import type { PublicUser, TokenResponse } from './types';
import { refusalHoldMs } from './work-queue';

const LoginBody = z.object({
  username: z.string().min(1).max(256),
  password: z.string().min(1).max(1024),
});
const RefreshBody = z.object({ refreshToken: z.string().min(1).max(1024) });

async function tokenResponse(
  c: Context<AppEnv>,
  deps: AppDeps,
  user: PublicUser,
  refresh: IssuedRefreshToken,
): Promise<Response> {
  const access = await deps.accessTokens.issue(user, refresh.familyId);
  deps.controls.recordIssued({
    path: c.req.path,
    user: user.username,
    issuedAt: access.issuedAt,
    expiresAt: access.expiresAt,
    expiresIn: access.expiresIn,
  });
  const body: TokenResponse = {
    accessToken: access.token,
    expiresIn: access.expiresIn,
    refreshToken: refresh.refreshToken,
    refreshExpiresIn: refresh.refreshExpiresIn,
    tokenType: 'Bearer',
  };
  // RFC 6749 §5.1: responses carrying tokens must not be cached.
  c.header('Cache-Control', 'no-store');
  c.header('Pragma', 'no-cache');
  return c.json(body);
}

/** Registers POST /login, POST /token/refresh and POST /logout. */
export function registerAuthRoutes(app: Hono<AppEnv>, deps: AppDeps): void {
  app.post('/login', requireJsonContentType, jsonBody(LoginBody), async (c) => {
    const { username, password } = c.req.valid('json');
    const wait = deps.limiter.retryAfterSeconds(username);
    if (wait !== undefined) {
      return errorResponse(
        c,
        429,
        'TooManyRequestsError',
        `Too many failed sign-in attempts; try again in ${wait} seconds`,
        { 'Retry-After': String(wait) },
      );
    }
    // scrypt runs behind a bounded queue: a flood of sign-ins gets 503s instead of starving token checks.
    const checked = deps.passwordChecks.submit(() => deps.users.authenticate(username, password));
    if (checked === undefined) {
      // Held a moment before answering: a client ignoring Retry-After cannot turn cheap refusals into
      // a request flood that hogs the event loop (each connection gets about one refusal per delay).
      // Each hold has its own length, so refusals do not all come back in one wave (refusalHoldMs).
      const delayMs = deps.busyRefusalDelayMs ?? 0;
      if (delayMs > 0) {
        await new Promise((resolve) => setTimeout(resolve, refusalHoldMs(delayMs)).unref());
      }
      const retry = deps.passwordChecks.retryAfterSeconds();
      return errorResponse(
        c,
        503,
        'ServerBusyError',
        `Too many sign-ins in progress; try again in ${retry} seconds`,
        { 'Retry-After': String(retry) },
      );
    }
    // Counted before the (slow) password check so parallel guesses cannot slip past the limit.
    deps.limiter.recordFailure(username);
    const user = await checked;
    if (!user) return errorResponse(c, 401, 'InvalidCredentialsError', 'Invalid username or password');
    deps.limiter.reset(username);
    return tokenResponse(c, deps, user, deps.refreshTokens.startFamily(user.sub));
  });

  app.post('/token/refresh', requireJsonContentType, jsonBody(RefreshBody), async (c) => {
    const result = deps.refreshTokens.rotate(c.req.valid('json').refreshToken);
    if (!result.ok) {
      // Reuse detected: the access tokens of the family (the legitimate client's too) die with it.
      if (result.revokedFamilyId !== undefined) deps.accessTokens.revokeFamily(result.revokedFamilyId);
      return errorResponse(c, 401, result.error, result.message);
    }
    const user = deps.users.findById(result.userId);
    if (!user) {
      return errorResponse(
        c,
        401,
        'InvalidRefreshTokenError',
        'Refresh token is invalid or has been revoked',
      );
    }
    return tokenResponse(c, deps, user, result);
  });

  app.post('/logout', requireJsonContentType, jsonBody(RefreshBody), async (c) => {
    const familyId = deps.refreshTokens.revokeFamilyOf(c.req.valid('json').refreshToken);
    // Every access token of the session stops working, not only the one presented.
    if (familyId !== undefined) deps.accessTokens.revokeFamily(familyId);
    // The Bearer is optional and an invalid one is ignored: logout must not fail on a stale access token.
    const bearer = bearerToken(c.req.header('Authorization'));
    if (bearer) {
      const verified = await deps.accessTokens.verify(bearer);
      if (verified.ok) deps.accessTokens.deny(verified.claims);
    }
    return c.body(null, 204);
  });
}
