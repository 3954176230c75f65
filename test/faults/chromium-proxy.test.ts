// Sign-in through an authenticating proxy, in Chromium's network stack (what the app's net.fetch is).
// The proxy settings go through the app's own decision (proxyConfigFor) and are handed to Chromium as
// the switches with the same meaning as session.setProxy's fields; the proxy's 407 reaches the app's
// proxy authenticator through the DevTools protocol's Fetch.authRequired — the same Chromium login
// delegate that raises Electron's `login` event — and its answer goes back as the credentials.
// Electron itself cannot be launched here (so session.setProxy and the prompt window are not run).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices } from '../../main/app-services';
import { createSettingsStore } from '../../main/core/config/settings-store';
import { createProxyAuthenticator, type ProxyPromptRequest } from '../../main/core/network/proxy-auth';
import { type ProxyConfig, proxyConfigFor } from '../../main/core/network/proxy-config';
import type { Vault } from '../../main/core/vault';
import type { RunningServer } from '../../server';
import { CHROMIUM_LAUNCH } from '../support/chromium';
import { chromiumFetch } from '../support/chromium-fetch';
import { DEMO, selfSignedCertificate } from '../support/fixtures';
import { startTestProxy, type TestProxy } from '../support/test-proxy';
import { startQuietServer } from '../support/test-server';

const PROXY_USER = { username: 'alice', password: 'proxy-Pw-7' };
/** A name only the test proxy resolves: an API there is reachable through the proxy or not at all. */
const PROXIED_HOST = 'api.corp.test';

/** Chromium's command-line switches with the meaning of each ProxyConfig field. */
function chromiumSwitches(config: ProxyConfig): string[] {
  switch (config.mode) {
    case 'fixed_servers':
      return [
        `--proxy-server=${config.proxyRules}`,
        ...(config.proxyBypassRules ? [`--proxy-bypass-list=${config.proxyBypassRules}`] : []),
      ];
    case 'pac_script':
      return [`--proxy-pac-url=${config.pacScript}`];
    case 'direct':
      return ['--no-proxy-server'];
    case 'system':
      return [];
  }
}

const memoryVault = (): Vault => ({
  load: async () => ({ ok: true, value: null }),
  save: async () => ({ ok: true, value: undefined }),
  remove: async () => ({ ok: true, value: undefined }),
});

let http: RunningServer;
let https: RunningServer;
let proxy: TestProxy;
let work: string;
const browsers: Browser[] = [];

beforeAll(async () => {
  [http, https, proxy] = await Promise.all([
    startQuietServer(),
    // The PAC test reaches it as PROXIED_HOST: a loopback server answers other names only when told to.
    startQuietServer({ tls: selfSignedCertificate(), allowedHosts: [PROXIED_HOST] }),
    startTestProxy({ ...PROXY_USER, realm: 'Corp proxy' }, { [PROXIED_HOST]: '127.0.0.1' }),
  ]);
  work = mkdtempSync(join(tmpdir(), 'tessera-proxy-'));
});

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await Promise.all([http?.close(), https?.close(), proxy?.close()]);
  rmSync(work, { recursive: true, force: true });
});

/**
 * The app's core over Chromium launched with the proxy the settings in `env` decide; a proxy's request
 * for credentials is answered by the app's authenticator, whose prompt answers from `typed`.
 */
async function appThroughProxy(
  apiBaseUrl: string,
  env: Record<string, string>,
  typed: (typeof PROXY_USER)[],
) {
  const settings = createSettingsStore({
    userDataDir: work,
    policyPath: null,
    env,
    argv: [],
    logger: { warn() {}, error() {} },
  });
  const { config } = proxyConfigFor(settings.current());
  const browser = await chromium.launch({
    ...CHROMIUM_LAUNCH,
    args: [...CHROMIUM_LAUNCH.args, ...chromiumSwitches(config)],
  });
  browsers.push(browser);
  const context: BrowserContext = await browser.newContext({ ignoreHTTPSErrors: true });
  const page: Page = await context.newPage();
  const prompts: ProxyPromptRequest[] = [];
  const authenticator = createProxyAuthenticator({
    prompt: async (request) => {
      prompts.push(request);
      return typed.shift() ?? null;
    },
  });
  const cdp = await context.newCDPSession(page);
  cdp.on(
    'Fetch.requestPaused',
    (event) => void cdp.send('Fetch.continueRequest', { requestId: event.requestId }),
  );
  cdp.on('Fetch.authRequired', async (event) => {
    const origin = new URL(event.authChallenge.origin);
    const answer = await authenticator.authenticate({
      isProxy: event.authChallenge.source === 'Proxy',
      scheme: event.authChallenge.scheme,
      host: origin.hostname,
      port: Number(origin.port),
      realm: event.authChallenge.realm,
    });
    await cdp.send('Fetch.continueWithAuth', {
      requestId: event.requestId,
      authChallengeResponse: answer
        ? { response: 'ProvideCredentials', username: answer.username, password: answer.password }
        : { response: 'CancelAuth' },
    });
  });
  await cdp.send('Fetch.enable', { handleAuthRequests: true, patterns: [{ urlPattern: '*' }] });
  const services = createAppServices({
    userDataDir: work,
    policyPath: null,
    env: { ...env, TESSERA_API_URL: apiBaseUrl },
    argv: [],
    fetch: chromiumFetch(page),
    vault: memoryVault(),
    logSink: () => {},
  });
  return { services, prompts, config };
}

describe('sign-in through an authenticating proxy, in Chromium', () => {
  it('goes through the proxyServer setting, asking once for the proxy password (plain http: forwarded)', async () => {
    proxy.seen.length = 0;
    http.clearRequests();
    const { services, prompts, config } = await appThroughProxy(
      http.url,
      // Chromium never proxies loopback unless told to: <-loopback> makes the test's 127.0.0.1 API go through.
      { TESSERA_PROXY_SERVER: `http://127.0.0.1:${proxy.port}`, TESSERA_PROXY_BYPASS_LIST: '<-loopback>' },
      [PROXY_USER],
    );
    try {
      expect(config).toEqual({
        mode: 'fixed_servers',
        proxyRules: proxy.url,
        proxyBypassRules: '<-loopback>',
      });
      const result = await services.session.signIn(DEMO.username, DEMO.password);
      expect(result.ok).toBe(true);
      expect(prompts).toEqual([
        {
          proxy: `127.0.0.1:${proxy.port}`,
          realm: 'Corp proxy',
          scheme: 'basic',
          retry: false,
          attempt: 1,
          maxAttempts: 3,
        },
      ]);
      const login = `POST ${http.url}/login`;
      expect(proxy.seen.filter((r) => r.line === login)).toEqual([
        { line: login, status: 200, user: 'alice' },
      ]);
      expect(proxy.seen[0]?.status).toBe(407);
      expect(http.requests('/login')).toEqual([{ method: 'POST', path: '/login', status: 200 }]);
    } finally {
      services.dispose();
    }
  });

  /** https through the proxy by its host:port form; Chromium never proxies loopback unless told to. */
  const tunnelEnv = () => ({
    TESSERA_PROXY_SERVER: `127.0.0.1:${proxy.port}`,
    TESSERA_PROXY_BYPASS_LIST: '<-loopback>',
  });

  it('fails an https sign-in as a network error when the person cancels the proxy prompt', async () => {
    proxy.seen.length = 0;
    const env = tunnelEnv();
    const cancelled = await appThroughProxy(https.url, env, []);
    try {
      const result = await cancelled.services.session.signIn(DEMO.username, DEMO.password);
      expect(result.ok || result.error.code).toBe('NETWORK');
      expect(cancelled.prompts).toHaveLength(1);
      expect(proxy.seen.length).toBeGreaterThan(0);
      expect(proxy.seen.every((r) => r.status === 407)).toBe(true);
    } finally {
      cancelled.services.dispose();
    }
  });

  it('tunnels https with CONNECT, asking again (told so) after a wrong proxy password', async () => {
    proxy.seen.length = 0;
    const typed = await appThroughProxy(https.url, tunnelEnv(), [
      { username: 'alice', password: 'wrong' },
      PROXY_USER,
    ]);
    try {
      expect((await typed.services.session.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
      // The wrong password was rejected and the person asked again, told so.
      expect(typed.prompts.map((p) => [p.retry, p.attempt])).toEqual([
        [false, 1],
        [true, 2],
      ]);
      const port = new URL(https.url).port;
      expect(proxy.seen).toContainEqual({ line: `CONNECT 127.0.0.1:${port}`, status: 200, user: 'alice' });
    } finally {
      typed.services.dispose();
    }
  });

  it('follows a PAC file named by proxyPacUrl', async () => {
    const pac = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/x-ns-proxy-autoconfig' });
      response.end(`function FindProxyForURL(url, host) { return "PROXY 127.0.0.1:${proxy.port}"; }`);
    });
    await new Promise<void>((resolve) => pac.listen(0, '127.0.0.1', resolve));
    const pacUrl = `http://127.0.0.1:${(pac.address() as AddressInfo).port}/proxy.pac`;
    proxy.seen.length = 0;
    // Chromium never sends loopback through a PAC proxy, so the API is reached by a name only the proxy knows.
    const apiUrl = https.url.replace('127.0.0.1', PROXIED_HOST);
    const { services, config } = await appThroughProxy(
      apiUrl,
      { TESSERA_PROXY_PAC_URL: pacUrl, TESSERA_PROXY_SERVER: 'proxy.ignored.example:1' },
      [PROXY_USER],
    );
    try {
      expect(config).toEqual({ mode: 'pac_script', pacScript: pacUrl });
      expect((await services.session.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
      expect(proxy.seen).toContainEqual({
        line: `CONNECT ${new URL(apiUrl).host}`,
        status: 200,
        user: 'alice',
      });
    } finally {
      services.dispose();
      pac.close();
    }
  });
});
