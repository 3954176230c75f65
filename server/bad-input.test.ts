import { once } from 'node:events';
import { type AddressInfo, connect, type Socket } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { afterAll, describe, expect, it } from 'vitest';
import { createAccessTokens } from './access-tokens';
import { createApp } from './app';
import { openDatabase } from './db';
import { openKeyStore } from './key-file';
import { createLoginLimiter } from './login-limiter';
import { createRefreshTokens } from './refresh-tokens';
import { createRevokedFamilies } from './revoked-families';
import { loadSigningKeys } from './signing-keys';
import { createTestControls } from './test-controls';
import { type Answer, call, collectedLog, startTestServer, useTestServers } from './test-support';
import { createUserStore } from './users';
import { createWorkQueue } from './work-queue';

useTestServers();

const server = await startTestServer();

/** POSTs `chunks` as a chunked JSON body (no Content-Length). */
function postChunked(path: string, chunks: Uint8Array[]): Promise<Response> {
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = chunks.shift();
      if (next) controller.enqueue(next);
      else controller.close();
    },
  });
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
    duplex: 'half',
  } as RequestInit);
}

function expectError(answer: Answer, status: number, error: string): void {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
  expect(Object.keys(answer.body ?? {}).sort()).toEqual(['error', 'message']);
  expect(answer.body?.error).toBe(error);
  expect(typeof answer.body?.message).toBe('string');
}

describe.each(['/login', '/token/refresh', '/logout'])('POST %s with bad input', (path) => {
  it('answers 400 BadRequestError for malformed JSON', async () => {
    const answer = await call(server, path, {
      body: '{"username": ',
      headers: { 'Content-Type': 'application/json' },
    });
    expectError(answer, 400, 'BadRequestError');
  });

  it('answers 400 BadRequestError for an empty JSON body', async () => {
    expectError(
      await call(server, path, { method: 'POST', headers: { 'Content-Type': 'application/json' } }),
      400,
      'BadRequestError',
    );
  });

  it.each([
    ['an empty object', {}],
    ['an array', [1, 2]],
    ['null', null],
    ['a string', 'hello'],
    ['wrong field types', { username: 1, password: true, refreshToken: 42 }],
    ['empty strings', { username: '', password: '', refreshToken: '' }],
  ])('answers 400 BadRequestError for %s', async (_what, json) => {
    expectError(await call(server, path, { json }), 400, 'BadRequestError');
  });

  it('answers 415 UnsupportedMediaTypeError for a body that is not declared as JSON', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const answer = await call(server, path, { body: '{}', headers: { 'Content-Type': contentType } });
      expectError(answer, 415, 'UnsupportedMediaTypeError');
    }
    expectError(await call(server, path, { method: 'POST' }), 415, 'UnsupportedMediaTypeError');
  });

  it('answers 413 PayloadTooLargeError for a body over 1 MiB', async () => {
    const big = JSON.stringify({ username: 'x'.repeat(1024 * 1024), password: 'p', refreshToken: 'r' });
    expectError(
      await call(server, path, { body: big, headers: { 'Content-Type': 'application/json' } }),
      413,
      'PayloadTooLargeError',
    );
  });

  it('answers 413 PayloadTooLargeError for an oversized chunked body without Content-Length', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    const response = await postChunked(
      path,
      Array.from({ length: 20 }, () => chunk),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'PayloadTooLargeError' });
  });
});

describe('reading a JSON body', () => {
  const demo = { username: 'demo', password: 'demo-password' };

  it('reads a body with a declared length as fetch reads it: UTF-8, a leading BOM dropped', async () => {
    const answer = await call(server, '/login', {
      body: `\uFEFF${JSON.stringify(demo)}`,
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    expect(answer.status).toBe(200);
  });

  it('reads a chunked body under the limit (counted by the size limit as it arrives)', async () => {
    const bytes = new TextEncoder().encode(JSON.stringify(demo));
    const response = await postChunked('/login', [bytes.subarray(0, 10), bytes.subarray(10)]);
    expect(response.status).toBe(200);
  });

  it('survives a client that goes away in the middle of its body, and keeps answering', async () => {
    const { port } = new URL(server.url);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      'POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"username":',
    );
    // Let the server start reading the body before the connection goes.
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await call(server, '/login', { json: demo })).status).toBe(200);
    expect(collectedLog().filter((line) => / 5\d\d /.test(line))).toEqual([]);
  });
});

/**
 * Sends `text` and waits until the server closes the connection; resolves with what it answered.
 * `heard` sees the answer so far after each chunk, and may write more.
 */
async function trickle(text: string, heard?: (answer: string, socket: Socket) => void): Promise<string> {
  const { port } = new URL(server.url);
  const socket = connect(Number(port), '127.0.0.1');
  await once(socket, 'connect');
  let answer = '';
  socket.on('data', (chunk: Buffer) => {
    answer += chunk.toString('latin1');
    heard?.(answer, socket);
  });
  socket.on('error', () => {});
  socket.write(text);
  await once(socket, 'close');
  return answer;
}

describe('requests the HTTP adapter cannot turn into a fetch Request', () => {
  it.each([
    ['a Host with user info', 'GET /health HTTP/1.1\r\nHost: a@b\r\nConnection: close\r\n\r\n', '/health'],
    [
      'a backslash in the target',
      'GET /a\\b HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
      '/a\\b',
    ],
  ])(
    'answers %s as every other error: JSON 400 with the usual headers, logged and recorded',
    async (_, text, path) => {
      const raw = await trickle(text);
      const [head = '', body = ''] = raw.split('\r\n\r\n');
      expect(head).toMatch(/^HTTP\/1\.1 400 /);
      expect(head).toMatch(/\r\ncontent-type: application\/json/i);
      expect(head).toMatch(/\r\ncache-control: no-store/i);
      expect(head).toMatch(/\r\nx-content-type-options: nosniff/i);
      // Chunked or not, the JSON body is in there whole.
      expect(body).toContain(
        '{"error":"BadRequestError","message":"The request line or Host header cannot be read"}',
      );
      expect(collectedLog()).toContain(`GET ${path.replace(/\\/g, '\\\\')} 400 0ms`);
      expect(server.requests(path).at(-1)).toEqual({ method: 'GET', path, status: 400 });
      // And the server goes on answering.
      expect((await call(server, '/health')).status).toBe(200);
    },
  );
});

/** The head and body of a raw answer, checked for the headers and JSON body every answer has. */
function expectAppAnswer(raw: string, status: number, error: string): void {
  const [head = '', body = ''] = raw.split('\r\n\r\n');
  expect(head).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
  expect(head).toMatch(/\r\ncontent-type: application\/json/i);
  expect(head).toMatch(/\r\ncache-control: no-store/i);
  expect(head).toMatch(/\r\nx-content-type-options: nosniff/i);
  expect(body).toContain(`{"error":"${error}","message":"`);
}

describe('answers the HTTP layer would write itself', () => {
  it('answers an HTTP/1.1 request without Host as every other error: JSON 400, logged and recorded', async () => {
    const raw = await trickle('GET /no-host HTTP/1.1\r\nConnection: close\r\n\r\n');
    expectAppAnswer(raw, 400, 'BadRequestError');
    expect(collectedLog()).toContain('GET /no-host 400 0ms');
    expect(server.requests('/no-host')).toEqual([{ method: 'GET', path: '/no-host', status: 400 }]);
  });

  it('answers headers over 16 KiB as every other error: JSON 431, logged and recorded', async () => {
    const raw = await trickle(
      `GET /big-headers?secret=1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: ${'a'.repeat(17_000)}\r\n\r\n`,
    );
    expectAppAnswer(raw, 431, 'RequestHeaderFieldsTooLargeError');
    expect(collectedLog()).toContain('GET /big-headers 431 0ms');
    expect(server.requests('/big-headers')).toEqual([{ method: 'GET', path: '/big-headers', status: 431 }]);
    expect((await call(server, '/health')).status).toBe(200);
  });
});

describe('Expect: 100-continue', () => {
  const ask = (length: number) =>
    `POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n`;

  it('answers a body announced over the limit with 413 at once, never inviting it with 100 Continue', async () => {
    const answer = await trickle(ask(2_000_000));
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).not.toContain('100 Continue');
  });

  it('invites a body within the limit, and answers it', async () => {
    const SIGN_IN = JSON.stringify({ username: 'demo', password: 'demo-password' });
    const answer = await trickle(ask(Buffer.byteLength(SIGN_IN)), (sofar, socket) => {
      if (sofar === 'HTTP/1.1 100 Continue\r\n\r\n') socket.write(SIGN_IN);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
  });
});

describe('slow clients (slowloris)', () => {
  it('answers 408 and closes a connection whose headers or body stop arriving', {
    timeout: 45_000,
  }, async () => {
    // Node's defaults held them 60 s (headers) and 300 s (the whole request): many such connections
    // at once would each hold a socket that long. Now 10 s for the headers, 15 s for the request.
    const [headers, body] = await Promise.all([
      trickle('POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n'),
      trickle(
        'POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"username":',
      ),
    ]);
    // As every other answer: JSON, the usual headers, a log line and a record (the request line of one
    // whose headers never ended is unknown: `-`).
    expectAppAnswer(headers, 408, 'RequestTimeoutError');
    expectAppAnswer(body, 408, 'RequestTimeoutError');
    expect(collectedLog()).toContain('- - 408 0ms');
    expect(collectedLog().some((line) => /^POST \/login 408 \d+ms$/.test(line))).toBe(true);
    expect(server.requests('/login')).toContainEqual({ method: 'POST', path: '/login', status: 408 });
    expect(
      (await call(server, '/login', { json: { username: 'demo', password: 'demo-password' } })).status,
    ).toBe(200);
  });
});

describe('routing', () => {
  it('answers 404 NotFoundError for an unknown route', async () => {
    expectError(await call(server, '/no/such/route'), 404, 'NotFoundError');
    expectError(await call(server, '/api/user/me/extra'), 404, 'NotFoundError');
  });

  it('answers 405 MethodNotAllowedError with Allow for a known path and a wrong method', async () => {
    const wrongGet = await call(server, '/login');
    expectError(wrongGet, 405, 'MethodNotAllowedError');
    expect(wrongGet.headers.get('allow')).toBe('POST, OPTIONS');
    const wrongPost = await call(server, '/api/user/me', { json: {} });
    expectError(wrongPost, 405, 'MethodNotAllowedError');
    expect(wrongPost.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
  });

  it('answers HEAD like GET without a body', async () => {
    const answer = await call(server, '/health', { method: 'HEAD' });
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('');
  });
});

describe('unexpected exceptions', () => {
  const db = openDatabase(':memory:');
  afterAll(() => db.close());

  it('answer 500 InternalServerError without leaking details', async () => {
    const now = () => Date.now();
    const keys = await loadSigningKeys(openKeyStore(db, undefined), 'HS256', undefined);
    const users = createUserStore(db);
    users.authenticate = () => Promise.reject(new Error('SECRET-DETAIL from the database layer'));
    const log: string[] = [];
    const app = createApp({
      users,
      keys,
      log: (line) => log.push(line),
      controls: createTestControls(),
      corsOrigins: [],
      limiter: createLoginLimiter(now),
      passwordChecks: createWorkQueue(),
      refreshTokens: createRefreshTokens(db, now, () => 60),
      accessTokens: createAccessTokens(db, {
        keys,
        issuer: 'i',
        audience: 'a',
        leewaySeconds: 0,
        now,
        accessSeconds: () => 60,
        revokedFamilies: createRevokedFamilies(db, now),
      }),
    });
    const broken = createAdaptorServer({ fetch: app.fetch });
    await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
      const answer = await call({ url }, '/login', { json: { username: 'demo', password: 'whatever' } });
      expect(answer.status).toBe(500);
      expect(answer.body).toEqual({ error: 'InternalServerError', message: 'Internal server error' });
      expect(answer.text).not.toContain('SECRET-DETAIL');
      expect(log.join('\n')).not.toContain('SECRET-DETAIL');
      expect(log.filter((line) => /^POST \/login 500 \d+ms$/.test(line))).toHaveLength(1);
    } finally {
      await new Promise((resolve) => broken.close(resolve));
    }
  });

  it('never answered 500 to any bad input above', () => {
    expect(collectedLog().filter((line) => / 5\d\d /.test(line))).toEqual([]);
  });
});
