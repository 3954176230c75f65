import type { HttpBindings } from '@hono/node-server';
import type { AccessClaims } from './access-tokens';

/** Hono environment of the app: node bindings plus what middleware hands to handlers. */
export interface AppEnv {
  // Undefined at run time when the app is driven in-process (app.request) instead of through node-server.
  Bindings: Partial<HttpBindings>;
  Variables: {
    /** Set by the bearer middleware on protected routes. */
    claims: AccessClaims;
    /** Set by fault injection when it destroyed the socket, so the log shows status 0. */
    connectionReset: boolean;
  };
}
