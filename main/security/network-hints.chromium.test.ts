// Resource hints under the renderer's Content-Security-Policy, in Debian's Chromium (the engine Electron
// embeds): does a script in the page get a host name of its choosing resolved and connected to? It
// does, so the page's defence is keeping foreign script out (buildCsp), not any header; see
// docs/architecture.md ("Security model").
//
// Chromium acts on hints only in a profile that is not off the record (Electron's default session is
// not), so this uses a persistent profile; Playwright's new contexts are off the record and drop them.
// The host name is mapped to a loopback server (--host-resolver-rules), so the lookup shows as the
// connection it leads to; no request is ever made, only the socket a preconnect opens.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_LAUNCH } from '../../test/support/chromium';
import { buildCsp } from './csp';

const HINTED = 'exfiltrated-value.hint.test';

let page: Server;
let hinted: Server;
let connections = 0;
let profile: string;
let browser: BrowserContext;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  hinted = createServer((_request, response) => response.end());
  hinted.on('connection', () => {
    connections += 1;
  });
  const hintedPort = await listen(hinted);
  // The app's page: the CSP main sends (connect-src the API only) and X-DNS-Prefetch-Control: off.
  page = createServer((request, response) => {
    if (request.url === '/hint.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(
        `const link = document.createElement('link'); link.rel = 'preconnect'; link.href = 'http://${HINTED}:${hintedPort}'; document.head.append(link);`,
      );
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/html',
      'content-security-policy': buildCsp('https://api.example.com'),
      'x-dns-prefetch-control': 'off',
    });
    response.end(
      '<!doctype html><meta http-equiv="x-dns-prefetch-control" content="off"><script src="/hint.js"></script>',
    );
  });
  await listen(page);
  profile = mkdtempSync(join(tmpdir(), 'tessera-hints-'));
  browser = await chromium.launchPersistentContext(profile, {
    ...CHROMIUM_LAUNCH,
    args: [...CHROMIUM_LAUNCH.args, `--host-resolver-rules=MAP ${HINTED} 127.0.0.1`],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => page?.close(resolve));
  await new Promise((resolve) => hinted?.close(resolve));
  if (profile) rmSync(profile, { recursive: true, force: true });
});

describe('resource hints under the app CSP (Debian Chromium)', () => {
  it('a script-inserted preconnect still resolves and connects to a host name of its choosing, X-DNS-Prefetch-Control off or not', async () => {
    const tab = browser.pages()[0] ?? (await browser.newPage());
    await tab.goto(`http://127.0.0.1:${(page.address() as AddressInfo).port}/`);
    // Waits for the socket, however long the machine takes; the test's timeout ends it otherwise.
    await expect.poll(() => connections, { timeout: 15_000, interval: 100 }).toBeGreaterThan(0);
  });
});
