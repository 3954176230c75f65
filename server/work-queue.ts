import { availableParallelism } from 'node:os';

/** Waiting places of the password-hashing queue by default. */
export const DEFAULT_HASH_QUEUE_LENGTH = 64;
/** How long `/login` holds a refusal (503) of a full queue by default, in ms (on average: see refusalHoldMs). */
export const DEFAULT_REFUSAL_DELAY_MS = 1000;

/**
 * How long to hold one refusal: `delayMs` × a random factor between 0.5 and 1.5, so `delayMs` on
 * average. A fixed hold sends refusals back in waves: a flood's first burst is refused together, so
 * its answers go out in the same millisecond a second later, the client sends its next attempts at
 * once, and they are refused together again — each wave a burst of requests the event loop works
 * through while token checks wait behind it. Spread out, the refusals (and the attempts they let in)
 * arrive a few at a time. Measured with `tsx bench/login-flood.ts`, runs alternating on one 2-core
 * machine: p99 ratio 3.62, 3.83, 3.30 with a fixed hold; 1.75, 1.82, 2.30 spread.
 */
export function refusalHoldMs(delayMs: number, random: () => number = Math.random): number {
  return delayMs * (0.5 + random());
}

export interface WorkQueueOptions {
  /** Tasks running at once. Default `os.availableParallelism()`. */
  concurrency?: number;
  /** Tasks that may wait for a free slot; once they are all taken, `submit` refuses. */
  maxQueue?: number;
}

/** Counters for diagnostics and tests. */
export interface WorkQueueStats {
  running: number;
  waiting: number;
  concurrency: number;
  maxQueue: number;
  /** Tasks refused because the queue was full. */
  rejected: number;
}

export interface WorkQueue {
  /**
   * Runs `task` now if a slot is free, else queues it; returns undefined (and never calls `task`)
   * when the queue is full. The decision is synchronous, so the caller can answer 503 at once.
   */
  submit<T>(task: () => Promise<T>): Promise<T> | undefined;
  /** Whole seconds (at least 1) until a refused caller could expect a free place. */
  retryAfterSeconds(): number;
  stats(): WorkQueueStats;
}

function checkCount(name: string, value: number, min: number): void {
  if (!(Number.isInteger(value) && value >= min)) {
    throw new TypeError(`${name} must be an integer >= ${min}`);
  }
}

/**
 * A semaphore with a bounded FIFO wait queue, for CPU-heavy work such as scrypt. Bounding it keeps
 * the libuv thread pool (which also runs the WebCrypto HMAC/RSA of token verification) from being
 * flooded, and bounding the wait list turns overload into a quick refusal instead of a growing backlog.
 */
export function createWorkQueue(options: WorkQueueOptions = {}): WorkQueue {
  const concurrency = options.concurrency ?? availableParallelism();
  const maxQueue = options.maxQueue ?? DEFAULT_HASH_QUEUE_LENGTH;
  checkCount('concurrency', concurrency, 1);
  checkCount('maxQueue', maxQueue, 0);

  let running = 0;
  let rejected = 0;
  // FIFO as an array with a moving head: O(1) push and shift without Array#shift's copying.
  let waiting: ((() => void) | undefined)[] = [];
  let head = 0;
  // Moving average of a task's duration, for Retry-After.
  let averageMs = 100;

  const waitingCount = () => waiting.length - head;

  const release = (): void => {
    const next = waiting[head];
    if (next === undefined) {
      running -= 1;
      return;
    }
    waiting[head] = undefined;
    head += 1;
    if (head > 1024 && head * 2 > waiting.length) {
      waiting = waiting.slice(head);
      head = 0;
    }
    // The slot passes straight to the next task: `running` stays the same.
    next();
  };

  const start = <T>(task: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const settle = () => {
      averageMs = averageMs * 0.8 + (performance.now() - started) * 0.2;
      release();
    };
    let result: Promise<T>;
    try {
      result = task();
    } catch (err) {
      result = Promise.reject(err);
    }
    return result.finally(settle);
  };

  return {
    submit(task) {
      if (running < concurrency) {
        running += 1;
        return start(task);
      }
      if (waitingCount() >= maxQueue) {
        rejected += 1;
        return undefined;
      }
      return new Promise((resolve, reject) => {
        waiting.push(() => {
          start(task).then(resolve, reject);
        });
      });
    },
    retryAfterSeconds() {
      const ahead = running + waitingCount();
      return Math.max(1, Math.ceil((ahead / concurrency) * (averageMs / 1000)));
    },
    stats: () => ({ running, waiting: waitingCount(), concurrency, maxQueue, rejected }),
  };
}
