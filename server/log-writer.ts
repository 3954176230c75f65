import { writeSync } from 'node:fs';

export interface BatchedLog {
  /** Queues one line (a newline is added). */
  log(line: string): void;
  /** Writes what is queued now, asynchronously; the timer restarts with the next line. */
  flush(): void;
  /** Writes what is queued synchronously (at process exit, when no later turn comes). */
  flushSync(): void;
}

export interface BatchedLogOptions {
  /** Writes a chunk of lines (default: process.stdout). */
  write?: (text: string) => void;
  /** Writes a chunk before the process exits (default: fs.writeSync to stdout's descriptor). */
  writeSync?: (text: string) => void;
  /** How long a line may wait for others to join it, in ms (default 50). */
  intervalMs?: number;
  /** Queued text that is written at once, without waiting (default 64 KiB). */
  maxChars?: number;
}

/**
 * The request log as it is written to stdout: lines queued and written together at most every
 * `intervalMs`, instead of one `console.log` per request. A `console.log` formats its arguments and
 * makes a system call on every line; to a pipe (the embedded server of `npm start`, a benchmark's
 * child) that write happens on the event loop, and it waits when the reader is slow. Profiled under
 * a sign-in flood, those writes were ~30 % of the server's event-loop time. The log shows a line at
 * most `intervalMs` late; nothing is dropped.
 */
export function createBatchedLog(options: BatchedLogOptions = {}): BatchedLog {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const writeNow = options.writeSync ?? ((text: string) => void writeSync(process.stdout.fd, text));
  const intervalMs = options.intervalMs ?? 50;
  const maxChars = options.maxChars ?? 64 * 1024;
  let queued = '';
  let timer: NodeJS.Timeout | undefined;

  const take = (): string => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const text = queued;
    queued = '';
    return text;
  };
  const flush = (): void => {
    const text = take();
    if (text !== '') write(text);
  };
  return {
    log(line) {
      queued += `${line}\n`;
      if (queued.length >= maxChars) flush();
      // Unref'd: a queued line never keeps the process alive; an exit writes it with flushSync.
      else timer ??= setTimeout(flush, intervalMs).unref();
    },
    flush,
    flushSync() {
      const text = take();
      if (text !== '') writeNow(text);
    },
  };
}
