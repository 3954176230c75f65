import type { AccessTokens } from './access-tokens';
import type { LoginLimiter } from './login-limiter';
import type { RefreshTokens } from './refresh-tokens';
import type { SigningKeys } from './signing-keys';
import type { TestControls } from './test-controls';
import type { UserStore } from './users';
import type { WorkQueue } from './work-queue';

/** Everything the HTTP layer needs, built by `startServer` (or by a test) and passed to `createApp`. */
export interface AppDeps {
  users: UserStore;
  accessTokens: AccessTokens;
  refreshTokens: RefreshTokens;
  limiter: LoginLimiter;
  /** Bounded queue the password checks of /login run through. */
  passwordChecks: WorkQueue;
  /** How long a /login refused by a full queue is held before its 503 is sent. Default 0. */
  busyRefusalDelayMs?: number;
  keys: SigningKeys;
  controls: TestControls;
  corsOrigins: readonly string[];
  log: (line: string) => void;
  /** Adds `Strict-Transport-Security` to every answer (set when serving TLS). */
  hsts?: boolean;
  /**
   * `Host` names (without the port) a request must be addressed to, or it gets 421 (host-check.ts);
   * undefined: any. `startServer` sets them when it listens on a loopback address.
   */
  allowedHosts?: ReadonlySet<string>;
}
