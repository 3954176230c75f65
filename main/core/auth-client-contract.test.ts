// The auth client speaking API contracts other than the reference server's: the requests it sends
// (encoding, fields, headers, paths with a query, another host) and how it reads the answers. The
// reference server stands in for the backends; `failNext` gives its answers the backend's shape.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuthContractSetting } from '../../common/auth-contract';
import type { Settings } from '../../common/settings';
import type { RunningServer } from '../../server';
import { DEMO, fakeJwt, testSettings } from '../../test/support/fixtures';
import { startQuietServer } from '../../test/support/test-server';
import { createAuthClient, type FetchLike } from './auth-client';

interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

let server: RunningServer;
let sent: Sent[];

/** Node's fetch, noting every request as the server gets it (headers included). */
const recording: FetchLike = async (request, init) => {
  const copy = request.clone();
  sent.push({
    method: copy.method,
    url: copy.url,
    headers: Object.fromEntries(copy.headers),
    body: copy.body === null ? '' : await copy.text(),
  });
  return fetch(request, init);
};

function clientWith(apiProfile: Settings['apiProfile'], authContract: AuthContractSetting | null) {
  return createAuthClient({
    fetch: recording,
    endpoints: { ...testSettings(server.url), apiProfile, authContract },
  });
}

const access = fakeJwt({ sub: 'u1', iat: 1_900_000_000, exp: 1_900_000_060 });

/** Makes the next request to `path` answer 200 with `body`. */
function answer(path: string, body: unknown): void {
  server.failNext(1, { path, status: 200, body: JSON.stringify(body) });
}

beforeAll(async () => {
  server = await startQuietServer();
});

beforeEach(() => {
  sent = [];
  server.clearRequests();
});

afterAll(async () => {
  await server.close();
});

const CUSTOM = {
  login: {
    path: '/signin?tenant=a',
    encoding: 'form',
    usernameField: 'email',
    passwordField: 'pass',
    extraFields: { grant_type: 'password', client_id: 'tessera' },
  },
  tokens: { accessToken: 'data.jwt', refreshToken: 'data.rt', expiresIn: 'data.ttl', expiresInUnit: 'ms' },
  refresh: {
    path: '/again',
    encoding: 'json',
    tokenField: 'rt',
    send: 'body',
    extraFields: { mode: 'json' },
  },
  logout: { path: '/out', tokenField: 'rt', sendBearer: false },
  expired: null,
  headers: { 'X-Client-Info': 'tessera' },
};

describe('a lifetime told by exp alone (PocketBase: no iat, no expiresIn) on a machine clock hours off', () => {
  it.each([
    ['ahead', 2],
    ['behind', -2],
  ])("%s: measures exp against the answer's Date header, not this computer's clock", async (_, hours) => {
    const exp = Math.floor(Date.now() / 1000) + 600;
    const token = fakeJwt({ id: 'u1', exp });
    answer('/api/collections/users/auth-with-password', { token, record: { id: 'u1' } });
    const client = createAuthClient({
      fetch: recording,
      endpoints: { ...testSettings(server.url), apiProfile: 'pocketbase', authContract: null },
      now: () => Date.now() + hours * 3_600_000,
    });
    const grant = await client.login('kim@example.com', 'pw');
    expect(grant.ok).toBe(true);
    // The reference server's clock is this machine's real one; its Date header is to the second (by
    // our shifted clock the lifetime would be 600 s ∓ 2 h: expired on arrival, or 2 h too long).
    if (grant.ok) expect(grant.value.expiresIn).toBeGreaterThan(500);
    if (grant.ok) expect(grant.value.expiresIn).toBeLessThanOrEqual(601);
  });
});

describe('a lifetime told by exp alone, with a Date header that is no date', () => {
  it.each(['0', '-5', 'soon'])(
    'Date: %s is not the server’s clock: the lifetime is measured by this computer’s instead',
    async (date) => {
      const exp = Math.floor(Date.now() / 1000) + 600;
      answer('/api/collections/users/auth-with-password', {
        token: fakeJwt({ id: 'u1', exp }),
        record: { id: 'u1' },
      });
      // The reference server's answer with its Date header replaced (a broken proxy's).
      const brokenDate: FetchLike = async (request, init) => {
        const response = await recording(request, init);
        const headers = new Headers(response.headers);
        headers.set('date', date);
        return new Response(response.body, { status: response.status, headers });
      };
      const client = createAuthClient({
        fetch: brokenDate,
        endpoints: { ...testSettings(server.url), apiProfile: 'pocketbase', authContract: null },
      });
      const grant = await client.login('kim@example.com', 'pw');
      // Before, Date.parse read "0" as the year 2000: a lifetime of 26 years, refreshed never.
      expect(grant.ok).toBe(true);
      if (grant.ok) expect(grant.value.expiresIn).toBeGreaterThan(500);
      if (grant.ok) expect(grant.value.expiresIn).toBeLessThanOrEqual(601);
    },
  );
});

describe('exp and iat written in milliseconds (a server that put Date.now() in them)', () => {
  it('reads the lifetime in seconds from a SimpleJWT-shaped answer whose iat and exp are both in ms', async () => {
    const iat = Date.now();
    answer('/api/token/', { access: fakeJwt({ sub: 'u1', iat, exp: iat + 900_000 }), refresh: 'rt-ms-1' });
    const grant = await clientWith('simplejwt', null).login('kim', 'pw');
    // Not 900,000 s (ten days: the refresh would come long after the server refuses the token).
    expect(grant).toMatchObject({ ok: true, value: { expiresIn: 900 } });
  });

  it('reads the lifetime from a PocketBase-shaped answer whose exp alone is in ms', async () => {
    const token = fakeJwt({ id: 'u1', exp: Date.now() + 600_000 });
    answer('/api/collections/users/auth-with-password', { token, record: { id: 'u1' } });
    const grant = await clientWith('pocketbase', null).login('kim@example.com', 'pw');
    expect(grant.ok).toBe(true);
    // Measured against the answer's Date header (whole seconds).
    if (grant.ok) expect(grant.value.expiresIn).toBeGreaterThan(500);
    if (grant.ok) expect(grant.value.expiresIn).toBeLessThanOrEqual(601);
  });
});

describe('a custom contract', () => {
  it('signs in with a form body (extra fields, then the credentials) at a path with a query', async () => {
    answer('/signin', { data: { jwt: access, rt: 'rt-1', ttl: 60_000 } });
    const grant = await clientWith('custom', CUSTOM).login('kim@example.com', 'pw 1&2');
    expect(grant).toEqual({
      ok: true,
      value: { accessToken: access, tokenType: 'Bearer', expiresIn: 60, refreshToken: 'rt-1' },
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'POST', url: `${server.url}/signin?tenant=a` });
    expect(sent[0]?.headers).toMatchObject({
      'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
      'x-client-info': 'tessera',
    });
    expect(sent[0]?.headers.authorization).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(sent[0]?.body))).toEqual({
      grant_type: 'password',
      client_id: 'tessera',
      email: 'kim@example.com',
      pass: 'pw 1&2',
    });
  });

  it("refreshes with the token in the contract's field and its extra fields, as JSON", async () => {
    answer('/again', { data: { jwt: access, rt: 'rt-2', ttl: '30000' } });
    const grant = await clientWith('custom', CUSTOM).refresh('rt-1');
    expect(grant).toMatchObject({ ok: true, value: { refreshToken: 'rt-2', expiresIn: 30 } });
    expect(JSON.parse(sent[0]?.body ?? '')).toEqual({ mode: 'json', rt: 'rt-1' });
    expect(sent[0]?.headers['x-client-info']).toBe('tessera');
  });

  it('revokes without a Bearer when the contract says so, and sends its static headers on auth requests only', async () => {
    server.failNext(1, { path: '/out', status: 204 });
    const client = clientWith('custom', CUSTOM);
    expect(await client.logout('rt-2', access)).toEqual({ ok: true, value: undefined });
    expect(sent[0]?.headers.authorization).toBeUndefined();
    expect(JSON.parse(sent[0]?.body ?? '')).toEqual({ rt: 'rt-2' });
    await client.me(access);
    expect(sent[1]?.url).toBe(`${server.url}/api/user/me`);
    expect(sent[1]?.headers['x-client-info']).toBeUndefined();
  });

  it('answers every call with INVALID_CONFIG naming the field when the contract is not valid', async () => {
    const broken = clientWith('custom', { ...CUSTOM, login: { encoding: 'json' } });
    const expected = {
      ok: false,
      error: {
        code: 'INVALID_CONFIG',
        key: 'authContract',
        message: 'The API contract is not valid: authContract.login.path is required',
      },
    };
    expect(await broken.login(DEMO.username, DEMO.password)).toEqual(expected);
    expect(await broken.refresh('rt')).toEqual(expected);
    expect(await broken.logout('rt')).toEqual(expected);
    expect(sent).toEqual([]);
  });
});

describe('contract endpoints', () => {
  it('sends a refresh token as Bearer with no body for send: bearer (PocketBase)', async () => {
    answer('/api/collections/users/auth-refresh', { token: access, record: { id: 'u1' } });
    const grant = await clientWith('pocketbase', null).refresh('pb-token');
    expect(grant).toMatchObject({ ok: true, value: { accessToken: access, refreshToken: access } });
    expect(sent[0]).toMatchObject({ method: 'POST', body: '' });
    expect(sent[0]?.headers.authorization).toBe('Bearer pb-token');
  });

  it('sends nothing to sign out where the contract has no logout endpoint', async () => {
    expect(await clientWith('pocketbase', null).logout('pb-token', access)).toEqual({
      ok: true,
      value: undefined,
    });
    expect(sent).toEqual([]);
  });

  it('puts an endpoint given as an absolute URL on that host, with the same rules', async () => {
    const other = await startQuietServer();
    try {
      const client = clientWith('tessera', { refresh: { path: `${other.url}/token/refresh` } });
      const login = await client.login(DEMO.username, DEMO.password);
      if (!login.ok || !login.value.refreshToken) throw new Error('sign-in failed');
      // The other server does not know the token: the point is where the request went.
      expect(await client.refresh(login.value.refreshToken)).toMatchObject({
        ok: false,
        error: { code: 'SESSION_EXPIRED', serverError: 'InvalidRefreshTokenError' },
      });
      expect(other.requests('/token/refresh')).toHaveLength(1);
      expect(server.requests('/token/refresh')).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('revokes once more without the Bearer when the server refuses it as expired (Directus)', async () => {
    const client = clientWith('tessera', null);
    const login = await client.login(DEMO.username, DEMO.password);
    if (!login.ok || !login.value.refreshToken) throw new Error('sign-in failed');
    sent = [];
    server.failNext(1, { path: '/logout', status: 401, body: '{"error":"TokenExpiredError"}' });
    expect(await client.logout(login.value.refreshToken, login.value.accessToken)).toEqual({
      ok: true,
      value: undefined,
    });
    expect(sent.map((request) => request.headers.authorization ?? null)).toEqual([
      `Bearer ${login.value.accessToken}`,
      null,
    ]);
    expect(server.requests('/logout').map((entry) => entry.status)).toEqual([401, 204]);
    // Revoked for real: the refresh token is refused now.
    expect(await client.refresh(login.value.refreshToken)).toMatchObject({
      ok: false,
      error: { code: 'SESSION_EXPIRED' },
    });
  });
});

describe('the profile mapping', () => {
  it("reads the Directus preset's /users/me by its dot paths, instead of mePath", async () => {
    answer('/users/me', { data: { id: 'u-9', email: 'kim@example.com', first_name: 'Kim', role: 'r-1' } });
    const client = clientWith('directus', null);
    expect(await client.me(access)).toEqual({
      ok: true,
      value: { sub: 'u-9', username: 'kim@example.com', name: 'Kim', role: 'r-1' },
    });
    expect(sent.map((request) => request.url)).toEqual([`${server.url}/users/me`]);
    expect(sent[0]?.headers.authorization).toBe(`Bearer ${access}`);
  });

  it('names the dot path a profile answer lacks, never a value', async () => {
    answer('/users/me', { data: { id: 'u-9', first_name: 'secret-name' } });
    const result = await clientWith('directus', null).me(access);
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'BAD_RESPONSE',
        message: `The server's profile response had nothing at "data.email" (authContract profile.username)`,
      },
    });
  });
});
