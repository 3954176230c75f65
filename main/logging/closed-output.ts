/**
 * Makes main's console output best-effort: a write to stdout or stderr that nobody reads any more (the
 * terminal that started the app was closed, `npm start` or a test runner that piped the output exited,
 * a launcher that dropped it) is dropped, instead of crashing main. Without a listener the stream's
 * 'error' event (EPIPE, arriving after console.log has returned) is an uncaught exception: Electron
 * then shows "A JavaScript error occurred in the main process" for each log line that follows. Every
 * entry still reaches the log file (createFileSink), which is the record; the console is only a copy.
 */
export function ignoreClosedOutput(
  streams: readonly NodeJS.WritableStream[] = [process.stdout, process.stderr],
): void {
  for (const stream of streams) stream.on('error', () => {});
}
