import type { SessionView } from '../../../common/session';
import type { Session } from '../contracts';
import { redactValue } from '../redact';

/** One session change as a diagnostics bundle keeps it: what changed, never a token. */
export interface SessionEvent {
  /** Epoch ms (the app's clock). */
  time: number;
  state: SessionView['state'];
  reason: SessionView['reason'];
  offline: boolean;
  /** The signed-in user name (who, not how): null when signed out. */
  user: string | null;
  apiOrigin: string;
  expiresAt: number | null;
  nextRefreshAt: number | null;
  lastError: { code: string; message: string } | null;
  keychain: SessionView['keychain'];
  clockSkewMs: number | null;
}

/** The default number of session events kept. */
export const SESSION_EVENT_CAPACITY = 100;

/** The last session changes, oldest first. */
export interface SessionEventLog {
  events(): SessionEvent[];
  stop(): void;
}

/** The event kept for one view: a flat copy, redacted (an error message may quote a server's words). */
export function sessionEventOf(view: SessionView, time: number): SessionEvent {
  return redactValue({
    time,
    state: view.state,
    reason: view.reason,
    offline: view.offline,
    user: view.user?.username ?? null,
    apiOrigin: view.apiOrigin,
    expiresAt: view.expiresAt,
    nextRefreshAt: view.nextRefreshAt,
    lastError: view.lastError ? { code: view.lastError.code, message: view.lastError.message } : null,
    keychain: { ...view.keychain },
    clockSkewMs: view.clockSkewMs,
  }) as SessionEvent;
}

/**
 * Keeps the last `capacity` session changes in a ring (memory only, bounded whatever the uptime),
 * starting with the view at subscription, for the diagnostics bundle.
 */
export function recordSessionEvents(
  session: Pick<Session, 'onChange' | 'getView'>,
  options: { now?: () => number; capacity?: number } = {},
): SessionEventLog {
  const now = options.now ?? Date.now;
  const capacity = options.capacity ?? SESSION_EVENT_CAPACITY;
  const ring: SessionEvent[] = [];
  const push = (view: SessionView) => {
    ring.push(sessionEventOf(view, now()));
    if (ring.length > capacity) ring.splice(0, ring.length - capacity);
  };
  push(session.getView());
  const stop = session.onChange(push);
  return { events: () => structuredClone(ring), stop };
}
