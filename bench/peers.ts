// The clients a developer would otherwise pick, set up the way their own documentation shows, for the
// peer rows of `singleFlight` and `authOverhead`. Both keep the tokens in a variable, as an app using
// them would (the benchmarks measure the token path, not where the token is stored).
import axios, { type AxiosInstance } from 'axios';
import { createAuthRefresh } from 'axios-auth-refresh';
import ky, { type KyInstance } from 'ky';

/** The token pair a peer client holds. */
export interface PeerTokens {
  accessToken: string;
  refreshToken: string;
}

/** One GET /api/user/me, body parsed, through a peer client. */
export type PeerCall = () => Promise<unknown>;

/** Signs in on the reference server directly (peers have no core): the pair its /login answers. */
export async function peerSignIn(baseUrl: string): Promise<PeerTokens> {
  return ky
    .post(`${baseUrl}/login`, { json: { username: 'demo', password: 'demo-password' } })
    .json<PeerTokens>();
}

/**
 * ky's readme example ("retry with a fresh token on a 401 error"): a `beforeRequest` hook sets the
 * bearer, and every 401 posts its own refresh in `afterResponse`, then retries once with the new token.
 */
export function naiveKyClient(baseUrl: string, tokens: PeerTokens): KyInstance {
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
              .json<PeerTokens>();
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

/**
 * axios + axios-auth-refresh as its README sets it up: a request interceptor reads the current token
 * for every request (so requests stalled during a refresh go out with the new one), and
 * `createAuthRefresh(instance, refreshAuthLogic)` with the default options (401, deduplicated refresh:
 * the instance is paused while one refresh runs). The refresh itself goes through the global `axios`,
 * as in the README, so it is not intercepted.
 */
export function axiosAuthRefreshClient(baseUrl: string, tokens: PeerTokens): AxiosInstance {
  const instance = axios.create({ baseURL: baseUrl });
  instance.interceptors.request.use((request) => {
    request.headers.Authorization = `Bearer ${tokens.accessToken}`;
    return request;
  });
  const refreshAuthLogic = async (failedRequest: {
    response: { config: { headers: Record<string, string> } };
  }) => {
    const fresh = await axios.post<PeerTokens>(`${baseUrl}/token/refresh`, {
      refreshToken: tokens.refreshToken,
    });
    Object.assign(tokens, { accessToken: fresh.data.accessToken, refreshToken: fresh.data.refreshToken });
    failedRequest.response.config.headers.Authorization = `Bearer ${fresh.data.accessToken}`;
  };
  createAuthRefresh(instance, refreshAuthLogic);
  return instance;
}

/** `GET /api/user/me` with the body parsed, for each peer. */
export function peerCalls(clients: { naiveKy: KyInstance; axios: AxiosInstance }): {
  naiveKy: PeerCall;
  axios: PeerCall;
} {
  return {
    naiveKy: () => clients.naiveKy.get('api/user/me').json(),
    axios: async () => (await clients.axios.get('/api/user/me')).data,
  };
}
