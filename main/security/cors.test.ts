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
    expect(patch?.responseHeaders.Vary).toEqual(['Origin']);
    expect(patch?.statusLine).toBeUndefined();
  });

  it('allows the page origin it is given (the e2e browser host serves the page on https)', () => {
    const patch = patchCorsHeaders(
      { method: 'GET', url: `${api}/health`, statusCode: 200, responseHeaders: {} },
      api,
      'https://tessera.app.test',
    );
    expect(patch?.responseHeaders['Access-Control-Allow-Origin']).toEqual(['https://tessera.app.test']);
  });

  it('keeps the headers an API exposes itself (ETag, Link, X-Request-Id) next to the ones the app needs', () => {
    const patch = patchCorsHeaders(
      {
        method: 'GET',
        url: `${api}/api/items`,
        statusCode: 200,
        responseHeaders: {
          'Access-Control-Allow-Origin': ['https://portal.example.com'],
          'Access-Control-Expose-Headers': ['ETag, Link'],
          'access-control-expose-headers': ['X-Request-Id, etag'],
          'Access-Control-Allow-Credentials': ['true'],
          ETag: ['"v1"'],
          Link: ['</api/items?page=2>; rel="next"'],
          'X-Request-Id': ['req-1'],
        },
      },
      api,
    );
    expect(patch?.responseHeaders).toEqual({
      'Access-Control-Allow-Origin': ['app://tessera'],
      'Access-Control-Expose-Headers': [
        'ETag, Link, X-Request-Id, WWW-Authenticate, Retry-After, Content-Type, Content-Length, Date',
      ],
      'Access-Control-Allow-Credentials': ['true'],
      ETag: ['"v1"'],
      Link: ['</api/items?page=2>; rel="next"'],
      'X-Request-Id': ['req-1'],
      Vary: ['Origin'],
    });
  });

  it('merges Vary instead of keeping two: the API’s values plus Origin, once; * stays *', () => {
    const vary = (values: Record<string, string[]>) =>
      patchCorsHeaders({ method: 'GET', url: `${api}/x`, statusCode: 200, responseHeaders: values }, api)
        ?.responseHeaders;
    expect(vary({ vary: ['Accept'] })).toMatchObject({ Vary: ['Accept, Origin'] });
    expect(vary({ vary: ['Accept'] })).not.toHaveProperty('vary');
    expect(vary({ Vary: ['Accept-Encoding, origin'] })).toMatchObject({ Vary: ['Accept-Encoding, origin'] });
    expect(vary({ Vary: ['*'] })).toMatchObject({ Vary: ['*'] });
  });

  it('answers a preflight the API rejects, with the allowed methods and headers', () => {
    const patch = patchCorsHeaders(
      { method: 'OPTIONS', url: `${api}/login`, statusCode: 404, responseHeaders: {} },
      api,
    );
    expect(patch?.statusLine).toBe('HTTP/1.1 204 No Content');
    expect(patch?.responseHeaders['Access-Control-Allow-Headers']).toEqual([
      'Authorization, Content-Type, Accept',
    ]);
    expect(patch?.responseHeaders['Access-Control-Allow-Methods']).toEqual([
      'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    ]);
    expect(patch?.responseHeaders['Access-Control-Max-Age']).toEqual(['600']);
  });

  it('merges a preflight the API answers: its own headers and methods stay allowed, its max-age wins', () => {
    const patch = patchCorsHeaders(
      {
        method: 'OPTIONS',
        url: `${api}/api/items`,
        statusCode: 204,
        responseHeaders: {
          'Access-Control-Allow-Origin': ['*'],
          'Access-Control-Allow-Headers': ['X-Api-Key, authorization'],
          'Access-Control-Allow-Methods': ['GET, HEAD'],
          'Access-Control-Max-Age': ['60'],
        },
      },
      api,
    );
    expect(patch?.statusLine).toBeUndefined();
    expect(patch?.responseHeaders).toMatchObject({
      'Access-Control-Allow-Origin': ['app://tessera'],
      'Access-Control-Allow-Headers': ['X-Api-Key, authorization, Content-Type, Accept'],
      'Access-Control-Allow-Methods': ['GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS'],
      'Access-Control-Max-Age': ['60'],
    });
    const allowOrigin = Object.keys(patch?.responseHeaders ?? {}).filter((h) => /allow-origin/i.test(h));
    expect(allowOrigin).toEqual(['Access-Control-Allow-Origin']);
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
