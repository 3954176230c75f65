// oidc-provider 9 ships no type declarations (there is no @types package for v9 either). This declares
// only the part the test provider uses; everything else stays `unknown` so nothing is assumed.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** The Koa context of a provider request (only what the test helper touches). */
  export interface ProviderContext {
    path: string;
    method: string;
    status: number;
    body: unknown;
  }

  /** A token model of the provider (refresh tokens, access tokens …). */
  export interface TokenModel {
    find(value: string, options?: { ignoreExpiration?: boolean }): Promise<unknown>;
  }

  export class Provider {
    constructor(issuer: string, configuration?: Record<string, unknown>);
    readonly issuer: string;
    /** Koa's request handler. */
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    on(event: string, listener: (ctx: ProviderContext, ...args: unknown[]) => void): this;
    use(middleware: (ctx: ProviderContext, next: () => Promise<void>) => Promise<void>): this;
    readonly RefreshToken: TokenModel;
    readonly AccessToken: TokenModel;
  }

  export default Provider;
}
