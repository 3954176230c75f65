// The `supabase` and `pocketbase` presets against their backends' documented answers. Neither backend
// can run here (Supabase Auth needs its Postgres stack, PocketBase is a Go binary in neither npm nor
// Debian), so STAND-INS answer as their API references show, with real JWTs; everything on Tessera's
// side is the real app path (bridge, IPC, session, keychain, the renderer's client).

import { SignJWT } from 'jose';
import keytar from 'keytar';
import { afterAll, describe, expect, it } from 'vitest';
import type { SettingsPatch } from '../../common/settings';
import type { AppServices } from '../../main/app-services';
import type { FetchLike } from '../../main/core/auth-client';
import { apiScope, tokenAccount } from '../../main/core/vault';
import { waitForView } from '../support/fixtures';
import { type BackendResult, createRecorder } from './report';
import { forgetKeychain, itReadsAWrongPassword, withApp } from './support/walk';

const KEY = new TextEncoder().encode('interop-documented-answers-key-0123456789');

/** A signed JWT living `seconds`; PocketBase's carry no `iat`. */
function jwt(claims: Record<string, unknown>, seconds: number, withIat = true): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const token = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setExpirationTime(now + seconds);
  return (withIat ? token.setIssuedAt(now) : token).sign(KEY);
}

/** One request as the stand-in saw it. */
interface Seen {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/** A stand-in server: `answer` gets each request (path with query) and what was seen so far. */
function standIn(answer: (request: Seen) => Promise<Response>) {
  const seen: Seen[] = [];
  const fetch: FetchLike = async (input) => {
    const url = new URL(input.url);
    const request: Seen = {
      method: input.method,
      path: `${url.pathname}${url.search}`,
      headers: Object.fromEntries(input.headers),
      body: input.body === null ? '' : await input.text(),
    };
    seen.push(request);
    return answer(request);
  };
  return { fetch, seen };
}

const BASE = 'https://project.example.test';

/** A documented-answers backend's recorder, keychain service, user and stored refresh token, cleaned up after its suite. */
function documentedBackend(result: Pick<BackendResult, 'id' | 'backend' | 'versions' | 'preset'>) {
  const recorder = createRecorder({ ...result, tested: 'documented answers' });
  const service = `Tessera-interop-${result.id}-${process.pid}`;
  const user = { username: 'kim@example.com', password: 'interop-password-1' };
  /** The stored refresh token, once the app's keychain calls have ended (it writes behind the session). */
  const stored = async (app: Pick<AppServices, 'keychainSettled'>) => {
    await app.keychainSettled();
    return keytar.getPassword(service, tokenAccount(apiScope(BASE), user.username));
  };
  afterAll(async () => {
    recorder.save();
    await forgetKeychain(service, BASE, user.username);
  });
  return { recorder, service, user, stored };
}

describe('Supabase Auth (GoTrue), from its documented answers', () => {
  const { recorder, service, user, stored } = documentedBackend({
    id: 'supabase',
    backend: 'Supabase Auth (GoTrue)',
    versions: 'documented answers of GoTrue v2 (/auth/v1)',
    preset: 'supabase',
  });
  const live = new Set<string>();
  let issued = 0;
  const { fetch, seen } = standIn(async (request) => {
    const body = request.body ? JSON.parse(request.body) : {};
    const grant = async () => {
      issued += 1;
      const refresh = `sb-refresh-${issued}-${'x'.repeat(12)}`;
      live.add(refresh);
      // https://supabase.com/docs/reference/api — the token endpoint's answer.
      return json(200, {
        access_token: await jwt({ sub: 'u-1', email: user.username, role: 'authenticated' }, 3600),
        token_type: 'bearer',
        expires_in: 3600,
        expires_at: Math.floor(Date.now() / 1000) + 3600,
        refresh_token: refresh,
        user: { id: 'u-1', aud: 'authenticated', role: 'authenticated', email: user.username },
      });
    };
    if (request.headers.apikey !== 'anon-public-key')
      return json(401, { message: 'No API key found in request' });
    if (request.path === '/auth/v1/token?grant_type=password') {
      if (body.email === user.username && body.password === user.password) return grant();
      return json(400, { code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' });
    }
    if (request.path === '/auth/v1/token?grant_type=refresh_token') {
      if (!live.delete(body.refresh_token))
        return json(400, {
          code: 400,
          error_code: 'refresh_token_already_used',
          msg: 'Invalid Refresh Token: Already Used',
        });
      return grant();
    }
    if (request.path === '/auth/v1/logout') {
      live.clear();
      return new Response(null, { status: 204 });
    }
    return json(404, { message: 'not found' });
  });
  const target = {
    url: () => BASE,
    wrongPassword: { info: { status: 400 }, step: 'a wrong password (400) reads as wrong credentials' },
    username: user.username,
    settings: {
      apiProfile: 'supabase',
      mePath: '',
      authContract: { headers: { apikey: 'anon-public-key' } },
    } satisfies SettingsPatch,
  };
  const appCase = { target, service, fetch };

  it('signs in with email and password at the token endpoint with its query, the apikey header and no Bearer', () =>
    withApp(appCase, async ({ app, window }) => {
      const view = await window.bridge.auth.signIn(user);
      expect(view).toMatchObject({ state: 'active', lifetimeMs: 3_600_000 });
      expect(seen.at(-1)).toMatchObject({ method: 'POST', path: '/auth/v1/token?grant_type=password' });
      expect(JSON.parse(seen.at(-1)?.body ?? '')).toEqual({ email: user.username, password: user.password });
      expect(seen.at(-1)?.headers.authorization).toBeUndefined();
      recorder.passed('sign-in');

      const before = await stored(app);
      await window.bridge.auth.getAccessToken({ forceRefresh: true });
      expect(seen.at(-1)?.path).toBe('/auth/v1/token?grant_type=refresh_token');
      expect(await stored(app)).not.toBe(before);
      recorder.passed('rotation persisted');

      const last = await stored(app);
      expect(await window.bridge.auth.signOut()).toEqual({ revoked: true });
      expect(seen.at(-1)).toMatchObject({ method: 'POST', path: '/auth/v1/logout', body: '' });
      expect(seen.at(-1)?.headers.authorization).toMatch(/^Bearer ey/);
      expect(live.has(last ?? '')).toBe(false);
      // The stand-in's logout drops every refresh token it issued: no real server is asked here, so
      // this is not the walk's 'sign-out revokes on the server' step.
      recorder.passed('sign-out sends POST /auth/v1/logout with the access token');
    }));

  itReadsAWrongPassword(appCase, recorder);

  it('ends the session when a refresh token is refused as already used (a 400, not a configuration error)', () =>
    withApp(appCase, async ({ app, window }) => {
      await window.bridge.auth.signIn(user);
      live.clear(); // as if another device had used it
      const error = await window.bridge.auth.getAccessToken({ forceRefresh: true }).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'SESSION_EXPIRED',
        info: { serverError: 'refresh_token_already_used' },
      });
      expect(await waitForView(app.session, (view) => view.state === 'signedOut')).toMatchObject({
        reason: 'refreshTokenInvalid',
      });
      recorder.passed('a refused refresh token (400 refresh_token_already_used) ends the session');
    }));

  it("retries once after PostgREST's expired-token 401 (RFC 6750 invalid_token)", () =>
    withApp(appCase, async ({ window }) => {
      await window.bridge.auth.signIn(user);
      let first = true;
      const rest = window.api.extend({
        fetch: async (input: RequestInfo | URL) => {
          const request = input as Request;
          if (!first) return json(200, [{ id: 1 }]);
          first = false;
          expect(request.headers.get('authorization')).toMatch(/^Bearer /);
          return json(
            401,
            { code: 'PGRST301', details: null, hint: null, message: 'JWT expired' },
            { 'www-authenticate': 'Bearer error="invalid_token", error_description="JWT expired"' },
          );
        },
      });
      const refreshes = seen.length;
      expect(await rest.get('rest/v1/todos').json()).toEqual([{ id: 1 }]);
      expect(seen.slice(refreshes).map((request) => request.path)).toEqual([
        '/auth/v1/token?grant_type=refresh_token',
      ]);
      recorder.passed('retry after an expired-token 401');
      await window.bridge.auth.signOut();
    }));
});

describe('PocketBase 0.23, from its documented answers', () => {
  const { recorder, service, user, stored } = documentedBackend({
    id: 'pocketbase',
    backend: 'PocketBase',
    versions: 'documented answers of PocketBase 0.23 (/api/collections/users)',
    preset: 'pocketbase',
  });
  /** Every token the stand-in handed out, in order. */
  const issued: string[] = [];
  const { fetch, seen } = standIn(async (request) => {
    // https://pocketbase.io/docs/api-records/#auth-with-password — {token, record}; no iat or jti in
    // the token, so two issued in the same second would be byte-identical. Each issue here is taken to
    // come a second after the one before (exp one second later), so a refreshed token always differs
    // from the one it replaces and "rotation persisted" can tell whether the app stored it.
    const auth = async () => {
      const token = await jwt(
        { id: 'r-1', collectionId: '_pb_users_auth_', type: 'auth', refreshable: true },
        604_800 + issued.length,
        false,
      );
      issued.push(token);
      return json(200, { token, record: { id: 'r-1', collectionName: 'users', email: user.username } });
    };
    if (request.path === '/api/collections/users/auth-with-password') {
      const body = JSON.parse(request.body);
      if (body.identity === user.username && body.password === user.password) return auth();
      return json(400, { status: 400, message: 'Failed to authenticate.', data: {} });
    }
    if (request.path === '/api/collections/users/auth-refresh') {
      if (!request.headers.authorization?.startsWith('Bearer ey'))
        return json(401, {
          status: 401,
          message: 'The request requires valid record authorization token.',
          data: {},
        });
      return auth();
    }
    return json(404, { status: 404, message: "The requested resource wasn't found.", data: {} });
  });
  const target = {
    url: () => BASE,
    wrongPassword: { info: { status: 400 }, step: 'a wrong password (400) reads as wrong credentials' },
    username: user.username,
    settings: { apiProfile: 'pocketbase', mePath: '' } satisfies SettingsPatch,
  };
  const appCase = { target, service, fetch };

  it('signs in with identity and password, takes the lifetime from exp, and keeps the auth token as its refresh credential', () =>
    withApp(appCase, async ({ app, window }) => {
      const view = await window.bridge.auth.signIn(user);
      expect(view).toMatchObject({ state: 'active' });
      // 7 days by exp minus the local clock (the token carries no iat).
      expect(view.lifetimeMs).toBeGreaterThan(604_700_000);
      expect(JSON.parse(seen.at(-1)?.body ?? '')).toEqual({
        identity: user.username,
        password: user.password,
      });
      const token = await window.bridge.auth.getAccessToken();
      expect(await stored(app)).toBe(token.accessToken);
      recorder.passed('sign-in');

      await window.bridge.auth.getAccessToken({ forceRefresh: true });
      expect(seen.at(-1)).toMatchObject({
        method: 'POST',
        path: '/api/collections/users/auth-refresh',
        body: '',
      });
      expect(seen.at(-1)?.headers.authorization).toBe(`Bearer ${token.accessToken}`);
      const refreshed = await window.bridge.auth.getAccessToken();
      // The token the stand-in answered the refresh with: new, handed to the page and in the keychain.
      const fromRefresh = issued.at(-1);
      expect(fromRefresh).not.toBe(token.accessToken);
      expect(refreshed.accessToken).toBe(fromRefresh);
      expect(await stored(app)).toBe(fromRefresh);
      recorder.passed('rotation persisted');

      const requests = seen.length;
      expect(await window.bridge.auth.signOut()).toEqual({ revoked: false });
      expect(seen).toHaveLength(requests);
      expect(await stored(app)).toBeNull();
      recorder.passed('sign-out forgets the token (PocketBase has no logout endpoint)');
    }));

  itReadsAWrongPassword(appCase, recorder);
});
