import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../../common/ipc';
import type { SessionView } from '../../../common/session';
import {
  APP_EVENT,
  createFakeConnect,
  createFakeSession,
  FAKE_REFRESH_TOKEN,
  GOOD_PASSWORD,
} from '../../../test/support/ipc-fakes';
import { createSettingsStore } from '../config/settings-store';
import { broadcastSessionChanges, type WindowLike } from './broadcast';
import { createIpcHandlers, type IpcHandlers } from './handlers';
import { type IpcMainLike, registerIpcHandlers } from './register';
import { REQUEST_SCHEMAS } from './request-schemas';
import type { InvokeEventLike } from './sender';

/** An ipcMain stand-in (Electron cannot load here) that keeps what was registered. */
function fakeIpcMain() {
  const registered = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>>();
  const ipcMain: IpcMainLike = {
    handle(channel, listener) {
      if (registered.has(channel)) throw new Error(`second handler for ${channel}`);
      registered.set(channel, listener);
    },
    removeHandler(channel) {
      registered.delete(channel);
    },
  };
  return { ipcMain, registered };
}

/** Handlers that echo what reached them, to see what registerIpcHandlers passes on. */
const echo = Object.fromEntries(
  CHANNELS.map((channel) => [
    channel,
    async (_event: unknown, payload: unknown) => ({ ok: true, value: { channel, payload } }),
  ]),
) as unknown as IpcHandlers;

describe('registerIpcHandlers()', () => {
  it('registers exactly one handler per contract channel and removes them all again', async () => {
    const { ipcMain, registered } = fakeIpcMain();
    const unregister = registerIpcHandlers(ipcMain, echo);
    expect([...registered.keys()].sort()).toEqual([...CHANNELS].sort());
    expect(await registered.get('settings:update')?.(APP_EVENT, { theme: 'dark' })).toEqual({
      ok: true,
      value: { channel: 'settings:update', payload: { theme: 'dark' } },
    });
    unregister();
    expect(registered.size).toBe(0);
  });

  it('registers the real handler table, whose channels, like the request schemas, are the contract', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-register-'));
    try {
      const settings = createSettingsStore({ userDataDir: dir, policyPath: null, env: {}, argv: [] });
      const handlers = createIpcHandlers({
        session: createFakeSession(),
        settings,
        connect: createFakeConnect(),
        isAppUrl: () => true,
        logger: console,
      });
      const contract = [...CHANNELS].sort();
      expect(Object.keys(handlers).sort()).toEqual(contract);
      expect(Object.keys(REQUEST_SCHEMAS).sort()).toEqual(contract);
      const { ipcMain, registered } = fakeIpcMain();
      registerIpcHandlers(ipcMain, handlers);
      expect([...registered.keys()].sort()).toEqual(contract);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('treats a call with more than one argument as malformed', async () => {
    const { ipcMain, registered } = fakeIpcMain();
    registerIpcHandlers(ipcMain, echo);
    expect(
      await registered.get('auth:sign-in')?.(APP_EVENT, { username: 'a', password: 'b' }, 'extra'),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_REQUEST' },
    });
    expect(await registered.get('auth:get-session')?.(APP_EVENT)).toMatchObject({
      ok: true,
      value: { payload: undefined },
    });
  });
});

describe('broadcastSessionChanges()', () => {
  function fakeWindow(
    options: { destroyed?: boolean; contentsDestroyed?: boolean; sendThrows?: boolean } = {},
  ) {
    const sent: [string, unknown][] = [];
    const window: WindowLike = {
      isDestroyed: () => options.destroyed ?? false,
      webContents: {
        isDestroyed: () => options.contentsDestroyed ?? false,
        send(channel, payload) {
          if (options.sendThrows) throw new Error('Object has been destroyed');
          sent.push([channel, payload]);
        },
      },
    };
    return { window, sent };
  }

  it('sends session:changed with the contract view to every live window, and stops on unsubscribe', async () => {
    const session = createFakeSession();
    const live = fakeWindow();
    const late = fakeWindow();
    const closed = fakeWindow({ destroyed: true });
    const crashed = fakeWindow({ contentsDestroyed: true });
    const closing = fakeWindow({ sendThrows: true });
    const windows = [live.window, closed.window, crashed.window, closing.window];
    const warnings: string[] = [];
    const unsubscribe = broadcastSessionChanges(session, () => windows, {
      warn: (line) => warnings.push(line),
    });

    await session.signIn('kim', GOOD_PASSWORD);
    windows.push(late.window);
    await session.signOut();
    unsubscribe();
    await session.signIn('kim', GOOD_PASSWORD);

    expect(live.sent.map(([channel, view]) => [channel, (view as SessionView).state])).toEqual([
      ['session:changed', 'active'],
      ['session:changed', 'signedOut'],
    ]);
    expect(late.sent).toHaveLength(1);
    expect(closed.sent).toEqual([]);
    expect(crashed.sent).toEqual([]);
    expect(warnings).toHaveLength(2);
    expect(JSON.stringify(session.getView())).toContain(FAKE_REFRESH_TOKEN);
    expect(JSON.stringify([...live.sent, ...late.sent])).not.toContain(FAKE_REFRESH_TOKEN);
  });
});
