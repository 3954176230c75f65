// The handler table called by channel name, for hosts without Electron's ipcMain (the e2e browser host, the
// benchmarks). The app itself registers each channel with ipcMain (main/core/ipc/register.ts).
import { z } from 'zod';
import type { Result } from '../../common/errors';
import { CHANNELS, type Channel, type ResponseOf } from '../../common/ipc';
import type { IpcHandlers } from '../../main/core/ipc/handlers';
import type { InvokeEventLike } from '../../main/core/ipc/sender';

const channelSchema = z.enum(CHANNELS);

/**
 * Calls the handler for `channel`, which comes from an untrusted transport (the e2e browser host's
 * exposeBinding, the benchmark): an unknown name is INVALID_REQUEST, and nothing here throws.
 */
export async function dispatch(
  handlers: IpcHandlers,
  channel: unknown,
  event: InvokeEventLike,
  payload: unknown,
): Promise<Result<ResponseOf<Channel>>> {
  const parsed = channelSchema.safeParse(channel);
  if (!parsed.success)
    return { ok: false, error: { code: 'INVALID_REQUEST', message: 'Unknown IPC channel.' } };
  return handlers[parsed.data](event, payload);
}
