import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isHTTPError, isNetworkError } from 'ky';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { expiredRuleOf, profileMappingOf } from '../../common/auth-contract';
import type { ErrorInfo } from '../../common/errors';
import type { TesseraBridge } from '../../common/ipc';
import type { SessionView } from '../../common/session';
import { toBridgeError } from '../../preload/bridge';
import type { RunningServer } from '../../server';
import { testSettings } from '../../test/support/fixtures';
import { recordingFetch, type SentRequest } from '../../test/support/recording-fetch';
import { signedOutView } from '../../test/support/session-view';
import { startQuietServer } from '../../test/support/test-server';
import { type ApiClient, createApiClient } from '../src/api/client';
import { BODY_LIMIT, failureKind, sendConsoleRequest } from '../src/api/console-request';
import { fetchProfile } from '../src/api/profile';
import { createTranslator } from '../src/i18n';
import { requestErrorMessage } from '../src/messages/request-errors';

const ME = '/api/user/me';
const EXPIRED = JSON.stringify({ error: 'TokenExpiredError', message: 'Access token has expired' });

const signedOut: SessionView = signedOutView({ apiOrigin: '', reason: 'refreshTokenInvalid' });

/**
 * A stand-in for main's session (which is tested in main/): it signs in and refreshes against
 * the real reference server over HTTP, and records what the client asked of it.
 */
function createTestBridge(server: RunningServer) {
  let tokens: { accessToken: string; refreshToken: string; expiresAt: number } | null = null;
  const log = { tokenRequests: [] as boolean[], sessionChecks: 0 };
  const listeners = new Set<(view: SessionView) => void>();
  /** What main's session:changed event delivers to the page. */
  const emit = (view: SessionView) => {
    for (const listener of listeners) listener(view);
  };
  const options = {
    fail: null as ErrorInfo | null,
    fixedToken: null as string | null,
    /** Handed out once, as if another window's refresh replaced it right after this request left. */
    staleOnce: null as string | null,
  };

  const post = async (path: string, body: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    const grant = (await response.json()) as { accessToken: string; refreshToken: string; expiresIn: number };
    tokens = { ...grant, expiresAt: Date.now() + grant.expiresIn * 1000 };
    return tokens;
  };

  const auth: Pick<TesseraBridge, 'auth'>['auth'] = {
    async getAccessToken(request) {
      log.tokenRequests.push(request?.forceRefresh === true);
      if (options.fail) throw toBridgeError(options.fail);
      if (options.fixedToken) return { accessToken: options.fixedToken, tokenType: 'Bearer', expiresAt: 0 };
      if (options.staleOnce && !request?.forceRefresh) {
        const accessToken = options.staleOnce;
        options.staleOnce = null;
        return { accessToken, tokenType: 'Bearer', expiresAt: 0 };
      }
      const current =
        tokens === null
          ? await post('/login', { username: 'demo', password: 'demo-password' })
          : request?.forceRefresh
            ? await post('/token/refresh', { refreshToken: tokens.refreshToken })
            : tokens;
      return { accessToken: current.accessToken, tokenType: 'Bearer', expiresAt: current.expiresAt };
    },
    async getSession() {
      log.sessionChecks += 1;
      return signedOut;
    },
    signIn: () => Promise.reject(new Error('not used by the client')),
    signInWithProvider: () => Promise.reject(new Error('not used by the client')),
    cancelSignIn: () => Promise.reject(new Error('not used by the client')),
    signOut: () => Promise.reject(new Error('not used by the client')),
    listAccounts: () => Promise.reject(new Error('not used by the client')),
    switchAccount: () => Promise.reject(new Error('not used by the client')),
    retryRestore: () => Promise.reject(new Error('not used by the client')),
    onSessionChange: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { bridge: { auth }, log, options, emit, current: () => tokens };
}

describe('createApiClient()', () => {
  let server: RunningServer;
  let test: ReturnType<typeof createTestBridge>;
  let api: ApiClient;
  let checked: SessionView[];
  let sent: SentRequest[];

  beforeEach(async () => {
    server = await startQuietServer({ accessTtlSeconds: 60 });
    test = createTestBridge(server);
    checked = [];
    sent = [];
    api = createApiClient({
      bridge: test.bridge,
      getBaseUrl: () => server.url,
      onSessionChecked: (session) => checked.push(session),
    }).extend({ fetch: recordingFetch({ sent }) });
  });

  afterEach(async () => {
    await server.close();
  });

  const statuses = (path: string) => server.requests(path).map((entry) => entry.status);

  it('keeps the grant in memory while it is known good: three calls, one bridge hop', async () => {
    for (let i = 0; i < 3; i++) await api.get(ME).json();
    expect(test.log.tokenRequests).toEqual([false]);
    expect(new Set(sent.map((request) => request.authorization)).size).toBe(1);
  });

  it('forgets the grant on the session change main sends at sign-out or refresh, and asks again', async () => {
    await api.get(ME).json();
    test.emit(signedOutView({ state: 'signedOut', reason: 'userSignedOut' }));
    await api.get(ME).json();
    expect(test.log.tokenRequests).toEqual([false, false]);
    // A refresh elsewhere (a new expiresAt in the view) also replaces it.
    test.emit(signedOutView({ state: 'active', expiresAt: 1 }));
    await api.get(ME).json();
    expect(test.log.tokenRequests).toEqual([false, false, false]);
  });

  it('asks main again once the grant is close to expiry (main refreshes when due)', async () => {
    let now = Date.now();
    const timed = createApiClient({ bridge: test.bridge, getBaseUrl: () => server.url, now: () => now });
    await timed.get(ME).json();
    const expiresAt = test.current()?.expiresAt ?? 0;
    now = expiresAt - 60_000;
    await timed.get(ME).json();
    expect(test.log.tokenRequests).toEqual([false]);
    now = expiresAt - 10_000;
    await timed.get(ME).json();
    expect(test.log.tokenRequests).toEqual([false, false]);
  });

  it('copies nothing on the success path: no Request or Response clone for a 2xx GET', async () => {
    let responseClones = 0;
    // Node's Response.prototype.clone cannot be spied on; each answer gets a counting clone of its own.
    const counted = api.extend({
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        const clone = response.clone.bind(response);
        response.clone = () => {
          responseClones += 1;
          return clone();
        };
        return response;
      },
    });
    await counted.get(ME).json(); // the grant is in memory from here on
    const requestClone = vi.spyOn(Request.prototype, 'clone');
    try {
      for (let i = 0; i < 3; i++) await counted.get(ME).json();
      expect(statuses(ME)).toEqual([200, 200, 200, 200]);
      expect(requestClone).not.toHaveBeenCalled();
      expect(responseClones).toBe(0);
    } finally {
      requestClone.mockRestore();
    }
    // The same counters do see the copies a 401 needs (the body read for the rule).
    server.failNext(1, { status: 401, path: ME, body: EXPIRED });
    await counted.get(ME).json();
    expect(responseClones).toBe(1);
  });

  it('with throwHttpErrors: false, a 401 that survives the one retry is an answer, and the session is checked', async () => {
    server.failNext(2, { status: 401, path: ME, body: EXPIRED });
    const response = await api.get(ME, { throwHttpErrors: false });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'TokenExpiredError' });
    expect(statuses(ME)).toEqual([401, 401]);
    expect(test.log.sessionChecks).toBe(1);
  });

  it("keeps answers out of the browser's HTTP cache unless the call asks for a cache mode", async () => {
    const modes: RequestCache[] = [];
    const seen = api.extend({
      fetch: (input, init) => {
        if (input instanceof Request) modes.push(input.cache);
        return fetch(input, init);
      },
    });
    await seen.get(ME).json();
    await seen.post('api/echo', { json: {}, throwHttpErrors: false });
    await seen.get(ME, { cache: 'default' }).json();
    expect(modes).toEqual(['no-store', 'no-store', 'default']);
  });

  it('sends the access token from the bridge as Authorization: Bearer', async () => {
    const me = await api.get(ME).json();
    expect(me).toMatchObject({ username: 'demo', name: 'Demo User', role: 'user' });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    expect(test.log.tokenRequests).toEqual([false]);
  });

  it('sends the token to the API’s origin only: never to another origin, port, scheme or a look-alike', async () => {
    const elsewhere = [
      'https://api.example.com.evil.example/x',
      'https://api.example.com:8443/x',
      'http://api.example.com/x',
      'https://evil.example/x',
    ];
    // Nothing leaves this machine: every request gets a stand-in answer.
    const local = createApiClient({
      bridge: test.bridge,
      getBaseUrl: () => 'https://api.example.com',
    }).extend({ fetch: recordingFetch({ sent, inner: async () => new Response('{}') }) });
    for (const url of elsewhere) {
      await local.get(new URL(url)).json();
      await local.get(new Request(url)).json();
    }
    expect(sent.map((request) => [request.url, request.authorization])).toEqual(
      elsewhere.flatMap((url) => [
        [url, null],
        [url, null],
      ]),
    );
    expect(test.log.tokenRequests).toEqual([]);
    // The API itself still gets it.
    await local.get(new URL('https://api.example.com/v1/me')).json();
    expect(sent.at(-1)?.authorization).toMatch(/^Bearer /);
  });

  it('joins paths onto the base URL, keeping a path the base URL has', async () => {
    const withPath = createApiClient({ bridge: test.bridge, getBaseUrl: () => `${server.url}/base/` }).extend(
      {
        fetch: recordingFetch({ sent }),
      },
    );
    await withPath.get(ME, { throwHttpErrors: false });
    expect(sent[0]?.url).toBe(`${server.url}/base/api/user/me`);
  });

  it('after a 401 TokenExpiredError, forces one refresh and retries once with the new token', async () => {
    server.setTokenLifetimes({ accessSeconds: 1 });
    await test.bridge.auth.getAccessToken(); // signs in: the token below is the one that expires
    test.log.tokenRequests.length = 0;
    await new Promise((resolve) => setTimeout(resolve, 2100)); // the access token lives ≤ 1 s
    // `exp` has whole-second precision: a 1-s token issued late in a second may be dead within
    // milliseconds, so the refreshed one must live long enough for the retry.
    server.setTokenLifetimes({ accessSeconds: 60 });
    const me = await api.get(ME).json();
    expect(me).toMatchObject({ username: 'demo' });
    expect(statuses(ME)).toEqual([401, 200]);
    expect(test.log.tokenRequests).toEqual([false, false, true]);
    expect(sent[0]?.authorization).not.toBe(sent[1]?.authorization);
    expect(test.log.sessionChecks).toBe(0);
  });

  it('retries with the current token, without forcing a refresh, when main already replaced the rejected one', async () => {
    const { accessToken: replaced } = await test.bridge.auth.getAccessToken();
    await test.bridge.auth.getAccessToken({ forceRefresh: true });
    test.log.tokenRequests.length = 0;
    // The request leaves with the replaced token; main already holds the new one when the 401 lands.
    test.options.staleOnce = replaced;
    server.failNext(1, { status: 401, path: ME, body: EXPIRED });
    const stale = sent.length;
    await api.get(ME).json();
    expect(statuses(ME).slice(-2)).toEqual([401, 200]);
    expect(sent[stale]?.authorization).toBe(`Bearer ${replaced}`);
    expect(sent[stale + 1]?.authorization).not.toBe(`Bearer ${replaced}`);
    expect(test.log.tokenRequests).toEqual([false, false]);
  });

  it('retries a POST once with the same body after TokenExpiredError', async () => {
    server.failNext(1, { status: 401, path: '/api/things', body: EXPIRED });
    const response = await api.post('/api/things', { json: { name: 'x' }, throwHttpErrors: false });
    expect(statuses('/api/things')).toEqual([401, 404]);
    expect(response.status).toBe(404);
    expect(sent.map((s) => [s.method, s.body])).toEqual([
      ['POST', '{"name":"x"}'],
      ['POST', '{"name":"x"}'],
    ]);
    expect(test.log.tokenRequests).toEqual([false, false, true]);
  });

  it.each([
    {
      title: 'does not retry again when the retried request also says TokenExpiredError',
      arrange: () => server.failNext(2, { status: 401, path: ME, body: EXPIRED }),
    },
    {
      title:
        'treats RFC 6750\'s error="invalid_token" as an expiry whatever the body: one forced refresh, one retry',
      // The reference server answers a malformed token with InvalidTokenError and that header.
      arrange: () => {
        test.options.fixedToken = 'not-a-jwt';
      },
    },
  ])('$title', async ({ arrange }) => {
    arrange();
    const error = await api
      .get(ME)
      .json()
      .catch((e: unknown) => e);
    expect(isHTTPError(error) && error.response.status).toBe(401);
    expect(statuses(ME)).toEqual([401, 401]);
    expect(test.log.tokenRequests).toEqual([false, false, true]);
    expect(test.log.sessionChecks).toBe(1);
  });

  it('checks the session on any other 401, without refreshing or retrying', async () => {
    // Neither RFC 6750's error="invalid_token" nor the contract's predicate: no expiry.
    server.failNext(1, { status: 401, path: ME, body: '{"error":"MissingTokenError"}' });
    const error = await api
      .get(ME)
      .json()
      .catch((e: unknown) => e);
    expect(isHTTPError(error) && error.response.status).toBe(401);
    expect(statuses(ME)).toEqual([401]);
    expect(test.log.tokenRequests).toEqual([false]);
    expect(test.log.sessionChecks).toBe(1);
    expect(checked).toEqual([signedOut]);
  });

  it("uses the contract's expired predicate: a SimpleJWT 401 token_not_valid retries once", async () => {
    const simplejwt = createApiClient({
      bridge: test.bridge,
      getBaseUrl: () => server.url,
      getExpiredRule: () => expiredRuleOf({ ...testSettings(server.url), apiProfile: 'simplejwt' }),
    }).extend({ fetch: recordingFetch({ sent }) });
    const notValid = '{"detail":"Given token not valid for any token type","code":"token_not_valid"}';
    server.failNext(1, { status: 401, path: ME, body: notValid });
    await expect(simplejwt.get(ME).json()).resolves.toMatchObject({ username: 'demo' });
    expect(statuses(ME)).toEqual([401, 200]);
    expect(test.log.tokenRequests).toEqual([false, false, true]);
    // The same answer under the tessera contract is not an expiry.
    server.failNext(1, { status: 401, path: ME, body: notValid });
    await expect(api.get(ME).json()).rejects.toSatisfy(isHTTPError);
    expect(statuses(ME)).toEqual([401, 200, 401]);
  });

  /** A client under the directus contract, whose expired rule names 403 too. */
  const directusClient = () =>
    createApiClient({
      bridge: test.bridge,
      getBaseUrl: () => server.url,
      onSessionChecked: (view) => checked.push(view),
      getExpiredRule: () => expiredRuleOf({ ...testSettings(server.url), apiProfile: 'directus' }),
    }).extend({ fetch: recordingFetch({ sent }) });

  it("retries a 403 the contract's expired rule names: Directus's INVALID_TOKEN after a SECRET change", async () => {
    const directus = directusClient();
    const invalid = '{"errors":[{"message":"Invalid token","extensions":{"code":"INVALID_TOKEN"}}]}';
    server.failNext(1, { status: 403, path: ME, body: invalid });
    await expect(directus.get(ME).json()).resolves.toMatchObject({ username: 'demo' });
    expect(statuses(ME)).toEqual([403, 200]);
    expect(test.log.tokenRequests).toEqual([false, false, true]);
    expect(test.log.sessionChecks).toBe(0);
  });

  it('hands a plain 403 back as it came: no refresh, no retry, no session check, body unread', async () => {
    const directus = directusClient();
    const forbidden =
      '{"errors":[{"message":"You don\'t have permission","extensions":{"code":"FORBIDDEN"}}]}';
    // Under a rule that names 403 (Directus) and under one that does not (tessera): the same 403.
    for (const client of [directus, api]) {
      server.failNext(1, { status: 403, path: ME, body: forbidden });
      const response = await client.get(ME, { throwHttpErrors: false });
      expect(response.status).toBe(403);
      expect(response.bodyUsed).toBe(false);
      expect(await response.text()).toBe(forbidden);
    }
    // Directus's INVALID_TOKEN under the tessera contract (401 only) is a plain 403 too.
    server.failNext(1, {
      status: 403,
      path: ME,
      body: '{"errors":[{"message":"Invalid token","extensions":{"code":"INVALID_TOKEN"}}]}',
    });
    expect((await api.get(ME, { throwHttpErrors: false })).status).toBe(403);
    expect(statuses(ME)).toEqual([403, 403, 403]);
    expect(test.log.tokenRequests.filter(Boolean)).toEqual([]);
    expect(test.log.sessionChecks).toBe(0);
  });

  it('never retries on its own: a 503 is one request, for GET and POST alike', async () => {
    server.failNext(1, { status: 503, path: ME, retryAfterSeconds: 0 });
    server.failNext(1, { status: 503, path: '/api/things', retryAfterSeconds: 0 });
    const get = await api.get(ME).catch((e: unknown) => e);
    const post = await api.post('/api/things', { json: {} }).catch((e: unknown) => e);
    expect(isHTTPError(get) && get.response.status).toBe(503);
    expect(isHTTPError(post) && post.response.status).toBe(503);
    expect(sent).toHaveLength(2);
  });

  it('rejects with the bridge error and sends nothing when there is no token', async () => {
    test.options.fail = { code: 'NOT_SIGNED_IN', message: 'Not signed in' };
    const error = await api.get(ME).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NOT_SIGNED_IN' });
    expect(server.requests(ME)).toEqual([]);
  });

  it('does not refresh for a 401 from another origin the API redirected to (which never got the token)', async () => {
    // A loopback stand-in for an API that redirects ME elsewhere: to the reference server, another
    // origin, whose 401 says "expired" though the redirect left the token behind.
    const redirecting = createServer((request, response) =>
      response.writeHead(307, { Location: `${server.url}${request.url ?? '/'}` }).end(),
    );
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const moved = createApiClient({
        bridge: test.bridge,
        getBaseUrl: () => `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}`,
        onSessionChecked: (session) => checked.push(session),
      });
      server.failNext(1, { status: 401, path: ME, body: EXPIRED });
      const response = await moved.get(ME, { throwHttpErrors: false });
      expect(response.status).toBe(401);
      // The token stayed with the API (fetch drops Authorization on a redirect to another origin).
      expect(server.requests(ME)).toEqual([{ method: 'GET', path: ME, status: 401 }]);
      expect(test.log.tokenRequests).toEqual([false]);
      expect(test.log.sessionChecks).toBe(0);
    } finally {
      await new Promise((resolve) => redirecting.close(resolve));
    }
  });

  it('propagates a network failure', async () => {
    const url = server.url;
    await server.close();
    const offline = createApiClient({ bridge: test.bridge, getBaseUrl: () => url });
    test.options.fixedToken = 'unused';
    const error = await offline.get(ME).catch((e: unknown) => e);
    expect(isNetworkError(error)).toBe(true);
    server = await startQuietServer(); // for afterEach
  });
});

describe('fetchProfile() and sendConsoleRequest()', () => {
  let server: RunningServer;
  let api: ApiClient;

  beforeEach(async () => {
    server = await startQuietServer();
    api = createApiClient({ bridge: createTestBridge(server).bridge, getBaseUrl: () => server.url });
  });

  afterEach(async () => {
    await server.close();
  });

  it('fetchProfile returns the signed-in user', async () => {
    await expect(fetchProfile(api, ME)).resolves.toMatchObject({
      username: 'demo',
      name: 'Demo User',
      role: 'user',
    });
  });

  it("fetchProfile reads a profile by the contract's mapping (Directus's /users/me)", async () => {
    const body = JSON.stringify({
      data: { id: 'u-9', email: 'kim@example.com', first_name: 'Kim', role: 'r-1' },
    });
    server.failNext(1, { status: 200, path: '/users/me', body });
    const mapping = profileMappingOf({ ...testSettings(server.url), apiProfile: 'directus' });
    await expect(fetchProfile(api, '/users/me', mapping)).resolves.toEqual({
      sub: 'u-9',
      username: 'kim@example.com',
      name: 'Kim',
      role: 'r-1',
    });
    server.failNext(1, { status: 200, path: '/users/me', body: '{"data":{}}' });
    await expect(fetchProfile(api, '/users/me', mapping)).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('fetchProfile rejects an answer that is not JSON (an HTML page) as BAD_RESPONSE', async () => {
    server.failNext(1, { status: 200, path: ME, body: '<!doctype html><html>Sign in to the Wi-Fi</html>' });
    await expect(fetchProfile(api, ME)).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('fetchProfile rejects an incomplete profile as BAD_RESPONSE', async () => {
    server.failNext(1, { status: 200, path: ME, body: '{"username":"demo"}' });
    await expect(fetchProfile(api, ME)).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('the console shows a 200 with headers, duration and pretty-printed JSON', async () => {
    const result = await sendConsoleRequest(api, { method: 'GET', path: ME });
    expect(result.status).toBe(200);
    expect(result.isJson).toBe(true);
    expect(result.body).toContain('\n  "username": "demo"');
    expect(result.headers.some(([name]) => name === 'content-type')).toBe(true);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('the console shows a 4xx answer instead of throwing', async () => {
    const result = await sendConsoleRequest(api, { method: 'GET', path: '/api/admin/stats' });
    expect(result.status).toBe(403);
    expect(JSON.parse(result.body)).toMatchObject({ error: 'InsufficientRoleError' });
  });

  it("the console shows an error answer's body when it is not the JSON its Content-Type claims (a proxy's page)", async () => {
    // failNext labels every answer application/json.
    server.failNext(1, { status: 502, path: ME, body: '<html><h1>502 Bad Gateway</h1></html>' });
    const result = await sendConsoleRequest(api, { method: 'GET', path: ME });
    expect(result).toMatchObject({
      status: 502,
      isJson: false,
      body: '<html><h1>502 Bad Gateway</h1></html>',
    });
    server.failNext(1, { status: 500, path: ME, body: '{"error":"Trunc' });
    expect((await sendConsoleRequest(api, { method: 'GET', path: ME })).body).toBe('{"error":"Trunc');
  });

  it('the console shows the start of an error body of any size, and says how large it was', async () => {
    const size = 11 * 1024 * 1024; // over the 10 MiB ky reads of an error answer
    server.failNext(1, { status: 500, path: ME, body: 'x'.repeat(size) });
    const result = await sendConsoleRequest(api, { method: 'GET', path: ME });
    expect(result.status).toBe(500);
    expect(result.body).toBe('x'.repeat(BODY_LIMIT));
    expect(result.truncatedFrom).toBe(size);
  });

  it.each([200, 409])(
    'the console shows a %i JSON answer pretty-printed as the server wrote it: all digits of a big number, a repeated key',
    async (status) => {
      // Parsing and serialising again would show 12345678901234567000 and one "error".
      const body = '{"id":12345678901234567890,"error":"A","error":"B","list":[1.50,{}],"s":"a, {b}: [c]"}';
      server.failNext(1, { status, path: ME, body });
      const result = await sendConsoleRequest(api, { method: 'GET', path: ME });
      expect(result.isJson).toBe(true);
      expect(result.body).toBe(
        [
          '{',
          '  "id": 12345678901234567890,',
          '  "error": "A",',
          '  "error": "B",',
          '  "list": [',
          '    1.50,',
          '    {}',
          '  ],',
          '  "s": "a, {b}: [c]"',
          '}',
        ].join('\n'),
      );
    },
  );
});

describe('sendConsoleRequest() with a long JSON string (a base64 image)', () => {
  let server: RunningServer;
  beforeEach(async () => {
    server = await startQuietServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it('indents it without running out of stack, and shows its start', async () => {
    const api = createApiClient({ bridge: createTestBridge(server).bridge, getBaseUrl: () => server.url });
    // 9.5 MB, under the 10 MiB the console reads: a regular expression over it overflowed V8's stack.
    const body = `{"image":"${'A'.repeat(9_500_000)}","escaped":"a\\"b\\\\"}`;
    server.failNext(1, { status: 200, path: ME, body });
    const result = await sendConsoleRequest(api, { method: 'GET', path: ME });
    expect(result.isJson).toBe(true);
    expect(result.body).toBe(`{\n  "image": "${'A'.repeat(BODY_LIMIT - 14)}`);
    expect(result.truncatedFrom).toBe(body.length);
  });
});

describe('sendConsoleRequest() against an API that answers in another charset', () => {
  // A loopback stand-in for an API whose answers are not UTF-8 (the reference server always is).
  let standIn: Server;
  let url: string;
  let api: ApiClient;
  let server: RunningServer;
  const answers: Record<string, { status: number; type: string; bytes: number[] }> = {
    // "안녕" in EUC-KR.
    '/euc-kr': { status: 200, type: 'text/plain; charset=EUC-KR', bytes: [0xbe, 0xc8, 0xb3, 0xe7] },
    '/latin1': { status: 404, type: 'text/plain; charset="iso-8859-1"', bytes: [0x63, 0x61, 0x66, 0xe9] },
    // A UTF-8 BOM before JSON, labelled JSON: the BOM is no character of the body.
    '/bom': {
      status: 200,
      type: 'application/json',
      bytes: [0xef, 0xbb, 0xbf, 0x7b, 0x22, 0x61, 0x22, 0x3a, 0x31, 0x7d],
    },
    '/unknown': { status: 200, type: 'text/plain; charset=no-such-charset', bytes: [0xc3, 0xa9] },
  };

  beforeEach(async () => {
    server = await startQuietServer();
    standIn = createServer((request, response) => {
      if (request.url === '/cut') {
        // A body cut off after its first bytes (a proxy or server dropping the connection).
        response.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '100' });
        response.write('first bytes', () => setTimeout(() => response.destroy(), 20));
        return;
      }
      const answer = answers[request.url ?? ''];
      if (!answer) return void response.writeHead(404).end();
      response.writeHead(answer.status, { 'Content-Type': answer.type }).end(Buffer.from(answer.bytes));
    });
    await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;
    api = createApiClient({ bridge: createTestBridge(server).bridge, getBaseUrl: () => url });
  });

  afterEach(async () => {
    await new Promise((resolve) => standIn.close(resolve));
    await server.close();
  });

  it('a body cut off midway is a network failure, in plain words: not "something went wrong inside Tessera"', async () => {
    const error = await sendConsoleRequest(api, { method: 'GET', path: '/cut' }).catch((e: unknown) => e);
    expect(failureKind(error)).toBe('network');
    expect(requestErrorMessage(error, createTranslator('en'), { url })).toMatch(
      /^Cannot reach the server at /,
    );
  });

  it.each([
    ['/euc-kr', '안녕', false],
    ['/latin1', 'café', false],
    ['/bom', '{\n  "a": 1\n}', true],
    ['/unknown', 'é', false],
  ])('decodes %s by its Content-Type', async (path, text, isJson) => {
    const result = await sendConsoleRequest(api, { method: 'GET', path });
    expect(result.body).toBe(text);
    expect(result.isJson).toBe(isJson);
  });
});
