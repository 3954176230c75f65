// A certified OpenID Provider (oidc-provider 9) on a random loopback port, configured like a real
// identity provider configures Tessera: a public native client, PKCE required, refresh token rotation,
// revocation and RP-initiated logout. Shared by the core's integration tests and the e2e suite.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** The client ID Tessera is registered under. */
export const TEST_CLIENT_ID = 'tessera';

/** The people the provider knows; any login name works (dev interactions), these have nice claims. */
export const TEST_ACCOUNTS: Record<string, { name: string; role: string }> = {
  demo: { name: 'Demo User', role: 'user' },
  admin: { name: 'Admin User', role: 'admin' },
};

/** The `sub` the provider issues for a login name: dev interactions use the login as the account ID. */
export function subjectOf(login: string): string {
  return login;
}

export interface TestProviderOptions {
  /** Access token lifetime in seconds (default 300). */
  accessTokenSeconds?: number;
  /** Refresh token lifetime in seconds (default 3600). */
  refreshTokenSeconds?: number;
  /**
   * An API identifier: access tokens requested for it (RFC 8707 `resource`) are JWTs with that
   * audience, as an API would verify them. Without it access tokens are opaque.
   */
  resource?: string;
  /**
   * Puts the reason for a refused grant into `error_description` ("refresh token already used"), as
   * Keycloak, Auth0 and Entra ID do; oidc-provider itself only says "grant request is invalid".
   */
  describeGrantErrors?: boolean;
  /** Profile claims only at userinfo, none in the ID token (oidc-provider's default for code flow). */
  profileOnlyAtUserinfo?: boolean;
  /** Whether refresh tokens are issued at all (default true); false mimics a client without offline access. */
  issueRefreshTokens?: boolean;
  /** A fixed port (default: any free one). */
  port?: number;
}

/** How `refuseTokenRequests` answers a token request. */
export interface TokenRefusal {
  status: number;
  error: string;
  description?: (sent: URLSearchParams) => string;
  /** Headers sent with it besides the JSON content type (a `WWW-Authenticate` challenge). */
  headers?: Record<string, string>;
}

/**
 * A token answer given as it is, not by the provider: what a captive portal or a sign-in gateway
 * between the app and the provider sends instead (a redirect to its own page, an HTML page, a 511).
 */
export interface TokenAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The running provider. */
export interface TestProvider {
  issuer: string;
  clientId: string;
  provider: Provider;
  port: number;
  /** `METHOD /path` of every request served so far. */
  requests(): string[];
  /** Stops answering (the port is closed: connections are refused), keeping every token and session. */
  pause(): Promise<void>;
  /** Answers again on the same port. */
  resume(): Promise<void>;
  /**
   * From now on answers every token request (a refresh, once signed in) with HTTP `status` and the
   * OAuth `error` (`invalid_client`: an administrator disabled the client or its refresh grant), as
   * providers do; null answers normally again. `description` words the `error_description` from the
   * form the request sent (a provider that quotes the refresh token or code it was given).
   */
  refuseTokenRequests(refusal: TokenRefusal | null): void;
  /** From now on answers every token request with `answer` as it is; null answers normally again. */
  answerTokenRequests(answer: TokenAnswer | null): void;
  /** From now on answers every request, discovery too, with `answer` (a captive portal); null: normally. */
  answerEveryRequest(answer: TokenAnswer | null): void;
  /**
   * From now on answers every request to `path` (the provider's own route: `/token/revocation`, `/me`
   * for userinfo) with `answer` as it is, whatever its method; null answers normally again.
   */
  answerRequestsTo(path: string, answer: TokenAnswer | null): void;
  /**
   * From now on serves the provider's own discovery document changed by `edit` (endpoints a provider
   * misconfigured: a port 0, plain http); null serves it unchanged again.
   */
  editDiscovery(edit: ((document: Record<string, unknown>) => Record<string, unknown>) | null): Promise<void>;
  close(): Promise<void>;
}

/** Where the provider publishes its discovery document (OpenID Connect Discovery 1.0 §4). */
const DISCOVERY_PATH = '/.well-known/openid-configuration';

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function account(login: string) {
  const known = TEST_ACCOUNTS[login];
  return {
    accountId: login,
    claims: () => ({
      sub: subjectOf(login),
      preferred_username: login,
      name: known?.name ?? login,
      role: known?.role ?? 'user',
      email: `${login}@example.test`,
    }),
  };
}

/** The pages oidc-provider would otherwise render with remote fonts (the tests stay on loopback). */
function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;
}

/** Starts the provider on 127.0.0.1; its issuer is `http://127.0.0.1:<port>` (loopback, so http is allowed). */
export async function startTestProvider(options: TestProviderOptions = {}): Promise<TestProvider> {
  const server = createServer();
  const port = await listen(server, options.port ?? 0);
  const issuer = `http://127.0.0.1:${port}`;
  const seen: string[] = [];
  const accessTtl = options.accessTokenSeconds ?? 300;
  const resource = options.resource;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: TEST_CLIENT_ID,
        client_name: 'Tessera',
        application_type: 'native',
        token_endpoint_auth_method: 'none',
        // Native clients on loopback may use any port (RFC 8252 §7.3); oidc-provider ignores the port.
        redirect_uris: ['http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
      },
    ],
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: true },
      // Tessera is a public client: the token itself is the proof (RFC 7009 §5), no client check.
      revocation: { enabled: true, allowedPolicy: async () => true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: { body: string }, form: string) => {
          ctx.body = page(
            'Sign out',
            `${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`,
          );
        },
        postLogoutSuccessSource: async (ctx: { body: string }) => {
          ctx.body = page('Signed out', '<p>You are signed out.</p>');
        },
      },
      ...(resource
        ? {
            resourceIndicators: {
              enabled: true,
              defaultResource: () => resource,
              useGrantedResource: () => true,
              getResourceServerInfo: (_ctx: unknown, indicator: string) => {
                if (indicator !== resource) throw new Error(`unknown resource ${indicator}`);
                return {
                  scope: 'api',
                  audience: resource,
                  accessTokenFormat: 'jwt',
                  accessTokenTTL: accessTtl,
                };
              },
            },
          }
        : {}),
    },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'role'], email: ['email'] },
    conformIdTokenClaims: options.profileOnlyAtUserinfo === true,
    findAccount: (_ctx: unknown, id: string) => account(id),
    rotateRefreshToken: true,
    issueRefreshToken: () => options.issueRefreshTokens !== false,
    ttl: {
      AccessToken: accessTtl,
      IdToken: accessTtl,
      RefreshToken: options.refreshTokenSeconds ?? 3600,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    renderError: async (ctx: { type: string; body: string }, out: Record<string, string>) => {
      ctx.type = 'html';
      ctx.body = page('Error', `<pre>${JSON.stringify(out).replace(/</g, '&lt;')}</pre>`);
    },
  });

  if (options.describeGrantErrors) {
    provider.on('grant.error', (ctx, error) => {
      const detail = (error as { error_detail?: unknown }).error_detail;
      const body = ctx.body as Record<string, unknown> | null;
      if (typeof detail === 'string' && body && body.error === 'invalid_grant')
        ctx.body = { ...body, error_description: `${String(body.error_description)}: ${detail}` };
    });
  }

  const handle = provider.callback();
  let current = server;
  /** How token requests are answered instead of by the provider, from the form each one sent; or null. */
  let answering: ((sent: URLSearchParams) => TokenAnswer) | null = null;
  let portal: TokenAnswer | null = null;
  /** Answers given instead of the provider's, by path (answerRequestsTo; the edited discovery document). */
  const byPath = new Map<string, TokenAnswer>();
  const serve = (target: Server) =>
    target.on('request', (req, res) => {
      const path = new URL(req.url ?? '/', issuer).pathname;
      seen.push(`${req.method} ${path}`);
      const canned = portal ?? byPath.get(path);
      if (canned) {
        res.writeHead(canned.status, canned.headers).end(canned.body);
        return;
      }
      const answer = answering;
      if (answer && req.method === 'POST' && path === '/token') {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const { status, headers, body } = answer(
            new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
          );
          res.writeHead(status, headers).end(body);
        });
        return;
      }
      handle(req, res);
    });
  serve(server);
  const stop = () =>
    new Promise<void>((resolve) => {
      current.close(() => resolve());
      current.closeAllConnections();
    });

  return {
    issuer,
    clientId: TEST_CLIENT_ID,
    provider,
    port,
    requests: () => [...seen],
    pause: stop,
    refuseTokenRequests(refusal) {
      answering = refusal
        ? (sent) => ({
            status: refusal.status,
            headers: {
              'content-type': 'application/json',
              'cache-control': 'no-store',
              ...refusal.headers,
            },
            body: JSON.stringify({
              error: refusal.error,
              error_description: refusal.description?.(sent) ?? 'the client may not use this grant',
            }),
          })
        : null;
    },
    answerTokenRequests(answer) {
      answering = answer ? () => answer : null;
    },
    answerEveryRequest(answer) {
      portal = answer;
    },
    answerRequestsTo(path, answer) {
      if (answer) byPath.set(path, answer);
      else byPath.delete(path);
    },
    async editDiscovery(edit) {
      byPath.delete(DISCOVERY_PATH);
      if (edit === null) return;
      const own = (await (await fetch(`${issuer}${DISCOVERY_PATH}`)).json()) as Record<string, unknown>;
      byPath.set(DISCOVERY_PATH, {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(edit(own)),
      });
    },
    async resume() {
      current = serve(createServer());
      await listen(current, port);
    },
    close: stop,
  };
}
