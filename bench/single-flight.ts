// 1,000 concurrent API calls with an expired access token: the app's path (one shared refresh in the
// session) against the retry pattern of ky's readme (each 401 refreshes on its own), side by side
// on one reference server in one run.
import ky, { type KyInstance } from 'ky';
import { startQuietServer } from '../test/support/test-server';
import { createAppPath } from './app-path';

export interface SingleFlightResult {
  calls: number;
  failures: number;
  /** `/token/refresh` requests the app made for all calls together (target 1). */
  refreshRequests: number;
  /** The same for ky's documented afterResponse pattern. */
  naiveRefreshRequests: number;
  naiveFailures: number;
  /**
   * The harder variant: the core still believes its token is valid, the server already says
   * TokenExpiredError, so every call comes back 401 and asks for a forced refresh at about the same time.
   */
  on401: { calls: number; failures: number; refreshRequests: number };
}

const DEMO = { username: 'demo', password: 'demo-password' };
const ACCESS_TTL_S = 60;

interface NaiveTokens {
  accessToken: string;
  refreshToken: string;
}

/**
 * ky's readme example ("retry with a fresh token on a 401 error"), with the token kept in a variable
 * as an app using it would: every 401 posts its own refresh, then retries once with the new token.
 */
function naiveClient(baseUrl: string, tokens: NaiveTokens): KyInstance {
  return ky.create({
    prefix: baseUrl,
    retry: { limit: 1, methods: [] },
    hooks: {
      beforeRequest: [
        ({ request }) => {
          request.headers.set('Authorization', `Bearer ${tokens.accessToken}`);
        },
      ],
      afterResponse: [
        async ({ request, response, retryCount }) => {
          if (response.status === 401 && retryCount === 0) {
            const fresh = await ky
              .post(`${baseUrl}/token/refresh`, { json: { refreshToken: tokens.refreshToken } })
              .json<NaiveTokens>();
            Object.assign(tokens, { accessToken: fresh.accessToken, refreshToken: fresh.refreshToken });
            const headers = new Headers(request.headers);
            headers.set('Authorization', `Bearer ${fresh.accessToken}`);
            return ky.retry({ request: new Request(request, { headers }), code: 'TOKEN_REFRESHED' });
          }
        },
      ],
    },
  });
}

async function fire(calls: number, call: () => Promise<unknown>): Promise<number> {
  const results = await Promise.allSettled(Array.from({ length: calls }, call));
  return results.filter((r) => r.status === 'rejected').length;
}

/** Runs both variants of the app path and the naive client; `keychainService` is deleted from afterwards. */
export async function runSingleFlight(options: {
  calls?: number;
  keychainService: string;
}): Promise<SingleFlightResult> {
  const calls = options.calls ?? 1000;
  // Separate clocks for the server and the app, so each side's idea of "expired" can be moved.
  let serverOffset = 0;
  let appOffset = 0;
  const server = await startQuietServer({
    accessTtlSeconds: ACCESS_TTL_S,
    now: () => Date.now() + serverOffset,
  });
  const app = createAppPath({
    apiBaseUrl: server.url,
    keychainService: options.keychainService,
    logSink: () => {},
    now: () => Date.now() + appOffset,
  });
  const refreshes = () => server.requests('/token/refresh').length;
  try {
    const win = app.openWindow();
    await win.bridge.auth.signIn(DEMO);
    const naiveTokens = await ky.post(`${server.url}/login`, { json: DEMO }).json<NaiveTokens>();
    const naive = naiveClient(server.url, naiveTokens);

    // Both sides see every token expired: the app refreshes up front, the naive client on the 401s.
    serverOffset = appOffset = 2 * ACCESS_TTL_S * 1000;
    server.clearRequests();
    const failures = await fire(calls, () => win.api.get('api/user/me').json());
    const refreshRequests = refreshes();

    server.clearRequests();
    const naiveFailures = await fire(calls, () => naive.get('api/user/me').json());
    const naiveRefreshRequests = refreshes();

    // Only the server's clock moves on: the app learns of the expiry from 1,000 401 TokenExpiredError.
    serverOffset += 2 * ACCESS_TTL_S * 1000;
    server.clearRequests();
    const on401Failures = await fire(calls, () => win.api.get('api/user/me').json());
    const on401 = { calls, failures: on401Failures, refreshRequests: refreshes() };

    await win.bridge.auth.signOut();
    return { calls, failures, refreshRequests, naiveRefreshRequests, naiveFailures, on401 };
  } finally {
    app.dispose();
    await server.close();
  }
}
