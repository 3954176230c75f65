import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { TesseraError } from '../common/errors';
import { type BridgeTransport, CHANNELS, type Channel, type IpcEvents } from '../common/ipc';
import type { SessionView } from '../common/session';
import { signedOutView } from '../test/support/session-view';
import { createBridge } from './bridge';

// A recording transport: it stands in for ipcRenderer, which only exists inside Electron.
function fakeTransport(answer: (channel: Channel, request: unknown) => unknown) {
  const calls: Array<{ channel: Channel; request: unknown }> = [];
  const listeners = new Set<(payload: IpcEvents['session:changed']) => void>();
  const transport: BridgeTransport = {
    invoke: async (channel, request) => {
      calls.push({ channel, request });
      return answer(channel, request) as never;
    },
    subscribe: (event, listener) => {
      if (event !== 'session:changed') throw new Error(`unexpected event ${event}`);
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { transport, calls, listeners };
}

const session: SessionView = signedOutView();

async function rejection(promise: Promise<unknown>): Promise<TesseraError> {
  try {
    await promise;
  } catch (error) {
    return error as TesseraError;
  }
  throw new Error('expected the call to reject');
}

describe('createBridge()', () => {
  it('hands the page only the valid locale tags main put on its command line, none without them', () => {
    const { transport, calls } = fakeTransport(() => ({ ok: true, value: session }));
    expect(createBridge(transport).system.formatLocales()).toEqual([]);
    expect(createBridge(transport, { argv: ['--type=renderer'] }).system.formatLocales()).toEqual([]);
    const argv = ['--type=renderer', '--tessera-format-locales=en-gb,en_GB,,EN-GB,ko-KR,<script>'];
    expect(createBridge(transport, { argv }).system.formatLocales()).toEqual(['en-GB', 'ko-KR']);
    expect(calls).toEqual([]);
  });

  it('refuses an oversized request itself: main never receives (nor deserializes) it', async () => {
    const { transport, calls } = fakeTransport(() => ({ ok: true, value: session }));
    const bridge = createBridge(transport);
    const huge = await rejection(bridge.auth.signIn({ username: 'x'.repeat(1024 * 1024), password: 'p' }));
    expect(huge).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(huge.message).toMatch(/^The auth:sign-in request is too large: a text value is longer than/);
    const wide = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
    expect(await rejection(bridge.settings.update(wide as never))).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(calls).toEqual([]);
    // A request of ordinary size goes through.
    await bridge.auth.signIn({ username: 'demo', password: 'demo-password' });
    expect(calls.map((call) => call.channel)).toEqual(['auth:sign-in']);
  });

  it('refuses a request holding a binary or collection value: its size is not counted, so it is never sent', async () => {
    // contextBridge hands the preload any structured-clone type the page passes (an ArrayBuffer, a
    // Map, a typed array); counting keys and text alone read a 1 MiB ArrayBuffer or a Map of
    // megabyte strings as nearly empty and sent it, so main deserialized all of it.
    const { transport, calls } = fakeTransport(() => ({ ok: true, value: session }));
    const bridge = createBridge(transport);
    const big = new ArrayBuffer(1024 * 1024);
    const map = new Map(Array.from({ length: 100 }, (_, i) => [i, 'y'.repeat(8000)]));
    for (const send of [
      () => bridge.auth.signIn({ username: 'kim', password: big as never }),
      () => bridge.auth.signIn({ username: 'kim', password: new Uint8Array(big) as never }),
      () => bridge.settings.update({ theme: map } as never),
      () => bridge.settings.probeApi(new Set(['https://api.example.com']) as never),
    ]) {
      const refused = await rejection(send());
      expect(refused).toMatchObject({ code: 'INVALID_REQUEST' });
      expect(refused.message).toMatch(/too large: it holds a value whose size is not counted/);
    }
    expect(calls).toEqual([]);
  });

  it('maps every method to its channel with the right payload', async () => {
    const { transport, calls } = fakeTransport(() => ({ ok: true, value: 'v' }));
    const bridge = createBridge(transport);
    await bridge.auth.signIn({ username: 'demo', password: 'pw' });
    await bridge.auth.signInWithProvider();
    await bridge.auth.cancelSignIn();
    await bridge.auth.signOut();
    await bridge.auth.getAccessToken();
    await bridge.auth.getAccessToken({ forceRefresh: true });
    await bridge.auth.getAccessToken({ forceRefresh: true, rejectedExpiresAt: 5, account: 'acct-1' });
    // Not a string: not forwarded (main's schema would refuse it).
    await bridge.auth.getAccessToken({ account: 7 as never });
    await bridge.auth.getSession();
    await bridge.auth.retryRestore();
    await bridge.settings.get();
    await bridge.settings.update({ theme: 'dark' });
    await bridge.settings.probeApi('https://api.example.com');
    const candidate = { apiBaseUrl: 'https://api.example.com', apiProfile: 'simplejwt' as const };
    await bridge.settings.trySignIn({
      ...candidate,
      authContract: null,
      username: 'kim',
      password: 'pw',
      // Not part of the request: dropped by the bridge.
      ...({ save: true } as object),
    } as never);
    expect(calls).toEqual([
      { channel: 'auth:sign-in', request: { username: 'demo', password: 'pw' } },
      { channel: 'auth:sign-in-oidc', request: undefined },
      { channel: 'auth:cancel-sign-in', request: undefined },
      { channel: 'auth:sign-out', request: undefined },
      { channel: 'auth:get-access-token', request: undefined },
      { channel: 'auth:get-access-token', request: { forceRefresh: true } },
      {
        channel: 'auth:get-access-token',
        request: { forceRefresh: true, rejectedExpiresAt: 5, account: 'acct-1' },
      },
      { channel: 'auth:get-access-token', request: { forceRefresh: false } },
      { channel: 'auth:get-session', request: undefined },
      { channel: 'auth:retry-restore', request: undefined },
      { channel: 'settings:get', request: undefined },
      { channel: 'settings:update', request: { theme: 'dark' } },
      { channel: 'settings:probe-api', request: { url: 'https://api.example.com' } },
      {
        channel: 'settings:try-sign-in',
        request: { ...candidate, authContract: null, username: 'kim', password: 'pw' },
      },
    ]);
  });

  it('has one method per contract channel, and none for a channel outside the contract', async () => {
    const { transport, calls } = fakeTransport(() => ({ ok: true, value: null }));
    const bridge = createBridge(transport);
    for (const group of Object.values(bridge))
      for (const method of Object.values(group)) {
        // The one method that is not a call: it subscribes to an event.
        if (method === bridge.auth.onSessionChange) continue;
        await (method as (request: object) => Promise<unknown>)({});
      }
    expect(calls.map(({ channel }) => channel).sort()).toEqual([...CHANNELS].sort());
  });

  it('forwards only the known fields of a request', async () => {
    const { transport, calls } = fakeTransport(() => ({ ok: true, value: null }));
    const bridge = createBridge(transport);
    const sneaky = { username: 'demo', password: 'pw', extra: () => 1 };
    await bridge.auth.signIn(sneaky);
    await bridge.auth.getAccessToken({ forceRefresh: 'yes' } as never);
    expect(calls[0]?.request).toEqual({ username: 'demo', password: 'pw' });
    expect(calls[1]?.request).toEqual({ forceRefresh: false });
  });

  it('sends no payload for provider sign-in and cancel, whatever the page passes', async () => {
    const { transport, calls } = fakeTransport(() => ({ ok: true, value: { cancelled: true } }));
    const bridge = createBridge(transport);
    await (bridge.auth.signInWithProvider as (...args: unknown[]) => Promise<unknown>)({ issuer: 'x' });
    await expect(
      (bridge.auth.cancelSignIn as (...args: unknown[]) => Promise<unknown>)('now'),
    ).resolves.toEqual({ cancelled: true });
    expect(calls).toEqual([
      { channel: 'auth:sign-in-oidc', request: undefined },
      { channel: 'auth:cancel-sign-in', request: undefined },
    ]);
  });

  it('rejects a cancelled provider sign-in with the CANCELLED code', async () => {
    const { transport } = fakeTransport(() => ({
      ok: false,
      error: { code: 'CANCELLED', message: 'The sign-in was cancelled' },
    }));
    const error = await rejection(createBridge(transport).auth.signInWithProvider());
    expect(error.code).toBe('CANCELLED');
  });

  it('resolves with the value of an ok result', async () => {
    const { transport } = fakeTransport(() => ({ ok: true, value: session }));
    await expect(createBridge(transport).auth.getSession()).resolves.toEqual(session);
  });

  it('rejects with a TesseraError carrying code, message and details of an error result', async () => {
    const info = { code: 'RATE_LIMITED', message: 'Too many attempts', retryAfterSeconds: 30, status: 429 };
    const { transport } = fakeTransport(() => ({ ok: false, error: info }));
    const error = await rejection(createBridge(transport).auth.signIn({ username: 'a', password: 'b' }));
    expect(error).toBeInstanceOf(TesseraError);
    expect(error.name).toBe('TesseraError');
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.message).toBe('Too many attempts');
    expect(error.info).toEqual(info);
  });

  it('puts name, code and message on the rejection as own enumerable properties (they survive contextBridge)', async () => {
    const { transport } = fakeTransport(() => ({
      ok: false,
      error: { code: 'NOT_SIGNED_IN', message: 'No' },
    }));
    const error = await rejection(createBridge(transport).auth.getAccessToken());
    // What a structured copy keeps: own enumerable data properties.
    expect({ ...error }).toMatchObject({ name: 'TesseraError', code: 'NOT_SIGNED_IN', message: 'No' });
    expect(structuredClone({ ...error })).toMatchObject({ code: 'NOT_SIGNED_IN', message: 'No' });
  });

  it.each([
    ['undefined', undefined],
    ['a bare value', 'session'],
    ['a result without a tag', { value: session }],
    ['an ok result without a value', { ok: true }],
    ['an error with an unknown code', { ok: false, error: { code: 'NOPE', message: 'x' } }],
    ['an error without a message', { ok: false, error: { code: 'NETWORK' } }],
  ])('rejects with INTERNAL when main answers %s', async (_label, answer) => {
    const { transport } = fakeTransport(() => answer);
    const error = await rejection(createBridge(transport).settings.get());
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toContain('settings:get');
  });

  it('rejects with INTERNAL when the transport itself fails', async () => {
    const transport: BridgeTransport = {
      invoke: async () => {
        throw new Error("No handler registered for 'auth:get-session'");
      },
      subscribe: () => () => {},
    };
    const error = await rejection(createBridge(transport).auth.getSession());
    expect(error.code).toBe('INTERNAL');
    expect(error.message).toContain('No handler registered');
  });

  it('subscribes to session:changed and unsubscribes once', () => {
    const { transport, listeners } = fakeTransport(() => undefined);
    const seen: SessionView[] = [];
    const unsubscribe = createBridge(transport).auth.onSessionChange((view) => seen.push(view));
    expect(listeners.size).toBe(1);
    for (const listener of listeners) listener(session);
    expect(seen).toEqual([session]);
    unsubscribe();
    unsubscribe();
    expect(listeners.size).toBe(0);
  });

  it('hands the event to every listener even when one throws (the API client drops its token on it)', () => {
    const { transport, listeners } = fakeTransport(() => undefined);
    const bridge = createBridge(transport);
    const seen: SessionView[] = [];
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    onTestFinished(() => logged.mockRestore());
    bridge.auth.onSessionChange(() => {
      throw new Error('a bug in the page');
    });
    bridge.auth.onSessionChange((view) => seen.push(view));
    // As an event emitter calls them: in order, and a throw would stop it.
    for (const listener of listeners) listener(session);
    expect(seen).toEqual([session]);
    expect(logged).toHaveBeenCalledWith('a session listener threw', expect.any(Error));
  });

  it('hands the listener only the session view', () => {
    const { transport, listeners } = fakeTransport(() => undefined);
    const args: unknown[][] = [];
    createBridge(transport).auth.onSessionChange((...received: unknown[]) => args.push(received));
    for (const listener of listeners) listener(session);
    expect(args).toEqual([[session]]);
  });

  it('refuses a listener that is not a function', () => {
    const { transport } = fakeTransport(() => undefined);
    expect(() => createBridge(transport).auth.onSessionChange('nope' as never)).toThrow(TypeError);
  });

  it('returns a deeply frozen object', () => {
    const bridge = createBridge(fakeTransport(() => undefined).transport);
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.isFrozen(bridge.auth)).toBe(true);
    expect(Object.isFrozen(bridge.settings)).toBe(true);
  });
});
