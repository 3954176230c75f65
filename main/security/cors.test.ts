import { describe, expect, it } from 'vitest';
import { patchCorsHeaders } from './cors';

const api = 'http://127.0.0.1:4000';

describe('patchCorsHeaders()', () => {
  it('adds the app origin to responses from the configured API', () => {
    const patch = patchCorsHeaders(
      {
        method: 'GET',
        url: `${api}/api/user/me`,
        statusCode: 200,
        responseHeaders: { 'Content-Type': ['application/json'] },
      },
      api,
    );
    expect(patch?.responseHeaders['Access-Control-Allow-Origin']).toEqual(['app://tessera']);
    expect(patch?.responseHeaders['Content-Type']).toEqual(['application/json']);
    expect(patch?.statusLine).toBeUndefined();
  });

  it('answers a preflight the API rejects, with the allowed methods and headers', () => {
    const patch = patchCorsHeaders(
      { method: 'OPTIONS', url: `${api}/login`, statusCode: 404, responseHeaders: {} },
      api,
    );
    expect(patch?.statusLine).toBe('HTTP/1.1 204 No Content');
    expect(patch?.responseHeaders['Access-Control-Allow-Headers']?.[0]).toMatch(/Authorization/);
    expect(patch?.responseHeaders['Access-Control-Allow-Methods']?.[0]).toMatch(/POST/);
  });

  it('replaces CORS headers the API already sent instead of duplicating them', () => {
    const patch = patchCorsHeaders(
      {
        method: 'GET',
        url: `${api}/health`,
        statusCode: 200,
        responseHeaders: { 'access-control-allow-origin': ['*'], vary: ['Accept'] },
      },
      api,
    );
    const names = Object.keys(patch?.responseHeaders ?? {}).filter((h) => /allow-origin/i.test(h));
    expect(names).toEqual(['Access-Control-Allow-Origin']);
    expect(patch?.responseHeaders.vary).toEqual(['Accept']);
  });

  it('leaves responses from every other origin untouched', () => {
    expect(
      patchCorsHeaders(
        { method: 'GET', url: 'https://evil.example/x', statusCode: 200, responseHeaders: {} },
        api,
      ),
    ).toBeNull();
    expect(
      patchCorsHeaders(
        { method: 'GET', url: 'http://127.0.0.1:4001/x', statusCode: 200, responseHeaders: {} },
        api,
      ),
    ).toBeNull();
  });
});
