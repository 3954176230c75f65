// Redirects met by the auth client and the OpenID Connect discovery: the real reference server behind
// a loopback proxy that redirects, reached through three fetches — Node's (returns the 3xx), a
// stand-in shaped like Electron's net.fetch (rejects), and the Electron port's net.request fetch over
// a stand-in ClientRequest. Electron cannot run here: both stand-ins are mocks of its documented
// behaviour (electron/electron#43715; lib/common/api/net-client-request.ts), marked as such below.

import { EventEmitter } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorInfo } from '../../common/errors';
import type { RunningServer } from '../../server';
import { DEMO, testSettings } from '../../test/support/fixtures';
import { startQuietServer } from '../../test/support/test-server';
import { createAuthClient, type FetchLike } from './auth-client';
import {
  type ClientRequestLike,
  type ClientRequestOptions,
  clientRequestFetch,
} from './client-request-fetch';
import { discoverProvider } from './oidc/oidc-discovery';
import { followSameOriginRedirects, MAX_REDIRECTS, RedirectError } from './redirects';

const REDIRECT = new Set([301, 302, 303, 307, 308]);
const SECRET_QUERY = 'code=secret-code-123';

let server: RunningServer;
let proxy: Server;
let proxyUrl: string;
/** `METHOD /path` of every request the proxy received. */
let proxied: string[] = [];

/**
 * 401s to a refresh, the proxy's answer for `/refusal/<kind>/…`: a gateway's (its sign-in page; a
 * challenge of its own with no JSON) or a server's (plain text with no challenge; OAuth's
 * `invalid_client` in JSON with its Basic challenge).
 */
const REFUSALS: Record<string, { headers: Record<string, string>; body: string }> = {
  page: {
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: '<html><body>Sign in</body></html>',
  },
  negotiate: {
    headers: { 'content-type': 'text/plain', 'www-authenticate': 'Negotiate' },
    body: 'Unauthorized',
  },
  basic: { headers: { 'www-authenticate': 'Basic realm="corp", NTLM' }, body: '' },
  plain: { headers: { 'content-type': 'text/plain' }, body: 'Unauthorized' },
  'invalid-client': {
    headers: { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="token"' },
    body: '{"error":"invalid_client"}',
  },
};

/**
 * The redirecting proxy in front of the reference server:
 * `/moved/x` → 308 `/x`; `/found/x` → 302 `/x`; `/away/x` → 307 to the server itself under another
 * origin (`localhost` instead of `127.0.0.1`) with a secret in the query; `/loop/x` → 307 to itself;
 * `/issuer/.well-known/openid-configuration` → 308 to a discovery document the proxy serves; anything
 * else is forwarded to the reference server.
 */
async function startRedirectingProxy(): Promise<void> {
  const upstream = new URL(server.url);
  const elsewhere = `http://localhost:${upstream.port}`;
  proxy = createServer(async (req, res) => {
    const path = req.url ?? '/';
    proxied.push(`${req.method} ${path}`);
    const body = await buffer(req);
    const redirect = (status: number, location: string) => res.writeHead(status, { location }).end();
    const [, first = '', rest = ''] = path.match(/^\/([^/]*)(.*)$/) ?? [];
    if (first === 'moved') return redirect(308, rest);
    if (first === 'found') return redirect(302, rest);
    if (first === 'away') return redirect(307, `${elsewhere}${rest}?${SECRET_QUERY}`);
    if (first === 'loop') return redirect(307, path);
    // A captive portal: a 302 to its own HTML sign-in page on another origin, or that page itself.
    if (first === 'portal') return redirect(302, `${elsewhere}/portal-login?${SECRET_QUERY}`);
    if (first === 'portal-page') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      return res.end('<html><body>Sign in to the hotel Wi-Fi</body></html>');
    }
    const refusal = first === 'refusal' ? REFUSALS[rest.split('/')[1] ?? ''] : undefined;
    if (refusal) return res.writeHead(401, refusal.headers).end(refusal.body);
    if (path === '/issuer/.well-known/openid-configuration') return redirect(308, '/discovery-document');
    if (path === '/issuer-away/.well-known/openid-configuration')
      return redirect(307, `${elsewhere}/.well-known/openid-configuration?${SECRET_QUERY}`);
    if (path === '/discovery-document') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(
        JSON.stringify({
          issuer: `${proxyUrl}/issuer`,
          authorization_endpoint: `${proxyUrl}/issuer/auth`,
          token_endpoint: `${proxyUrl}/issuer/token`,
        }),
      );
    }
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path, headers: req.headers },
      async (answer) => {
        const payload = await buffer(answer);
        res.writeHead(answer.statusCode ?? 502, answer.headers).end(payload);
      },
    );
    forward.on('error', () => res.socket?.destroy());
    forward.end(body);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  server = await startQuietServer();
  await startRedirectingProxy();
});

afterAll(async () => {
  await new Promise((resolve) => proxy.close(resolve));
  await server.close();
});

beforeEach(() => {
  proxied = [];
  server.clearRequests();
});

/**
 * MOCK of Electron's net.fetch (it cannot run here): a request in `redirect: 'manual'` mode that meets
 * a redirect rejects — Electron's ClientRequest dies with "Redirect was cancelled" because nothing
 * follows its `redirect` event — and the target is lost. Everything else is Node's fetch.
 */
function netFetchShaped(message: string): FetchLike {
  return async (request, init) => {
    const response = await fetch(request, init);
    if (request.redirect === 'manual' && REDIRECT.has(response.status)) {
      await response.body?.cancel();
      throw new Error(message);
    }
    return response;
  };
}

/**
 * MOCK of Electron's `net.request` (it cannot run here), after its ClientRequest
 * (lib/common/api/net-client-request.ts): in `manual` mode a redirect is announced by a `redirect`
 * event (status, method, absolute URL, headers) and, unless a listener follows it or aborts the
 * request, the request then fails with "Redirect was cancelled"; an answer is a `response` event with
 * a readable message; abort() cancels. The wire is Node's http.
 */
function standInNetRequest(options: ClientRequestOptions): ClientRequestLike {
  const events = new EventEmitter();
  const headers: Record<string, string> = {};
  const chunks: Buffer[] = [];
  let aborted = false;
  let wire: ReturnType<typeof httpRequest> | null = null;
  const self = {
    setHeader: (name: string, value: string) => {
      headers[name] = value;
    },
    on: (event: string, listener: (...args: unknown[]) => void) => events.on(event, listener),
    write: (chunk: Buffer) => chunks.push(chunk),
    end() {
      wire = httpRequest(options.url, { method: options.method, headers }, (message) => {
        const status = message.statusCode ?? 0;
        const location = message.headers.location;
        if (REDIRECT.has(status) && location !== undefined) {
          message.resume();
          const target = new URL(location, options.url).href;
          events.emit('redirect', status, options.method, target, message.headers);
          if (!aborted) events.emit('error', new Error('Redirect was cancelled'));
          return;
        }
        events.emit('response', message);
      });
      wire.on('error', (error) => {
        if (!aborted) events.emit('error', error);
      });
      wire.end(Buffer.concat(chunks));
    },
    abort() {
      aborted = true;
      wire?.destroy();
    },
  };
  return self as ClientRequestLike;
}

const FETCHES: Array<[string, FetchLike]> = [
  ["Node's fetch (returns the 3xx)", globalThis.fetch],
  ["the Electron port's net.request fetch (stand-in ClientRequest)", clientRequestFetch(standInNetRequest)],
];

function clientAt(apiBaseUrl: string, fetch: FetchLike) {
  return createAuthClient({ fetch, endpoints: testSettings(apiBaseUrl) });
}

function failure(result: { ok: boolean; error?: ErrorInfo }): ErrorInfo {
  if (result.ok || !result.error) throw new Error('expected a failure');
  return result.error;
}

describe.each(FETCHES)('the auth client over %s', (_, fetch) => {
  it('follows a same-origin 308 with the same POST and body: the sign-in works', async () => {
    const result = await clientAt(`${proxyUrl}/moved/`, fetch).login(DEMO.username, DEMO.password);
    expect(result.ok).toBe(true);
    expect(proxied).toEqual(['POST /moved/login', 'POST /login']);
    expect(server.requests('/login')).toEqual([{ method: 'POST', path: '/login', status: 200 }]);
  });

  it('keeps the Bearer token on a same-origin redirect of a GET', async () => {
    const login = await clientAt(proxyUrl, fetch).login(DEMO.username, DEMO.password);
    if (!login.ok) throw new Error(login.error.message);
    const me = await clientAt(`${proxyUrl}/moved/`, fetch).me(login.value.accessToken);
    expect(me).toMatchObject({ ok: true, value: { username: DEMO.username } });
  });

  it('refuses a POST redirected by 302 (it would go on as a bodiless GET), naming the path it points to', async () => {
    const result = await clientAt(`${proxyUrl}/found/`, fetch).refresh('some-refresh-token');
    expect(proxied).toEqual(['POST /found/token/refresh']);
    expect(failure(result)).toEqual({
      code: 'BAD_RESPONSE',
      status: 302,
      message:
        "Session refresh failed: the server redirected to /token/refresh (HTTP 302), which would resend the request as a GET without its body; set the endpoint's path to where it points",
    });
    expect(server.requests('/token/refresh')).toEqual([]);
  });

  it('refuses a redirect to another origin by name, without its query, and sends nothing there', async () => {
    const error = failure(await clientAt(`${proxyUrl}/away/`, fetch).login(DEMO.username, DEMO.password));
    const target = `http://localhost:${new URL(server.url).port}`;
    expect(error).toEqual({
      code: 'BAD_RESPONSE',
      status: 307,
      message: `Sign-in failed: the server redirected to another origin (${target}), which Tessera does not follow`,
    });
    expect(JSON.stringify(error)).not.toContain('secret-code');
    expect(server.requests('/login')).toEqual([]);
  });

  it('reads a refresh redirected to another origin (a captive portal) as the network in the way', async () => {
    const error = failure(await clientAt(`${proxyUrl}/portal/`, fetch).refresh('some-refresh-token'));
    expect(error).toMatchObject({ code: 'NETWORK', status: 302 });
    expect(error.message).toContain('the network may need a sign-in');
    expect(JSON.stringify(error)).not.toContain('secret-code');
    expect(server.requests('/token/refresh')).toEqual([]);
  });

  it('reads an HTML page answering a refresh with 200 as the network in the way', async () => {
    const error = failure(await clientAt(`${proxyUrl}/portal-page/`, fetch).refresh('some-refresh-token'));
    expect(error).toMatchObject({ code: 'NETWORK', status: 200 });
  });

  it.each([
    ['a sign-in page (HTML)', 'page', ''],
    ['a Negotiate challenge in plain text', 'negotiate', ' (negotiate)'],
    ['Basic and NTLM challenges with no body', 'basic', ' (basic, ntlm)'],
  ])('reads a 401 with %s as a gateway in the way: NETWORK, the token kept', async (_, kind, asked) => {
    const error = failure(
      await clientAt(`${proxyUrl}/refusal/${kind}/`, fetch).refresh('some-refresh-token'),
    );
    expect(error).toMatchObject({ code: 'NETWORK', status: 401 });
    expect(error.message).toBe(
      `Session refresh failed: a gateway in front of the server asked for a sign-in of its own (HTTP 401${asked}); the session is kept and tried again`,
    );
  });

  it('still ends the session on the server’s own 401: plain text with no challenge', async () => {
    const error = failure(await clientAt(`${proxyUrl}/refusal/plain/`, fetch).refresh('some-refresh-token'));
    expect(error).toMatchObject({ code: 'SESSION_EXPIRED', status: 401 });
  });

  it('reads an OAuth invalid_client 401 (JSON, with its Basic challenge) as a refused request, not the network', async () => {
    const error = failure(
      await clientAt(`${proxyUrl}/refusal/invalid-client/`, fetch).refresh('some-refresh-token'),
    );
    expect(error).toMatchObject({ status: 401, serverError: 'invalid_client' });
    expect(error.code).not.toMatch(/^(NETWORK|SESSION_EXPIRED)$/);
  });

  it(`stops after ${MAX_REDIRECTS} redirects in a row`, async () => {
    const error = failure(await clientAt(`${proxyUrl}/loop/`, fetch).refresh('some-refresh-token'));
    expect(error).toMatchObject({ code: 'BAD_RESPONSE', status: 307 });
    expect(error.message).toBe('Session refresh failed: the server redirected more than 3 times');
    expect(proxied).toHaveLength(MAX_REDIRECTS + 1);
  });
});

describe("the auth client over a fetch shaped like Electron's net.fetch (rejects on a redirect)", () => {
  it.each(['Redirect was cancelled', 'net::ERR_ABORTED'])(
    'reports "%s" as a redirect it could not follow (BAD_RESPONSE), never as the server being unreachable',
    async (message) => {
      const error = failure(
        await clientAt(`${proxyUrl}/moved/`, netFetchShaped(message)).refresh('some-refresh-token'),
      );
      expect(error).toEqual({
        code: 'BAD_RESPONSE',
        message:
          'Session refresh failed: the server answered with a redirect, and the network stack did not say where to',
      });
      expect(proxied).toEqual(['POST /moved/token/refresh']);
    },
  );

  it('still reports a refused connection as NETWORK', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = failure(
      await clientAt(`http://127.0.0.1:${port}`, netFetchShaped('Redirect was cancelled')).refresh('x'),
    );
    expect(error.code).toBe('NETWORK');
  });
});

describe('followSameOriginRedirects()', () => {
  it('continues a POST redirected by 301 as a bodiless GET, as fetch does, unless keepMethod refuses it', async () => {
    const seen: string[] = [];
    const slash: FetchLike = async (request) => {
      seen.push(`${request.method} ${new URL(request.url).pathname}`);
      return new URL(request.url).pathname.endsWith('/')
        ? new Response('{}', { status: 405 })
        : new Response(null, { status: 301, headers: { location: '/api/token/?next=secret' } });
    };
    const post = () => new Request('http://127.0.0.1:1/api/token', { method: 'POST', body: '{"a":1}' });
    expect((await followSameOriginRedirects(slash)(post())).status).toBe(405);
    expect(seen).toEqual(['POST /api/token', 'GET /api/token/']);
    seen.length = 0;
    const error = await followSameOriginRedirects(slash, undefined, { keepMethod: true })(post()).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(RedirectError);
    expect(error).toMatchObject({ refusal: 'methodChange', status: 301, target: 'http://127.0.0.1:1' });
    expect(error.message).toContain('redirected to /api/token/ (HTTP 301)');
    expect(error.message).not.toContain('secret');
    expect(seen).toEqual(['POST /api/token']);
  });

  it('returns a 3xx without a Location header as it is', async () => {
    const noLocation: FetchLike = async () => new Response(null, { status: 302 });
    const response = await followSameOriginRedirects(noLocation)(new Request('http://127.0.0.1:1/x'));
    expect(response.status).toBe(302);
  });

  it('throws a RedirectError naming only the origin of a cross-origin target', async () => {
    const away: FetchLike = async () =>
      new Response(null, { status: 301, headers: { location: 'https://login.example.com/sso?token=abc' } });
    const error = await followSameOriginRedirects(away)(new Request('http://127.0.0.1:1/x')).catch((e) => e);
    expect(error).toBeInstanceOf(RedirectError);
    expect(error).toMatchObject({ refusal: 'crossOrigin', status: 301, target: 'https://login.example.com' });
    expect(error.message).not.toContain('token');
  });
});

describe('OpenID Connect discovery behind a redirect', () => {
  const settings = (issuer: string) => ({
    oidcIssuer: issuer,
    oidcClientId: 'tessera',
    requestTimeoutMs: 5000,
  });

  it.each(FETCHES)('follows a same-origin redirect of the discovery document over %s', async (_, fetch) => {
    const result = await discoverProvider(settings(`${proxyUrl}/issuer`), fetch, Date.now);
    expect(result.ok).toBe(true);
    expect(proxied).toEqual(['GET /issuer/.well-known/openid-configuration', 'GET /discovery-document']);
  });

  it('refuses a discovery redirected to another origin, naming it, not as a network failure', async () => {
    const result = await discoverProvider(settings(`${proxyUrl}/issuer-away`), globalThis.fetch, Date.now);
    const target = `http://localhost:${new URL(server.url).port}`;
    expect(failure(result)).toMatchObject({ code: 'BAD_RESPONSE', status: 307 });
    expect(failure(result).message).toContain(`another origin (${target})`);
    expect(failure(result).message).not.toContain('secret-code');
  });

  // The settings schema refuses these already; discovery keeps the same one rule (httpUrlProblem) for an
  // issuer that reaches it any other way, and sends nothing.
  it.each([
    [
      'plain http off loopback',
      'http://login.example.com/',
      'must use https unless the host is loopback (127.0.0.0/8, ::1, localhost)',
    ],
    ['port 0', 'https://127.0.0.1:0/', 'must use a port from 1 to 65535, not 0'],
    ['a user name', 'https://me@login.example.com/', 'must not contain a user name or password'],
    ['another scheme', 'ftp://login.example.com/', 'must use https (or http on a loopback host)'],
  ])('refuses an issuer URL with %s, naming the setting, before any request', async (_, issuer, rule) => {
    const asked: string[] = [];
    const recording: FetchLike = async (input) => {
      asked.push(String(input instanceof Request ? input.url : input));
      return new Response(null, { status: 404 });
    };
    const result = await discoverProvider(settings(issuer), recording, Date.now);
    expect(failure(result)).toMatchObject({ code: 'OIDC_MISCONFIGURED', key: 'oidcIssuer' });
    expect(failure(result).message).toBe(`The issuer URL ${rule}`);
    expect(asked).toEqual([]);
  });

  it("reports a discovery redirect Electron's net.fetch rejected as BAD_RESPONSE, not NETWORK", async () => {
    const result = await discoverProvider(
      settings(`${proxyUrl}/issuer`),
      netFetchShaped('Redirect was cancelled'),
      Date.now,
    );
    expect(failure(result).code).toBe('BAD_RESPONSE');
  });
});
