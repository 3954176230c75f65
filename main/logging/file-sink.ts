import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { formatLogEntry, type LogSink } from '../core/logger';

export interface FileSinkOptions {
  /** Folder for `tessera.log` (userData/logs in the app). */
  dir: string;
  /** Rotate when the file grows past this many bytes; one previous file is kept. */
  maxBytes?: number;
}

/**
 * A sink appending redacted entries to `<dir>/tessera.log`, rotated to `tessera.old.log` past
 * `maxBytes` so the log never grows without bound. Entries reach it already redacted by the logger.
 */
export function createFileSink({ dir, maxBytes = 1024 * 1024 }: FileSinkOptions): LogSink {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, 'tessera.log');
  const previous = join(dir, 'tessera.old.log');
  let size = fileSize(file);
  return (entry) => {
    const line = `${formatLogEntry(entry)}\n`;
    if (size + line.length > maxBytes && size > 0) {
      renameSync(file, previous);
      size = 0;
    }
    appendFileSync(file, line, { mode: 0o600 });
    size += Buffer.byteLength(line);
  };
}

/** Sends each entry to every sink (e.g. console and file). */
export function teeSink(...sinks: LogSink[]): LogSink {
  return (entry) => {
    for (const sink of sinks) sink(entry);
  };
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
