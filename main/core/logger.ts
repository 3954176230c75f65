import { redactText, redactValue } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One log line after redaction: this is all a sink ever sees. */
export interface LogEntry {
  level: LogLevel;
  /** Epoch ms. */
  time: number;
  /** Which module wrote it (e.g. `session`, `vault`). */
  scope: string;
  message: string;
  fields?: Record<string, unknown>;
}

/** Where redacted entries go. */
export type LogSink = (entry: LogEntry) => void;

/** The logger every core module takes as a dependency. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger writing to the same sink with a narrower scope (`session` → `session:vault`). */
  child(scope: string): Logger;
}

export interface LoggerOptions {
  /** Lowest level written; default `info`. A function is asked at each entry (the level set later). */
  level?: LogLevel | (() => LogLevel);
  /** Default: `consoleSink`. */
  sink?: LogSink;
  scope?: string;
  now?: () => number;
}

/** Formats an entry as one line of text (used by the console sink and by log scans in tests). */
export function formatLogEntry(entry: LogEntry): string {
  const fields = entry.fields ? ` ${JSON.stringify(entry.fields)}` : '';
  return `${new Date(entry.time).toISOString()} ${entry.level.toUpperCase()} [${entry.scope}] ${entry.message}${fields}`;
}

/** Writes entries to the console (stderr for warnings and errors). */
export const consoleSink: LogSink = (entry) => {
  const line = formatLogEntry(entry);
  if (entry.level === 'warn' || entry.level === 'error') console.error(line);
  else console.log(line);
};

/** Creates a logger whose every message and field is redacted before it reaches the sink. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const { level = 'info', sink = consoleSink, scope = 'core', now = Date.now } = options;
  const threshold = () => LEVEL_ORDER[typeof level === 'function' ? level() : level];

  const write = (entryLevel: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (LEVEL_ORDER[entryLevel] < threshold()) return;
    const entry: LogEntry = { level: entryLevel, time: now(), scope, message: redactText(message) };
    if (fields) entry.fields = redactValue(fields) as Record<string, unknown>;
    try {
      sink(entry);
    } catch {
      // A broken sink must never take the session down with it.
    }
  };

  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
    child: (childScope) => createLogger({ level, sink, now, scope: `${scope}:${childScope}` }),
  };
}

/** A logger that drops everything (default where a caller passes none). */
export const silentLogger: Logger = createLogger({ sink: () => {} });
