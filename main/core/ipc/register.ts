import { CHANNELS } from '../../../common/ipc';
import type { IpcHandlers } from './handlers';
import type { InvokeEventLike } from './sender';

/** The part of Electron's `ipcMain` used here, typed structurally so the core never imports electron. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/**
 * Registers one `ipcMain.handle` per contract channel; returns a function that removes them.
 * The bridge sends at most one argument, so a call with more is malformed rather than truncated.
 */
export function registerIpcHandlers(ipcMain: IpcMainLike, handlers: IpcHandlers): () => void {
  for (const channel of CHANNELS) {
    const handler = handlers[channel];
    ipcMain.handle(channel, async (event, ...args) =>
      args.length > 1
        ? { ok: false, error: { code: 'INVALID_REQUEST', message: `Malformed ${channel} request.` } }
        : handler(event, args[0]),
    );
  }
  return () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  };
}
