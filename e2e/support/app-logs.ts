import { createLogger, formatLogEntry, type Logger, type LogSink } from '../../main/core/logger';

/** Every log line the app wrote during one test, after the app's own redaction. */
export interface LogBook {
  /** A debug-level logger (debug, so the "no token in logs" check sees everything the app can write). */
  logger: Logger;
  /** The sink behind `logger`, for the app's own logger (the composition root builds it). */
  sink: LogSink;
  /** Adds raw text (e.g. the Electron process's stdout). */
  append(text: string): void;
  text(): string;
}

/** Creates an empty log book. */
export function createLogBook(): LogBook {
  const lines: string[] = [];
  const sink: LogSink = (entry) => lines.push(formatLogEntry(entry));
  return {
    logger: createLogger({ level: 'debug', scope: 'tessera', sink }),
    sink,
    append: (text) => lines.push(text),
    text: () => lines.join('\n'),
  };
}
