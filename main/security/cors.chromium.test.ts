// The shell's CORS rule in Debian's Chromium: a page on its own origin reads an API's answers only
// through the headers patchCorsHeaders decides (applied the way the e2e browser host applies them,
// test/support/cors-route.ts). The API here exposes headers of its own, and allow-lists another origin.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_LAUNCH } from '../../test/support/chromium';
import { routeCorsPatch } from '../../test/support/cors-route';
import { patchCorsHeaders } from './cors';

const PAGE_ORIGIN = 'https://tessera.app.test';

let api: Server;
let apiUrl: string;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  api = createServer((request, response) => {
    const own = {
      'Access-Control-Allow-Origin': 'https://portal.example.com',
      'Access-Control-Expose-Headers': 'ETag, Link, X-Request-Id',
      ETag: '"v1"',
      Link: '</items?page=2>; rel="next"',
      'X-Request-Id': 'req-42',
      'Content-Type': 'application/json',
    };
    if (request.url === '/expired') {
      response.writeHead(401, { ...own, 'WWW-Authenticate': 'Bearer error="invalid_token"' });
      response.end('{"error":"TokenExpiredError"}');
      return;
    }
    response.writeHead(200, own).end('{"items":[]}');
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;

  browser = await chromium.launch(CHROMIUM_LAUNCH);
  const context = await browser.newContext();
  await context.grantPermissions(['local-network-access'], { origin: PAGE_ORIGIN });
  await context.route(`${PAGE_ORIGIN}/**`, (route) =>
    route.fulfill({
      status: 200,
      headers: { 'Content-Type': 'text/html' },
      body: '<!doctype html><title>cors</title>',
    }),
  );
  await routeCorsPatch(context, PAGE_ORIGIN, (response) => patchCorsHeaders(response, apiUrl, PAGE_ORIGIN));
  page = await context.newPage();
  await page.goto(`${PAGE_ORIGIN}/`);
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => api.close(resolve));
});

/** What the page can read of an answer: status and the named headers (null: hidden or absent). */
function readFromPage(url: string, names: string[]) {
  return page.evaluate(
    async ([target, headerNames]) => {
      const response = await fetch(target as string, { headers: { Authorization: 'Bearer x' } });
      const headers: Record<string, string | null> = {};
      for (const name of headerNames as string[]) headers[name] = response.headers.get(name);
      return { status: response.status, headers };
    },
    [url, names] as const,
  );
}

describe('patchCorsHeaders() in Chromium', () => {
  it('lets the page read the headers the API exposes itself, though it allow-lists another origin', async () => {
    expect(await readFromPage(`${apiUrl}/items`, ['etag', 'link', 'x-request-id', 'content-type'])).toEqual({
      status: 200,
      headers: {
        etag: '"v1"',
        link: '</items?page=2>; rel="next"',
        'x-request-id': 'req-42',
        'content-type': 'application/json',
      },
    });
  });

  it('lets the page read WWW-Authenticate, which the app needs and this API does not expose', async () => {
    expect(await readFromPage(`${apiUrl}/expired`, ['www-authenticate', 'x-request-id'])).toEqual({
      status: 401,
      headers: { 'www-authenticate': 'Bearer error="invalid_token"', 'x-request-id': 'req-42' },
    });
  });
});
