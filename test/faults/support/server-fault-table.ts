// The server faults of the matrix as data: how each is injected, the error the person should see,
// and what the next attempt meets.
import { expect } from 'vitest';
import type { ErrorCode, ErrorInfo } from '../../../common/errors';
import type { RunningServer } from '../../../server';
import type { ProxyControls } from './fault-proxy';

/**
 * The client timeout while a "slow" answer (SLOW_MS) is injected, and otherwise: a busy CI machine
 * can take longer than the short one for an ordinary sign-in (the server hashes the password).
 */
export const TIMEOUT_MS = 250;
export const SLOW_MS = 900;
export const RELAXED_TIMEOUT_MS = 10_000;

/** One way the server can fail a request, and what the person should be shown for it. */
export interface ServerFault {
  name: string;
  /** Where the core points: the kit's server, the cutting proxy in front of it, or a server that dies. */
  via: 'server' | 'proxy' | 'down';
  /** Breaks the next request to `path` on `api`. */
  inject(path: string, api: Api): Promise<void> | void;
  error: Partial<ErrorInfo> & { code: ErrorCode };
  /**
   * What the next attempt meets: the server is fine again (`recovers`), it is still down, or it had
   * handled the lost request — after which a rotated-out refresh token counts as reused.
   */
  next: 'recovers' | 'stillDown' | 'committed';
}

/** Where a case's core points, and the controls to break it. */
export interface Api {
  url: string;
  server: RunningServer;
  proxy: ProxyControls;
}

/** Every server fault of the matrix, applied at sign-in, at a refresh and at sign-out. */
export const SERVER_FAULTS: ServerFault[] = [
  {
    name: 'the server is down (connection refused)',
    via: 'down',
    inject: (_, api) => api.server.close(),
    // ECONNREFUSED, or UND_ERR_SOCKET when a pooled keep-alive connection was the one that died.
    error: {
      code: 'NETWORK',
      message: expect.stringMatching(/could not be reached \((ECONNREFUSED|UND_ERR_SOCKET)\)/),
    },
    next: 'stillDown',
  },
  {
    name: 'HTTP 500',
    via: 'server',
    inject: (path, api) => api.server.failNext(1, { path, status: 500 }),
    error: { code: 'SERVER', status: 500 },
    next: 'recovers',
  },
  {
    name: 'HTTP 502',
    via: 'server',
    inject: (path, api) => api.server.failNext(1, { path, status: 502 }),
    error: { code: 'SERVER', status: 502 },
    next: 'recovers',
  },
  {
    name: 'HTTP 503 with Retry-After: 30',
    via: 'server',
    inject: (path, api) => api.server.failNext(1, { path, status: 503, retryAfterSeconds: 30 }),
    error: { code: 'SERVER', status: 503, retryAfterSeconds: 30 },
    next: 'recovers',
  },
  {
    name: 'HTTP 429 with Retry-After: 7',
    via: 'server',
    inject: (path, api) => api.server.failNext(1, { path, status: 429, retryAfterSeconds: 7 }),
    error: { code: 'RATE_LIMITED', status: 429, retryAfterSeconds: 7 },
    next: 'recovers',
  },
  {
    name: 'an answer slower than the timeout',
    via: 'server',
    inject: (path, api) => api.server.failNext(1, { path, delayMs: SLOW_MS }),
    error: { code: 'TIMEOUT' },
    next: 'committed',
  },
  {
    name: 'the connection reset before any answer',
    via: 'server',
    inject: (path, api) => api.server.failNext(1, { path, resetConnection: true }),
    error: { code: 'NETWORK' },
    next: 'recovers',
  },
  {
    name: 'the connection reset mid-body',
    via: 'proxy',
    inject: (path, api) => api.proxy.breakNext(path, { kind: 'cutBody' }),
    error: { code: 'NETWORK' },
    next: 'committed',
  },
];
