import { describe, expect, it } from 'vitest';
import { type Answer, call, startTestServer, useTestServers } from './test-support';

useTestServers();

function corsHeaders(answer: Answer | Response): Record<string, string> {
  return Object.fromEntries(
    [...answer.headers.entries()].filter(([name]) => name.startsWith('access-control-')),
  );
}

function preflight(url: string, origin: string): Promise<Response> {
  return fetch(`${url}/login`, {
    method: 'OPTIONS',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'authorization, content-type',
    },
  });
}

describe('CORS', () => {
  it('sets Access-Control-Allow-Origin and exposes WWW-Authenticate and Retry-After for app://tessera', async () => {
    const server = await startTestServer();
    const answer = await call(server, '/health', { headers: { Origin: 'app://tessera' } });
    expect(answer.headers.get('access-control-allow-origin')).toBe('app://tessera');
    expect(answer.headers.get('access-control-expose-headers')).toBe('WWW-Authenticate,Retry-After');
    expect(answer.headers.get('vary')).toMatch(/Origin/);
  });

  it('keeps the CORS headers on error answers so the app can read them', async () => {
    const server = await startTestServer();
    const answer = await call(server, '/api/user/me', { headers: { Origin: 'app://tessera' } });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('access-control-allow-origin')).toBe('app://tessera');
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="tessera"');
  });

  it('gives another origin no CORS headers at all', async () => {
    const server = await startTestServer();
    const answer = await call(server, '/health', { headers: { Origin: 'https://evil.example' } });
    expect(answer.status).toBe(200);
    expect(corsHeaders(answer)).toEqual({});
  });

  it('answers a preflight from an allowed origin with the allowed methods and headers', async () => {
    const server = await startTestServer();
    const response = await preflight(server.url, 'app://tessera');
    expect(response.status).toBe(204);
    expect(corsHeaders(response)).toMatchObject({
      'access-control-allow-origin': 'app://tessera',
      'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
      'access-control-allow-headers': 'Authorization,Content-Type',
    });
  });

  it('answers a preflight from another origin without CORS headers', async () => {
    const server = await startTestServer();
    const response = await preflight(server.url, 'https://evil.example');
    expect(corsHeaders(response)).toEqual({});
  });

  it('uses the corsOrigins option as the allow-list', async () => {
    const server = await startTestServer({ corsOrigins: ['app://tessera', 'http://127.0.0.1:5173'] });
    const fromHost = await call(server, '/health', { headers: { Origin: 'http://127.0.0.1:5173' } });
    expect(fromHost.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    expect(
      (await preflight(server.url, 'http://127.0.0.1:5173')).headers.get('access-control-allow-origin'),
    ).toBe('http://127.0.0.1:5173');
    const other = await call(server, '/health', { headers: { Origin: 'http://127.0.0.1:9999' } });
    expect(corsHeaders(other)).toEqual({});
  });
});
