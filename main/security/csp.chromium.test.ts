// The CSP the shell sends, loaded into a real page in Debian's Chromium (the engine Electron embeds),
// which then calls a real loopback API: a source Chromium ignores, or one that matches too much or
// too little, shows here as a fetch that fails or succeeds — string compares cannot show that.
import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_LAUNCH } from '../../test/support/chromium';
import { selfSignedCertificate } from '../../test/support/fixtures';
import { buildCsp } from './csp';

/** Stands in for app://tessera, as in the e2e browser host: an https page origin (a secure context). */
const PAGE_ORIGIN = 'https://tessera.app.test';
/**
 * A DNS name Chromium resolves to 127.0.0.1 (--host-resolver-rules), for an API reached by name. Such
 * an API is https (settings allow plain http only on loopback; from a secure page it would be mixed
 * content anyway); its self-signed certificate is accepted by the context (ignoreHTTPSErrors).
 */
const DNS_NAME = 'api.tessera.test';

type Reach = { answer: string } | { blocked: string };

const servers: Server[] = [];
let browser: Browser;
/** The API: one port, listening on 127.0.0.1 and on ::1. */
let apiPort: number;
/** Another service on another port, on both addresses too: the page must not reach it. */
let otherPort: number;
/** The API reached by DNS name: https on 127.0.0.1. */
let tlsPort: number;

/** Listens on `host`:`port` (0: any free port) and answers who it is and on which address. */
async function listen(name: string, host: string, port: number, tls = false): Promise<number> {
  const answer: RequestListener = (request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/plain', 'Access-Control-Allow-Origin': '*' });
    response.end(`${name} on ${request.socket.localAddress}`);
  };
  const server = tls ? createTlsServer(selfSignedCertificate(), answer) : createServer(answer);
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  apiPort = await listen('api', '127.0.0.1', 0);
  await listen('api', '::1', apiPort);
  otherPort = await listen('other', '127.0.0.1', 0);
  await listen('other', '::1', otherPort);
  tlsPort = await listen('api', '127.0.0.1', 0, true);
  browser = await chromium.launch({
    ...CHROMIUM_LAUNCH,
    args: [...CHROMIUM_LAUNCH.args, `--host-resolver-rules=MAP ${DNS_NAME} 127.0.0.1`],
  });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A page on PAGE_ORIGIN served with `csp`, as the app's protocol handler serves index.html. */
async function pageWithCsp(csp: string): Promise<{ page: Page; console: string[]; close(): Promise<void> }> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  // Local Network Access: granted to the app's page by the shell's permission handler.
  await context.grantPermissions(['local-network-access'], { origin: PAGE_ORIGIN });
  await context.route(`${PAGE_ORIGIN}/**`, (route) =>
    route.fulfill({
      status: 200,
      headers: { 'Content-Type': 'text/html', 'Content-Security-Policy': csp },
      body: '<!doctype html><title>csp</title>',
    }),
  );
  const page = await context.newPage();
  const messages: string[] = [];
  page.on('console', (message) => messages.push(message.text()));
  await page.goto(`${PAGE_ORIGIN}/index.html`);
  return { page, console: messages, close: () => context.close() };
}

/**
 * The page fetches `url`: the answer, or the directive a CSP violation names. A fetch that fails
 * without a violation never settles here, so the test fails rather than passing for the wrong reason.
 */
function reach(page: Page, url: string): Promise<Reach> {
  return page.evaluate(async (target) => {
    // Violations bubble from the document to the window (globalThis: this file has no DOM types).
    const violation = new Promise<string>((resolve) =>
      (globalThis as unknown as EventTarget).addEventListener(
        'securitypolicyviolation',
        (event: Event) => resolve((event as unknown as { effectiveDirective: string }).effectiveDirective),
        { once: true },
      ),
    );
    try {
      const response = await fetch(target);
      return { answer: await response.text() };
    } catch {
      return { blocked: await violation };
    }
  }, url);
}

const blocked = { blocked: 'connect-src' };

describe('buildCsp() in Chromium', () => {
  it('reaches an IPv4 API and nothing else on loopback', async () => {
    const { page, close } = await pageWithCsp(buildCsp(`http://127.0.0.1:${apiPort}/v1/`));
    try {
      expect(await reach(page, `http://127.0.0.1:${apiPort}/health`)).toEqual({ answer: 'api on 127.0.0.1' });
      expect(await reach(page, `http://127.0.0.1:${otherPort}/`)).toEqual(blocked);
      expect(await reach(page, `http://localhost:${apiPort}/`)).toEqual(blocked);
      expect(await reach(page, `http://[::1]:${apiPort}/`)).toEqual(blocked);
    } finally {
      await close();
    }
  });

  it('reaches an API on localhost (which resolves to ::1 or 127.0.0.1) and not other ports', async () => {
    const { page, close } = await pageWithCsp(buildCsp(`http://localhost:${apiPort}`));
    try {
      expect(await reach(page, `http://localhost:${apiPort}/health`)).toMatchObject({
        answer: expect.stringMatching(/^api on (127\.0\.0\.1|::1)$/),
      });
      expect(await reach(page, `http://localhost:${otherPort}/`)).toEqual(blocked);
      expect(await reach(page, `http://127.0.0.1:${apiPort}/`)).toEqual(blocked);
    } finally {
      await close();
    }
  });

  it('reaches an API by DNS name and not the same address under another name or port', async () => {
    const { page, close } = await pageWithCsp(buildCsp(`https://${DNS_NAME}:${tlsPort}/`));
    try {
      expect(await reach(page, `https://${DNS_NAME}:${tlsPort}/health`)).toEqual({
        answer: 'api on 127.0.0.1',
      });
      expect(await reach(page, `https://${DNS_NAME}:${otherPort}/`)).toEqual(blocked);
      expect(await reach(page, `https://127.0.0.1:${tlsPort}/`)).toEqual(blocked);
    } finally {
      await close();
    }
  });

  it('reaches an IPv6 API; the source is scheme and port wide, so other ports stay blocked', async () => {
    const csp = buildCsp(`http://[::1]:${apiPort}/v1`);
    const { page, console, close } = await pageWithCsp(csp);
    try {
      expect(await reach(page, `http://[::1]:${apiPort}/health`)).toEqual({ answer: 'api on ::1' });
      expect(await reach(page, `http://[::1]:${otherPort}/`)).toEqual(blocked);
      // The documented price of `http://*:port`: another host on the same scheme and port matches.
      expect(await reach(page, `http://127.0.0.1:${apiPort}/`)).toEqual({ answer: 'api on 127.0.0.1' });
      expect(console.filter((line) => /invalid source/.test(line))).toEqual([]);
    } finally {
      await close();
    }
  });

  it('shows why: Chromium ignores the exact IPv6 origin as a source, so that page reaches nothing', async () => {
    const exact = buildCsp('https://api.example.com').replace(
      'connect-src https://api.example.com',
      `connect-src http://[::1]:${apiPort}`,
    );
    const { page, close } = await pageWithCsp(exact);
    try {
      expect(await reach(page, `http://[::1]:${apiPort}/health`)).toEqual(blocked);
    } finally {
      await close();
    }
  });
});
