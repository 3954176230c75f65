// A logger for tests that keeps every (redacted) entry, so a suite can scan the log output for secrets.
import { createLogger, formatLogEntry, type LogEntry, type Logger } from '../../main/core/logger';

/** Everything a capturing logger saw. */
export interface LogCapture {
  logger: Logger;
  entries: LogEntry[];
  /** All captured entries as text, one line each. */
  text(): string;
}

/** A debug-level logger that keeps every (redacted) entry in memory. */
export function captureLogs(scope = 'test'): LogCapture {
  const entries: LogEntry[] = [];
  const logger = createLogger({ level: 'debug', scope, sink: (entry) => entries.push(entry) });
  return { logger, entries, text: () => entries.map(formatLogEntry).join('\n') };
}
