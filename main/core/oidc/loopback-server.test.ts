import { request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { realTimers } from '../timers';
import { type LoopbackListener, openLoopback } from './loopback-server';

const STATE = 'expected-state-value-0123456789';
const opened: LoopbackListener[] = [];

afterEach(() => {
  for (const listener of opened.splice(0)) listener.close();
});

async function listen(options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<LoopbackListener> {
  const result = await openLoopback({
    expectedState: STATE,
    signal: options.signal ?? new AbortController().signal,
    timeoutMs: options.timeoutMs ?? 10_000,
    timers: realTimers,
    locale: 'en',
  });
  if (!result.ok) throw new Error(result.error.message);
  opened.push(result.value);
  return result.value;
}

/** A raw GET with a chosen Host header (fetch would not let a test forge it). */
function get(port: number, path: string, host = `127.0.0.1:${port}`, method = 'GET') {
  return new Promise<{ status: number; body: string; headers: Record<string, unknown> } | { error: string }>(
    (resolve) => {
      const req = request({ host: '127.0.0.1', port, path, method, headers: { host } }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      });
      req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? String(error) }));
      req.end();
    },
  );
}

/**
 * Sends `head` as it is (a request line and headers no HTTP client would build) and returns the raw
 * answer once the listener closes the connection.
 */
function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      data += chunk;
    });
    socket.on('close', () => resolve(data));
    socket.on('error', () => resolve(data));
  });
}

describe('openLoopback()', () => {
  it('listens on 127.0.0.1 with an ephemeral port and a /callback redirect URI', async () => {
    const listener = await listen();
    expect(listener.port).toBeGreaterThan(0);
    expect(listener.redirectUri).toBe(`http://127.0.0.1:${listener.port}/callback`);
  });

  it('takes the callback with the right state and answers the browser once the app says how it went', async () => {
    const listener = await listen();
    const browser = get(listener.port, `/callback?code=the-code-123&state=${STATE}&iss=x`);
    const callback = await listener.callback;
    expect(callback.ok && callback.value.url.searchParams.get('code')).toBe('the-code-123');
    if (callback.ok) callback.value.finish('success');
    const answer = await browser;
    expect(answer).toMatchObject({ status: 200 });
    if ('body' in answer) {
      expect(answer.body).toContain('You can close this window');
      expect(answer.body).not.toContain('the-code-123');
      expect(answer.body).not.toContain(STATE);
      expect(answer.headers).toMatchObject({
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
    }
    expect(await get(listener.port, '/callback')).toMatchObject({ error: 'ECONNREFUSED' });
  });

  it('refuses a wrong or missing state, another host, path or method, and keeps waiting', async () => {
    const listener = await listen();
    let settled = false;
    void listener.callback.then(() => {
      settled = true;
    });
    expect(await get(listener.port, '/callback?code=x&state=forged')).toMatchObject({ status: 400 });
    expect(await get(listener.port, '/callback?code=x')).toMatchObject({ status: 400 });
    expect(await get(listener.port, `/callback?state=${STATE}`, `localhost:${listener.port}`)).toMatchObject({
      status: 400,
    });
    expect(await get(listener.port, `/callback?state=${STATE}`, 'evil.example')).toMatchObject({
      status: 400,
    });
    expect(await get(listener.port, `/favicon.ico`)).toMatchObject({ status: 404 });
    expect(await get(listener.port, `/callback?state=${STATE}`, undefined, 'POST')).toMatchObject({
      status: 404,
    });
    expect(settled).toBe(false);
    const browser = get(listener.port, `/callback?code=real&state=${STATE}`);
    const callback = await listener.callback;
    expect(callback.ok).toBe(true);
    if (callback.ok) callback.value.finish('failure');
    expect(await browser).toMatchObject({
      status: 400,
      body: expect.stringContaining('could not finish signing you in'),
    });
  });

  it('answers the tab "cancelled" at once when aborted after the callback, and no later "success" is shown', async () => {
    const controller = new AbortController();
    const listener = await listen({ signal: controller.signal });
    const browser = get(listener.port, `/callback?code=real&state=${STATE}`);
    const callback = await listener.callback;
    expect(callback.ok).toBe(true);
    // The app is exchanging the code when the person cancels.
    controller.abort();
    expect(await browser).toMatchObject({ status: 400, body: expect.stringContaining('Sign-in cancelled') });
    if (callback.ok) callback.value.finish('success');
    expect(await get(listener.port, '/callback')).toMatchObject({ error: 'ECONNREFUSED' });
  });

  it('fails with TIMEOUT and frees the port when nothing comes back in time', async () => {
    const listener = await listen({ timeoutMs: 50 });
    expect(await listener.callback).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    expect(await get(listener.port, '/callback')).toMatchObject({ error: 'ECONNREFUSED' });
  });

  it('fails with CANCELLED and frees the port when aborted, even before it started', async () => {
    const controller = new AbortController();
    const listener = await listen({ signal: controller.signal });
    controller.abort();
    expect(await listener.callback).toEqual({
      ok: false,
      error: { code: 'CANCELLED', message: 'The sign-in was cancelled' },
    });
    expect(await get(listener.port, '/callback')).toMatchObject({ error: 'ECONNREFUSED' });
    const early = new AbortController();
    early.abort();
    expect(await (await listen({ signal: early.signal })).callback).toMatchObject({
      ok: false,
      error: { code: 'CANCELLED' },
    });
  });

  it('answers a request target that is no URL path, a huge URL or broken headers with an error page, and keeps waiting', async () => {
    const listener = await listen();
    let settled = false;
    void listener.callback.then(() => {
      settled = true;
    });
    const host = `Host: 127.0.0.1:${listener.port}`;
    // `GET //` is what fetch('http://127.0.0.1:<port>//', { mode: 'no-cors' }) sends from any web page.
    for (const target of ['//', '//[', '//a:b/', '/\\', `//[/callback?state=${STATE}`]) {
      const answer = await rawRequest(
        listener.port,
        `GET ${target} HTTP/1.1\r\n${host}\r\nConnection: close\r\n\r\n`,
      );
      expect(answer, target).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer, target).toContain('Content-Security-Policy');
    }
    for (const head of [
      `GET /callback?state=${STATE}&pad=${'a'.repeat(20_000)} HTTP/1.1\r\n${host}\r\n\r\n`,
      `GET /callback?state=${STATE} HTTP/1.1\r\n${host}\r\nX-Bad\u0001: x\r\n\r\n`,
      `BREW /callback?state=${STATE} HTTP/1.1\r\n${host}\r\nConnection: close\r\n\r\n`,
      `GET /callback?state=${STATE} HTTP/1.0\r\n\r\n`,
    ])
      expect(await rawRequest(listener.port, head), head.slice(0, 40)).toMatch(/^HTTP\/1\.[01] 4\d\d /);
    expect(settled).toBe(false);
    const browser = get(listener.port, `/callback?code=real&state=${STATE}`);
    const callback = await listener.callback;
    expect(callback.ok).toBe(true);
    if (callback.ok) callback.value.finish('success');
    expect(await browser).toMatchObject({ status: 200 });
  });
});

describe('openLoopback() request targets naming another origin', () => {
  it("refuses a callback whose target names another host (`//host/…`, absolute-form): openid-client would send that host's URL as the redirect_uri", async () => {
    const listener = await listen();
    let settled = false;
    void listener.callback.then(() => {
      settled = true;
    });
    const host = `Host: 127.0.0.1:${listener.port}`;
    for (const target of [
      `//evil.example/callback?code=x&state=${STATE}`,
      `http://evil.example/callback?code=x&state=${STATE}`,
      `http://127.0.0.1:1/callback?code=x&state=${STATE}`,
    ]) {
      // An accepted callback is answered only once the app finishes: race it against the acceptance.
      const answer = await Promise.race([
        rawRequest(listener.port, `GET ${target} HTTP/1.1\r\n${host}\r\nConnection: close\r\n\r\n`),
        listener.callback.then(() => 'accepted as the callback'),
      ]);
      expect(answer, target).toMatch(/^HTTP\/1\.1 400 /);
    }
    expect(settled).toBe(false);
    // The listener's own origin in absolute-form is the same callback.
    const answer = rawRequest(
      listener.port,
      `GET http://127.0.0.1:${listener.port}/callback?code=real&state=${STATE} HTTP/1.1\r\n${host}\r\nConnection: close\r\n\r\n`,
    );
    const callback = await listener.callback;
    expect(callback.ok && callback.value.url.href).toBe(
      `http://127.0.0.1:${listener.port}/callback?code=real&state=${STATE}`,
    );
    if (callback.ok) callback.value.finish('success');
    expect(await answer).toMatch(/^HTTP\/1\.1 200 /);
  });
});
