import { describe, expect, it } from 'vitest';
import { createTestControls, RECORDED_REQUESTS_KEPT } from './test-controls';
import { call, login, me, refresh, startTestServer, testClock, useTestServers } from './test-support';

useTestServers();

describe('failNext()', () => {
  it('fails the next count requests with 503 InjectedFaultError, then answers normally', async () => {
    const server = await startTestServer();
    server.failNext(2);
    for (let i = 0; i < 2; i += 1) {
      const answer = await call(server, '/health');
      expect(answer.status).toBe(503);
      expect(answer.body?.error).toBe('InjectedFaultError');
      expect(typeof answer.body?.message).toBe('string');
    }
    expect((await call(server, '/health')).status).toBe(200);
  });

  it('uses the given status and Retry-After', async () => {
    const server = await startTestServer();
    server.failNext(1, { status: 429, retryAfterSeconds: 7 });
    const answer = await call(server, '/health');
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('7');
  });

  it('only fails requests to the given path', async () => {
    const server = await startTestServer();
    const { accessToken } = await login(server);
    server.failNext(1, { path: '/api/user/me', status: 500 });
    expect((await call(server, '/health')).status).toBe(200);
    expect((await me(server, accessToken)).status).toBe(500);
    expect((await me(server, accessToken)).status).toBe(200);
  });

  it('sends a raw body instead of JSON, for malformed-response tests', async () => {
    const server = await startTestServer();
    server.failNext(1, { status: 200, body: '{"accessToken": "trunc', path: '/login' });
    const answer = await call(server, '/login', { json: { username: 'demo', password: 'demo-password' } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.text).toBe('{"accessToken": "trunc');
  });

  it('destroys the connection with resetConnection and records it with status 0', async () => {
    const server = await startTestServer();
    server.failNext(1, { resetConnection: true });
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    expect(server.requests('/health')).toEqual([{ method: 'GET', path: '/health', status: 0 }]);
    expect((await call(server, '/health')).status).toBe(200);
  });

  it('with only delayMs answers normally after the delay (a slow server)', async () => {
    const server = await startTestServer();
    server.failNext(1, { delayMs: 20 });
    const answer = await call(server, '/health');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok' });
  });

  it('holds a delayed request while others are answered', async () => {
    const server = await startTestServer();
    // Only the slow request goes to this path, so no other request can take the fault.
    server.failNext(1, { delayMs: 60_000, path: '/api/user/me' });
    const abort = new AbortController();
    let settled = false;
    const slow = fetch(`${server.url}/api/user/me`, { signal: abort.signal }).finally(() => {
      settled = true;
    });
    for (let i = 0; i < 3; i += 1) expect((await call(server, '/health')).status).toBe(200);
    expect(settled).toBe(false);
    abort.abort();
    await expect(slow).rejects.toThrow();
  });

  it('delays and then fails when both delayMs and status are given', async () => {
    const server = await startTestServer();
    server.failNext(1, { delayMs: 10, status: 502 });
    expect((await call(server, '/health')).status).toBe(502);
  });

  it('does not consume faults with CORS preflights, and injected answers keep CORS headers', async () => {
    const server = await startTestServer();
    server.failNext(1, { path: '/login' });
    const preflight = await fetch(`${server.url}/login`, {
      method: 'OPTIONS',
      headers: { Origin: 'app://tessera', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    const answer = await call(server, '/login', {
      json: { username: 'demo', password: 'demo-password' },
      headers: { Origin: 'app://tessera' },
    });
    expect(answer.status).toBe(503);
    expect(answer.headers.get('access-control-allow-origin')).toBe('app://tessera');
  });

  it('rejects nonsense arguments', async () => {
    const server = await startTestServer();
    expect(() => server.failNext(-1)).toThrow(TypeError);
    expect(() => server.failNext(1, { status: 42 })).toThrow(TypeError);
  });
});

describe('clearFaults()', () => {
  it('drops the faults and holds still queued: the next requests are answered normally', async () => {
    const server = await startTestServer();
    server.failNext(5, { path: '/health', status: 503 });
    const hold = server.holdNext('/health');
    expect((await call(server, '/health')).status).toBe(503);
    server.clearFaults();
    expect((await call(server, '/health')).status).toBe(200);
    expect((await call(server, '/health')).status).toBe(200);
    expect(hold.arrived).toBe(false);
  });
});

describe('holdNext()', () => {
  it('holds the next request to the path, answering others, until release(); then it is answered normally', async () => {
    const server = await startTestServer();
    const hold = server.holdNext('/health');
    expect(hold.arrived).toBe(false);
    let settled = false;
    const held = call(server, '/health').finally(() => {
      settled = true;
    });
    await expect.poll(() => hold.arrived).toBe(true);
    // Other paths, and the path's next request, are not held.
    expect((await call(server, '/api/user/me')).status).toBe(401);
    expect((await call(server, '/health')).status).toBe(200);
    expect(settled).toBe(false);
    // Still in flight: recorded only once answered.
    expect(server.requests('/health')).toEqual([{ method: 'GET', path: '/health', status: 200 }]);
    hold.release();
    const answer = await held;
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'ok' });
    expect(server.requests('/health')).toHaveLength(2);
  });

  it('released before one arrives, lets the next matching request straight through', async () => {
    const server = await startTestServer();
    const hold = server.holdNext();
    hold.release();
    expect((await call(server, '/health')).status).toBe(200);
    expect(hold.arrived).toBe(true);
  });

  it('waits its turn behind failNext faults queued before it', async () => {
    const server = await startTestServer();
    server.failNext(1, { path: '/health', status: 502 });
    const hold = server.holdNext('/health');
    expect((await call(server, '/health')).status).toBe(502);
    expect(hold.arrived).toBe(false);
    const held = call(server, '/health');
    await expect.poll(() => hold.arrived).toBe(true);
    hold.release();
    expect((await held).status).toBe(200);
  });

  it('is cut (recorded with status 0) when the server closes, without holding close() open', async () => {
    const server = await startTestServer();
    const hold = server.holdNext('/health');
    const held = fetch(`${server.url}/health`);
    await expect.poll(() => hold.arrived).toBe(true);
    await server.close();
    await expect(held).rejects.toThrow();
    expect(server.requests('/health')).toEqual([{ method: 'GET', path: '/health', status: 0 }]);
  });
});

describe('issuedTokens()', () => {
  it('records each access token issued by /login and /token/refresh: user, issue time, exp and expiresIn', async () => {
    const clock = testClock(Date.UTC(2030, 0, 1, 0, 0, 0, 400));
    const server = await startTestServer({ now: clock.now, accessTtlSeconds: 3 });
    const first = await login(server);
    clock.advance(2_000);
    await refresh(server, first.refreshToken);
    // A refused refresh issues nothing.
    await refresh(server, first.refreshToken);
    const start = Date.UTC(2030, 0, 1, 0, 0, 0, 400);
    expect(server.issuedTokens()).toEqual([
      // exp = the whole second of issue + 3 s, so 2.6 s away: the answer says 2.
      { path: '/login', user: 'demo', issuedAt: start, expiresAt: start - 400 + 3_000, expiresIn: 2 },
      {
        path: '/token/refresh',
        user: 'demo',
        issuedAt: start + 2_000,
        expiresAt: start - 400 + 5_000,
        expiresIn: 2,
      },
    ]);
    server.clearRequests();
    expect(server.issuedTokens()).toEqual([]);
  });
});

describe('requests()', () => {
  it('records every request in order, with the path but no query string, including faults', async () => {
    const server = await startTestServer();
    await call(server, '/health?probe=1');
    await call(server, '/api/user/me');
    server.failNext(1, { status: 500 });
    await call(server, '/health');
    expect(server.requests()).toEqual([
      { method: 'GET', path: '/health', status: 200 },
      { method: 'GET', path: '/api/user/me', status: 401 },
      { method: 'GET', path: '/health', status: 500 },
    ]);
    expect(server.requests('/health')).toHaveLength(2);
    server.clearRequests();
    expect(server.requests()).toEqual([]);
  });

  it('names the user whose access token an accepted request carried, and no one for a refused one', async () => {
    const server = await startTestServer();
    const demo = await login(server);
    const admin = await login(server, 'admin', 'admin-password');
    server.clearRequests();
    await me(server, demo.accessToken);
    await me(server, admin.accessToken);
    await me(server, 'not-a-token');
    expect(server.requests('/api/user/me')).toEqual([
      { method: 'GET', path: '/api/user/me', status: 200, user: 'demo' },
      { method: 'GET', path: '/api/user/me', status: 200, user: 'admin' },
      { method: 'GET', path: '/api/user/me', status: 401 },
    ]);
  });
});

describe('setTokenLifetimes()', () => {
  it('changes the lifetimes of tokens issued afterwards', async () => {
    const clock = testClock();
    const server = await startTestServer({ now: clock.now });
    server.setTokenLifetimes({ accessSeconds: 5, refreshSeconds: 20 });
    const tokens = await login(server);
    expect(tokens.expiresIn).toBe(5);
    expect(tokens.refreshExpiresIn).toBe(20);
    server.setTokenLifetimes({ accessSeconds: 10 });
    expect((await login(server)).expiresIn).toBe(10);
  });
});

describe('setClock()', () => {
  it('moves the server clock of a running server', async () => {
    const server = await startTestServer({ accessTtlSeconds: 60 });
    const { accessToken } = await login(server);
    server.setClock(() => Date.now() + 61_000);
    expect((await me(server, accessToken)).body?.error).toBe('TokenExpiredError');
  });
});

describe('addUser()', () => {
  it('adds a user who can sign in, with the given role and name', async () => {
    const server = await startTestServer({ seed: false });
    const added = server.addUser({
      username: 'carol',
      password: 'carol-password',
      role: 'admin',
      name: 'Carol',
    });
    expect(added).toMatchObject({ username: 'carol', name: 'Carol', role: 'admin' });
    const { accessToken } = await login(server, 'carol', 'carol-password');
    expect((await me(server, accessToken)).body).toEqual(added);
    expect((await call(server, '/api/admin/stats', { token: accessToken })).body?.users).toBe(1);
  });

  it('defaults the name to the username and refuses a duplicate', async () => {
    const server = await startTestServer();
    expect(server.addUser({ username: 'dave', password: 'pw', role: 'user' }).name).toBe('dave');
    expect(() => server.addUser({ username: 'demo', password: 'pw', role: 'user' })).toThrow(
      /already exists/,
    );
  });

  it('is not needed for the seeded users, and seed: false leaves them out', async () => {
    const server = await startTestServer({ seed: false });
    const answer = await call(server, '/login', { json: { username: 'demo', password: 'demo-password' } });
    expect(answer.status).toBe(401);
  });
});

describe('the request record', () => {
  it('keeps at least the last RECORDED_REQUESTS_KEPT requests, and never more than twice that', () => {
    const controls = createTestControls();
    const total = 3 * RECORDED_REQUESTS_KEPT + 7;
    let largest = 0;
    for (let i = 0; i < total; i += 1) {
      controls.record({ method: 'GET', path: `/r/${i}`, status: 200 });
      // Just before each trim is where the record is largest.
      if ((i + 2) % RECORDED_REQUESTS_KEPT === 0) largest = Math.max(largest, controls.requests().length);
    }
    const kept = controls.requests();
    expect(largest).toBeLessThan(2 * RECORDED_REQUESTS_KEPT);
    expect(kept.length).toBeGreaterThanOrEqual(RECORDED_REQUESTS_KEPT);
    // The newest ones, in order.
    expect(kept.at(-1)?.path).toBe(`/r/${total - 1}`);
    expect(kept.at(-RECORDED_REQUESTS_KEPT)?.path).toBe(`/r/${total - RECORDED_REQUESTS_KEPT}`);
  });
});
