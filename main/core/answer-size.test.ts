// Answers too big to be what was asked for: the auth client and the OpenID Connect discovery stop
// reading at MAX_ANSWER_BYTES and report BAD_RESPONSE, instead of collecting a huge (or gzip-bombed)
// body whole in main's memory. The real reference server answers with an oversize body (its fault
// injection); a loopback server sends the gzip bomb and the oversize discovery document.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../common/errors';
import type { RunningServer } from '../../server';
import { DEMO, testSettings } from '../../test/support/fixtures';
import { startQuietServer } from '../../test/support/test-server';
import { limitAnswerSize, MAX_ANSWER_BYTES } from './answer-size';
import { createAuthClient } from './auth-client';
import { discoverProvider } from './oidc/oidc-discovery';

let server: RunningServer;
let bomb: Server;
let bombUrl: string;
/** Bytes of every inflated answer the loopback server sends: far past the limit, a few KiB on the wire. */
const INFLATED_BYTES = 64 * MAX_ANSWER_BYTES;

function failure<T>(result: Result<T>) {
  if (result.ok) throw new Error('expected a failure');
  return result.error;
}

beforeAll(async () => {
  server = await startQuietServer();
  const inflated = gzipSync(Buffer.alloc(INFLATED_BYTES, 0x20));
  bomb = createServer((req, res) => {
    req.resume();
    // Its Content-Length is the few KiB on the wire: only the decoded bytes tell.
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'content-length': String(inflated.length),
    });
    res.end(inflated);
  });
  await new Promise<void>((resolve) => bomb.listen(0, '127.0.0.1', resolve));
  bombUrl = `http://127.0.0.1:${(bomb.address() as AddressInfo).port}`;
});

afterAll(async () => {
  bomb.closeAllConnections();
  await new Promise((resolve) => bomb.close(resolve));
  await server.close();
});

describe('an answer larger than MAX_ANSWER_BYTES', () => {
  const client = () => createAuthClient({ fetch: globalThis.fetch, endpoints: testSettings(server.url) });

  it('fails a sign-in as BAD_RESPONSE saying so, not as unreadable JSON read whole', async () => {
    server.failNext(1, { path: '/login', status: 200, body: 'x'.repeat(MAX_ANSWER_BYTES + 1) });
    const error = failure(await client().login(DEMO.username, DEMO.password));
    expect(error).toEqual({
      code: 'BAD_RESPONSE',
      message: 'Sign-in failed: the server answered with more than 1 MiB',
    });
  });

  it('fails a refresh as BAD_RESPONSE saying so: the token is not refused, the server not offline', async () => {
    server.failNext(1, { path: '/token/refresh', status: 200, body: ' '.repeat(2 * MAX_ANSWER_BYTES) });
    const error = failure(await client().refresh('some-refresh-token'));
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toContain('more than 1 MiB');
  });

  it('counts the inflated bytes of a compressed answer (a gzip bomb stops at the limit)', async () => {
    const bombed = createAuthClient({ fetch: globalThis.fetch, endpoints: testSettings(bombUrl) });
    const error = failure(await bombed.login(DEMO.username, DEMO.password));
    expect(error).toMatchObject({
      code: 'BAD_RESPONSE',
      message: expect.stringContaining('more than 1 MiB'),
    });
  });

  it('fails an OpenID Connect discovery the same way', async () => {
    const settings = { oidcIssuer: bombUrl, oidcClientId: 'tessera', requestTimeoutMs: 5000 };
    const error = failure(await discoverProvider(settings, globalThis.fetch, Date.now));
    expect(error).toMatchObject({
      code: 'BAD_RESPONSE',
      message: expect.stringContaining('more than 1 MiB'),
    });
  });

  it('hands an answer its Content-Length keeps within the limit on as it is (no counting stream to pay for)', async () => {
    const small = new Response('{"ok":true}', { headers: { 'content-length': '11' } });
    const chunked = new Response('{"ok":true}');
    expect(await limitAnswerSize(async () => small)(new Request('http://x.example/'))).toBe(small);
    expect(await limitAnswerSize(async () => chunked)(new Request('http://x.example/'))).not.toBe(chunked);
  });

  it('still reads an answer of exactly the limit', async () => {
    const grant = await client().login(DEMO.username, DEMO.password);
    if (!grant.ok) throw new Error(grant.error.message);
    const body = JSON.stringify({ ...grant.value });
    server.failNext(1, { path: '/login', status: 200, body: body.padEnd(MAX_ANSWER_BYTES, ' ') });
    expect(await client().login(DEMO.username, DEMO.password)).toMatchObject({ ok: true });
  });
});
