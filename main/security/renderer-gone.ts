// What the app does when a window's page process ends on its own (Electron's `render-process-gone`):
// a crash left as it is is a blank window with nothing said, and a reload in a loop is worse.

/** Electron's `RenderProcessGoneDetails.reason`. */
export type RendererGoneReason =
  | 'clean-exit'
  | 'abnormal-exit'
  | 'killed'
  | 'crashed'
  | 'oom'
  | 'launch-failed'
  | 'integrity-failure'
  | 'memory-eviction';

/** A page that ends again this soon after a reload is left as it is: no reload loop. */
export const RELOAD_AGAIN_AFTER_MS = 60_000;

/**
 * `reload` for a page process that crashed, ran out of memory, was killed or evicted, unless the last
 * reload for that reason was under a minute ago (`sinceReloadMs`, null: none yet); `leave` for a clean
 * exit (the window is closing) and for a process that could not start at all (a reload would fail the
 * same way).
 */
export function afterRendererGone(
  reason: RendererGoneReason,
  sinceReloadMs: number | null,
): 'reload' | 'leave' {
  if (reason === 'clean-exit' || reason === 'launch-failed' || reason === 'integrity-failure') return 'leave';
  return sinceReloadMs !== null && sinceReloadMs < RELOAD_AGAIN_AFTER_MS ? 'leave' : 'reload';
}
