// Answers that arrive but make no sense: truncated or non-JSON bodies, a 200 whose access token is not a
// JWT, expiresIn of 0, negative, a string or absurdly large, a refresh without a new refresh token.
// Nothing malformed may be stored or scheduled by; the session and its stored token are kept.
import { describe, expect, it } from 'vitest';
import type { Session } from '../../main/core/contracts';
import { DEMO, fakeJwt, testSettings, waitForView } from '../support/fixtures';
import { createFakeTime } from '../support/session-harness';
import { eventually } from '../support/wait-until';
import { expectNoTokenShapes, useFaultKit } from './support/fault-kit';
import { useFaultProxy } from './support/fault-proxy';

const kit = useFaultKit();
const { makeSession, stored } = kit.harness;
const proxy = useFaultProxy(() => kit.server.url);

/** A well-formed token answer, for the cases that break one field of it. */
function tokenBody(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    accessToken: fakeJwt({ sub: 'u1', exp: Math.floor(Date.now() / 1000) + 900 }),
    expiresIn: 900,
    refreshToken: 'malformed-case-refresh-token-0123456789abcdefABCDEF',
    refreshExpiresIn: 1_209_600,
    tokenType: 'Bearer',
    ...overrides,
  });
}

const BODIES: Array<{ name: string; body: string; message: RegExp }> = [
  { name: 'a truncated JSON body', body: tokenBody().slice(0, 40), message: /was not valid JSON/ },
  {
    name: 'an HTML page',
    body: '<html><body>Please sign in to the proxy</body></html>',
    message: /not valid JSON/,
  },
  { name: 'an empty body', body: '', message: /was empty/ },
  { name: 'a JSON array', body: '[]', message: /was not a JSON object/ },
  {
    name: 'an access token that is not a JWT',
    body: tokenBody({ accessToken: 'opaque-access-token' }),
    message: /invalid fields: accessToken/,
  },
  { name: 'expiresIn 0', body: tokenBody({ expiresIn: 0 }), message: /invalid fields: expiresIn/ },
  { name: 'a negative expiresIn', body: tokenBody({ expiresIn: -60 }), message: /invalid fields: expiresIn/ },
  {
    name: 'expiresIn as a string that is no number',
    body: tokenBody({ expiresIn: '900s' }),
    message: /invalid fields: expiresIn/,
  },
  {
    name: 'an absurdly large expiresIn',
    body: tokenBody({ expiresIn: 1e12 }),
    message: /invalid fields: expiresIn/,
  },
  { name: 'a token type other than Bearer', body: tokenBody({ tokenType: 'MAC' }), message: /tokenType/ },
];

function settings(url = kit.server.url) {
  return testSettings(url, { requestTimeoutMs: 10_000 });
}

async function signedInOnFakeTime(
  url = kit.server.url,
): Promise<{ core: Session; time: ReturnType<typeof createFakeTime> }> {
  const time = createFakeTime(Date.now());
  const core = makeSession(settings(url), {
    now: time.now,
    timers: time.timers,
    random: () => 0,
    fetch: kit.recordingFetch(),
  });
  const result = await core.signIn(DEMO.username, DEMO.password);
  if (!result.ok) throw new Error(`sign-in failed: ${result.error.code}`);
  return { core, time };
}

describe('a sign-in answered with a malformed 200', () => {
  it.each(BODIES)(
    '$name: BAD_RESPONSE naming no value, signed out, nothing stored',
    async ({ body, message }) => {
      const core = makeSession(settings(), { fetch: kit.recordingFetch() });
      kit.server.failNext(1, { path: '/login', status: 200, body });
      const result = await core.signIn(DEMO.username, DEMO.password);
      expect(result).toMatchObject({ ok: false, error: { code: 'BAD_RESPONSE', message } });
      expect(core.getView()).toMatchObject({
        state: 'signedOut',
        user: null,
        reason: null,
        lastError: { code: 'BAD_RESPONSE', message },
      });
      expectNoTokenShapes(JSON.stringify(result));
      expect(await stored(kit.server.url)).toBeNull();
      expect(await core.getAccessToken()).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
    },
  );
});

describe('a refresh answered with a malformed 200', () => {
  it.each(BODIES)(
    '$name: keeps the session and its stored token with BAD_RESPONSE (answered: not offline), then recovers',
    async ({ body, message }) => {
      const { core, time } = await signedInOnFakeTime();
      const before = await stored(kit.server.url);
      const expiresAt = core.getView().expiresAt;
      kit.server.failNext(1, { path: '/token/refresh', status: 200, body });

      time.fireNext();
      const view = await waitForView(core, (v) => v.state === 'active' && v.lastError !== null);
      // The server answered: not an outage (retried on the timer only, see isRejectedRequest).
      expect(view).toMatchObject({
        lastError: { code: 'BAD_RESPONSE', message, status: 200 },
        reason: null,
        offline: false,
      });
      // Nothing of the bad answer was used: same expiry, same stored token.
      expect(view.expiresAt).toBe(expiresAt);
      expect(await stored(kit.server.url)).toBe(before);

      time.fireNext();
      const back = await waitForView(core, (v) => v.state !== 'refreshing');
      expect(back).toMatchObject({ state: 'active', offline: false, lastError: null });
      expect(await stored(kit.server.url)).not.toBe(before);
    },
  );
});

describe('a refresh answer without a new refresh token', () => {
  it('keeps the old refresh token (RFC 6749 allows a server not to rotate), and it keeps working', async () => {
    const core = makeSession(settings(), { fetch: kit.recordingFetch() });
    expect((await core.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
    const before = await stored(kit.server.url);
    // A real access token from the same server, answered the way a non-rotating server would.
    const other = (await (
      await fetch(`${kit.server.url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(DEMO),
      })
    ).json()) as { accessToken: string; refreshToken: string };
    kit.harness.secrets.add(other.accessToken).add(other.refreshToken);
    kit.server.failNext(1, {
      path: '/token/refresh',
      status: 200,
      body: JSON.stringify({ accessToken: other.accessToken, expiresIn: 900, tokenType: 'Bearer' }),
    });

    const grant = await core.getAccessToken({ forceRefresh: true });
    expect(grant).toMatchObject({ ok: true, value: { accessToken: other.accessToken } });
    expect(core.getView()).toMatchObject({ state: 'active', offline: false, keychain: { persisted: true } });
    expect(await stored(kit.server.url)).toBe(before);
    const me = await fetch(`${kit.server.url}/api/user/me`, {
      headers: { authorization: `Bearer ${other.accessToken}` },
    });
    expect(me.status).toBe(200);

    // The kept token was never used on the server, so the next (real, rotating) refresh accepts it.
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({ ok: true });
    expect(await stored(kit.server.url)).not.toBe(before);
  });

  it('from a server that did rotate (the new token lost on the way): signed out at the next refresh, as an interrupted renewal', async () => {
    const core = makeSession(settings(proxy.url), { fetch: kit.recordingFetch() });
    expect((await core.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
    const before = await stored(proxy.url);
    proxy.breakNext('/token/refresh', {
      kind: 'rewrite',
      rewrite: ({ refreshToken, ...rest }) => {
        if (typeof refreshToken === 'string') kit.harness.secrets.add(refreshToken);
        return rest;
      },
    });
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({ ok: true });
    expect(await stored(proxy.url)).toBe(before);

    const next = await core.getAccessToken({ forceRefresh: true });
    expect(next).toMatchObject({
      ok: false,
      error: { code: 'SESSION_EXPIRED', serverError: 'RefreshTokenReusedError' },
    });
    // The server's reuse detection ended the session, but no one else had a copy: not a theft warning.
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: 'refreshInterrupted' });
    await eventually(async () => (await stored(proxy.url).catch(() => 'busy')) === null);
  });
});

describe('a refresh answered 200 with a body that cannot be used, after the server rotated', () => {
  it('keeps the old token and, when the server then refuses it as reused, says the renewal was interrupted', async () => {
    const core = makeSession(settings(proxy.url), { fetch: kit.recordingFetch() });
    expect((await core.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
    const before = await stored(proxy.url);
    proxy.breakNext('/token/refresh', {
      kind: 'rewrite',
      rewrite: ({ refreshToken, accessToken }) => {
        for (const token of [refreshToken, accessToken])
          if (typeof token === 'string') kit.harness.secrets.add(token);
        return 'not a token answer';
      },
    });
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({
      ok: false,
      error: { code: 'BAD_RESPONSE' },
    });
    expect(await stored(proxy.url)).toBe(before);

    // The retry presents the kept token, which the server already rotated out.
    void core.getAccessToken({ forceRefresh: true });
    expect(await waitForView(core, (view) => view.state === 'signedOut')).toMatchObject({
      reason: 'refreshInterrupted',
      lastError: { code: 'SESSION_EXPIRED', serverError: 'RefreshTokenReusedError' },
    });
  });
});

describe('a refresh answered 401 by a gateway in front of the server', () => {
  it.each<{ name: string; headers: Record<string, string>; body: string }>([
    {
      name: 'its sign-in page (HTML)',
      headers: { 'content-type': 'text/html' },
      body: '<html>Sign in</html>',
    },
    { name: 'a Negotiate challenge', headers: { 'www-authenticate': 'Negotiate' }, body: '' },
  ])(
    '$name: offline, the session and its stored token kept; the next refresh works',
    async ({ headers, body }) => {
      const core = makeSession(settings(proxy.url), { fetch: kit.recordingFetch() });
      expect((await core.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
      const before = await stored(proxy.url);
      kit.server.clearRequests();
      proxy.breakNext('/token/refresh', { kind: 'answer', status: 401, headers, body });
      expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({
        ok: false,
        error: { code: 'NETWORK', status: 401 },
      });
      expect(core.getView()).toMatchObject({ state: 'active', offline: true });
      expect(await stored(proxy.url)).toBe(before);
      // The server never saw that refresh: the kept token is still the good one.
      expect(kit.server.requests('/token/refresh')).toEqual([]);
      expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({ ok: true });
    },
  );
});

describe('other malformed answers', () => {
  it('a profile answered with non-JSON: signed in anyway, the user taken from the token claims', async () => {
    const core = makeSession(settings(), { fetch: kit.recordingFetch() });
    kit.server.failNext(1, { path: '/api/user/me', status: 200, body: '<html>oops</html>' });
    const result = await core.signIn(DEMO.username, DEMO.password);
    expect(result).toMatchObject({
      ok: true,
      value: {
        state: 'active',
        lastError: null,
        user: { username: 'demo', name: 'Demo User', role: 'user' },
      },
    });
  });

  it('a refresh refused with a 401 that is not JSON: signed out as refreshTokenInvalid, entry deleted', async () => {
    const core = makeSession(settings(), { fetch: kit.recordingFetch() });
    expect((await core.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
    kit.server.failNext(1, { path: '/token/refresh', status: 401, body: '<html>401 Unauthorized</html>' });
    const result = await core.getAccessToken({ forceRefresh: true });
    expect(result).toMatchObject({ ok: false, error: { code: 'SESSION_EXPIRED', status: 401 } });
    expect(core.getView()).toMatchObject({
      state: 'signedOut',
      reason: 'refreshTokenInvalid',
      lastError: { code: 'SESSION_EXPIRED' },
    });
    expect(await stored(kit.server.url)).toBeNull();
  });
});
