/**
 * Shared helpers of the server's own tests: real servers on random loopback ports, a fetch
 * wrapper that remembers every token it sees, and a log collector checked for leaked secrets.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';
import { startServer } from './index';
import type { RunningServer, ServerOptions, TokenResponse } from './types';
import { DEVELOPMENT_USERS } from './users';

const logLines: string[] = [];
const secrets = new Set<string>(DEVELOPMENT_USERS.map((user) => user.password));
const servers: RunningServer[] = [];

/** A temp folder for this file's databases, keys and certificates, deleted after its last test. */
export function fileTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A settable millisecond clock for `now`; starts on a whole second unless told otherwise. */
export function testClock(startMs = Date.UTC(2030, 0, 1)) {
  let nowMs = startMs;
  return {
    now: () => nowMs,
    advance(ms: number) {
      nowMs += ms;
    },
    set(ms: number) {
      nowMs = ms;
    },
  };
}

/** Remembers a value that must never appear in a log line. */
export function rememberSecret(value: string): void {
  if (value.length > 0) secrets.add(value);
}

/** Every log line collected so far in this test file. */
export function collectedLog(): readonly string[] {
  return logLines;
}

/** Fails when any collected log line contains a token or a password seen in this file. */
export function expectLogFreeOfSecrets(): void {
  const leaks = logLines.filter((line) => [...secrets].some((secret) => line.includes(secret)));
  expect(leaks).toEqual([]);
}

/**
 * Registers the file's teardown: closes every server it started and scans the log it wrote.
 * Call once at the top level of a test file.
 */
export function useTestServers(): void {
  afterAll(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    expectLogFreeOfSecrets();
  });
}

/** Starts a server on a random loopback port, logging into the file's collector. */
export async function startTestServer(options: ServerOptions = {}): Promise<RunningServer> {
  const server = await startServer({ log: (line) => logLines.push(line), ...options });
  servers.push(server);
  return server;
}

/**
 * Another process takes the write lock of the database file `db` (as another server's write would)
 * and holds it `ms` milliseconds. Resolves once it holds it; `released` resolves when it has let go.
 */
export function holdWriteLock(db: string, ms: number): Promise<{ released: Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const Database = require('better-sqlite3');
       const db = new Database(process.argv[1]);
       db.exec('BEGIN IMMEDIATE');
       process.stdout.write('locked\\n');
       setTimeout(() => { db.exec('COMMIT'); db.close(); }, Number(process.argv[2]));`,
      db,
      String(ms),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const released = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.stdout.once('data', () => resolve({ released }));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the lock holder exited with ${code} before locking`)));
  });
}

/** An answer as the tests look at it. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  body: Record<string, unknown> | undefined;
}

export interface CallInit {
  method?: string;
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** Sent as is. */
  body?: string;
  /** Sent as `Authorization: Bearer <token>`. */
  token?: string;
  headers?: Record<string, string>;
}

function rememberTokens(body: Record<string, unknown> | undefined): void {
  for (const key of ['accessToken', 'refreshToken', 'password']) {
    const value = body?.[key];
    if (typeof value === 'string') rememberSecret(value);
  }
}

/** Calls the server over real HTTP and remembers every token or password that crosses the wire. */
export async function call(server: { url: string }, path: string, init: CallInit = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== undefined) headers.Authorization = `Bearer ${init.token}`;
  let body = init.body;
  if (init.json !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    body = JSON.stringify(init.json);
    if (typeof init.json === 'object' && init.json !== null) {
      rememberTokens(init.json as Record<string, unknown>);
    }
  }
  const method = init.method ?? (body === undefined ? 'GET' : 'POST');
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    parsed = undefined;
  }
  rememberTokens(parsed);
  return { status: response.status, headers: response.headers, text, body: parsed };
}

/** Signs in and returns the token response, failing the test on anything but 200. */
export async function login(
  server: { url: string },
  username = 'demo',
  password = 'demo-password',
): Promise<TokenResponse> {
  const answer = await call(server, '/login', { json: { username, password } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body as unknown as TokenResponse;
}

/** POST /token/refresh with the given refresh token. */
export function refresh(server: { url: string }, refreshToken: string): Promise<Answer> {
  return call(server, '/token/refresh', { json: { refreshToken } });
}

/** GET /api/user/me with the given access token. */
export function me(server: { url: string }, accessToken: string): Promise<Answer> {
  return call(server, '/api/user/me', { token: accessToken });
}
