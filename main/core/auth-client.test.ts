import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorInfo, Result } from '../../common/errors';
import type { RunningServer } from '../../server';
import { parseCliConfig } from '../../server/config';
import { captureLogs } from '../../test/support/capture-logs';
import { DEMO, fakeJwt, selfSignedCertificate, testSettings } from '../../test/support/fixtures';
import { startQuietServer } from '../../test/support/test-server';
import { type AuthClient, createAuthClient, type FetchLike } from './auth-client';
import { isRejectedRequest } from './auth-errors';

let server: RunningServer;
let client: AuthClient;
const logs = captureLogs();
/** Every token the tests saw and every error they got: checked at the end for leaks. */
const secretsSeen: string[] = [DEMO.password, 'wrong-password-123'];
const errorsSeen: ErrorInfo[] = [];

function track<R extends Result<unknown>>(result: R): R {
  if (!result.ok) errorsSeen.push(result.error);
  return result;
}

function clientFor(
  url: string,
  overrides: Parameters<typeof testSettings>[1] = {},
  fetch: FetchLike = globalThis.fetch,
) {
  return createAuthClient({ fetch, endpoints: testSettings(url, overrides), logger: logs.logger });
}

async function login(c: AuthClient = client) {
  const result = track(await c.login(DEMO.username, DEMO.password));
  if (!result.ok) throw new Error(`login failed: ${result.error.message}`);
  const { refreshToken } = result.value;
  if (refreshToken === undefined) throw new Error('the tessera contract always gives a refresh token');
  secretsSeen.push(result.value.accessToken, refreshToken);
  return { ...result.value, refreshToken };
}

/** Makes the next login answer 200 with `body` verbatim. */
function answerLoginWith(body: string): void {
  server.failNext(1, { path: '/login', status: 200, body });
}

/**
 * A small real HTTP server on a loopback port that answers every request with `handle`, for answers
 * the reference server cannot be made to give (a body that stalls, a header it never sends).
 */
async function withRawServer(
  handle: (request: IncomingMessage, response: ServerResponse) => void,
  run: (url: string) => Promise<void>,
): Promise<void> {
  const raw = createServer(handle);
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
  const { port } = raw.address() as { port: number };
  try {
    await run(`http://127.0.0.1:${port}`);
  } finally {
    raw.closeAllConnections();
    await new Promise<void>((resolve) => raw.close(() => resolve()));
  }
}

/** A fetch over node:http, which hands every status back as an answer (a 407 included), as net.request does. */
const nodeHttpFetch: FetchLike = async (input, init) => {
  const source = init === undefined ? input : new Request(input, init);
  const body = source.body === null ? null : Buffer.from(await source.arrayBuffer());
  return new Promise<Response>((resolve, reject) => {
    const outgoing = httpRequest(source.url, {
      method: source.method,
      headers: Object.fromEntries(source.headers),
    });
    outgoing.on('response', (message) => {
      const chunks: Buffer[] = [];
      message.on('data', (chunk: Buffer) => chunks.push(chunk));
      message.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(message.headers))
          if (typeof value === 'string') headers.set(name, value);
        resolve(new Response(Buffer.concat(chunks), { status: message.statusCode ?? 0, headers }));
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body ?? undefined);
  });
};

beforeAll(async () => {
  server = await startQuietServer();
  client = clientFor(server.url);
});

beforeEach(() => server.clearRequests());

afterAll(async () => {
  await server.close();
  // Suite-level leak check: no error message and no log line carries a token or password.
  const text = `${errorsSeen.map((e) => JSON.stringify(e)).join('\n')}\n${logs.text()}`;
  for (const secret of secretsSeen) expect(text).not.toContain(secret);
});

describe('login()', () => {
  it("accepts the flow's camelCase answer of the reference server", async () => {
    const grant = await login();
    expect(grant.tokenType).toBe('Bearer');
    expect(grant.accessToken.split('.')).toHaveLength(3);
    expect(grant.expiresIn).toBeGreaterThan(800);
    expect(grant.refreshToken.length).toBeGreaterThan(20);
  });

  it("accepts RFC 6749's snake_case answer", async () => {
    const accessToken = fakeJwt({ sub: 'x', exp: 2_000_000_000 });
    answerLoginWith(
      JSON.stringify({
        access_token: accessToken,
        expires_in: 300,
        refresh_token: 'rt-snake',
        token_type: 'bearer',
      }),
    );
    const result = track(await client.login(DEMO.username, DEMO.password));
    expect(result).toEqual({
      ok: true,
      value: { accessToken, tokenType: 'Bearer', expiresIn: 300, refreshToken: 'rt-snake' },
    });
  });

  it('reads a JSON answer that begins with a byte order mark', async () => {
    const accessToken = fakeJwt({ sub: 'x', exp: 2_000_000_000 });
    answerLoginWith(`\ufeff${JSON.stringify({ accessToken, expiresIn: 300, refreshToken: 'rt-bom' })}`);
    const result = track(await client.login(DEMO.username, DEMO.password));
    expect(result).toMatchObject({
      ok: true,
      value: { accessToken, expiresIn: 300, refreshToken: 'rt-bom' },
    });
  });

  it('reads an expires_in sent as a string of digits, as every contract does', async () => {
    const accessToken = fakeJwt({ sub: 'x', exp: 2_000_000_000 });
    answerLoginWith(JSON.stringify({ access_token: accessToken, expires_in: '3600', refresh_token: 'rt-s' }));
    expect(track(await client.login(DEMO.username, DEMO.password))).toMatchObject({
      ok: true,
      value: { expiresIn: 3600, refreshToken: 'rt-s' },
    });
  });

  it('reports a wrong password as INVALID_CREDENTIALS without echoing it', async () => {
    const result = track(await client.login(DEMO.username, 'wrong-password-123'));
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CREDENTIALS', status: 401, serverError: 'InvalidCredentialsError' },
    });
  });

  it("reports Django REST framework's 400 non_field_errors (dj-rest-auth, djoser) as INVALID_CREDENTIALS", async () => {
    const body = JSON.stringify({ non_field_errors: ['Unable to log in with provided credentials.'] });
    server.failNext(1, { path: '/login', status: 400, body });
    const result = track(await client.login(DEMO.username, 'wrong-password-123'));
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_CREDENTIALS', status: 400 } });
  });

  it('reports 429 as RATE_LIMITED with the Retry-After seconds', async () => {
    server.failNext(1, {
      path: '/login',
      status: 429,
      retryAfterSeconds: 42,
      body: '{"error":"TooManyRequestsError","message":"slow down"}',
    });
    const result = track(await client.login(DEMO.username, DEMO.password));
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'RATE_LIMITED',
        status: 429,
        retryAfterSeconds: 42,
        serverError: 'TooManyRequestsError',
      },
    });
  });

  it('reports 503 with Retry-After as SERVER with retryAfterSeconds, and does not retry by itself', async () => {
    server.failNext(1, { path: '/login', status: 503, retryAfterSeconds: 7 });
    const result = track(await client.login(DEMO.username, DEMO.password));
    expect(result).toMatchObject({ ok: false, error: { code: 'SERVER', status: 503, retryAfterSeconds: 7 } });
    expect(server.requests('/login')).toHaveLength(1);
  });

  it("reads a Retry-After date against the answer's Date header, and disbelieves one past a day", async () => {
    // A small real server: the reference server sends Retry-After in seconds only.
    let retryAt = '';
    const busy = (_: IncomingMessage, response: ServerResponse) => {
      const date = Math.floor(Date.now() / 1000) * 1000;
      response.writeHead(429, {
        'content-type': 'application/json',
        date: new Date(date).toUTCString(),
        'retry-after':
          retryAt === 'far' ? 'Fri, 01 Jan 2100 00:00:00 GMT' : new Date(date + 60_000).toUTCString(),
      });
      response.end('{"error":"TooManyRequestsError"}');
    };
    await withRawServer(busy, async (url) => {
      // This computer's clock two hours behind the server's: by it, the date is 2 h 1 min away.
      const behind = createAuthClient({
        fetch: globalThis.fetch,
        endpoints: testSettings(url),
        logger: logs.logger,
        now: () => Date.now() - 2 * 3_600_000,
      });
      expect(track(await behind.login(DEMO.username, DEMO.password))).toMatchObject({
        ok: false,
        error: { code: 'RATE_LIMITED', retryAfterSeconds: 60 },
      });
      // A date 75 years ahead is a broken header, not a wait to tell anyone about.
      retryAt = 'far';
      const far = track(await clientFor(url).login(DEMO.username, DEMO.password));
      expect(far).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
      expect(far.ok ? null : far.error.retryAfterSeconds).toBeUndefined();
    });
  });

  it('reports a server slower than the timeout as TIMEOUT', async () => {
    const impatient = clientFor(server.url, { requestTimeoutMs: 200 });
    server.failNext(1, { path: '/login', delayMs: 3_000 });
    const result = track(await impatient.login(DEMO.username, DEMO.password));
    expect(result).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
  });

  it('reports a server that sends the head of an answer and then stalls its body as TIMEOUT', async () => {
    // The request timeout covers the body too: a sign-in (or a refresh, which the session runs one at
    // a time) whose answer stops half way must end, not wait for ever.
    const stalling = (_: IncomingMessage, response: ServerResponse) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"accessToken":"');
    };
    await withRawServer(stalling, async (url) => {
      const impatient = clientFor(url, { requestTimeoutMs: 200 });
      expect(track(await impatient.login(DEMO.username, DEMO.password))).toMatchObject({
        ok: false,
        error: { code: 'TIMEOUT' },
      });
      expect(track(await impatient.refresh('rt-stalled-1'))).toMatchObject({
        ok: false,
        error: { code: 'TIMEOUT' },
      });
    });
  });

  it('reports a refused connection as NETWORK', async () => {
    const gone = await startQuietServer();
    const url = gone.url;
    await gone.close();
    const result = track(await clientFor(url).login(DEMO.username, DEMO.password));
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'NETWORK', message: expect.stringContaining('ECONNREFUSED') },
    });
  });

  it('reports a reset connection as NETWORK', async () => {
    server.failNext(1, { path: '/login', resetConnection: true });
    const result = track(await client.login(DEMO.username, DEMO.password));
    expect(result).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
  });

  it('reports an untrusted certificate as TLS', async () => {
    const tlsServer = await startQuietServer({ tls: selfSignedCertificate() });
    try {
      const url = tlsServer.url.replace(/^http:/, 'https:');
      const result = track(await clientFor(url).login(DEMO.username, DEMO.password));
      expect(result).toMatchObject({ ok: false, error: { code: 'TLS' } });
    } finally {
      await tlsServer.close();
    }
  });

  describe('rejects every malformed answer as BAD_RESPONSE', () => {
    const jwt = fakeJwt({ sub: 'x', exp: 2_000_000_000 });
    const valid = { accessToken: jwt, expiresIn: 900, refreshToken: 'rt-valid-1', tokenType: 'Bearer' };
    it.each([
      ['a body that is not JSON', '<html>Bad gateway</html>'],
      ['a truncated body', JSON.stringify(valid).slice(0, 40)],
      ['an empty body', ''],
      ['a JSON array', JSON.stringify([valid])],
      ['a body without the access token', JSON.stringify({ ...valid, accessToken: undefined })],
      ['a body without the refresh token', JSON.stringify({ ...valid, refreshToken: undefined })],
      ['a body without expiresIn', JSON.stringify({ ...valid, expiresIn: undefined })],
      ['an access token that is not a JWT', JSON.stringify({ ...valid, accessToken: 'opaque.token' })],
      ['a negative expiresIn', JSON.stringify({ ...valid, expiresIn: -60 })],
      ['a zero expiresIn', JSON.stringify({ ...valid, expiresIn: 0 })],
      ['a huge expiresIn', JSON.stringify({ ...valid, expiresIn: 10 ** 12 })],
      ['an expiresIn that is a string but no number', JSON.stringify({ ...valid, expiresIn: '900s' })],
    ])('%s', async (_, body) => {
      answerLoginWith(body);
      const result = track(await client.login(DEMO.username, DEMO.password));
      expect(result).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE' } });
    });
  });

  it('signs in against the reference server at the shortest access lifetime its command line accepts', async () => {
    // `expiresIn` is rounded down: a 1-s token would be answered as 0 s, which no client can schedule by.
    const accepted = (ttl: number) => parseCliConfig(['--access-ttl', String(ttl)], {}, ':memory:').ok;
    const shortest = [1, 2, 3].find(accepted) ?? Number.NaN;
    const brief = await startQuietServer({ accessTtlSeconds: shortest });
    try {
      const grant = track(await clientFor(brief.url).login(DEMO.username, DEMO.password));
      expect(grant).toMatchObject({ ok: true, value: { expiresIn: expect.any(Number) } });
      if (grant.ok) secretsSeen.push(grant.value.accessToken, String(grant.value.refreshToken));
    } finally {
      await brief.close();
    }
  });

  it('keeps a base path of the API URL in front of every endpoint path', async () => {
    const paths: string[] = [];
    // Records the path the client asked for, then serves it from the root of the reference server.
    const viaV1: FetchLike = async (request) => {
      const url = new URL(request.url);
      paths.push(url.pathname);
      const body = request.method === 'GET' ? undefined : await request.text();
      return fetch(`${server.url}${url.pathname.replace(/^\/v1/, '')}`, {
        method: request.method,
        headers: request.headers,
        body,
        redirect: 'manual',
      });
    };
    const v1 = clientFor(`${server.url}/v1/`, {}, viaV1);
    const grant = await login(v1);
    track(await v1.me(grant.accessToken));
    expect(paths).toEqual(['/v1/login', '/v1/api/user/me']);
  });
});

describe('refresh()', () => {
  it('rotates the refresh token and refuses the old one as reused afterwards', async () => {
    const first = await login();
    const rotated = track(await client.refresh(first.refreshToken));
    if (!rotated.ok) throw new Error(rotated.error.message);
    secretsSeen.push(rotated.value.accessToken, rotated.value.refreshToken ?? '');
    expect(rotated.value.refreshToken).not.toBe(first.refreshToken);
    const reused = track(await client.refresh(first.refreshToken));
    expect(reused).toMatchObject({
      ok: false,
      error: { code: 'SESSION_EXPIRED', status: 401, serverError: 'RefreshTokenReusedError' },
    });
  });

  it('reports an unknown refresh token as SESSION_EXPIRED with InvalidRefreshTokenError', async () => {
    const result = track(await client.refresh('not-a-real-refresh-token'));
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'SESSION_EXPIRED', serverError: 'InvalidRefreshTokenError' },
    });
  });

  it('reports an expired refresh token as SESSION_EXPIRED with RefreshTokenExpiredError', async () => {
    server.setTokenLifetimes({ refreshSeconds: 60 });
    const grant = await login();
    server.setTokenLifetimes({ refreshSeconds: 1_209_600 });
    server.setClock(() => Date.now() + 120_000);
    try {
      const result = track(await client.refresh(grant.refreshToken));
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'SESSION_EXPIRED', serverError: 'RefreshTokenExpiredError' },
      });
    } finally {
      server.setClock(Date.now);
    }
  });

  it("a refused refresh carries the server's clock reading (its Date header), for judging the token's exp", async () => {
    const before = Math.floor(Date.now() / 1000) * 1000;
    const result = track(await client.refresh('not-a-real-refresh-token'));
    if (result.ok) throw new Error('an unknown refresh token was accepted');
    // HTTP dates have whole seconds.
    expect(result.error.serverTime).toBeGreaterThanOrEqual(before);
    expect(result.error.serverTime).toBeLessThanOrEqual(Date.now());
  });

  it("reports a proxy's 407 (its prompt cancelled or refused) as NETWORK: not a refused request, the token kept", async () => {
    // A proxy that wants a password main could not give answers 407 in the server's place: the refresh
    // never reached the server, so it must not end up as 'check the API contract' (refreshMisconfigured).
    // Node's fetch turns a 407 into a network error (as the Fetch standard says); Electron's net.request,
    // under the shell's fetch, hands it back as an answer, as node:http does here.
    const viaHttp = clientFor(server.url, {}, nodeHttpFetch);
    const grant = await login();
    server.failNext(1, { path: '/token/refresh', status: 407 });
    const result = track(await viaHttp.refresh(grant.refreshToken));
    if (result.ok) throw new Error('a 407 was read as tokens');
    expect(result.error).toMatchObject({ code: 'NETWORK', status: 407 });
    expect(result.error.message).toContain('proxy');
    expect(isRejectedRequest(result.error)).toBe(false);
    server.failNext(1, { path: '/login', status: 407 });
    expect(track(await viaHttp.login(DEMO.username, DEMO.password))).toMatchObject({
      ok: false,
      error: { code: 'NETWORK', status: 407 },
    });
  });

  it('reports a malformed refresh answer as BAD_RESPONSE', async () => {
    const grant = await login();
    server.failNext(1, { path: '/token/refresh', status: 200, body: '{"accessToken":"x","expiresIn":60}' });
    const result = track(await client.refresh(grant.refreshToken));
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE' } });
  });
});

describe('logout()', () => {
  it('revokes the refresh token and deny-lists the access token sent as Bearer', async () => {
    const grant = await login();
    expect(track(await client.logout(grant.refreshToken, grant.accessToken))).toEqual({
      ok: true,
      value: undefined,
    });
    expect(track(await client.refresh(grant.refreshToken))).toMatchObject({
      ok: false,
      error: { code: 'SESSION_EXPIRED' },
    });
    expect(track(await client.me(grant.accessToken))).toMatchObject({
      ok: false,
      error: { code: 'SESSION_EXPIRED', serverError: 'TokenRevokedError' },
    });
  });

  it('reports a server error as a value', async () => {
    server.failNext(1, { path: '/logout', status: 500 });
    expect(track(await client.logout('whatever-token'))).toMatchObject({
      ok: false,
      error: { code: 'SERVER' },
    });
  });
});

describe('me()', () => {
  it('reads the profile of the signed-in user', async () => {
    const grant = await login();
    const result = track(await client.me(grant.accessToken));
    expect(result).toEqual({
      ok: true,
      value: { sub: expect.any(String), username: 'demo', name: expect.any(String), role: 'user' },
    });
  });

  it('reports an expired access token as SESSION_EXPIRED with TokenExpiredError', async () => {
    const grant = await login();
    server.setClock(() => Date.now() + 3_600_000);
    try {
      expect(track(await client.me(grant.accessToken))).toMatchObject({
        ok: false,
        error: { code: 'SESSION_EXPIRED', status: 401, serverError: 'TokenExpiredError' },
      });
    } finally {
      server.setClock(Date.now);
    }
  });
});

describe('a server that echoes what it was sent', () => {
  // Opaque values too short or too plain for the redactor's shapes (an OAuth server's 20-character
  // refresh token, a password): only knowing what was sent can keep them out of a quoted message.
  const shortRefresh = 'Xy7kQ2mN9pLr4TzW8vBc';
  const password = 'Correct-Horse-7';
  secretsSeen.push(shortRefresh, password);

  it('keeps the refresh token it sent out of the quoted answer of a refused refresh', async () => {
    server.failNext(1, {
      path: '/token/refresh',
      status: 400,
      body: JSON.stringify({ detail: `Refresh token ${shortRefresh} is malformed` }),
    });
    const result = track(await client.refresh(shortRefresh));
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE', status: 400 } });
    if (result.ok) return;
    expect(result.error.message).toContain('Refresh token [redacted] is malformed');
    expect(JSON.stringify(result.error)).not.toContain(shortRefresh);
  });

  it('keeps the refresh token it sent out of the error name, where a server put it', async () => {
    server.failNext(1, {
      path: '/token/refresh',
      status: 400,
      body: JSON.stringify({ error: shortRefresh }),
    });
    const result = track(await client.refresh(shortRefresh));
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE', status: 400 } });
    expect(JSON.stringify(result)).not.toContain(shortRefresh);
  });

  it("hides what was sent only in the server's words, never in the app's own", async () => {
    // A weak password that is also a word of the app's message: the message stays readable.
    const result = track(await client.login(DEMO.username, 'password'));
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CREDENTIALS', message: 'The username or password is incorrect' },
    });
  });

  it('keeps the password it sent out of the quoted answer of a refused sign-in request', async () => {
    server.failNext(1, {
      path: '/login',
      status: 400,
      body: JSON.stringify({
        error: 'invalid_request',
        error_description: `password ${password} not accepted`,
      }),
    });
    const result = track(await client.login(DEMO.username, password));
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_CONFIG', status: 400 } });
    if (result.ok) return;
    expect(result.error.message).toContain('password [redacted] not accepted');
    expect(JSON.stringify(result.error)).not.toContain(password);
  });
});
