// Directus 10.10.0 (test/interop/directus/: its own package.json and lock, `npm ci` there) behind the
// `directus` preset: bootstrapped into SQLite in a temp dir with an admin from ADMIN_EMAIL and
// ADMIN_PASSWORD, 10-second access tokens, on a free loopback port.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FetchLike } from '../../main/core/auth-client';
import { apiScope, tokenAccount } from '../../main/core/vault';
import { waitForView } from '../support/fixtures';
import { eventually } from '../support/wait-until';
import { createRecorder } from './report';
import { forgetKeychain, itIsFoundByTheConnectWizard, type WalkTarget, walk, withApp } from './support/walk';

const run = promisify(execFile);
const FOLDER = fileURLToPath(new URL('./directus/', import.meta.url));
const CLI = join(FOLDER, 'node_modules', 'directus', 'cli.js');
// The Node Directus was installed for (scripts/ensure-directus.mjs: Node 20, from the registry when the
// tests run on a newer one); this one when the folder was installed by hand.
const NODE_MARKER = join(FOLDER, '.node');
const DIRECTUS_NODE = existsSync(NODE_MARKER) ? readFileSync(NODE_MARKER, 'utf8').trim() : process.execPath;
const ADMIN = { username: 'admin@example.com', password: 'interop-password-1' };

let dir: string;
const servers: ChildProcess[] = [];
let url = '';
let env: NodeJS.ProcessEnv;
let output = '';

/** The keychain service of the failure tests (the walk has its own). */
const FAILURES = 'Tessera-interop-directus-failures';

const recorder = createRecorder({
  id: 'directus',
  backend: 'Directus',
  versions: '',
  preset: 'directus',
  tested: 'real server',
});

/** A port nothing listens on right now (Directus takes a port number, not 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function post(path: string, body: unknown, bearer?: string) {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify(body),
  });
}

/** POSTs straight to Directus and returns `data` of its answer (failing on an error status). */
async function call(path: string, body: unknown, bearer?: string): Promise<Record<string, unknown>> {
  const response = await post(path, body, bearer);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  const text = await response.text();
  return text ? (JSON.parse(text) as { data: Record<string, unknown> }).data : {};
}

/** A Directus access token for these credentials (straight from /auth/login). */
async function accessTokenOf(email: string, password: string): Promise<string> {
  return (await call('/auth/login', { email, password })).access_token as string;
}

/** Creates a user with the admin's role (`fields`: Directus's own, e.g. status or provider) and returns its email. */
async function createUser(
  email: string,
  password: string,
  fields: Record<string, string> = {},
): Promise<string> {
  const admin = await accessTokenOf(ADMIN.username, ADMIN.password);
  const me = (await (
    await fetch(`${url}/users/me`, { headers: { authorization: `Bearer ${admin}` } })
  ).json()) as { data: { role: string } };
  await call('/users', { email, password, role: me.data.role, ...fields }, admin);
  return email;
}

/** Changes a user's own Directus fields (e.g. its status) as the administrator does, through the admin API. */
async function updateUser(email: string, fields: Record<string, string>): Promise<void> {
  const admin = await accessTokenOf(ADMIN.username, ADMIN.password);
  const headers = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
  const query = new URLSearchParams({ 'filter[email][_eq]': email, fields: 'id' });
  const found = (await (await fetch(`${url}/users?${query}`, { headers })).json()) as {
    data: { id: string }[];
  };
  const id = found.data[0]?.id;
  if (!id) throw new Error(`no Directus user ${email}`);
  const patched = await fetch(`${url}/users/${id}`, {
    method: 'PATCH',
    headers,
    body: JSON.stringify(fields),
  });
  if (!patched.ok) throw new Error(`PATCH /users/${id}: HTTP ${patched.status} ${await patched.text()}`);
}

/** RFC 6238's one-time code (HMAC-SHA-1, 6 digits, 30 s) for a base32 secret, as Directus checks it. */
function oneTimeCode(secret: string, at = Date.now()): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of secret.replace(/=+$/, '').toUpperCase())
    bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => Number.parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = (mac.at(-1) ?? 0) & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

beforeAll(async () => {
  if (!existsSync(CLI))
    throw new Error('Directus is not installed: run `npm ci` in test/interop/directus (.ci/run does)');
  const pinned = JSON.parse(readFileSync(join(FOLDER, 'node_modules', 'directus', 'package.json'), 'utf8'));
  recorder.versions(`Directus ${pinned.version} (SQLite)`);
  dir = mkdtempSync(join(tmpdir(), 'tessera-interop-directus-'));
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  env = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: url,
    DB_CLIENT: 'sqlite3',
    DB_FILENAME: join(dir, 'data.db'),
    KEY: 'interop-tests-only-key',
    SECRET: 'interop-tests-only-secret-0123456789abcdef',
    ADMIN_EMAIL: ADMIN.username,
    ADMIN_PASSWORD: ADMIN.password,
    ACCESS_TOKEN_TTL: '10s',
    REFRESH_TOKEN_TTL: '1d',
    EXTENSIONS_PATH: join(dir, 'extensions'),
    STORAGE_LOCAL_ROOT: join(dir, 'uploads'),
    LOG_LEVEL: 'warn',
    LOG_STYLE: 'raw',
    CACHE_ENABLED: 'false',
    RATE_LIMITER_ENABLED: 'false',
    // Directus sheds load: while its event loop is saturated (at 99 % use or 500 ms behind, as on a busy
    // 2-core machine just after its start) it answers every request 503 "Under pressure". That is
    // Directus protecting itself, not its auth contract: sign-in tests on Node 24 failed on it once.
    PRESSURE_LIMITER_ENABLED: 'false',
    TELEMETRY: 'false',
  };
  await run(DIRECTUS_NODE, [CLI, 'bootstrap'], { cwd: dir, env });
  await startDirectus(port);
}, 300_000);

/**
 * Starts Directus on the bootstrapped database at `port` (`extra`: more of its settings) and resolves
 * with its URL once it answers.
 */
async function startDirectus(port: number, extra: NodeJS.ProcessEnv = {}): Promise<string> {
  const at = `http://127.0.0.1:${port}`;
  const child = spawn(DIRECTUS_NODE, [CLI, 'start'], {
    cwd: dir,
    env: { ...env, PORT: String(port), PUBLIC_URL: at, ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  servers.push(child);
  child.stdout?.on('data', (chunk) => {
    output = `${output}${chunk}`.slice(-4000);
  });
  child.stderr?.on('data', (chunk) => {
    output = `${output}${chunk}`.slice(-4000);
  });
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`Directus exited (${child.exitCode}): ${output}`);
      const ping = await fetch(`${at}/server/ping`).catch(() => null);
      return ping !== null && (await ping.text()) === 'pong';
    },
    { timeoutMs: 120_000, intervalMs: 250 },
  );
  return at;
}

afterAll(async () => {
  recorder.save();
  if (url) await forgetKeychain(FAILURES, url, ADMIN.username);
  for (const server of servers) server.kill();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const target: WalkTarget = {
  id: 'directus',
  url: () => url,
  wrongPassword: { info: { status: 401 }, step: 'a wrong password reads as wrong credentials' },
  ...ADMIN,
  // The preset's profile mapping reads /users/me (under `data`); mePath is not used with one.
  settings: { apiProfile: 'directus', mePath: '' },
  protectedPath: 'users/me',
  protectedAnswer: { data: { email: ADMIN.username } },
  async refreshAccepted(refreshToken) {
    return (await post('/auth/refresh', { refresh_token: refreshToken, mode: 'json' })).ok;
  },
};

describe('Directus through the whole app path', () => {
  walk(target, recorder);
});

describe('Directus: found by the connect wizard', () => {
  itIsFoundByTheConnectWizard({ target, service: FAILURES }, 'directus', recorder);
});

describe('Directus: the profile and honest failures', () => {
  const failures = { target, service: FAILURES };

  /** What a sign-in with these credentials rejects with, in a fresh app (which stays signed out). */
  async function signInRefusal(user: { username: string; password: string }): Promise<unknown> {
    let refusal: unknown;
    await withApp(failures, async ({ window }) => {
      refusal = await window.bridge.auth.signIn(user).catch((e: unknown) => e);
      expect(await window.bridge.auth.getSession()).toMatchObject({ state: 'signedOut' });
    });
    return refusal;
  }

  it("maps the signed-in person from /users/me (the preset's profile mapping), not from mePath", () =>
    withApp(failures, async ({ app, window }) => {
      await window.bridge.auth.signIn(ADMIN);
      const me = (await window.api.get('users/me').json()) as { data: { id: string } };
      const view = await waitForView(app.session, (session) => session.user?.username === ADMIN.username);
      // ADMIN_EMAIL's user is "Admin User"; its first name is what the preset shows.
      expect(view.user).toMatchObject({ sub: me.data.id, username: ADMIN.username, name: 'Admin' });
      expect(view.user?.role).toMatch(/^[0-9a-f-]{36}$/);
      await window.bridge.auth.signOut();
      recorder.passed('profile mapped from /users/me');
    }));

  it('refreshes and retries once when Directus refuses the access token as signed with another SECRET (403 INVALID_TOKEN), as after a key rotation', () => {
    // Main's requests to Directus's refresh endpoint, counted on their way out.
    const refreshes: string[] = [];
    const counting: FetchLike = (input, init) => {
      if (new URL(input.url).pathname === '/auth/refresh') refreshes.push(input.method);
      return fetch(input, init);
    };
    return withApp({ ...failures, fetch: counting }, async ({ window }) => {
      await window.bridge.auth.signIn(ADMIN);
      const grant = await window.bridge.auth.getAccessToken();
      // The app's own token, signed again with a SECRET this Directus does not have: what every token
      // in use is to Directus once an administrator changes its SECRET (restarting it with another one
      // would cost a second Directus start for the same answer).
      const [header, payload] = grant.accessToken.split('.');
      const signed = `${header}.${payload}`;
      const rotated = `${signed}.${createHmac('sha256', 'the-previous-secret-0123456789abcdef').update(signed).digest('base64url')}`;
      const direct = await fetch(`${url}/users/me`, { headers: { Authorization: `Bearer ${rotated}` } });
      expect(direct.status).toBe(403);
      expect(await direct.json()).toMatchObject({ errors: [{ extensions: { code: 'INVALID_TOKEN' } }] });

      const statuses: number[] = [];
      let first = true;
      const api = window.api.extend({
        fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
          // Under the token logic: the first request leaves with the token Directus can no longer verify.
          if (first && input instanceof Request) input.headers.set('Authorization', `Bearer ${rotated}`);
          first = false;
          const response = await fetch(input, init);
          statuses.push(response.status);
          return response;
        },
      });
      expect(await api.get('users/me').json()).toMatchObject({ data: { email: ADMIN.username } });
      expect(statuses).toEqual([403, 200]);
      // The retry went with a refreshed token (Directus's refresh tokens are not signed with SECRET): one
      // refresh. (Its access token may be byte for byte the old one: same claims, iat in the same second.)
      expect(refreshes).toEqual(['POST']);
      recorder.passed('retry after a 403 INVALID_TOKEN (an access token signed with a changed SECRET)');
    });
  });

  it('says an account with two-factor sign-in needs a one-time code (401 INVALID_OTP), not that the password is wrong', async () => {
    const user = { username: 'otp@example.com', password: 'interop-password-2' };
    await createUser(user.username, user.password);
    const token = await accessTokenOf(user.username, user.password);
    const { secret } = (await call('/users/me/tfa/generate', { password: user.password }, token)) as {
      secret: string;
    };
    await call('/users/me/tfa/enable', { secret, otp: oneTimeCode(secret) }, token);
    expect(await signInRefusal(user)).toMatchObject({
      code: 'SECOND_FACTOR_REQUIRED',
      info: { status: 401, serverError: 'INVALID_OTP' },
    });
    recorder.passed('an account with two-factor sign-in is named, not read as a wrong password');
  });

  it('says a suspended account is suspended (401 USER_SUSPENDED), not that the password is wrong', async () => {
    const user = { username: 'suspended@example.com', password: 'interop-password-3' };
    await createUser(user.username, user.password, { status: 'suspended' });
    expect(await signInRefusal(user)).toMatchObject({
      code: 'ACCOUNT_SUSPENDED',
      info: { status: 401, serverError: 'USER_SUSPENDED' },
    });
    recorder.passed('a suspended account is named, not read as a wrong password');
  });

  it('ends the session of an account suspended while signed in as suspended (401 USER_SUSPENDED at refresh), its refresh token deleted', async () => {
    const user = { username: 'suspended-later@example.com', password: 'interop-password-5' };
    await createUser(user.username, user.password);
    const entry = () => keytar.getPassword(FAILURES, tokenAccount(apiScope(url), user.username));
    try {
      await withApp(failures, async ({ app, window }) => {
        await window.bridge.auth.signIn(user);
        await app.keychainSettled();
        expect(await entry()).toEqual(expect.any(String));
        // An administrator suspends the account in Directus; the app's next refresh meets it.
        await updateUser(user.username, { status: 'suspended' });
        const refused = await window.bridge.auth
          .getAccessToken({ forceRefresh: true })
          .catch((e: unknown) => e);
        expect(refused).toMatchObject({
          code: 'SESSION_EXPIRED',
          info: { status: 401, serverError: 'USER_SUSPENDED' },
        });
        expect(await window.bridge.auth.getSession()).toMatchObject({
          state: 'signedOut',
          reason: 'accountSuspended',
        });
        await app.keychainSettled();
        expect(await entry()).toBeNull();
      });
    } finally {
      await forgetKeychain(FAILURES, url, user.username);
    }
    recorder.passed(
      'an account suspended while signed in ends the session at its next refresh as suspended, not as no longer accepted',
    );
  });

  it('names the contract for an account that signs in through another provider (403 INVALID_PROVIDER), not the server as unknown', async () => {
    const user = { username: 'ldap@example.com', password: 'interop-password-4' };
    await createUser(user.username, user.password, { provider: 'ldap' });
    const error = await signInRefusal(user);
    expect(error).toMatchObject({
      code: 'INVALID_CONFIG',
      info: { key: 'authContract', status: 403, serverError: 'INVALID_PROVIDER' },
    });
    expect((error as Error).message).toContain('authContract.login.path /auth/login/<provider>');
    recorder.passed('an LDAP or SSO account at /auth/login names the contract');
  });

  it('says the server does not take a name where it wants an email address (400 INVALID_PAYLOAD), not that a setting is wrong', async () => {
    expect(await signInRefusal({ username: 'admin', password: ADMIN.password })).toMatchObject({
      code: 'USERNAME_NOT_ACCEPTED',
      info: { status: 400, serverError: 'INVALID_PAYLOAD' },
    });
    recorder.passed(
      'a name typed where Directus wants an email address is named, not blamed on the settings',
    );
  });

  it('retries a refresh Directus refuses as a request (400 INVALID_PAYLOAD) for 2 minutes, then names the problem', () =>
    withApp(
      failures,
      async ({ app, window, time }) => {
        await window.bridge.auth.signIn(ADMIN);
        const first = await window.bridge.auth
          .getAccessToken({ forceRefresh: true })
          .catch((e: unknown) => e);
        expect(first).toMatchObject({
          code: 'BAD_RESPONSE',
          info: { status: 400, serverError: 'INVALID_PAYLOAD' },
        });
        expect(app.session.getView().offline).toBe(false);
        // Retried on the backoff timer until the session gives up (2 minutes: about 8 tries).
        for (let retry = 0; retry < 20 && app.session.getView().state !== 'signedOut'; retry++) {
          time.fireNext();
          await waitForView(app.session, (view) => view.state !== 'refreshing');
        }
        const view = app.session.getView();
        expect(view).toMatchObject({
          state: 'signedOut',
          reason: 'refreshMisconfigured',
          offline: false,
          lastError: { code: 'INVALID_CONFIG', key: 'authContract', status: 400 },
        });
        expect(view.lastError?.message).toContain('The refresh token is required');
        recorder.passed(
          'a refresh refused as a request: retried for 2 minutes, then a configuration error quoting Directus',
        );
      },
      // A contract that sends the refresh token under a field Directus does not read.
      { authContract: { refresh: { tokenField: 'token' } } },
    ));
});

describe('Directus: its rate limiter', () => {
  it('reads 429 REQUESTS_EXCEEDED at sign-in as too many attempts, with the wait Directus names', async () => {
    // A second Directus on the same database, its per-address limiter on (3 requests a minute).
    const limited = await startDirectus(await freePort(), {
      RATE_LIMITER_ENABLED: 'true',
      RATE_LIMITER_STORE: 'memory',
      RATE_LIMITER_POINTS: '3',
      RATE_LIMITER_DURATION: '60',
    });
    // Every route counts, /server/ping too: spend this address's points.
    await eventually(async () => (await fetch(`${limited}/server/ping`)).status === 429, {
      timeoutMs: 10_000,
      intervalMs: 10,
    });
    await withApp({ target: { ...target, url: () => limited }, service: FAILURES }, async ({ window }) => {
      const error = await window.bridge.auth.signIn(ADMIN).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'RATE_LIMITED',
        info: { status: 429, serverError: 'REQUESTS_EXCEEDED' },
      });
      expect((error as { info: { retryAfterSeconds?: number } }).info.retryAfterSeconds).toBeGreaterThan(0);
    });
    recorder.passed("a 429 of Directus's rate limiter reads as too many attempts, with its Retry-After");
  });
});
