import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../../common/errors';
import { DEVELOPMENT_USERS, type RunningServer, startServer } from '../../../server';
import { createSettingsStore } from '../config/settings-store';
import type { SessionCore } from '../contracts';
import { createSessionCore, silentLogger, type Vault } from '../index';
import { dispatch } from './dispatch';
import { createIpcHandlers, type IpcHandlers } from './handlers';
import { isAppOrigin } from './sender';
import { APP_EVENT } from './test-fakes';

const demo = DEVELOPMENT_USERS[0] ?? { username: 'demo', password: 'demo-password' };

// An in-memory keychain: the real vault has its own suites; here it lets the test see the real
// refresh token the server issued, so every IPC answer can be scanned for it.
function memoryVault(): Vault & { tokens: string[] } {
  const entries = new Map<string, { username: string; refreshToken: string }>();
  const tokens: string[] = [];
  return {
    tokens,
    async load(scope) {
      return { ok: true, value: entries.get(scope) ?? null };
    },
    async save(scope, username, refreshToken) {
      tokens.push(refreshToken);
      entries.set(scope, { username, refreshToken });
      return { ok: true, value: undefined };
    },
    async remove(scope) {
      entries.delete(scope);
      return { ok: true, value: undefined };
    },
  };
}

let server: RunningServer;
let dir: string;
let core: SessionCore;
let vault: ReturnType<typeof memoryVault>;
let handlers: IpcHandlers;
const answers: Result<unknown>[] = [];

async function call(channel: string, payload?: unknown): Promise<Result<unknown>> {
  const answer = await dispatch(handlers, channel, APP_EVENT, payload);
  answers.push(answer);
  return answer;
}

beforeAll(async () => {
  server = await startServer({ port: 0, db: ':memory:', log: () => {} });
  dir = mkdtempSync(join(tmpdir(), 'tessera-real-core-'));
  const settings = createSettingsStore({
    userDataDir: dir,
    policyPath: null,
    env: {},
    argv: ['--api-url', server.url],
  });
  vault = memoryVault();
  core = createSessionCore({
    settings: settings.current(),
    fetch: globalThis.fetch,
    vault,
    logger: silentLogger,
  });
  handlers = createIpcHandlers({
    session: core,
    settings,
    isAppUrl: (url) => isAppOrigin(url),
    logger: silentLogger,
  });
});

afterAll(async () => {
  core?.dispose();
  await server?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the IPC handlers over the real session core and reference server', () => {
  it('signs in, hands out a working access token, and signs out, never sending the refresh token', async () => {
    expect(await call('auth:sign-in', { username: demo.username, password: 'wrong-password' })).toMatchObject(
      {
        ok: false,
        error: { code: 'INVALID_CREDENTIALS' },
      },
    );
    expect(await call('auth:sign-in', { username: demo.username, password: demo.password })).toMatchObject({
      ok: true,
      value: { state: 'active', apiOrigin: server.url, user: { username: demo.username } },
    });

    const grant = await call('auth:get-access-token', { forceRefresh: true });
    expect(grant).toMatchObject({ ok: true, value: { tokenType: 'Bearer' } });
    const accessToken = grant.ok ? (grant.value as { accessToken: string }).accessToken : '';
    const me = await fetch(`${server.url}/api/user/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(me.status).toBe(200);

    expect(await call('settings:update', { theme: 'dark' })).toMatchObject({ ok: true });
    expect(await call('auth:get-session')).toMatchObject({ ok: true, value: { state: 'active' } });
    expect(await call('auth:sign-out')).toMatchObject({ ok: true, value: { revoked: true } });
    expect(await call('auth:get-access-token')).toMatchObject({
      ok: false,
      error: { code: 'NOT_SIGNED_IN' },
    });

    // Sign-in and the forced refresh each stored a refresh token; none of them crossed IPC.
    expect(vault.tokens.length).toBeGreaterThanOrEqual(2);
    const wire = JSON.stringify(answers);
    for (const token of vault.tokens) expect(wire).not.toContain(token);
  });
});
