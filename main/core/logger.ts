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

/**
 * The most characters of a message, and of each field (a string, or an object or array as JSON), that
 * an entry keeps; the rest is cut with a mark saying how much. A feed's 2 MB parse error or a long
 * stack then costs a few KiB, and `logHistoryMiB` holds many entries instead of one.
 */
export const LOG_TEXT_LIMIT = 4096;
/** The most characters of all of an entry's fields together, as JSON: past it they are kept as one cut text. */
export const LOG_FIELDS_LIMIT = 4 * LOG_TEXT_LIMIT;

/**
 * `text` cut to `limit` characters, marked with how much was cut. Only ever given redacted text: a
 * secret cut in two before redaction could leave a piece too short for the redactor to recognize.
 */
export function cutLogText(text: string, limit = LOG_TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  // Never split a UTF-16 surrogate pair (half an emoji would be invalid text in the file).
  const end = /[\uD800-\uDBFF]/.test(text.charAt(limit - 1)) ? limit - 1 : limit;
  return `${text.slice(0, end)}… [cut, ${text.length - end} more characters]`;
}

/** A value as JSON text, or null when it has none (a bigint, a function). */
function jsonText(value: unknown): string | null {
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return null;
  }
}

/** Redacted fields with each one, and then all of them together, within the limits. */
function cutFields(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value === 'string') out[key] = cutLogText(value);
    else if (typeof value === 'object' && value !== null) {
      const json = jsonText(value);
      out[key] = json !== null && json.length > LOG_TEXT_LIMIT ? cutLogText(json) : value;
    } else out[key] = value;
  }
  const all = jsonText(out);
  return all !== null && all.length > LOG_FIELDS_LIMIT ? { fields: cutLogText(all, LOG_FIELDS_LIMIT) } : out;
}

/**
 * Creates a logger whose every message and field is redacted, then cut to LOG_TEXT_LIMIT, before it
 * reaches the sink. Redaction sees the whole text, so a cut can never leave a piece of a secret.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const { level = 'info', sink = consoleSink, scope = 'core', now = Date.now } = options;
  const threshold = () => LEVEL_ORDER[typeof level === 'function' ? level() : level];

  const write = (entryLevel: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (LEVEL_ORDER[entryLevel] < threshold()) return;
    const entry: LogEntry = {
      level: entryLevel,
      time: now(),
      scope,
      message: cutLogText(redactText(message)),
    };
    if (fields) entry.fields = cutFields(redactValue(fields) as Record<string, unknown>);
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
