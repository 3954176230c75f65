/**
 * Electron's main process has no "network came back" event, so poll `isOnline()` and call
 * `onOnline` on each offline → online transition (the session then retries at once instead of
 * waiting out its backoff).
 */
export function watchOnline(options: {
  isOnline: () => boolean;
  onOnline: () => void;
  intervalMs?: number;
  setInterval?: (fn: () => void, ms: number) => { unref?: () => void };
  clearInterval?: (handle: unknown) => void;
}): () => void {
  const { isOnline, onOnline, intervalMs = 5000 } = options;
  const every = options.setInterval ?? setInterval;
  const stopTimer = options.clearInterval ?? ((handle: unknown) => clearInterval(handle as NodeJS.Timeout));
  let wasOnline = isOnline();
  const handle = every(() => {
    const online = isOnline();
    if (online && !wasOnline) onOnline();
    wasOnline = online;
  }, intervalMs);
  handle.unref?.();
  return () => stopTimer(handle);
}
