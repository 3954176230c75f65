import type { EventName, IpcEvents } from '../../../common/ipc';
import type { Session } from '../contracts';
import type { IpcLogger } from './handlers';
import { toWireSessionView } from './wire-values';

/** The part of a `WebContents` used for broadcasts. */
export interface WebContentsLike {
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

/** The part of a `BrowserWindow` used for broadcasts. */
export interface WindowLike {
  isDestroyed(): boolean;
  readonly webContents: WebContentsLike;
}

const SESSION_CHANGED: EventName = 'session:changed';

/**
 * Sends `session:changed` with the new view to every live window whenever the session changes;
 * returns the unsubscribe function. `getWindows` is asked each time, so new windows are included.
 */
export function broadcastSessionChanges(
  session: Pick<Session, 'onChange'>,
  getWindows: () => Iterable<WindowLike>,
  logger?: Pick<IpcLogger, 'warn'>,
): () => void {
  return session.onChange((view) => {
    let payload: IpcEvents[typeof SESSION_CHANGED];
    try {
      payload = toWireSessionView(view);
    } catch (error) {
      logger?.warn(`IPC ${SESSION_CHANGED}: malformed session view not sent (${String(error)})`);
      return;
    }
    for (const window of getWindows()) {
      try {
        if (window.isDestroyed() || window.webContents.isDestroyed()) continue;
        window.webContents.send(SESSION_CHANGED, payload);
      } catch (error) {
        // A window closing between the check and the send must not stop the others from hearing.
        logger?.warn(`IPC ${SESSION_CHANGED}: could not reach a window (${String(error)})`);
      }
    }
  });
}
