// Polling, for what a test cannot subscribe to: server-side effects of fire-and-forget work, keychain
// entries written behind a view, a name appearing on D-Bus. (For session views, use waitForView.)
import { setTimeout as sleep } from 'node:timers/promises';

export interface PollOptions {
  /** How long to keep trying (default 10 s). */
  timeoutMs?: number;
  /** Pause between checks (default 20 ms). */
  intervalMs?: number;
}

/** Checks until `check` holds: true as soon as it does, false when it still does not after `timeoutMs`. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  { timeoutMs = 10_000, intervalMs = 20 }: PollOptions = {},
): Promise<boolean> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await sleep(intervalMs)) {
    if (await check()) return true;
  }
  return check();
}

/** Waits until `check` holds and fails the test when it does not in time. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  options: PollOptions = {},
): Promise<void> {
  if (!(await waitUntil(check, options))) throw new Error('condition not met in time');
}
