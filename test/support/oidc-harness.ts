// Sessions in oidc mode against the test OpenID Provider (test/oidc/provider.ts), with Chromium as
// the system browser, the real keychain, and a record of every secret that crossed the wire so a suite
// can prove none of them reached a log line or a view.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import keytar from 'keytar';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { SessionView } from '../../common/session';
import type { Settings } from '../../common/settings';
import type { FetchLike } from '../../main/core/auth-client';
import { sessionScope } from '../../main/core/auth-protocol';
import type { Session } from '../../main/core/contracts';
import { createSession, type SessionDeps } from '../../main/core/session/session';
import { createVault, type KeychainVault, lastUserAccount, tokenAccount } from '../../main/core/vault';
import { launchProviderBrowser, type ProviderBrowser } from '../oidc/browser';
import {
  startTestProvider,
  subjectOf,
  TEST_ACCOUNTS,
  type TestProvider,
  type TestProviderOptions,
} from '../oidc/provider';
import { captureLogs } from './capture-logs';
import { TEST_SERVICE, testSettings } from './fixtures';
import { forgetScope } from './forget-scope';
import { recordingFetch } from './recording-fetch';

/** An API address nothing listens on (the oidc specs without an API never call it: mePath is empty). */
export const NO_API = 'http://127.0.0.1:9';

/** Settings for oidc mode against `provider`; no profile endpoint unless the overrides set one. */
export function oidcSettings(provider: TestProvider, overrides: Partial<Settings> = {}): Settings {
  return testSettings(NO_API, {
    authMode: 'oidc',
    oidcIssuer: provider.issuer,
    oidcClientId: provider.clientId,
    mePath: '',
    ...overrides,
  });
}

/** A small API that accepts only JWT access tokens from `issuer` for `audience`, and serves `GET /me`. */
export interface TestApi {
  url: string;
  /** The bearer tokens `/me` accepted. */
  accepted: string[];
  close(): Promise<void>;
}

/** Starts the test API on loopback; it verifies the provider's signature, issuer and audience with jose. */
export async function startTestApi(issuer: string, audience: string): Promise<TestApi> {
  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`));
  const accepted: string[] = [];
  const server: Server = createServer(async (req, res) => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    try {
      if (!token || req.url !== '/me') throw new Error('no');
      const { payload } = await jwtVerify(token, jwks, { issuer, audience });
      accepted.push(token);
      const login = Object.keys(TEST_ACCOUNTS).find((name) => subjectOf(name) === payload.sub) ?? 'unknown';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          sub: payload.sub,
          username: login,
          name: `${login} (from the API)`,
          role: 'api-user',
        }),
      );
    } catch {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'InvalidTokenError', message: 'Invalid access token' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accepted,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Per-suite helper: cores in oidc mode, one Chromium, captured logs, every view and secret seen. */
export async function createOidcHarness() {
  const logs = captureLogs('oidc-test');
  const browser: ProviderBrowser = await launchProviderBrowser();
  const cores: Session[] = [];
  const views: SessionView[] = [];
  const secrets = new Set<string>();
  const scopes = new Set<string>();
  /** The one test keychain of the cores made here (a restarted core reads after the earlier one's writes). */
  const keychain: KeychainVault = createVault({ service: TEST_SERVICE, logger: logs.logger.child('vault') });

  /** Node's fetch, noting every token the provider hands out. */
  const recordedFetch: FetchLike = recordingFetch({ secrets });

  function makeSession(settings: Settings, deps: Partial<SessionDeps> = {}): Session {
    scopes.add(sessionScope(settings));
    const core = createSession({
      settings,
      fetch: recordedFetch,
      vault: keychain,
      logger: logs.logger,
      openExternal: browser.openExternal,
      ...deps,
    });
    core.onChange((view) => views.push(view));
    cores.push(core);
    return core;
  }

  /**
   * The refresh token the keychain holds for these settings and login (or null), once the keychain
   * calls of the cores made here have ended (a session writes its refresh token behind it).
   */
  async function stored(settings: Settings, login = 'demo'): Promise<string | null> {
    scopes.add(sessionScope(settings));
    await keychain.settled();
    const value = await keytar.getPassword(
      TEST_SERVICE,
      tokenAccount(sessionScope(settings), subjectOf(login)),
    );
    if (value) secrets.add(value);
    return value;
  }

  /** Puts a refresh token into the keychain as if an earlier run had stored it. */
  async function store(settings: Settings, refreshToken: string, login = 'demo'): Promise<void> {
    const scope = sessionScope(settings);
    scopes.add(scope);
    await keytar.setPassword(TEST_SERVICE, tokenAccount(scope, subjectOf(login)), refreshToken);
    await keytar.setPassword(TEST_SERVICE, lastUserAccount(scope), subjectOf(login));
  }

  async function cleanup(): Promise<void> {
    for (const core of cores.splice(0)) core.dispose();
    await keychain.settled();
    await browser.reset();
    for (const scope of scopes)
      await forgetScope(TEST_SERVICE, scope, Object.keys(TEST_ACCOUNTS).map(subjectOf));
    scopes.clear();
  }

  /** No token in any log line or any emitted view (the suite must have seen some). */
  function expectNoLeaks(): void {
    const text = `${logs.text()}\n${JSON.stringify(views)}`;
    expect(secrets.size).toBeGreaterThan(3);
    for (const secret of secrets) expect(text).not.toContain(secret);
  }

  async function close(): Promise<void> {
    await cleanup();
    await browser.close();
  }

  return {
    logs,
    views,
    secrets,
    browser,
    makeSession,
    stored,
    store,
    cleanup,
    expectNoLeaks,
    close,
    fetch: recordedFetch,
  };
}

/** Posts a refresh token straight to the provider, as a thief with a copied token would. */
export async function replayRefreshToken(provider: TestProvider, refreshToken: string): Promise<Response> {
  return fetch(`${provider.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: provider.clientId,
    }),
  });
}

/**
 * An OIDC suite's per-file setup: a test provider started with `options` and the harness (its browser)
 * before the first case, cleanup after each, and the leak check at the end.
 */
export function useOidcSuite(options: TestProviderOptions = {}) {
  let provider: TestProvider | undefined;
  let harness: Awaited<ReturnType<typeof createOidcHarness>> | undefined;
  beforeAll(async () => {
    provider = await startTestProvider(options);
    harness = await createOidcHarness();
  }, 60_000);
  afterEach(() => harness?.cleanup());
  afterAll(async () => {
    harness?.expectNoLeaks();
    await harness?.close();
    await provider?.close();
  });
  return {
    /** The suite's provider (started before the first case). */
    get provider(): TestProvider {
      if (!provider) throw new Error('the OIDC suite provider is not started yet');
      return provider;
    },
    /** The suite's harness (created before the first case). */
    get harness(): Awaited<ReturnType<typeof createOidcHarness>> {
      if (!harness) throw new Error('the OIDC suite harness is not created yet');
      return harness;
    },
  };
}
