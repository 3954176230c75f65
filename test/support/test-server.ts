// The reference server (server/) as tests outside server/ start it: in this process, on a free loopback
// port, its request log kept out of the test output. (The server's own specs use server/test-support.ts.)
import { join } from 'node:path';
import {
  type FaultOptions,
  type HeldRequest,
  type IssuedToken,
  type NewUser,
  type PublicUser,
  type RecordedRequest,
  type RunningServer,
  type ServerOptions,
  startServer,
  type TokenLifetimes,
} from '../../server';

/** A fresh server with an in-memory database unless `options` say otherwise. */
export function startQuietServer(options: ServerOptions = {}): Promise<RunningServer> {
  return startServer({ log: () => {}, ...options });
}

/** The reference server as e2e specs see it: stoppable and restartable on the same URL with the same data. */
export interface TestServer {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:53124`; unchanged across stop/start. */
  readonly url: string;
  readonly port: number;
  /** Token lifetimes for tokens issued from now on; kept across stop/start. */
  setTokenLifetimes(lifetimes: TokenLifetimes): void;
  /** The server's clock (ms); e.g. `() => Date.now() + 20 * 60_000` makes live tokens look expired. */
  setClock(now: () => number): void;
  /** Makes the next `count` matching requests fail (default 503); see server/types.ts FaultOptions. */
  failNext(count: number, fault?: FaultOptions): void;
  /** Holds the next request to `path` until `release()`; see server/types.ts RunningServer.holdNext. */
  holdNext(path?: string): HeldRequest;
  /** Drops the faults and holds still queued (each test starts with none). */
  clearFaults(): void;
  /** Every request received since the test began (across restarts), optionally for one exact path. */
  requests(path?: string): RecordedRequest[];
  /** Every access token issued since the test began (across restarts): path, user and times, never the token. */
  issuedTokens(): IssuedToken[];
  clearRequests(): void;
  addUser(user: NewUser): PublicUser;
  /**
   * Presents a refresh token to POST /token/refresh from outside the app (as a thief or a second
   * client would). A 200 rotates it: the app's copy becomes a reused token.
   */
  redeemRefreshToken(refreshToken: string): Promise<{ status: number; body: unknown }>;
  /** Closes the server (connections are cut); the data stays in its database file. */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same database (users, refresh tokens, signing key). */
  start(): Promise<void>;
  /** True between start() and stop(). */
  readonly running: boolean;
}

export interface TestServerOptions {
  /** Folder for the SQLite file (a per-test temp dir). */
  dataDir: string;
  /** Page origins that get CORS headers besides the app's own `app://tessera`. */
  corsOrigins?: string[];
  /**
   * false: the server sends no CORS headers at all, not even for `app://tessera` (`corsOrigins` is
   * ignored), like an API that knows nothing of browsers; the app's shell must supply them.
   */
  sendsCors?: boolean;
  log?: (line: string) => void;
}

/** Starts a fresh reference server on a free loopback port, backed by a file database it keeps across restarts. */
export async function startRestartableServer(options: TestServerOptions): Promise<TestServer> {
  const db = join(options.dataDir, 'server.db');
  const corsOrigins = options.sendsCors === false ? [] : ['app://tessera', ...(options.corsOrigins ?? [])];
  const log = options.log ?? (() => {});
  let lifetimes: TokenLifetimes = {};
  let clock: (() => number) | undefined;
  // Requests of earlier incarnations: the controls of a closed server go with it.
  let earlier: RecordedRequest[] = [];
  let earlierIssued: IssuedToken[] = [];
  let current: RunningServer | null = await startServer({ port: 0, db, corsOrigins, log });
  const { url, port } = current;

  const live = (): RunningServer => {
    if (!current) throw new Error('The test server is stopped; call server.start() first.');
    return current;
  };

  return {
    url,
    port,
    get running() {
      return current !== null;
    },
    setTokenLifetimes(next) {
      lifetimes = { ...lifetimes, ...next };
      current?.setTokenLifetimes(next);
    },
    setClock(now) {
      clock = now;
      current?.setClock(now);
    },
    failNext: (count, fault) => live().failNext(count, fault),
    holdNext: (path) => live().holdNext(path),
    clearFaults: () => current?.clearFaults(),
    requests: (path) => [
      ...earlier.filter((entry) => path === undefined || entry.path === path),
      ...(current?.requests(path) ?? []),
    ],
    issuedTokens: () => [...earlierIssued, ...(current?.issuedTokens() ?? [])],
    clearRequests() {
      earlier = [];
      earlierIssued = [];
      current?.clearRequests();
    },
    addUser: (user) => live().addUser(user),
    async redeemRefreshToken(refreshToken) {
      const response = await fetch(`${url}/token/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
      return { status: response.status, body: await response.json().catch(() => null) };
    },
    async stop() {
      if (!current) return;
      const closing = current;
      current = null;
      earlier = [...earlier, ...closing.requests()];
      earlierIssued = [...earlierIssued, ...closing.issuedTokens()];
      await closing.close();
    },
    async start() {
      if (current) return;
      const next = await startServer({
        port,
        db,
        corsOrigins,
        log,
        accessTtlSeconds: lifetimes.accessSeconds,
        refreshTtlSeconds: lifetimes.refreshSeconds,
        ...(clock ? { now: clock } : {}),
      });
      current = next;
    },
  };
}
