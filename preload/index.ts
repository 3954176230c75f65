// Sandboxed preload: it may import only 'electron' and code bundled into this file.
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import type { BridgeTransport, IpcEvents } from '../common/ipc';
import { createBridge } from './bridge';

/** The Electron transport: invoke for calls, one ipcRenderer listener per page subscription. */
const ipcTransport: BridgeTransport = {
  invoke: (channel, request) => ipcRenderer.invoke(channel, request),
  subscribe: (event, listener) => {
    // The IpcRendererEvent (it carries `sender`, an ipcRenderer handle) must never reach the page.
    const handler = (_event: IpcRendererEvent, payload: IpcEvents[typeof event]) => listener(payload);
    ipcRenderer.on(event, handler);
    return () => {
      ipcRenderer.removeListener(event, handler);
    };
  },
};

// The OS's regional formats, which main adds to this renderer's command line (additionalArguments).
contextBridge.exposeInMainWorld('tessera', createBridge(ipcTransport, { argv: process.argv }));
