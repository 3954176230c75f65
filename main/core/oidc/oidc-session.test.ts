// The OpenID Connect session after sign-in: refresh with rotation, reuse detection, offline handling,
// restore from the keychain, sign-out with revocation and RP-initiated logout, and settings changes.
// The same session code as the password mode runs here; only the protocol differs.
import { describe, expect, it } from 'vitest';
import { isNetworkInTheWay } from '../../../common/errors';
import type { Settings } from '../../../common/settings';
import { completeProviderSignIn, confirmProviderSignOut } from '../../../test/oidc/browser';
import { waitForView } from '../../../test/support/fixtures';
import { oidcSettings, replayRefreshToken, useOidcSuite } from '../../../test/support/oidc-harness';
import { createFakeTime, fireRefresh } from '../../../test/support/session-harness';
import { eventually } from '../../../test/support/wait-until';
import type { Session } from '../contracts';
import { MAX_REJECTED_RETRIES, REJECTED_GIVE_UP_MS, type SessionDeps } from '../session/session';

// Describes refusals in error_description like Keycloak, Auth0 and Entra ID do.
const suite = useOidcSuite({ describeGrantErrors: true });

/** A core in oidc mode, signed in as `login` through the browser. */
async function signedIn(
  settings: Settings,
  login = 'demo',
  deps: Partial<SessionDeps> = {},
): Promise<Session> {
  const core = suite.harness.makeSession(settings, deps);
  const signIn = core.signInWithProvider();
  await suite.harness.browser.signInNext(login);
  expect(await signIn).toMatchObject({ ok: true, value: { state: 'active' } });
  return core;
}

describe('an oidc session', () => {
  it('refreshes with rotation: the new refresh token replaces the old one in the keychain', async () => {
    const settings = oidcSettings(suite.provider);
    const core = await signedIn(settings);
    const first = await suite.harness.stored(settings);
    const before = await core.getAccessToken();
    const after = await core.getAccessToken({ forceRefresh: true });
    expect(after).toMatchObject({ ok: true, value: { tokenType: 'Bearer' } });
    expect(after.ok && before.ok && after.value.accessToken !== before.value.accessToken).toBe(true);
    const second = await suite.harness.stored(settings);
    expect(second).toMatch(/.{20,}/);
    expect(second).not.toBe(first);
    expect(core.getView()).toMatchObject({ state: 'active', user: { username: 'demo', name: 'Demo User' } });
  });

  it('ends the session as reused when the provider says the refresh token was already used, and the grant dies', async () => {
    const settings = oidcSettings(suite.provider);
    const core = await signedIn(settings);
    const old = (await suite.harness.stored(settings)) ?? '';
    expect((await core.getAccessToken({ forceRefresh: true })).ok).toBe(true);
    const current = (await suite.harness.stored(settings)) ?? '';
    core.dispose();
    // The keychain holds a rotated-out token (say, restored from a backup): the next start presents it.
    await suite.harness.store(settings, old);
    const restarted = suite.harness.makeSession(settings);
    const view = await restarted.start();
    expect(view).toMatchObject({
      state: 'signedOut',
      reason: 'refreshTokenReused',
      lastError: { code: 'SESSION_EXPIRED', serverError: 'invalid_grant' },
    });
    expect(await suite.harness.stored(settings)).toBeNull();
    // Reuse detection revoked the whole grant: the newest token is dead too.
    const replay = await replayRefreshToken(suite.provider, current);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('ends the session with a reason when a thief used the old refresh token first', async () => {
    const settings = oidcSettings(suite.provider);
    const core = await signedIn(settings);
    const stolen = (await suite.harness.stored(settings)) ?? '';
    expect((await core.getAccessToken({ forceRefresh: true })).ok).toBe(true);
    // The thief's replay trips reuse detection; the provider revokes the grant, ours included.
    expect((await replayRefreshToken(suite.provider, stolen)).status).toBe(400);
    const result = await core.getAccessToken({ forceRefresh: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'SESSION_EXPIRED' } });
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'refreshTokenInvalid', user: null });
    expect(await suite.harness.stored(settings)).toBeNull();
  });

  it('signs out with revocation and the provider sign-out page; the refresh token is dead afterwards', async () => {
    const settings = oidcSettings(suite.provider);
    const core = suite.harness.makeSession(settings);
    const signIn = core.signInWithProvider();
    const page = await suite.harness.browser.newPage();
    await completeProviderSignIn(page, await suite.harness.browser.nextUrl(), 'demo');
    expect((await signIn).ok).toBe(true);
    const refreshToken = (await suite.harness.stored(settings)) ?? '';
    const access = await core.getAccessToken();
    const accessToken = access.ok ? access.value.accessToken : '';
    const userinfo = () =>
      fetch(`${suite.provider.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } });
    expect((await userinfo()).status).toBe(200);
    expect(await core.signOut()).toEqual({ revoked: true });
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'userSignedOut', user: null });
    expect(await suite.harness.stored(settings)).toBeNull();
    // Both tokens revoked (RFC 7009): the refresh token, and the access token the app held.
    expect(suite.provider.requests().filter((request) => request === 'POST /token/revocation')).toHaveLength(
      2,
    );
    const replay = await replayRefreshToken(suite.provider, refreshToken);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await userinfo()).status).toBe(401);

    const logout = new URL(await suite.harness.browser.nextUrl());
    expect(`${logout.origin}${logout.pathname}`).toBe(`${suite.provider.issuer}/session/end`);
    expect(logout.searchParams.get('client_id')).toBe('tessera');
    expect(logout.searchParams.get('id_token_hint')).toMatch(/^eyJ/);
    suite.harness.secrets.add(logout.searchParams.get('id_token_hint') ?? '');
    // In the browser that holds the provider session, the provider asks and then ends it.
    expect(await confirmProviderSignOut(page, logout.href)).toBe(true);
    expect(await page.locator('h1').textContent()).toBe('Signed out');
  });

  it('restores the session after a restart with one refresh, the profile coming from the new ID token', async () => {
    const settings = oidcSettings(suite.provider);
    const core = await signedIn(settings, 'admin');
    core.dispose();
    const restarted = suite.harness.makeSession(settings);
    expect(await restarted.start()).toMatchObject({
      state: 'active',
      reason: null,
      user: { sub: 'admin', username: 'admin', name: 'Admin User', role: 'admin' },
      keychain: { persisted: true },
    });
    expect(await suite.harness.stored(settings, 'admin')).toMatch(/.{20,}/);
  });

  it('keeps the session offline while the provider is down, and recovers when it is back', async () => {
    const settings = oidcSettings(suite.provider);
    const core = await signedIn(settings);
    await suite.provider.pause();
    try {
      const failed = await core.getAccessToken({ forceRefresh: true });
      expect(failed).toMatchObject({ ok: false, error: { code: 'NETWORK' } });
      expect(core.getView()).toMatchObject({
        state: 'active',
        offline: true,
        lastError: { code: 'NETWORK' },
      });
      expect(await suite.harness.stored(settings)).toMatch(/.{20,}/);
    } finally {
      await suite.provider.resume();
    }
    core.onOnline();
    expect(await waitForView(core, (view) => view.state === 'active' && !view.offline)).toMatchObject({
      lastError: null,
    });
  });

  // A captive portal (or a sign-in gateway) between the app and the provider answers the token request
  // in the provider's place: the same rule as the password path's (answeredByTheNetwork). After a
  // restart it answers the discovery the first refresh needs first.
  const PORTAL_PAGE = '<!doctype html><html><body>Sign in to the hotel Wi-Fi</body></html>';
  const PORTAL_200 = { status: 200, headers: { 'content-type': 'text/html' }, body: PORTAL_PAGE };
  it.each([
    [
      'a redirect to its sign-in page on another origin',
      { status: 302, headers: { location: 'http://localhost:9/portal-login?code=portal-secret' }, body: '' },
      false,
    ],
    ['its sign-in page as a 200', PORTAL_200, false],
    [
      'a 511 (Network Authentication Required)',
      { status: 511, headers: { 'content-type': 'text/html; charset=utf-8' }, body: PORTAL_PAGE },
      false,
    ],
    ['its sign-in page as a 200, to the discovery after a restart', PORTAL_200, true],
  ])(
    'a refresh a captive portal answers with %s is the network in the way: offline, the token kept',
    async (_, answer, restart) => {
      const settings = oidcSettings(suite.provider);
      let core = await signedIn(settings);
      const kept = await suite.harness.stored(settings);
      if (restart) {
        core.dispose();
        core = suite.harness.makeSession(settings);
        suite.provider.answerEveryRequest(answer);
      } else suite.provider.answerTokenRequests(answer);
      try {
        if (restart) await core.start();
        else await core.getAccessToken({ forceRefresh: true });
        // A restore whose first refresh fails keeps the stored token (signed out, silentSignInFailed).
        expect(core.getView()).toMatchObject({
          state: restart ? 'signedOut' : 'active',
          offline: true,
          lastError: { code: 'NETWORK', status: answer.status },
        });
        const error = core.getView().lastError;
        // The connection banner's reading: the network may need a sign-in.
        expect(error && isNetworkInTheWay(error)).toBe(true);
        expect(error?.message).toContain('the network may need a sign-in');
        expect(error?.message).not.toContain('portal-secret');
        expect(await suite.harness.stored(settings)).toBe(kept);
      } finally {
        suite.provider.answerEveryRequest(null);
        suite.provider.answerTokenRequests(null);
      }
      core.onOnline();
      expect(await waitForView(core, (view) => view.state === 'active' && !view.offline)).toMatchObject({
        lastError: null,
      });
    },
  );

  // openid-client stops at any WWW-Authenticate challenge before reading the body; the body's OAuth
  // error still decides (the challenge is read by common/www-authenticate, and says nothing of it).
  it('a refresh refused as invalid_grant with a challenge beside it still ends the session', async () => {
    const settings = oidcSettings(suite.provider);
    const core = await signedIn(settings);
    suite.provider.refuseTokenRequests({
      status: 400,
      error: 'invalid_grant',
      description: () => 'Token is not active',
      headers: { 'www-authenticate': 'Bearer realm="gateway", DPoP error="invalid_token"' },
    });
    try {
      const failed = await core.getAccessToken({ forceRefresh: true });
      expect(failed).toMatchObject({ ok: false, error: { code: 'SESSION_EXPIRED', status: 400 } });
      expect(core.getView()).toMatchObject({
        state: 'signedOut',
        reason: 'refreshTokenExpired',
        lastError: { code: 'SESSION_EXPIRED', serverError: 'invalid_grant' },
      });
    } finally {
      suite.provider.refuseTokenRequests(null);
    }
  });

  // A 5xx is the provider's trouble whatever else comes with it: a gateway's or the provider's own
  // WWW-Authenticate challenge (which openid-client raises before anything else) changes nothing.
  it('a refresh answered 503 with a challenge beside it is a server error: the token kept, retried later', async () => {
    const settings = oidcSettings(suite.provider);
    const core = await signedIn(settings);
    const kept = await suite.harness.stored(settings);
    suite.provider.refuseTokenRequests({
      status: 503,
      error: 'temporarily_unavailable',
      headers: { 'www-authenticate': `Bearer realm="${suite.provider.issuer}", error="invalid_token"` },
    });
    try {
      expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({
        ok: false,
        error: { code: 'SERVER', status: 503 },
      });
      expect(core.getView()).toMatchObject({ state: 'active', lastError: { code: 'SERVER', status: 503 } });
      expect(await suite.harness.stored(settings)).toBe(kept);
    } finally {
      suite.provider.refuseTokenRequests(null);
    }
  });

  // A provider that asks to wait (a 429, or a 5xx with Retry-After) is waited for, however it says it:
  // here a 429 with only a challenge beside it (no OAuth error to read), and a 503 page. The wait is the
  // retry timer's floor (backoff.ts), and token requests meanwhile wait for the timer (retryMustWait).
  it.each([
    [
      'a 429 with a challenge beside it',
      {
        status: 429,
        headers: { 'www-authenticate': 'Basic realm="gateway"', 'retry-after': '120' },
        body: '',
      },
      'RATE_LIMITED',
    ],
    [
      'a 503 page',
      {
        status: 503,
        headers: { 'content-type': 'text/html', 'retry-after': '120' },
        body: '<html>Down</html>',
      },
      'SERVER',
    ],
  ])('a refresh answered with %s waits for its Retry-After, keeping the token', async (_, answer, code) => {
    const settings = oidcSettings(suite.provider);
    const time = createFakeTime(Date.now());
    const core = await signedIn(settings, 'demo', { now: time.now, timers: time.timers });
    const kept = await suite.harness.stored(settings);
    const refreshes = () => suite.provider.requests().filter((request) => request === 'POST /token').length;
    suite.provider.answerTokenRequests(answer);
    try {
      const before = refreshes();
      expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({
        ok: false,
        error: { code, status: answer.status, retryAfterSeconds: 120 },
      });
      expect(core.getView()).toMatchObject({
        state: 'active',
        nextRefreshAt: time.now() + 120_000,
        lastError: { code, retryAfterSeconds: 120 },
      });
      for (let i = 0; i < 3; i++) await core.getAccessToken({ forceRefresh: true });
      expect(refreshes() - before).toBe(1);
      expect(await suite.harness.stored(settings)).toBe(kept);
    } finally {
      suite.provider.answerTokenRequests(null);
    }
  });

  // The revocation endpoint's answers are read by the same rules as the token endpoint's: a 429 or a
  // 5xx asks to wait (askedToWait), whatever came with it; an OAuth error beside a challenge is read
  // (withErrorBody), for the access token's revocation too, whose failure is only logged.
  it.each([
    [
      'a 429 with a challenge beside it',
      {
        status: 429,
        headers: { 'www-authenticate': 'Basic realm="gateway"', 'retry-after': '120' },
        body: '',
      },
      { code: 'RATE_LIMITED', status: 429, retryAfterSeconds: 120 },
    ],
    [
      'a 503 page',
      {
        status: 503,
        headers: { 'content-type': 'text/html', 'retry-after': '120' },
        body: '<html>Down</html>',
      },
      { code: 'SERVER', status: 503, retryAfterSeconds: 120 },
    ],
    [
      'invalid_client beside a Basic challenge',
      {
        status: 401,
        headers: { 'www-authenticate': 'Basic realm="revocation"', 'content-type': 'application/json' },
        body: JSON.stringify({ error: 'invalid_client', error_description: 'client authentication failed' }),
      },
      { code: 'OIDC_MISCONFIGURED', status: 401, serverError: 'invalid_client' },
    ],
  ])(
    'a sign-out whose revocations are answered with %s signs out here and says why',
    async (_, answer, error) => {
      const settings = oidcSettings(suite.provider);
      const core = await signedIn(settings);
      const revocations = () =>
        suite.provider.requests().filter((request) => request === 'POST /token/revocation').length;
      const before = revocations();
      const logged = suite.harness.logs.entries.length;
      suite.provider.answerRequestsTo('/token/revocation', answer);
      try {
        expect(await core.signOut()).toEqual({
          revoked: false,
          revocationError: expect.objectContaining(error),
        });
        expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'userSignedOut', user: null });
        expect(await suite.harness.stored(settings)).toBeNull();
        // Both tokens were offered; the access token's refusal is logged with the same reading.
        expect(revocations() - before).toBe(2);
        const accessLog = suite.harness.logs.entries
          .slice(logged)
          .find((entry) => entry.message === 'access token not revoked');
        expect(accessLog?.fields).toEqual({ code: error.code });
        expect(new URL(await suite.harness.browser.nextUrl()).pathname).toBe('/session/end');
      } finally {
        suite.provider.answerRequestsTo('/token/revocation', null);
      }
    },
  );

  it('a restart whose discovery is answered 429 is rate limited, with its wait, not a wrong issuer', async () => {
    const settings = oidcSettings(suite.provider);
    (await signedIn(settings)).dispose();
    const kept = await suite.harness.stored(settings);
    const time = createFakeTime(Date.now());
    suite.provider.answerEveryRequest({
      status: 429,
      headers: { 'content-type': 'text/plain', 'retry-after': '120' },
      body: 'Too Many Requests',
    });
    try {
      const core = suite.harness.makeSession(settings, { now: time.now, timers: time.timers });
      expect(await core.start()).toMatchObject({
        state: 'signedOut',
        nextRefreshAt: time.now() + 120_000,
        lastError: { code: 'RATE_LIMITED', status: 429, retryAfterSeconds: 120 },
      });
      expect(await suite.harness.stored(settings)).toBe(kept);
    } finally {
      suite.provider.answerEveryRequest(null);
    }
  });

  // Discovered endpoints follow the settings' one http(s) URL rule (httpUrlProblem): a token endpoint on
  // port 0 is the provider's document at fault, not the network, so no endless offline retries; and
  // when the retries give up, the details point at that document, not at the client (never asked).
  it('a restart whose discovery gives a token endpoint on port 0 names it as misconfigured, keeping the token, and after 2 minutes points at the discovery document', async () => {
    const settings = oidcSettings(suite.provider);
    (await signedIn(settings)).dispose();
    const kept = await suite.harness.stored(settings);
    await suite.provider.editDiscovery((document) => ({
      ...document,
      token_endpoint: 'http://127.0.0.1:0/token',
    }));
    const endpointProblem =
      "the provider's endpoint http://127.0.0.1:0/token must use a port from 1 to 65535, not 0";
    const time = createFakeTime(Date.now());
    try {
      const core = suite.harness.makeSession(settings, { now: time.now, timers: time.timers });
      // The start's refresh fails (signed out, retried on the timer, the token kept), and so does every retry.
      const started = await core.start();
      expect(started).toMatchObject({
        state: 'signedOut',
        offline: false,
        lastError: { code: 'OIDC_MISCONFIGURED' },
      });
      expect(started.lastError?.message).toBe(`Session refresh: ${endpointProblem}`);
      expect(await suite.harness.stored(settings)).toBe(kept);

      const startedAt = time.now();
      for (let tries = 0; core.getView().nextRefreshAt !== null && tries < 100; tries += 1)
        await fireRefresh(core, time);
      expect(time.now() - startedAt).toBeGreaterThanOrEqual(REJECTED_GIVE_UP_MS);
      const view = core.getView();
      expect(view).toMatchObject({
        state: 'signedOut',
        reason: 'refreshMisconfigured',
        lastError: { code: 'OIDC_MISCONFIGURED' },
      });
      expect(view.lastError?.message).toContain(endpointProblem);
      expect(view.lastError?.message).toMatch(/discovery document/);
      expect(view.lastError?.message).not.toMatch(/oidcClientId|refresh grant/);
      expect(await suite.harness.stored(settings)).toBe(kept);
    } finally {
      await suite.provider.editDiscovery(null);
    }
  });

  it.each([
    ['on port 0', 'http://127.0.0.1:0/session/end'],
    ['of another scheme', 'file:///session/end'],
  ])('signs out without opening a discovered sign-out endpoint %s', async (_, endpoint) => {
    await suite.provider.editDiscovery((document) => ({ ...document, end_session_endpoint: endpoint }));
    const opened: string[] = [];
    try {
      const settings = oidcSettings(suite.provider);
      const core = await signedIn(settings, 'demo', {
        openExternal: async (url) => {
          opened.push(url);
          await suite.harness.browser.openExternal(url);
        },
      });
      expect(await core.signOut()).toEqual({ revoked: true });
      expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'userSignedOut' });
      await eventually(() => suite.harness.logs.text().includes('the provider sign-out page is not opened'), {
        intervalMs: 20,
      });
      expect(opened.map((url) => new URL(url).pathname)).toEqual(['/auth']);
    } finally {
      await suite.provider.editDiscovery(null);
    }
  });

  it.each([
    [
      'a refusal written in HTML, read by its status (not as the network in the way)',
      () =>
        suite.provider.answerTokenRequests({
          status: 400,
          headers: { 'content-type': 'text/html' },
          body: PORTAL_PAGE,
        }),
      { code: 'BAD_RESPONSE', status: 400 },
    ],
    [
      'invalid_client with a Basic challenge, read by its body as the client misconfigured',
      () =>
        suite.provider.refuseTokenRequests({
          status: 401,
          error: 'invalid_client',
          headers: { 'www-authenticate': `Basic realm="${suite.provider.issuer}", error="invalid_client"` },
        }),
      { code: 'OIDC_MISCONFIGURED', status: 401, serverError: 'invalid_client' },
    ],
  ])('a refresh refused as a request, %s, keeps the token and is not offline', async (_, refuse, error) => {
    const settings = oidcSettings(suite.provider);
    const core = await signedIn(settings);
    const kept = await suite.harness.stored(settings);
    refuse();
    try {
      expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({ ok: false, error });
      expect(core.getView()).toMatchObject({ state: 'active', offline: false });
      expect(await suite.harness.stored(settings)).toBe(kept);
    } finally {
      suite.provider.answerTokenRequests(null);
    }
  });

  it('never quotes the refresh token a provider echoes in its refusal, even one too short to look like a token', async () => {
    const settings = oidcSettings(suite.provider);
    // An opaque refresh token of a provider that issues short ones: no shape the redactor knows.
    const short = 'rt-4711-kim';
    suite.harness.secrets.add(short);
    await suite.harness.store(settings, short);
    suite.provider.refuseTokenRequests({
      status: 400,
      error: 'invalid_grant',
      description: (sent) => `refresh token ${sent.get('refresh_token')} is not known here`,
    });
    try {
      const view = await suite.harness.makeSession(settings).start();
      expect(view).toMatchObject({
        state: 'signedOut',
        lastError: { code: 'SESSION_EXPIRED', serverError: 'invalid_grant' },
      });
      // The provider's words stay (they say what happened), without the value that was sent.
      expect(view.lastError?.message).toContain('refresh token [redacted] is not known here');
      expect(view.lastError?.message).not.toContain(short);
      expect(suite.harness.logs.text()).not.toContain(short);
    } finally {
      suite.provider.refuseTokenRequests(null);
    }
  });

  it('a provider that refuses the refresh as a request (client disabled) is no outage: not offline, no refresh per token request', async () => {
    const settings = oidcSettings(suite.provider);
    const core = await signedIn(settings);
    const refreshes = () => suite.provider.requests().filter((request) => request === 'POST /token').length;
    suite.provider.refuseTokenRequests({ status: 401, error: 'invalid_client' });
    try {
      const before = refreshes();
      const failed = await core.getAccessToken({ forceRefresh: true });
      expect(failed).toMatchObject({ ok: false, error: { code: 'OIDC_MISCONFIGURED', status: 401 } });
      // Not "Can't reach the provider": it answered, and refused the request itself.
      expect(core.getView()).toMatchObject({
        state: 'active',
        offline: false,
        lastError: { code: 'OIDC_MISCONFIGURED', serverError: 'invalid_client' },
      });
      // Token requests meanwhile wait for the retry timer instead of sending refresh after refresh.
      for (let i = 0; i < 3; i++) await core.getAccessToken({ forceRefresh: true });
      expect(refreshes() - before).toBe(1);
      // The refresh token is kept.
      expect(await suite.harness.stored(settings)).toMatch(/.{20,}/);
    } finally {
      suite.provider.refuseTokenRequests(null);
    }
  });

  it('a provider that keeps refusing the refresh as a request reads, after 2 minutes, as its client misconfigured, keeping the token', async () => {
    const settings = oidcSettings(suite.provider);
    const time = createFakeTime(Date.now());
    const core = await signedIn(settings, 'demo', { now: time.now, timers: time.timers });
    const kept = await suite.harness.stored(settings);
    suite.provider.refuseTokenRequests({ status: 400, error: 'unauthorized_client' });
    try {
      const startedAt = time.now();
      await core.getAccessToken({ forceRefresh: true });
      let tries = 1;
      while (core.getView().state === 'active') {
        await fireRefresh(core, time);
        tries += 1;
      }
      expect(tries).toBeGreaterThan(MAX_REJECTED_RETRIES + 1);
      expect(time.now() - startedAt).toBeGreaterThanOrEqual(REJECTED_GIVE_UP_MS);
      const view = core.getView();
      // The provider's client, not the API contract (which a browser sign-in does not use).
      expect(view).toMatchObject({
        state: 'signedOut',
        reason: 'refreshMisconfigured',
        offline: false,
        lastError: { code: 'OIDC_MISCONFIGURED', status: 400, serverError: 'unauthorized_client' },
      });
      expect(view.lastError?.message).toMatch(/oidcClientId/);
      expect(view.lastError?.message).not.toMatch(/authContract/);
      expect(await suite.harness.stored(settings)).toBe(kept);
    } finally {
      suite.provider.refuseTokenRequests(null);
    }
  });

  it('signs out of the old provider when the sign-in settings change (reason signInMethodChanged)', async () => {
    const settings = oidcSettings(suite.provider);
    const core = await signedIn(settings);
    const refreshToken = (await suite.harness.stored(settings)) ?? '';
    await core.applySettings({ ...settings, authMode: 'password' });
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'signInMethodChanged' });
    expect(await suite.harness.stored(settings)).toBeNull();
    // The old session's token is revoked in the background at the provider that issued it.
    await eventually(async () => (await replayRefreshToken(suite.provider, refreshToken)).status === 400, {
      intervalMs: 50,
    });
  });

  it('leaves the session alone when an unrelated setting changes', async () => {
    const settings = oidcSettings(suite.provider);
    const core = await signedIn(settings);
    await core.applySettings({ ...settings, theme: 'dark', oidcProviderName: 'Test IdP' });
    expect(core.getView()).toMatchObject({ state: 'active', reason: null });
    expect((await core.getAccessToken({ forceRefresh: true })).ok).toBe(true);
  });
});
