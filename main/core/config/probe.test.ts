// The connect wizard's probe against the real reference server, and against small loopback stand-ins
// that answer each check the way its backend documents it (labelled per stand-in below). The real
// Django SimpleJWT and Directus servers are probed in test/interop (django.test.ts, directus.test.ts).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../server';
import { startQuietServer } from '../../../test/support/test-server';
import { probeApi } from './probe';

/** One answer of a stand-in: status, JSON body (or raw text), extra headers; `hang` never answers. */
interface StandInAnswer {
  status?: number;
  json?: unknown;
  text?: string;
  headers?: Record<string, string>;
  hang?: boolean;
}

interface StandIn {
  url: string;
  /** `METHOD path` → headers and body of each request received. */
  received: { line: string; headers: IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

/** A loopback server answering `METHOD /path` from `routes` (404 `{"detail":"Not found."}` otherwise). */
async function standIn(routes: Record<string, StandInAnswer>): Promise<StandIn> {
  const received: StandIn['received'] = [];
  const hanging = new Set<import('node:http').ServerResponse>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      const line = `${req.method} ${req.url}`;
      received.push({ line, headers: req.headers, body });
      const answer = routes[line] ?? { status: 404, json: { detail: 'Not found.' } };
      if (answer.hang) {
        hanging.add(res);
        return;
      }
      const text = answer.text ?? JSON.stringify(answer.json ?? {});
      res.writeHead(answer.status ?? 200, {
        'content-type': answer.text === undefined ? 'application/json' : 'text/html',
        ...answer.headers,
      });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const probe = (url: string, timeoutMs = 5_000, signal?: AbortSignal) =>
  probeApi(url, { fetch: (input, init) => fetch(input, init), timeoutMs, ...(signal ? { signal } : {}) });

/** Runs `body` with a stand-in, closing it afterwards. */
async function withStandIn(routes: Record<string, StandInAnswer>, body: (server: StandIn) => Promise<void>) {
  const server = await standIn(routes);
  try {
    await body(server);
  } finally {
    await server.close();
  }
}

// SimpleJWT 5.x TokenObtainPairView, POST with an empty JSON body: DRF's field errors.
const SIMPLEJWT_EMPTY_POST = {
  status: 400,
  json: { username: ['This field is required.'], password: ['This field is required.'] },
};

let reference: RunningServer;

beforeAll(async () => {
  reference = await startQuietServer();
});

afterAll(async () => {
  await reference.close();
});

describe('probeApi() against the reference server', () => {
  it('proposes tessera because GET /health answered {"status":"ok"}, and sent no credentials anywhere', async () => {
    reference.clearRequests();
    const result = await probe(reference.url);
    expect(result).toMatchObject({
      ok: true,
      value: { url: reference.url, profile: 'tessera', reason: 'tesseraHealth', authContract: null },
    });
    if (!result.ok) return;
    expect(result.value.evidence).toContainEqual({
      check: 'tessera',
      request: 'GET /health',
      outcome: 'match',
      status: 200,
    });
    // Every other check got the reference server's own answer (404), which is no signature.
    expect(
      result.value.evidence.filter((item) => item.check !== 'tessera').map((item) => item.outcome),
    ).toEqual(['noMatch', 'noMatch', 'noMatch', 'noMatch', 'noMatch']);
    // Exactly one request per check, all to this origin; no sign-in was attempted.
    expect(
      reference
        .requests()
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual(
      [
        'GET /.well-known/openid-configuration',
        'POST /api/token/',
        'GET /server/info',
        'GET /auth/v1/settings',
        'GET /api/health',
        'GET /health',
      ].sort(),
    );
  });
});

describe('probeApi() against stand-ins answering as each backend documents', () => {
  it('SimpleJWT stand-in (DRF 400 field errors on an empty POST /api/token/): proposes simplejwt', async () => {
    await withStandIn({ 'POST /api/token/': SIMPLEJWT_EMPTY_POST }, async (server) => {
      const result = await probe(server.url);
      expect(result).toMatchObject({
        ok: true,
        value: {
          profile: 'simplejwt',
          reason: 'simplejwtTokenRoute',
          params: { fields: 'username, password' },
          authContract: null,
        },
      });
      // The only body sent was an empty JSON object, and no request carried credentials or cookies.
      const post = server.received.find((r) => r.line === 'POST /api/token/');
      expect(post?.body).toBe('{}');
      for (const request of server.received) {
        expect(request.headers.authorization).toBeUndefined();
        expect(request.headers.cookie).toBeUndefined();
      }
    });
  });

  it('SimpleJWT stand-in with USERNAME_FIELD = email: proposes simplejwt with that username field', async () => {
    const routes = {
      'POST /api/token/': {
        status: 400,
        json: { email: ['This field is required.'], password: ['This field is required.'] },
      },
    };
    await withStandIn(routes, async (server) => {
      expect(await probe(server.url)).toMatchObject({
        ok: true,
        value: {
          profile: 'simplejwt',
          params: { fields: 'email, password' },
          authContract: { login: { usernameField: 'email' } },
        },
      });
    });
  });

  it('Directus stand-in (GET /server/info → {data: {project: …}}): proposes directus', async () => {
    const routes = {
      'GET /server/info': {
        json: { data: { project: { project_name: 'Directus', default_language: 'en-US' } } },
      },
    };
    await withStandIn(routes, async (server) => {
      expect(await probe(server.url)).toMatchObject({
        ok: true,
        value: { profile: 'directus', reason: 'directusServerInfo' },
      });
    });
  });

  it('Supabase stand-ins (GoTrue /auth/v1/settings, or the gateway asking for apikey): propose supabase', async () => {
    const gotrue = {
      'GET /auth/v1/settings': {
        json: { external: { email: true, phone: false }, disable_signup: false, mailer_autoconfirm: false },
      },
    };
    const gateway = {
      'GET /auth/v1/settings': {
        status: 401,
        json: {
          message: 'No API key found in request',
          hint: 'No `apikey` request header or url param was found.',
        },
      },
    };
    for (const routes of [gotrue, gateway])
      await withStandIn(routes, async (server) => {
        expect(await probe(server.url)).toMatchObject({
          ok: true,
          value: { profile: 'supabase', reason: 'supabaseSettings' },
        });
      });
  });

  it('PocketBase stand-in (GET /api/health → {code: 200, message: "API is healthy."}): proposes pocketbase', async () => {
    const routes = { 'GET /api/health': { json: { code: 200, message: 'API is healthy.', data: {} } } };
    await withStandIn(routes, async (server) => {
      expect(await probe(server.url)).toMatchObject({
        ok: true,
        value: { profile: 'pocketbase', reason: 'pocketbaseHealth' },
      });
    });
  });

  it('OpenID Provider stand-in with the password grant (a Keycloak realm): proposes oauth2-password at its endpoints', async () => {
    // The routes know the stand-in's own URL only once it listens: filled in after.
    const routes: Record<string, StandInAnswer> = {};
    await withStandIn(routes, async (server) => {
      const issuer = `${server.url}/realms/main`;
      const discovery = 'GET /realms/main/.well-known/openid-configuration';
      routes[discovery] = {
        json: {
          issuer,
          token_endpoint: `${issuer}/protocol/openid-connect/token`,
          revocation_endpoint: `${issuer}/protocol/openid-connect/revoke`,
          grant_types_supported: ['authorization_code', 'refresh_token', 'password'],
        },
      };
      expect(await probe(issuer)).toMatchObject({
        ok: true,
        value: {
          url: issuer,
          profile: 'oauth2-password',
          reason: 'openidPasswordGrant',
          params: { issuer },
          authContract: {
            login: { path: '/protocol/openid-connect/token' },
            refresh: { path: '/protocol/openid-connect/token' },
            logout: { path: '/protocol/openid-connect/revoke' },
          },
        },
      });
      // Without the password grant: an OpenID Provider, no preset (sign in with it in the browser).
      routes[discovery] = {
        json: { issuer, token_endpoint: `${issuer}/token`, grant_types_supported: ['authorization_code'] },
      };
      expect(await probe(issuer)).toMatchObject({
        ok: true,
        value: { profile: null, reason: 'openidProvider', params: { issuer }, authContract: null },
      });
    });
  });

  it('a server like none of them (HTML 404s, a /health of another shape): nothing matched, with the evidence', async () => {
    const routes = {
      'GET /health': { json: { status: 'UP', components: {} } },
      'POST /api/token/': { status: 404, text: '<html><body>Not Found</body></html>' },
    };
    await withStandIn(routes, async (server) => {
      const result = await probe(server.url);
      expect(result).toMatchObject({ ok: true, value: { profile: null, reason: 'nothingMatched' } });
      if (!result.ok) return;
      expect(result.value.evidence).toContainEqual({
        check: 'tessera',
        request: 'GET /health',
        outcome: 'noMatch',
        status: 200,
      });
      expect(result.value.evidence).toContainEqual({
        check: 'simplejwt',
        request: 'POST /api/token/',
        outcome: 'noMatch',
        status: 404,
      });
    });
  });

  it('the most specific signature wins when several match (SimpleJWT beside a {"status":"ok"} /health)', async () => {
    const routes = { 'POST /api/token/': SIMPLEJWT_EMPTY_POST, 'GET /health': { json: { status: 'ok' } } };
    await withStandIn(routes, async (server) => {
      expect(await probe(server.url)).toMatchObject({ ok: true, value: { profile: 'simplejwt' } });
    });
  });
});

describe('probeApi() limits', () => {
  it('refuses a URL the apiBaseUrl rule refuses, naming the setting, without sending anything', async () => {
    for (const url of [
      'http://api.example.com',
      'ftp://127.0.0.1',
      'not a url',
      'https://user:pw@api.example.com',
    ])
      expect(await probe(url), url).toMatchObject({
        ok: false,
        error: { code: 'INVALID_CONFIG', key: 'apiBaseUrl' },
      });
  });

  it('a server that cannot be reached: unreachable, with the network code', async () => {
    const server = await standIn({});
    const { url } = server;
    await server.close();
    const result = await probe(url);
    expect(result).toMatchObject({
      ok: true,
      value: { profile: null, reason: 'unreachable', params: { code: 'NETWORK' } },
    });
    if (result.ok) expect(result.value.evidence.every((item) => item.outcome === 'failed')).toBe(true);
  });

  it('bounds every check by the request timeout: a server that never answers ends as TIMEOUT', async () => {
    const hang = { hang: true };
    const routes = {
      'GET /.well-known/openid-configuration': hang,
      'POST /api/token/': hang,
      'GET /server/info': hang,
      'GET /auth/v1/settings': hang,
      'GET /api/health': hang,
      'GET /health': hang,
    };
    await withStandIn(routes, async (server) => {
      expect(await probe(server.url, 1_000)).toMatchObject({
        ok: true,
        value: { profile: null, reason: 'unreachable', params: { code: 'TIMEOUT' } },
      });
    });
  });

  it('follows a redirect within the origin, and refuses one to another origin without asking it', async () => {
    reference.clearRequests();
    const routes = {
      // Same origin: followed.
      'GET /server/info': { status: 308, headers: { location: '/v2/server/info' } },
      'GET /v2/server/info': { json: { data: { project: { project_name: 'Moved' } } } },
      // Another origin (the reference server): refused, never asked.
      'GET /health': { status: 302, headers: { location: `${reference.url}/health` } },
    };
    await withStandIn(routes, async (server) => {
      const result = await probe(server.url);
      expect(result).toMatchObject({ ok: true, value: { profile: 'directus' } });
      if (!result.ok) return;
      expect(result.value.evidence).toContainEqual({
        check: 'tessera',
        request: 'GET /health',
        outcome: 'failed',
        code: 'BAD_RESPONSE',
      });
    });
    expect(reference.requests()).toEqual([]);
  });

  it('answers CANCELLED when its signal aborts (a newer probe replaced it)', async () => {
    await withStandIn({ 'GET /health': { hang: true } }, async (server) => {
      const controller = new AbortController();
      const pending = probe(server.url, 30_000, controller.signal);
      await new Promise((resolve) => setTimeout(resolve, 50));
      controller.abort();
      expect(await pending).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    });
  });
});
