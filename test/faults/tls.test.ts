// An https API whose certificate the client does not trust: a clear TLS error, and the handshake fails
// before any credential or token is sent. The same API trusted through an extra CA works. (In the app,
// Electron's net.fetch uses the OS trust store; here Node's fetch with undici's `connect.ca` stands in.)
import { Agent, fetch as undiciFetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchLike } from '../../main/core/auth-client';
import type { RunningServer } from '../../server';
import { DEMO, testSettings, waitForView } from '../support/fixtures';
import { startQuietServer } from '../support/test-server';
import { eventually } from '../support/wait-until';
import { useFaultKit } from './support/fault-kit';
import { createTestCa, type TestCa } from './support/test-ca';

const kit = useFaultKit();
const { makeSession, stored } = kit.harness;
let ca: TestCa;
let https: RunningServer;
let agent: Agent;

beforeAll(async () => {
  ca = createTestCa();
  https = await startQuietServer({ tls: ca.leaf });
  agent = new Agent({ connect: { ca: ca.ca } });
});

afterAll(async () => {
  await https?.close();
  await agent?.close();
});

/**
 * fetch that trusts the test CA (besides Node's bundled roots) while `trusts()` says so. undici's own
 * fetch with its own Agent, since Node's bundled fetch takes no CA option; the answer is rebuilt as a
 * global Response for ky.
 */
function fetchTrustingCa(trusts: () => boolean = () => true): FetchLike {
  return async (request) => {
    if (!trusts()) return fetch(request);
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
    const answer = await undiciFetch(request.url, {
      method: request.method,
      headers: [...request.headers],
      body: hasBody ? await request.arrayBuffer() : undefined,
      redirect: request.redirect,
      signal: request.signal,
      dispatcher: agent,
    });
    return new Response(answer.body as ReadableStream | null, {
      status: answer.status,
      statusText: answer.statusText,
      headers: [...answer.headers],
    });
  };
}

const TLS_MESSAGE =
  /certificate was not accepted \((UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)\)/;

describe('an https API whose certificate is not trusted', () => {
  it('fails sign-in with TLS before the password is sent', async () => {
    https.clearRequests();
    const core = makeSession(testSettings(https.url), { fetch: kit.recordingFetch() });
    const result = await core.signIn(DEMO.username, DEMO.password);
    expect(result).toMatchObject({ ok: false, error: { code: 'TLS', message: TLS_MESSAGE } });
    expect(core.getView()).toMatchObject({ state: 'signedOut', reason: null, lastError: { code: 'TLS' } });
    // The handshake failed: no HTTP request (and so no password) ever reached the server.
    expect(https.requests()).toEqual([]);
    expect(await stored(https.url)).toBeNull();
  });

  it('fails a refresh with TLS before the refresh token is sent, keeps the session, recovers once trusted', async () => {
    let trusted = true;
    const core = makeSession(testSettings(https.url), {
      fetch: kit.recordingFetch(fetchTrustingCa(() => trusted)),
    });
    expect((await core.signIn(DEMO.username, DEMO.password)).ok).toBe(true);
    const before = await stored(https.url);
    https.clearRequests();

    // Say a TLS-inspecting proxy appears whose CA this machine does not trust.
    trusted = false;
    const failed = await core.getAccessToken({ forceRefresh: true });
    expect(failed).toMatchObject({ ok: false, error: { code: 'TLS', message: TLS_MESSAGE } });
    expect(core.getView()).toMatchObject({ state: 'active', offline: true, lastError: { code: 'TLS' } });
    expect(https.requests()).toEqual([]);
    expect(await stored(https.url)).toBe(before);

    trusted = true;
    core.onOnline();
    await waitForView(core, (view) => view.state === 'active' && !view.offline);
    expect(https.requests('/token/refresh')).toHaveLength(1);
    expect(await stored(https.url)).not.toBe(before);
  });
});

describe('the same API trusted through an extra CA', () => {
  it('signs in, refreshes and signs out over https', async () => {
    https.clearRequests();
    const core = makeSession(testSettings(https.url), { fetch: kit.recordingFetch(fetchTrustingCa()) });
    expect(await core.signIn(DEMO.username, DEMO.password)).toMatchObject({
      ok: true,
      value: {
        state: 'active',
        apiOrigin: https.url,
        user: { username: 'demo' },
      },
    });
    // Written behind the session: the keychain holds the token once its calls have ended.
    expect(await stored(https.url)).toMatch(/.{20,}/);
    expect(core.getView().keychain).toMatchObject({ persisted: true });
    expect(await core.getAccessToken({ forceRefresh: true })).toMatchObject({ ok: true });
    // A refresh reloads the profile in the background; sign-out revokes the whole token family, so
    // let that call land first (a late one would rightly get 401 TokenRevokedError).
    await eventually(() => https.requests('/api/user/me').length === 2);
    expect(await core.signOut()).toEqual({ revoked: true });
    const seen = https.requests();
    expect(seen.map((r) => r.path)).toEqual(
      expect.arrayContaining(['/login', '/api/user/me', '/token/refresh', '/logout']),
    );
    expect(seen.filter((r) => r.status < 200 || r.status >= 300).map((r) => `${r.path} ${r.status}`)).toEqual(
      [],
    );
  });

  it('still refuses a certificate the CA issued for another address (TLS, nothing sent)', async () => {
    const other = await startQuietServer({ tls: ca.otherName });
    try {
      const core = makeSession(testSettings(other.url), { fetch: kit.recordingFetch(fetchTrustingCa()) });
      const result = await core.signIn(DEMO.username, DEMO.password);
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'TLS', message: expect.stringMatching(/ERR_TLS_CERT_ALTNAME_INVALID/) },
      });
      expect(other.requests()).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
