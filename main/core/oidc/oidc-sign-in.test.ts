// OpenID Connect sign-in against a certified OpenID Provider (oidc-provider 9) on loopback, with
// Debian's Chromium as the system browser. Nothing is mocked: the browser, the provider, openid-client,
// the loopback listener and the keychain are all real.
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { completeProviderSignIn, denyProviderSignIn } from '../../../test/oidc/browser';
import { startTestProvider, subjectOf } from '../../../test/oidc/provider';
import { oidcSettings, startTestApi, type TestApi, useOidcSuite } from '../../../test/support/oidc-harness';
import { realTimers, type Timers } from '../timers';

const suite = useOidcSuite();

/** Fetches a URL, answering the error code instead of throwing when nothing listens. */
async function probe(url: string): Promise<{ status: number; text: string } | { error: string }> {
  try {
    const response = await fetch(url);
    return { status: response.status, text: await response.text() };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { error: cause?.code ?? String(error) };
  }
}

/** True when a new listener can bind the port (the old one is really gone). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

describe('signInWithProvider()', () => {
  it('signs in in the system browser with PKCE (S256), state, nonce and a one-shot loopback redirect', async () => {
    const settings = oidcSettings(suite.provider);
    const core = suite.harness.makeSession(settings);
    const signIn = core.signInWithProvider();
    const url = new URL(await suite.harness.browser.nextUrl());
    expect(`${url.origin}${url.pathname}`).toBe(`${suite.provider.issuer}/auth`);
    const params = Object.fromEntries(url.searchParams);
    expect(params).toMatchObject({
      client_id: 'tessera',
      response_type: 'code',
      scope: 'openid profile offline_access',
      code_challenge_method: 'S256',
    });
    expect(params.code_challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.state).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(params.nonce).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const redirect = new URL(params.redirect_uri ?? '');
    expect(redirect.href).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback$/);

    const page = await suite.harness.browser.newPage();
    await completeProviderSignIn(page, url.href, 'demo');
    const result = await signIn;
    expect(result).toMatchObject({
      ok: true,
      value: {
        state: 'active',
        user: { sub: subjectOf('demo'), username: 'demo', name: 'Demo User', role: 'user' },
        keychain: { available: true },
        reason: null,
      },
    });
    // The browser tab got the small page, without the code or any token in it.
    expect(await page.locator('h1').textContent()).toBe('Signed in to Tessera');
    const html = await page.content();
    expect(html).toContain('You can close this window');
    expect(html).not.toContain(params.state ?? '');
    expect(html).not.toContain('code=');
    // One use only: the listener is closed and its port free.
    expect(await probe(redirect.href)).toEqual({ error: 'ECONNREFUSED' });
    expect(await portIsFree(Number(redirect.port))).toBe(true);
    // The refresh token went to the keychain (behind the session); the access token is the provider's.
    expect(await suite.harness.stored(settings)).toMatch(/.{20,}/);
    expect(core.getView().keychain).toEqual({ available: true, persisted: true });
    const token = await core.getAccessToken();
    expect(token).toMatchObject({ ok: true, value: { tokenType: 'Bearer' } });
    expect(suite.harness.secrets).toContain(token.ok ? token.value.accessToken : '');
  });

  it("fills the profile from the API's mePath with the provider's access token when one is set", async () => {
    const audience = 'https://api.tessera.test';
    const withApi = await startTestProvider({ resource: audience });
    let api: TestApi | null = null;
    try {
      api = await startTestApi(withApi.issuer, audience);
      const settings = oidcSettings(withApi, { apiBaseUrl: api.url, mePath: '/me', oidcAudience: audience });
      const core = suite.harness.makeSession(settings);
      const signIn = core.signInWithProvider();
      const url = new URL(await suite.harness.browser.nextUrl());
      expect(url.searchParams.get('audience')).toBe(audience);
      expect(url.searchParams.get('resource')).toBe(audience);
      await completeProviderSignIn(await suite.harness.browser.newPage(), url.href, 'admin');
      expect(await signIn).toMatchObject({
        ok: true,
        value: {
          user: {
            sub: subjectOf('admin'),
            username: 'admin',
            name: 'admin (from the API)',
            role: 'api-user',
          },
        },
      });
      // The API verified a JWT the provider signed for it, and that is the token the app hands out.
      const token = await core.getAccessToken();
      expect(api.accepted).toEqual([token.ok ? token.value.accessToken : 'none']);
    } finally {
      await api?.close();
      await withApi.close();
    }
  });

  it('falls back to the ID token claims when the API profile fails, and to userinfo when the ID token names no one', async () => {
    const quiet = await startTestProvider({ profileOnlyAtUserinfo: true });
    try {
      const settings = oidcSettings(quiet, { mePath: '/api/user/me' });
      const core = suite.harness.makeSession(settings);
      const signIn = core.signInWithProvider();
      await suite.harness.browser.signInNext('admin');
      expect(await signIn).toMatchObject({
        ok: true,
        value: { user: { sub: subjectOf('admin'), username: 'admin', name: 'Admin User', role: 'admin' } },
      });
      expect(quiet.requests()).toContain('GET /me');
    } finally {
      await quiet.close();
    }
  });

  // Userinfo is asked only when the ID token names no one; a provider that answers it 429 or 5xx (however
  // it says so) does not stop the sign-in: the ID token's claims describe the user, and the log says why.
  it.each([
    [
      'a 429 with a challenge beside it',
      {
        status: 429,
        headers: { 'www-authenticate': 'Bearer realm="userinfo"', 'retry-after': '120' },
        body: '',
      },
      'RATE_LIMITED',
    ],
    [
      'a 503 page',
      { status: 503, headers: { 'content-type': 'text/html' }, body: '<html>Down</html>' },
      'SERVER',
    ],
  ])('signs in when userinfo is answered with %s, from the ID token', async (_, answer, code) => {
    const quiet = await startTestProvider({ profileOnlyAtUserinfo: true });
    quiet.answerRequestsTo('/me', answer);
    try {
      const core = suite.harness.makeSession(oidcSettings(quiet));
      const logged = suite.harness.logs.entries.length;
      const signIn = core.signInWithProvider();
      await suite.harness.browser.signInNext('admin');
      expect(await signIn).toMatchObject({
        ok: true,
        value: { state: 'active', user: { sub: subjectOf('admin'), username: 'admin' } },
      });
      expect(quiet.requests()).toContain('GET /me');
      const unavailable = suite.harness.logs.entries
        .slice(logged)
        .find((entry) => entry.message === 'userinfo unavailable');
      expect(unavailable?.fields).toEqual({ code });
    } finally {
      await quiet.close();
    }
  });

  it('refuses a forged callback with a wrong or missing state and keeps waiting for the real one', async () => {
    const settings = oidcSettings(suite.provider);
    const core = suite.harness.makeSession(settings);
    const signIn = core.signInWithProvider();
    const url = new URL(await suite.harness.browser.nextUrl());
    const redirect = url.searchParams.get('redirect_uri') ?? '';
    const tokenCalls = () => suite.provider.requests().filter((line) => line === 'POST /token').length;
    const before = tokenCalls();

    const forged = await probe(`${redirect}?code=attacker-code&state=attacker-state`);
    expect(forged).toMatchObject({ status: 400 });
    expect('text' in forged && forged.text).toContain(
      'does not belong to the sign-in Tessera is waiting for',
    );
    expect(await probe(`${redirect}?code=attacker-code`)).toMatchObject({ status: 400 });
    expect(await probe(redirect.replace('/callback', '/elsewhere'))).toMatchObject({ status: 404 });
    expect(core.getView()).toMatchObject({ state: 'signingIn', user: null });
    expect(tokenCalls()).toBe(before);

    await completeProviderSignIn(await suite.harness.browser.newPage(), url.href, 'demo');
    expect(await signIn).toMatchObject({ ok: true, value: { state: 'active', user: { username: 'demo' } } });
    expect(tokenCalls()).toBe(before + 1);
  });

  it('rejects the answer when the ID token carries another nonce than the one sent, and stores nothing', async () => {
    const settings = oidcSettings(suite.provider);
    const core = suite.harness.makeSession(settings);
    const signIn = core.signInWithProvider();
    // A code obtained for someone else's request (another nonce) injected into this sign-in's redirect.
    const url = new URL(await suite.harness.browser.nextUrl());
    url.searchParams.set('nonce', 'nonce-of-another-authorization-request');
    const page = await suite.harness.browser.newPage();
    await completeProviderSignIn(page, url.href, 'demo');
    const result = await signIn;
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE' } });
    expect(result.ok ? '' : result.error.message).toMatch(/OAUTH_JWT_CLAIM_COMPARISON_FAILED/);
    expect(core.getView()).toMatchObject({
      state: 'signedOut',
      user: null,
      lastError: { code: 'BAD_RESPONSE' },
    });
    expect(await page.locator('h1').textContent()).toBe('Sign-in did not complete');
    expect(await suite.harness.stored(settings)).toBeNull();
    expect(await core.getAccessToken()).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });

  it('cancels a sign-in that waits for the browser: CANCELLED, the listener closed and its port freed', async () => {
    const core = suite.harness.makeSession(oidcSettings(suite.provider));
    const signIn = core.signInWithProvider();
    const url = new URL(await suite.harness.browser.nextUrl());
    const redirect = new URL(url.searchParams.get('redirect_uri') ?? '');
    expect(await probe(`${redirect.href}?state=wrong`)).toMatchObject({ status: 400 });

    expect(core.cancelSignIn()).toEqual({ cancelled: true });
    expect(await signIn).toEqual({
      ok: false,
      error: { code: 'CANCELLED', message: 'The sign-in was cancelled' },
    });
    expect(core.getView()).toMatchObject({ state: 'signedOut', lastError: null, reason: null });
    expect(await probe(redirect.href)).toEqual({ error: 'ECONNREFUSED' });
    expect(await portIsFree(Number(redirect.port))).toBe(true);
    expect(core.cancelSignIn()).toEqual({ cancelled: false });
  });

  it('opens no browser tab when cancelled after the listener opened, before the browser was asked', async () => {
    const opened: string[] = [];
    const callbackTimeoutMs = 123_456;
    let core: ReturnType<typeof suite.harness.makeSession> | undefined;
    // The listener arms its timeout as soon as it listens: the person cancels right then, in the
    // moment before the app asks for the browser.
    const timers: Timers = {
      setTimeout(callback, ms) {
        if (ms === callbackTimeoutMs) core?.cancelSignIn();
        return realTimers.setTimeout(callback, ms);
      },
      clearTimeout: (handle) => realTimers.clearTimeout(handle),
    };
    core = suite.harness.makeSession(oidcSettings(suite.provider), {
      timers,
      oidcCallbackTimeoutMs: callbackTimeoutMs,
      openExternal: async (url) => {
        opened.push(url);
      },
    });
    expect(await core.signInWithProvider()).toEqual({
      ok: false,
      error: { code: 'CANCELLED', message: 'The sign-in was cancelled' },
    });
    expect(opened).toEqual([]);
    expect(core.getView()).toMatchObject({ state: 'signedOut', lastError: null, reason: null });
  });

  it('reports a refused consent as ACCESS_DENIED', async () => {
    const core = suite.harness.makeSession(oidcSettings(suite.provider));
    const signIn = core.signInWithProvider();
    await denyProviderSignIn(await suite.harness.browser.newPage(), await suite.harness.browser.nextUrl());
    expect(await signIn).toMatchObject({
      ok: false,
      error: { code: 'ACCESS_DENIED', serverError: 'access_denied' },
    });
    expect(core.getView().state).toBe('signedOut');
  });

  it('reports a provider that cannot be reached as NETWORK, before any browser opens', async () => {
    const down = await startTestProvider();
    await down.close();
    const opened = suite.harness.browser.opened.length;
    const core = suite.harness.makeSession(oidcSettings(down));
    const result = await core.signInWithProvider();
    expect(result).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
    expect(result.ok ? '' : result.error.message).toMatch(
      /identity provider could not be reached \(ECONNREFUSED\)/,
    );
    expect(suite.harness.browser.opened.length).toBe(opened);
  });

  it.each<[string, { oidcIssuer?: string; oidcClientId?: string }, RegExp]>([
    [
      'a wrong issuer path',
      { oidcIssuer: 'PROVIDER/realms/unknown' },
      /no OpenID configuration at the issuer URL \(HTTP 404\)/,
    ],
    ['an issuer that differs from the published one', { oidcIssuer: 'IMPOSTOR' }, /names a different issuer/],
    ['no client ID', { oidcClientId: '' }, /No OpenID Connect client ID/],
  ])('reports %s as OIDC_MISCONFIGURED', async (_label, overrides, message) => {
    // A discovery document that claims to be the real provider's, served from another address.
    const impostor = createHttpServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          issuer: suite.provider.issuer,
          authorization_endpoint: `${suite.provider.issuer}/auth`,
        }),
      );
    });
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', () => resolve()));
    try {
      const impostorUrl = `http://127.0.0.1:${(impostor.address() as AddressInfo).port}`;
      const issuer = overrides.oidcIssuer
        ?.replace('PROVIDER', suite.provider.issuer)
        .replace('IMPOSTOR', impostorUrl);
      const settings = oidcSettings(suite.provider, {
        ...overrides,
        ...(issuer ? { oidcIssuer: issuer } : {}),
      });
      const result = await suite.harness.makeSession(settings).signInWithProvider();
      expect(result).toMatchObject({ ok: false, error: { code: 'OIDC_MISCONFIGURED' } });
      expect(result.ok ? '' : result.error.message).toMatch(message);
    } finally {
      impostor.close();
    }
  });

  it('reports a provider that issues no refresh token as OIDC_MISCONFIGURED, naming offline_access', async () => {
    const stingy = await startTestProvider({ issueRefreshTokens: false });
    try {
      const settings = oidcSettings(stingy);
      const core = suite.harness.makeSession(settings);
      const signIn = core.signInWithProvider();
      await suite.harness.browser.signInNext('demo');
      const result = await signIn;
      expect(result).toMatchObject({ ok: false, error: { code: 'OIDC_MISCONFIGURED', key: 'oidcScopes' } });
      expect(result.ok ? '' : result.error.message).toContain('offline_access');
      expect(await suite.harness.stored(settings)).toBeNull();
    } finally {
      await stingy.close();
    }
  });

  it('gives up with TIMEOUT when the browser never comes back, and frees the port', async () => {
    const core = suite.harness.makeSession(oidcSettings(suite.provider), { oidcCallbackTimeoutMs: 400 });
    const signIn = core.signInWithProvider();
    const url = new URL(await suite.harness.browser.nextUrl());
    const result = await signIn;
    expect(result).toMatchObject({ ok: false, error: { code: 'TIMEOUT' } });
    expect(await probe(url.searchParams.get('redirect_uri') ?? '')).toEqual({ error: 'ECONNREFUSED' });
  });

  it('answers BROWSER_UNAVAILABLE when the system browser cannot be opened', async () => {
    const core = suite.harness.makeSession(oidcSettings(suite.provider), {
      openExternal: async () => {
        throw new Error('xdg-open: no method available for opening the URL');
      },
    });
    expect(await core.signInWithProvider()).toMatchObject({
      ok: false,
      error: { code: 'BROWSER_UNAVAILABLE' },
    });
    expect(core.getView().state).toBe('signedOut');
  });

  it.each([
    [
      'an authorization endpoint on port 0',
      'http://127.0.0.1:0/auth',
      'must use a port from 1 to 65535, not 0',
    ],
    [
      'an authorization endpoint with a user name',
      'https://kim@login.example/auth',
      'must not contain a user name or password',
    ],
    [
      'an authorization endpoint of another scheme',
      'file:///etc/auth',
      'must use https (or http on a loopback host)',
    ],
  ])('refuses %s from discovery before any browser opens, naming it', async (_, endpoint, problem) => {
    const opened: string[] = [];
    await suite.provider.editDiscovery((document) => ({ ...document, authorization_endpoint: endpoint }));
    try {
      const core = suite.harness.makeSession(oidcSettings(suite.provider), {
        openExternal: async (url) => {
          opened.push(url);
        },
        oidcCallbackTimeoutMs: 400,
      });
      const result = await core.signInWithProvider();
      const named = new URL(endpoint);
      expect(result).toMatchObject({
        ok: false,
        error: {
          code: 'OIDC_MISCONFIGURED',
          message: `Sign-in: the provider's endpoint ${named.protocol}//${named.host}${named.pathname} ${problem}`,
        },
      });
      expect(opened).toEqual([]);
    } finally {
      await suite.provider.editDiscovery(null);
    }
  });

  it('keeps the two modes apart: no password sign-in in oidc mode, no provider sign-in in password mode', async () => {
    const oidc = suite.harness.makeSession(oidcSettings(suite.provider));
    expect(await oidc.signIn('demo', 'demo-password')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CONFIG', key: 'authMode' },
    });
    const password = suite.harness.makeSession(oidcSettings(suite.provider, { authMode: 'password' }));
    expect(await password.signInWithProvider()).toMatchObject({
      ok: false,
      error: { code: 'INVALID_CONFIG', key: 'authMode' },
    });
    expect(password.cancelSignIn()).toEqual({ cancelled: false });
  });
});
