// Django REST framework SimpleJWT (Debian's python3-djangorestframework-simplejwt, with Django and DRF)
// behind the `simplejwt` preset: the project in test/interop/django/ (rotation, blacklist, 10-second
// access tokens), migrated by this file into a temp sqlite and served on a free loopback port.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import keytar from 'keytar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiScope, tokenAccount } from '../../main/core/vault';
import { createRecorder } from './report';
import {
  forgetKeychain,
  itIsFoundByTheConnectWizard,
  startApp,
  type WalkTarget,
  walk,
  withApp,
} from './support/walk';

const run = promisify(execFile);
/** Debian's Python, where the python3-django* packages are (a pyenv or venv python3 lacks them). */
const PYTHON = process.env.TESSERA_INTEROP_PYTHON ?? '/usr/bin/python3';
const PROJECT = fileURLToPath(new URL('./django/', import.meta.url));
const USER = { username: 'kim', password: 'interop-password-1' };

let dir: string;
const servers: ChildProcess[] = [];
let url = '';
let env: NodeJS.ProcessEnv;
/** The same project served again with other SIMPLE_JWT settings (the tests below start them). */
const variantUrls: string[] = [];

/** Serves the project once more with `extra` in its environment, on its own port. */
async function serveVariant(extra: NodeJS.ProcessEnv): Promise<string> {
  const variant = await serve(extra);
  variantUrls.push(variant);
  return variant;
}

/** The keychain service of the failure tests (the walk has its own). */
const FAILURES = 'Tessera-interop-simplejwt-failures';

const recorder = createRecorder({
  id: 'simplejwt',
  backend: 'Django REST framework SimpleJWT',
  versions: '',
  preset: 'simplejwt',
  tested: 'real server',
});

/** Runs manage.py with the temp database. */
function manage(...args: string[]) {
  return run(PYTHON, ['manage.py', ...args], { cwd: PROJECT, env });
}

/** Starts serve.py (with `extra` in its environment) and resolves with the URL it prints once it listens. */
function serve(extra: NodeJS.ProcessEnv = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['serve.py'], {
      cwd: PROJECT,
      env: { ...env, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    servers.push(child);
    let errors = '';
    child.stderr?.on('data', (chunk) => {
      errors += chunk;
    });
    child.once('exit', (code) => reject(new Error(`serve.py exited (${code}): ${errors.slice(-2000)}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => {
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (match?.[1]) resolve(match[1]);
      else reject(new Error(`serve.py said: ${line}`));
    });
  });
}

/** POSTs JSON straight to the server (not through the app); `base`: another server than the main one. */
function post(path: string, body: unknown, bearer?: string, base = url) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-interop-django-'));
  env = { ...process.env, TESSERA_INTEROP_DB: join(dir, 'db.sqlite3'), PYTHONDONTWRITEBYTECODE: '1' };
  const versions = await run(PYTHON, [
    '-c',
    'import django, rest_framework, rest_framework_simplejwt as s; print(f"SimpleJWT {s.__version__}, DRF {rest_framework.VERSION}, Django {django.get_version()}")',
  ]).catch((error: Error) => {
    throw new Error(
      `Django, DRF and SimpleJWT are needed (Debian: python3-django python3-djangorestframework python3-djangorestframework-simplejwt): ${error.message}`,
    );
  });
  recorder.versions(versions.stdout.trim());
  await manage('migrate', '--noinput');
  await manage(
    'shell',
    '-c',
    `from django.contrib.auth.models import User; User.objects.create_user(${JSON.stringify(USER.username)}, password=${JSON.stringify(USER.password)}, first_name="Kim", last_name="Lee")`,
  );
  url = await serve();
}, 120_000);

afterAll(async () => {
  recorder.save();
  if (url) await forgetKeychain(FAILURES, url, USER.username);
  for (const variant of variantUrls) await forgetKeychain(FAILURES, variant, USER.username);
  for (const server of servers) server.kill();
  rmSync(dir, { recursive: true, force: true });
});

const target: WalkTarget = {
  id: 'simplejwt',
  url: () => url,
  wrongPassword: { info: { status: 401 }, step: 'a wrong password reads as wrong credentials' },
  ...USER,
  settings: { apiProfile: 'simplejwt', mePath: '/api/me/' },
  protectedPath: 'api/me/',
  protectedAnswer: { username: USER.username, name: 'Kim Lee', role: 'user' },
  async refreshAccepted(refreshToken) {
    return (await post('/api/token/refresh/', { refresh: refreshToken })).ok;
  },
};

describe('Django REST framework SimpleJWT through the whole app path', () => {
  walk(target, recorder);
});

describe('Django REST framework SimpleJWT: found by the connect wizard', () => {
  itIsFoundByTheConnectWizard({ target, service: FAILURES }, 'simplejwt', recorder);
});

describe('Django REST framework SimpleJWT: honest failures', () => {
  const failures = { target, service: FAILURES };

  it("names where a path without its trailing slash points (Django's 301), instead of failing as a GET", () =>
    withApp(
      failures,
      async ({ window }) => {
        const error = await window.bridge.auth.signIn(USER).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'BAD_RESPONSE', info: { status: 301 } });
        expect((error as Error).message).toContain('redirected to /api/token/ (HTTP 301)');
        recorder.passed('the 301 to the trailing slash is named');
      },
      { authContract: { login: { path: '/api/token' } } },
    ));

  it('signs out without a warning when the server has blacklisted the refresh token already (401 token_not_valid)', () =>
    withApp(failures, async ({ app, window }) => {
      await window.bridge.auth.signIn(USER);
      await app.keychainSettled();
      const stored = await keytar.getPassword(FAILURES, tokenAccount(apiScope(url), USER.username));
      // Ended on the server (an administrator, another device): the token is dead there.
      expect((await post('/api/token/blacklist/', { refresh: stored })).ok).toBe(true);
      expect(await window.bridge.auth.signOut()).toEqual({ revoked: true });
      expect(await keytar.getPassword(FAILURES, tokenAccount(apiScope(url), USER.username))).toBeNull();
      recorder.passed('signing out of a session the server ended already is no failed revocation');
    }));

  it("tells an inactive user's 401 (user_inactive) from an expired token's: no refresh, no retry", () =>
    withApp(failures, async ({ app, window }) => {
      const lee = { username: 'lee', password: 'interop-password-2' };
      await manage(
        'shell',
        '-c',
        `from django.contrib.auth.models import User; User.objects.create_user(${JSON.stringify(lee.username)}, password=${JSON.stringify(lee.password)})`,
      );
      await window.bridge.auth.signIn(lee);
      const refreshedBefore = app.session.getView().lastRefreshAt;
      await manage(
        'shell',
        '-c',
        `from django.contrib.auth.models import User; User.objects.filter(username="lee").update(is_active=False)`,
      );
      const answers: Array<{ status: number; code: unknown }> = [];
      const api = window.api.extend({
        fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
          const response = await fetch(input, init);
          answers.push({
            status: response.status,
            code: ((await response.clone().json()) as { code?: unknown }).code,
          });
          return response;
        },
      });
      const refused = await api.get('api/me/').catch((e: unknown) => e);
      expect(refused).toMatchObject({ response: { status: 401 } });
      // SimpleJWT's 401 for a deactivated account is no expired token: one request, no refresh.
      expect(answers).toEqual([{ status: 401, code: 'user_inactive' }]);
      expect(app.session.getView().lastRefreshAt).toBe(refreshedBefore);
      await window.bridge.auth.signOut();
      await forgetKeychain(FAILURES, url, lee.username);
      recorder.passed("an inactive user's 401 is not read as an expired token");
    }));

  it('quotes a field the contract names wrong ("username: This field is required.") as a contract error', () =>
    withApp(
      failures,
      async ({ window }) => {
        const error = await window.bridge.auth.signIn(USER).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'INVALID_CONFIG', info: { key: 'authContract', status: 400 } });
        expect((error as Error).message).toContain('"username: This field is required."');
        recorder.passed('a contract that names a field wrong is quoted');
      },
      { authContract: { login: { usernameField: 'user' } } },
    ));
});

/** Lets `seconds` of real time pass: the server's clock runs on, and its token claims are whole seconds. */
const secondsPass = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

describe("Django REST framework SimpleJWT: an access token's lifetime after a refresh", () => {
  // SimpleJWT 5.2.2 (before 5.5.1) copies the refresh token's claims into the access token it mints,
  // iat included: after a refresh, exp − iat is 10 s plus the age of the sign-in or of the last rotation.
  const failures = { target, service: FAILURES };

  it('with rotation: the refreshed token lives its 10 s, not 10 s plus the time since sign-in', () =>
    withApp(failures, async ({ app, window }) => {
      await window.bridge.auth.signIn(USER);
      expect(app.session.getView().lifetimeMs).toBe(10_000);
      await secondsPass(2);
      await window.bridge.auth.getAccessToken({ forceRefresh: true });
      expect(app.session.getView().lifetimeMs).toBe(10_000);
      await window.bridge.auth.signOut();
      recorder.passed("a refreshed access token's lifetime is not stretched by the copied iat");
    }));

  it('without rotation (ROTATE_REFRESH_TOKENS off): keeps the one refresh token, and the lifetime by the clock', async () => {
    const unrotatedUrl = await serveVariant({ TESSERA_INTEROP_ROTATE: '0' });
    const unrotated = { ...target, url: () => unrotatedUrl };
    const accepted = async (refreshToken: string | null) =>
      (await post('/api/token/refresh/', { refresh: refreshToken }, undefined, unrotatedUrl)).ok;
    const account = tokenAccount(apiScope(unrotatedUrl), USER.username);
    let kept: string | null = null;
    await withApp({ target: unrotated, service: FAILURES }, async ({ app, window, time }) => {
      await window.bridge.auth.signIn(USER);
      await app.keychainSettled();
      kept = await keytar.getPassword(FAILURES, account);
      expect(kept).toEqual(expect.any(String));
      await secondsPass(2);
      // The app's clock follows the real one here: without a rotated token, the receipt time is its.
      time.jump(Date.now() - time.now());
      await window.bridge.auth.getAccessToken({ forceRefresh: true });
      const view = app.session.getView();
      expect(view.lastRefreshAt).not.toBeNull();
      expect(view.lifetimeMs).toBeLessThanOrEqual(10_000);
      // The answer had no refresh token: the one from the sign-in is kept, and the server still takes it.
      await app.keychainSettled();
      expect(await keytar.getPassword(FAILURES, account)).toBe(kept);
      expect(await accepted(kept)).toBe(true);
    });
    // A restart refreshes with the kept token; signing out blacklists it.
    const { app } = startApp(unrotated, FAILURES, target.settings);
    try {
      expect(await app.start()).toMatchObject({ state: 'active', keychain: { persisted: true } });
      expect(await app.openWindow().bridge.auth.signOut()).toEqual({ revoked: true });
      expect(await accepted(kept)).toBe(false);
    } finally {
      await app.close();
    }
    recorder.passed('without rotation: the one refresh token is kept, restarts and is revoked at sign-out');
  });
});

describe('Django REST framework SimpleJWT: a refresh token past its lifetime', () => {
  it('ends the session as having reached its time limit, not as refused for some other reason (401 token_not_valid either way)', async () => {
    const shortLivedUrl = await serveVariant({ TESSERA_INTEROP_REFRESH_SECONDS: '3' });
    const shortLived = { ...target, url: () => shortLivedUrl };
    await withApp({ target: shortLived, service: FAILURES }, async ({ app, window, time }) => {
      await window.bridge.auth.signIn(USER);
      await secondsPass(4);
      time.jump(Date.now() - time.now());
      const refused = await window.bridge.auth
        .getAccessToken({ forceRefresh: true })
        .catch((e: unknown) => e);
      expect(refused).toMatchObject({
        code: 'SESSION_EXPIRED',
        info: { status: 401, serverError: 'token_not_valid' },
      });
      expect(app.session.getView()).toMatchObject({ state: 'signedOut', reason: 'refreshTokenExpired' });
    });
    recorder.passed("an expired refresh token ends the session as 'reached its time limit'");
  });
});
