// The Electron transport of the preload (preload/index.ts) over a stand-in for `electron`: Electron
// cannot be launched here, so its contextBridge and ipcRenderer are replaced by recorders that behave
// as Electron's do (a listener is called with the IpcRendererEvent first, then the payload). The
// electron e2e host runs the real preload wherever the binary exists.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { SessionView } from '../common/session';
import { signedOutView } from '../test/support/session-view';
import type { createBridge } from './bridge';

type Listener = (event: unknown, ...args: unknown[]) => void;

const electron = vi.hoisted(() => {
  const listeners = new Map<string, Set<Listener>>();
  const invoked: { channel: string; request: unknown }[] = [];
  const exposed: Record<string, unknown> = {};
  return {
    listeners,
    invoked,
    exposed,
    module: {
      contextBridge: {
        exposeInMainWorld: (name: string, api: unknown) => {
          exposed[name] = api;
        },
      },
      ipcRenderer: {
        invoke: async (channel: string, request: unknown) => {
          invoked.push({ channel, request });
          return { ok: true, value: null };
        },
        on: (channel: string, listener: Listener) => {
          if (!listeners.has(channel)) listeners.set(channel, new Set());
          listeners.get(channel)?.add(listener);
        },
        removeListener: (channel: string, listener: Listener) => {
          listeners.get(channel)?.delete(listener);
        },
      },
    },
  };
});

vi.mock('electron', () => electron.module);

/** What main's webContents.send does: every listener gets an IpcRendererEvent, then the payload. */
function send(channel: string, payload: unknown): void {
  const event = { sender: electron.module.ipcRenderer, senderFrame: {}, ports: [] };
  for (const listener of electron.listeners.get(channel) ?? []) listener(event, payload);
}

let bridge: ReturnType<typeof createBridge>;

beforeAll(async () => {
  // What main's additionalArguments add to the renderer's command line (main/security/web-preferences.ts).
  process.argv.push('--tessera-format-locales=en-GB,en-US');
  try {
    await import('./index');
  } finally {
    process.argv.pop();
  }
  bridge = electron.exposed.tessera as ReturnType<typeof createBridge>;
});

describe('the preload over ipcRenderer', () => {
  it('exposes one object, window.tessera, and nothing else', () => {
    expect(Object.keys(electron.exposed)).toEqual(['tessera']);
  });

  it('hands the page only the payload of an event: never the IpcRendererEvent (its sender is ipcRenderer)', () => {
    const heard: unknown[][] = [];
    const stop = bridge.auth.onSessionChange((...args: unknown[]) => heard.push(args));
    const view: SessionView = signedOutView();
    send('session:changed', view);
    expect(heard).toHaveLength(1);
    expect(heard[0]).toHaveLength(1);
    expect(heard[0]?.[0]).toEqual(view);
    expect(JSON.stringify(heard)).not.toContain('sender');
    stop();
  });

  it('removes its ipcRenderer listener when the page unsubscribes', () => {
    const heard: unknown[] = [];
    const stop = bridge.auth.onSessionChange((view) => heard.push(view));
    expect(electron.listeners.get('session:changed')?.size).toBe(1);
    stop();
    expect(electron.listeners.get('session:changed')?.size).toBe(0);
    send('session:changed', signedOutView());
    expect(heard).toEqual([]);
  });

  it("hands the page the OS's regional formats main put on the command line, a copy each time", () => {
    expect(bridge.system.formatLocales()).toEqual(['en-GB', 'en-US']);
    bridge.system.formatLocales().push('xx');
    expect(bridge.system.formatLocales()).toEqual(['en-GB', 'en-US']);
    expect(electron.invoked).toEqual([]);
  });

  it('calls main with ipcRenderer.invoke on the contract channel', async () => {
    await bridge.settings.get();
    expect(electron.invoked).toEqual([{ channel: 'settings:get', request: undefined }]);
  });
});
