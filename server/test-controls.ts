import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from './app-env';
import type { FaultOptions, HeldRequest, IssuedToken, RecordedRequest } from './types';

/** Request recording and fault injection, for client tests steering a real server. */
export interface TestControls {
  record(entry: RecordedRequest): void;
  requests(path?: string): RecordedRequest[];
  /** Notes an access token the server issued (its times, never the token). */
  recordIssued(entry: IssuedToken): void;
  issuedTokens(): IssuedToken[];
  /** Forgets the recorded requests and issued tokens. */
  clearRequests(): void;
  failNext(count: number, fault?: FaultOptions): void;
  holdNext(path?: string): HeldRequest;
  /** Drops the faults and holds still queued (a test's leftovers must not reach the next test). */
  clearFaults(): void;
  /** Middleware that applies queued faults; placed after CORS so injected errors stay readable cross-origin. */
  middleware: MiddlewareHandler<AppEnv>;
  /** Ends pending delays so a closing server does not wait for them. */
  dispose(): void;
}

interface QueuedFault extends FaultOptions {
  remaining: number;
  /** Set by `holdNext`: resolves true on release, false when the server closes first. */
  hold?: () => Promise<boolean>;
}

// Statuses whose responses must not carry a body (the Response constructor throws otherwise).
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

function checkFault(count: number, fault: FaultOptions): void {
  if (!Number.isInteger(count) || count < 0) {
    throw new TypeError('failNext: count must be a non-negative integer');
  }
  const { status, delayMs, retryAfterSeconds } = fault;
  if (status !== undefined && (!Number.isInteger(status) || status < 200 || status > 599)) {
    throw new TypeError('failNext: status must be an integer from 200 to 599');
  }
  if (delayMs !== undefined && !(delayMs >= 0)) throw new TypeError('failNext: delayMs must be >= 0');
  if (retryAfterSeconds !== undefined && !(Number.isInteger(retryAfterSeconds) && retryAfterSeconds >= 0)) {
    throw new TypeError('failNext: retryAfterSeconds must be a non-negative integer');
  }
}

/** A fault with only `delayMs` means "a slow server": delay, then answer normally. */
function answersNormally(fault: FaultOptions): boolean {
  return (
    fault.status === undefined &&
    fault.body === undefined &&
    fault.retryAfterSeconds === undefined &&
    !fault.resetConnection &&
    fault.delayMs !== undefined
  );
}

function faultResponse(fault: FaultOptions): Response {
  const status = fault.status ?? 503;
  const headers = new Headers({ 'Content-Type': 'application/json' });
  if (fault.retryAfterSeconds !== undefined) headers.set('Retry-After', String(fault.retryAfterSeconds));
  if (NULL_BODY_STATUSES.has(status)) return new Response(null, { status, headers });
  const body =
    fault.body ??
    JSON.stringify({ error: 'InjectedFaultError', message: `Injected fault: status ${status}` });
  return new Response(body, { status, headers });
}

/**
 * `requests()` (and `issuedTokens()`) answers from the last this many recorded requests at least. The record is trimmed back to
 * this size whenever it reaches twice it, so a long-running server (`npm run server`, the benchmarks'
 * child server, a soak) keeps a bounded record instead of every request it ever answered.
 */
export const RECORDED_REQUESTS_KEPT = 10_000;

/** A record kept to at least RECORDED_REQUESTS_KEPT entries, trimmed back to it at twice that. */
function boundedRecord<T>() {
  let entries: T[] = [];
  return {
    add(entry: T) {
      entries.push(entry);
      if (entries.length >= 2 * RECORDED_REQUESTS_KEPT) entries = entries.slice(-RECORDED_REQUESTS_KEPT);
    },
    all: (): readonly T[] => entries,
    clear() {
      entries = [];
    },
  };
}

/** Creates the controls; `failNext` and `holdNext` queue rules that the middleware consumes in order. */
export function createTestControls(): TestControls {
  const recorded = boundedRecord<RecordedRequest>();
  const issued = boundedRecord<IssuedToken>();
  const queue: QueuedFault[] = [];
  const pendingDelays = new Set<() => void>();

  const take = (path: string): QueuedFault | undefined => {
    const index = queue.findIndex((fault) => fault.path === undefined || fault.path === path);
    const fault = queue[index];
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) queue.splice(index, 1);
    return fault;
  };

  /**
   * Resolves true once `arm` calls its callback, or false at once when the server closes meanwhile;
   * `arm` returns what undoes it.
   */
  const cancellable = (arm: (done: () => void) => () => void): Promise<boolean> =>
    new Promise((resolve) => {
      const finish = (answered: boolean) => {
        disarm();
        pendingDelays.delete(cancel);
        resolve(answered);
      };
      const cancel = () => finish(false);
      const disarm = arm(() => finish(true));
      pendingDelays.add(cancel);
    });

  /** Resolves true after `ms`, or false at once when the server closes meanwhile. */
  const delay = (ms: number): Promise<boolean> =>
    cancellable((done) => {
      const timer = setTimeout(done, ms);
      return () => clearTimeout(timer);
    });

  /** A hold: `wait` notes the arrival and resolves true on `release()` (at once if it came first). */
  const createHold = () => {
    let arrived = false;
    let released = false;
    let letGo: (() => void) | undefined;
    const wait = (): Promise<boolean> => {
      arrived = true;
      if (released) return Promise.resolve(true);
      return cancellable((done) => {
        letGo = done;
        return () => {
          letGo = undefined;
        };
      });
    };
    const handle: HeldRequest = {
      get arrived() {
        return arrived;
      },
      release() {
        released = true;
        letGo?.();
      },
    };
    return { wait, handle };
  };

  const middleware: MiddlewareHandler<AppEnv> = async (c, next) => {
    // Preflights are CORS plumbing, not the request a client test means to fail.
    if (c.req.method === 'OPTIONS') return next();
    const fault = take(c.req.path);
    if (!fault) return next();
    const elapsed = fault.hold
      ? await fault.hold()
      : fault.delayMs !== undefined && fault.delayMs > 0
        ? await delay(fault.delayMs)
        : true;
    // A delay cut short by close() must not go on into handlers whose database is closing.
    if (fault.resetConnection || !elapsed) {
      c.set('connectionReset', true);
      c.env?.incoming?.socket.destroy();
      return new Response(null, { status: 500 });
    }
    if (fault.hold || answersNormally(fault)) return next();
    return faultResponse(fault);
  };

  return {
    record: (entry) => recorded.add(entry),
    requests: (path) =>
      recorded
        .all()
        .filter((entry) => path === undefined || entry.path === path)
        .map((e) => ({ ...e })),
    recordIssued: (entry) => issued.add(entry),
    issuedTokens: () => issued.all().map((e) => ({ ...e })),
    clearRequests: () => {
      recorded.clear();
      issued.clear();
    },
    failNext(count, fault = {}) {
      checkFault(count, fault);
      if (count > 0) queue.push({ ...fault, remaining: count });
    },
    holdNext(path) {
      const hold = createHold();
      queue.push({ ...(path === undefined ? {} : { path }), remaining: 1, hold: hold.wait });
      return hold.handle;
    },
    clearFaults() {
      queue.length = 0;
    },
    middleware,
    dispose() {
      queue.length = 0;
      for (const cancel of [...pendingDelays]) cancel();
    },
  };
}
