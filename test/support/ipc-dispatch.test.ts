import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSettingsStore } from '../../main/core/config/settings-store';
import { createIpcHandlers, type IpcHandlers } from '../../main/core/ipc/handlers';
import { isAppUrl } from '../../main/security/app-origin';
import { dispatch } from './ipc-dispatch';
import {
  APP_EVENT,
  createFakeConnect,
  createFakeSession,
  FAKE_REFRESH_TOKEN,
  type FakeSession,
  GOOD_PASSWORD,
} from './ipc-fakes';

let dir: string;
let session: FakeSession;
let handlers: IpcHandlers;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-dispatch-'));
  session = createFakeSession();
  const settings = createSettingsStore({ userDataDir: dir, policyPath: null, env: {}, argv: [] });
  handlers = createIpcHandlers({
    session,
    settings,
    connect: createFakeConnect(),
    isAppUrl: (url) => isAppUrl(url),
    logger: console,
  });
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('dispatch()', () => {
  it('rejects channel names that are not in the contract with INVALID_REQUEST', async () => {
    for (const channel of [
      'auth:steal-refresh-token',
      'session:changed',
      '__proto__',
      'constructor',
      '',
      42,
      null,
      {},
    ]) {
      const answer = await dispatch(handlers, channel, APP_EVENT, undefined);
      expect(answer, String(channel)).toEqual({
        ok: false,
        error: { code: 'INVALID_REQUEST', message: 'Unknown IPC channel.' },
      });
    }
    expect(session.calls).toEqual([]);
  });

  it('routes a known channel to its handler, sender and payload checks included', async () => {
    const signedIn = await dispatch(handlers, 'auth:sign-in', APP_EVENT, {
      username: 'kim',
      password: GOOD_PASSWORD,
    });
    expect(signedIn).toMatchObject({ ok: true, value: { state: 'active' } });
    expect(JSON.stringify(signedIn)).not.toContain(FAKE_REFRESH_TOKEN);
    expect(await dispatch(handlers, 'auth:get-session', { senderFrame: null }, undefined)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
    expect(await dispatch(handlers, 'auth:sign-in', APP_EVENT, 'kim')).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST' },
    });
  });
});
