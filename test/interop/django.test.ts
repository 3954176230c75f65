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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRecorder } from './report';
import { forgetKeychain, itIsFoundByTheConnectWizard, type WalkTarget, walk, withApp } from './support/walk';

const run = promisify(execFile);
/** Debian's Python, where the python3-django* packages are (a pyenv or venv python3 lacks them). */
const PYTHON = process.env.TESSERA_INTEROP_PYTHON ?? '/usr/bin/python3';
const PROJECT = fileURLToPath(new URL('./django/', import.meta.url));
const USER = { username: 'kim', password: 'interop-password-1' };

let dir: string;
let server: ChildProcess | null = null;
let url = '';
let env: NodeJS.ProcessEnv;

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

/** Starts serve.py and resolves with the URL it prints once it listens. */
function serve(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ['serve.py'], { cwd: PROJECT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server = child;
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

/** POSTs JSON straight to the server (not through the app). */
function post(path: string, body: unknown, bearer?: string) {
  return fetch(`${url}${path}`, {
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
  server?.kill();
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
