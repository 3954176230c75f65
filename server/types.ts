/** Roles the reference server knows; `admin` may read `/api/admin/*`. */
export type Role = 'user' | 'admin';

/** Signing algorithms the server can be pinned to. */
export type SigningAlg = 'HS256' | 'RS256';

/** A user as the API shows it (never carries the password hash). */
export interface PublicUser {
  sub: string;
  username: string;
  name: string;
  role: Role;
}

/** What `addUser` takes; `name` defaults to the username. */
export interface NewUser {
  username: string;
  password: string;
  role: Role;
  name?: string;
}

/** Body of a successful `POST /login` or `POST /token/refresh`. */
export interface TokenResponse {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
  tokenType: 'Bearer';
}

/** One request as the test controls recorded it; `status` 0 means the connection was reset. */
export interface RecordedRequest {
  method: string;
  path: string;
  status: number;
  /** The user whose access token the request carried (only when the server accepted the token). */
  user?: string;
}

/**
 * One access token the server issued (`POST /login` or `POST /token/refresh` answered 200), as the test
 * controls record it: times only, never the token.
 */
export interface IssuedToken {
  /** The request that got it: `/login` or `/token/refresh`. */
  path: string;
  user: string;
  /** The server's clock (epoch ms) when it was issued. */
  issuedAt: number;
  /** Its `exp` claim, in epoch ms. */
  expiresAt: number;
  /** The `expiresIn` (whole seconds) the answer gave the client to schedule by. */
  expiresIn: number;
}

/** A request `holdNext` keeps waiting until the test lets it go (see `RunningServer.holdNext`). */
export interface HeldRequest {
  /** True once a matching request has arrived (and stays true after `release()`). */
  readonly arrived: boolean;
  /** Lets it go on to its normal answer; called before one arrives, the next matching one passes straight through. */
  release(): void;
}

/** Fault injection for client tests (see `RunningServer.failNext`). */
export interface FaultOptions {
  /** Status to answer with; default 503, or "answer normally" when only `delayMs` is given. */
  status?: number;
  /** Wait this long before answering (or before failing). */
  delayMs?: number;
  /** Only requests to exactly this path match; default: every request except CORS preflights. */
  path?: string;
  /** Adds a `Retry-After` header with this many seconds. */
  retryAfterSeconds?: number;
  /** Raw body sent instead of the JSON error (with `Content-Type: application/json`). */
  body?: string;
  /** Destroy the socket instead of answering. */
  resetConnection?: boolean;
}

/** Token lifetimes in whole seconds; applies to tokens issued afterwards. */
export interface TokenLifetimes {
  accessSeconds?: number;
  refreshSeconds?: number;
}

/** Options of `startServer`; every one is optional. */
export interface ServerOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0 (a free port) for `startServer`; the CLI defaults to 4000. */
  port?: number;
  /** SQLite file or `:memory:` (the default for `startServer`; the CLI defaults to `data/server.db`). */
  db?: string;
  /** Default 900. */
  accessTtlSeconds?: number;
  /** Default 1209600 (14 days). */
  refreshTtlSeconds?: number;
  /** Default `HS256`. */
  alg?: SigningAlg;
  /** PEM contents (not paths): serve HTTPS when given. */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Create the development users `demo` and `admin` when missing. Default true. */
  seed?: boolean;
  /** Origins that get CORS headers. Default `['app://tessera']`. */
  corsOrigins?: string[];
  /** Default `tessera-reference`. */
  issuer?: string;
  /** Default `tessera-api`. */
  audience?: string;
  /** Clock tolerance when checking `exp`, 0 to 300 (MAX_LEEWAY_SECONDS). Default 0. */
  leewaySeconds?: number;
  /** HS256 key (at least 32 bytes). Default: a random key generated once and kept in the key file. */
  secret?: string;
  /**
   * File (created with mode 0600) keeping the generated signing keys: the HS256 secret and the RS256
   * private key. Default `<db>.keys.json` next to a file database; with `:memory:`, keys stay in memory.
   * Keys an older version kept in the database are moved here on start and deleted from the database.
   */
  keyFile?: string;
  /**
   * Bounds on the scrypt password checks of `/login`: `concurrency` at once (default
   * `os.availableParallelism()`, each in a worker thread at the lowest CPU priority), `maxQueue` more
   * waiting (default 64); beyond that `/login` answers 503 ServerBusyError with `Retry-After`, after
   * holding the request `refusalDelayMs` (default 1000).
   */
  passwordHashing?: { concurrency?: number; maxQueue?: number; refusalDelayMs?: number };
  /**
   * Host names (without the port; an IPv6 literal in brackets) a server on a loopback address answers
   * besides 127.0.0.1, [::1], localhost and its own address, e.g. a name only a test proxy resolves.
   * A request addressed to any other name gets 421 MisdirectedRequestError (DNS rebinding). Not
   * checked on other addresses.
   */
  allowedHosts?: readonly string[];
  /** Usernames the login rate limiter tracks at most (LRU). Default 100,000. */
  loginLimiterMaxEntries?: number;
  /** Milliseconds clock used for tokens, expiry and rate limiting. Default `Date.now`. */
  now?: () => number;
  /** Receives one line per request. Default `console.log`. */
  log?: (line: string) => void;
}

/** A started server plus the controls tests use to steer it. */
export interface RunningServer {
  /** Base URL without trailing slash, e.g. `http://127.0.0.1:53124`. */
  url: string;
  port: number;
  close(): Promise<void>;
  setTokenLifetimes(lifetimes: TokenLifetimes): void;
  setClock(now: () => number): void;
  addUser(user: NewUser): PublicUser;
  requests(path?: string): RecordedRequest[];
  /** The access tokens issued, in order (cleared with `clearRequests()`). */
  issuedTokens(): IssuedToken[];
  clearRequests(): void;
  failNext(count: number, fault?: FaultOptions): void;
  /** Drops the faults and holds still queued by `failNext` and `holdNext`. */
  clearFaults(): void;
  /**
   * Holds the next request to `path` (any path when omitted; CORS preflights never), queued in order
   * with `failNext` faults, until `release()`: it then answers normally. `close()` cuts it (status 0).
   */
  holdNext(path?: string): HeldRequest;
}
