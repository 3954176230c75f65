import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { formatLogEntry, type LogSink } from '../core/logger';

/** The current log file; older ones are `tessera.1.log` (newest) … `tessera.<ROTATIONS>.log`. */
export const LOG_FILE = 'tessera.log';
/** How many rotated files are kept besides the current one: the history is split over ROTATIONS + 1 files. */
export const LOG_ROTATIONS = 4;
/** The default history (`logHistoryMiB` 10). */
export const DEFAULT_LOG_HISTORY_BYTES = 10 * 1024 * 1024;
/** The previous single rotation's name: still read into a diagnostics bundle, removed at the next rotation. */
const LEGACY_OLD_LOG = 'tessera.old.log';

export interface FileSinkOptions {
  /** Folder for `tessera.log` (userData/logs in the app). */
  dir: string;
  /**
   * Bytes of history kept across the current file and its rotations (the `logHistoryMiB` setting);
   * a function is asked at each entry, so a changed setting applies without a restart.
   */
  historyBytes?: number | (() => number);
}

/** The rotated file `index` (1 = newest). */
function rotated(dir: string, index: number): string {
  return join(dir, `tessera.${index}.log`);
}

/** The file sink, and why its folder could not be made at start (null: it was). */
export interface FileSink extends LogSink {
  readonly problem: string | null;
}

/**
 * A sink appending redacted entries to `<dir>/tessera.log`. Past a fifth of the history it rotates
 * (tessera.log → tessera.1.log → … → tessera.4.log, the oldest dropped), so the files together never
 * hold much more than `historyBytes`. Entries reach it already redacted by the logger.
 *
 * A rotation that cannot finish (on Windows, while another program holds a log file open without
 * sharing delete access: some log viewers and tail tools, a virus scanner) loses nothing: entries
 * still go to tessera.log, up to the whole history, and the rotation is tried again at the next entry.
 */
export function createFileSink({ dir, historyBytes = DEFAULT_LOG_HISTORY_BYTES }: FileSinkOptions): FileSink {
  const makeDir = () => mkdirSync(dir, { recursive: true, mode: 0o700 });
  let problem: string | null = null;
  try {
    makeDir();
  } catch (error) {
    // A file, or a link to nothing, where the folder belongs: the app still starts, logging to the
    // other sinks; the caller says so. Each entry tries the folder again (see the append below).
    problem = `the log folder ${dir} cannot be made (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
  }
  const file = join(dir, LOG_FILE);
  // The modes above apply only to what is created now: a folder or files an older release or another
  // tool left readable by others are made the owner's only as well (new rotations inherit 0600).
  if (problem === null) {
    ownerOnly(dir, 0o700);
    for (const name of logFileNames(dir)) ownerOnly(join(dir, name), 0o600);
  }
  const history = typeof historyBytes === 'function' ? historyBytes : () => historyBytes;
  let size = fileSize(file);
  const sink: LogSink = (entry) => {
    const line = `${formatLogEntry(entry)}\n`;
    const bytes = Buffer.byteLength(line);
    const perFile = Math.max(1, Math.floor(history() / (LOG_ROTATIONS + 1)));
    if (size + bytes > perFile && size > 0) {
      if (rotate(dir)) size = 0;
      // Still held: past the whole history, entries are dropped until it can be moved.
      else if (size + bytes > perFile * (LOG_ROTATIONS + 1)) return;
    }
    try {
      appendFileSync(file, line, { mode: 0o600 });
    } catch (error) {
      // The folder was removed while the app runs (a person clearing old logs, a clean-up tool): made
      // again, so the entries that follow are still recorded; any other failure is the logger's to drop.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      makeDir();
      size = 0;
      appendFileSync(file, line, { mode: 0o600 });
    }
    size += bytes;
  };
  return Object.assign(sink, { problem });
}

/**
 * Moves tessera.log to tessera.1.log, the older files each one place up, the oldest dropped; false when
 * a step failed. The files move only as far up as the first free place (an empty one, or the one a
 * rotation that failed at its last step left), and from the oldest down, so a step that fails stops
 * the rotation without overwriting a file or dropping more than the oldest, and trying again at every
 * entry drops nothing more.
 *
 * The renames are not flushed (no file here is, nor the folder, unlike the atomic writers'
 * `syncFolder`): the log is appended line by line without an fsync, so a power cut loses its last lines
 * anyway, and a rotation it undoes, in full or in part, leaves each file whole under its old name or its
 * new one, which the next rotation copes with (it moves files only as far as the first free place); a
 * flush per rotation would cost the logger a disk wait for nothing the person could lose.
 */
function rotate(dir: string): boolean {
  try {
    let free = 1;
    while (free <= LOG_ROTATIONS && fileSize(rotated(dir, free)) > 0) free += 1;
    if (free > LOG_ROTATIONS) {
      free = LOG_ROTATIONS;
      rmSync(rotated(dir, free), { force: true });
    }
    for (let index = free - 1; index >= 1; index -= 1)
      renameSync(rotated(dir, index), rotated(dir, index + 1));
    renameSync(join(dir, LOG_FILE), rotated(dir, 1));
  } catch {
    return false;
  }
  try {
    rmSync(join(dir, LEGACY_OLD_LOG), { force: true });
  } catch {
    // Read into a bundle as before; removed at a later rotation.
  }
  return true;
}

/** One log file's text, for a diagnostics bundle. */
export interface LogFileText {
  name: string;
  text: string;
}

/**
 * The newest `maxBytes` of log history in `dir`, newest file first: whole files while they fit, then
 * the newest lines of the file that does not. Missing folder or files: none.
 */
export function readLogHistory(dir: string, maxBytes: number): LogFileText[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const files = names
    .filter((name) => !Number.isNaN(logFileOrder(name)))
    .sort((a, b) => logFileOrder(a) - logFileOrder(b));
  const out: LogFileText[] = [];
  let left = maxBytes;
  for (const name of files) {
    if (left <= 0) break;
    let text: string;
    try {
      text = readFileSync(join(dir, name), 'utf8');
    } catch {
      continue;
    }
    if (Buffer.byteLength(text) > left) {
      // Keep the newest lines: cut at a line start so no line is half in the bundle.
      const tail = Buffer.from(text).subarray(-left).toString('utf8');
      const cut = tail.indexOf('\n');
      text = cut === -1 ? '' : tail.slice(cut + 1);
    }
    out.push({ name, text });
    left -= Buffer.byteLength(text);
  }
  return out;
}

/** Where a log file's name puts it, newest first (tessera.log 0, tessera.1.log 1 …); NaN: not a log file. */
function logFileOrder(name: string): number {
  if (name === LOG_FILE) return 0;
  if (name === LEGACY_OLD_LOG) return 1.5;
  const match = /^tessera\.(\d+)\.log$/.exec(name);
  return match ? Number(match[1]) : Number.NaN;
}

/** The log files in `dir` (none when it cannot be read). */
function logFileNames(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => !Number.isNaN(logFileOrder(name)));
  } catch {
    return [];
  }
}

/** Sets `mode` on `path`; a file system without POSIX modes, or a file gone meanwhile, is left as it is. */
function ownerOnly(path: string, mode: number): void {
  try {
    chmodSync(path, mode);
  } catch {
    // Logging must still work where the mode cannot be set; the folder's own mode is the main guard.
  }
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
