// Pacing of log lines a page can cause by calling main in a loop (a refused IPC call, the connect
// wizard's probe or trial sign-in): the log's history (logHistoryMiB) must not be pushed out by them.
import type { Logger, LogLevel } from './logger';

/**
 * The least time between two lines of one kind. The page can call in a loop; one line a minute, with
 * a count of those left out, keeps the log's history from being pushed out by it.
 */
export const PACED_LOG_INTERVAL_MS = 60_000;

/**
 * Asked before a line of `kind` is written: null when it is to be left out (one of that kind was
 * written less than PACED_LOG_INTERVAL_MS ago), else how many of that kind were left out since the
 * last one written. Kinds are the code's own names (a channel, a message), never text from a page.
 */
export type LogPacer = (kind: string) => number | null;

/** A pacer over `now` (tests pass their clock). */
export function createLogPacer(now: () => number = Date.now): LogPacer {
  const last = new Map<string, { at: number; left: number }>();
  return (kind) => {
    const previous = last.get(kind);
    if (previous && now() - previous.at < PACED_LOG_INTERVAL_MS) {
      previous.left += 1;
      return null;
    }
    last.set(kind, { at: now(), left: 0 });
    return previous?.left ?? 0;
  };
}

/** The message of a paced line, saying how many like it were left out before it. */
export function pacedMessage(message: string, left: number): string {
  return left > 0 ? `${message}; ${left} more like it not logged` : message;
}

/**
 * `logger` with each line paced by `pace`, its kind the scope, level and message (so the fields of
 * a line left out are lost: the next line written counts it). Its children are paced by the same pacer.
 */
export function pacedLogger(logger: Logger, pace: LogPacer, scope = ''): Logger {
  const line =
    (level: LogLevel) =>
    (message: string, fields?: Record<string, unknown>): void => {
      const left = pace(`${scope} ${level} ${message}`);
      if (left !== null) logger[level](pacedMessage(message, left), fields);
    };
  return {
    debug: line('debug'),
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
    child: (child) => pacedLogger(logger.child(child), pace, `${scope}:${child}`),
  };
}
