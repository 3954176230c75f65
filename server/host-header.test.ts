import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { allowedHostNames, isLoopbackAddress } from './host-check';
import { collectedLog, startTestServer, useTestServers } from './test-support';

useTestServers();

const SIGN_IN = JSON.stringify({ username: 'demo', password: 'demo-password' });

/** POST /login to `server` with the given Host header (fetch will not set one). */
function signInAs(server: { port: number }, host: string) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: unknown }>(
    (resolve, reject) => {
      const req = request({
        host: '127.0.0.1',
        port: server.port,
        path: '/login',
        method: 'POST',
        headers: {
          Host: host,
          Origin: `http://${host}`,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(SIGN_IN),
        },
      });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }),
        );
      });
      req.on('error', reject);
      req.end(SIGN_IN);
    },
  );
}

describe('the Host header of a request to a loopback server', () => {
  it('refuses a name other than 127.0.0.1, [::1] or localhost with 421 (DNS rebinding)', async () => {
    const server = await startTestServer();
    for (const host of [
      `rebind.attacker.example:${server.port}`,
      'rebind.attacker.example',
      `localhost.attacker.example:${server.port}`,
      `127.0.0.1.attacker.example:${server.port}`,
      `app.localhost:${server.port}`,
      `0.0.0.0:${server.port}`,
    ]) {
      const answer = await signInAs(server, host);
      expect(answer.status, host).toBe(421);
      expect(answer.body).toEqual({
        error: 'MisdirectedRequestError',
        message: 'This server answers only requests addressed to 127.0.0.1, [::1] or localhost',
      });
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(answer.headers['cache-control']).toBe('no-store');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      // Not a sign-in: no tokens, and the other origin gets no CORS headers.
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    }
    expect(server.requests('/login').every((entry) => entry.status === 421)).toBe(true);
    expect(collectedLog().some((line) => /^POST \/login 421 \d+ms$/.test(line))).toBe(true);
  });

  it('answers 127.0.0.1, [::1] and localhost, with or without a port, in any case', async () => {
    const server = await startTestServer();
    for (const host of [
      `127.0.0.1:${server.port}`,
      '127.0.0.1',
      `localhost:${server.port}`,
      'LocalHost',
      `[::1]:${server.port}`,
      '[::1]',
      'localhost:4000',
    ]) {
      expect((await signInAs(server, host)).status, host).toBe(200);
    }
  });

  it('answers a name given in allowedHosts (e.g. one only a test proxy resolves)', async () => {
    const server = await startTestServer({ allowedHosts: ['api.corp.test'] });
    expect((await signInAs(server, `api.corp.test:${server.port}`)).status).toBe(200);
    expect((await signInAs(server, `other.corp.test:${server.port}`)).status).toBe(421);
  });
});

describe('allowedHostNames()', () => {
  it('checks on loopback addresses only, adding the address itself', () => {
    expect(allowedHostNames('127.0.0.1')).toEqual(new Set(['127.0.0.1', '[::1]', 'localhost']));
    expect(allowedHostNames('::1')).toEqual(new Set(['127.0.0.1', '[::1]', 'localhost']));
    expect(allowedHostNames('127.0.0.2', ['Api.Corp.Test'])).toEqual(
      new Set(['127.0.0.1', '[::1]', 'localhost', '127.0.0.2', 'api.corp.test']),
    );
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com']) {
      expect(isLoopbackAddress(host), host).toBe(false);
      expect(allowedHostNames(host), host).toBeUndefined();
    }
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', '::ffff:127.0.0.1']) {
      expect(isLoopbackAddress(host), host).toBe(true);
    }
  });
});
