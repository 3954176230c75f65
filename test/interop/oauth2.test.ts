// An RFC 6749 §4.3 password-grant server built on @node-oauth/oauth2-server behind the
// `oauth2-password` preset. The library does the grant (client check, password, rotation with
// revocation of the old refresh token, expiry); this file writes only its in-memory model, the HTTP
// glue, an RFC 7009 revocation endpoint and a protected route. Access tokens are 10-second JWTs.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OAuth2Server, {
  type Client,
  type OAuthError,
  type RefreshToken,
  Request,
  Response,
  type Token,
  type User,
} from '@node-oauth/oauth2-server';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { createRecorder } from './report';
import { forgetKeychain, type WalkTarget, walk, withApp } from './support/walk';

const CLIENT_ID = 'tessera-desktop';
const USER = { username: 'kim', password: 'interop-password-1' };
const ACCESS_SECONDS = 10;
const SIGNING_KEY = new TextEncoder().encode('interop-tests-only-signing-key-0123456789');
const FAILURES = 'Tessera-interop-oauth2-failures';

const recorder = createRecorder({
  id: 'oauth2-password',
  backend: 'OAuth2 password grant (RFC 6749 §4.3, RFC 7009 revocation)',
  versions: `@node-oauth/oauth2-server ${pkg.devDependencies['@node-oauth/oauth2-server']}`,
  preset: 'oauth2-password',
  tested: 'real server',
});

// ---- the model: in memory ----------------------------------------------------------------------

const client: Client = {
  id: CLIENT_ID,
  grants: ['password', 'refresh_token'],
  accessTokenLifetime: ACCESS_SECONDS,
  refreshTokenLifetime: 24 * 3600,
};
const users: Record<string, User & { password: string; name: string }> = {
  [USER.username]: { id: 'u-1', username: USER.username, password: USER.password, name: 'Kim Lee' },
};
const accessTokens = new Map<string, Token>();
const refreshTokens = new Map<string, RefreshToken>();

const model = {
  async getClient(clientId: string) {
    return clientId === CLIENT_ID ? client : false;
  },
  async getUser(username: string, password: string) {
    const user = users[username];
    return user && user.password === password ? user : false;
  },
  /** JWT access tokens: Tessera only accepts JWTs. */
  async generateAccessToken(_client: Client, user: User) {
    return new SignJWT({ name: user.name, username: user.username, role: 'user' })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(String(user.id))
      .setIssuedAt()
      .setExpirationTime(`${ACCESS_SECONDS}s`)
      .setJti(crypto.randomUUID())
      .sign(SIGNING_KEY);
  },
  async saveToken(token: Token, tokenClient: Client, user: User) {
    const saved = { ...token, client: tokenClient, user };
    accessTokens.set(token.accessToken, saved);
    if (token.refreshToken) refreshTokens.set(token.refreshToken, saved as RefreshToken);
    return saved;
  },
  async getAccessToken(accessToken: string) {
    return accessTokens.get(accessToken) ?? false;
  },
  async getRefreshToken(refreshToken: string) {
    return refreshTokens.get(refreshToken) ?? false;
  },
  async revokeToken(token: RefreshToken) {
    return refreshTokens.delete(token.refreshToken);
  },
};

const oauth = new OAuth2Server({ model, accessTokenLifetime: ACCESS_SECONDS });

// ---- HTTP --------------------------------------------------------------------------------------

async function readForm(request: IncomingMessage): Promise<Record<string, string>> {
  let text = '';
  for await (const chunk of request) text += chunk;
  return Object.fromEntries(new URLSearchParams(text));
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}

function sendError(res: ServerResponse, error: OAuthError) {
  const body = { error: error.name, error_description: error.message };
  // RFC 6750 §3: an invalid or expired access token is `error="invalid_token"` in the challenge.
  const challenge: Record<string, string> =
    error.name === 'invalid_token'
      ? {
          'www-authenticate': `Bearer realm="interop", error="invalid_token", error_description="${error.message}"`,
        }
      : error.code === 401
        ? { 'www-authenticate': 'Bearer realm="interop"' }
        : {};
  send(res, error.code ?? 500, body, challenge);
}

function libraryRequest(req: IncomingMessage, body: Record<string, string>) {
  const url = new URL(req.url ?? '/', 'http://interop');
  return new Request({
    method: req.method ?? 'GET',
    headers: req.headers as Record<string, string>,
    query: Object.fromEntries(url.searchParams),
    body,
  });
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://interop').pathname;
  try {
    if (req.method === 'POST' && path === '/token') {
      const response = new Response({ headers: {} });
      await oauth.token(libraryRequest(req, await readForm(req)), response, {
        requireClientAuthentication: { password: false, refresh_token: false },
      });
      send(res, response.status ?? 200, response.body, response.headers as Record<string, string>);
      return;
    }
    if (req.method === 'POST' && path === '/revoke') {
      // RFC 7009: revoke what the client names; unknown tokens still answer 200.
      const form = await readForm(req);
      if (form.client_id !== CLIENT_ID) return send(res, 401, { error: 'invalid_client' });
      const token = form.token ?? '';
      const refresh = refreshTokens.get(token);
      if (refresh) {
        refreshTokens.delete(token);
        accessTokens.delete(refresh.accessToken);
      }
      accessTokens.delete(token);
      return send(res, 200, undefined);
    }
    if (req.method === 'GET' && path === '/api/me') {
      const token = await oauth.authenticate(libraryRequest(req, {}), new Response({ headers: {} }));
      const user = token.user as (typeof users)[string];
      return send(res, 200, { sub: user.id, username: user.username, name: user.name, role: 'user' });
    }
    send(res, 404, { error: 'not_found' });
  } catch (error) {
    sendError(res, error as OAuthError);
  }
}

let server: Server;
let url = '';

beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  recorder.save();
  if (url) await forgetKeychain(FAILURES, url, USER.username);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** The preset with the public client's id: a policy adds it the same way (docs/backends.md). */
const withClient = {
  login: { extraFields: { grant_type: 'password', client_id: CLIENT_ID } },
  refresh: { extraFields: { grant_type: 'refresh_token', client_id: CLIENT_ID } },
  logout: { extraFields: { token_type_hint: 'refresh_token', client_id: CLIENT_ID } },
};

const target: WalkTarget = {
  id: 'oauth2',
  url: () => url,
  wrongPassword: {
    info: { status: 400, serverError: 'invalid_grant' },
    step: 'a wrong password (400 invalid_grant) reads as wrong credentials',
  },
  ...USER,
  settings: { apiProfile: 'oauth2-password', authContract: withClient, mePath: '/api/me' },
  protectedPath: 'api/me',
  protectedAnswer: { username: USER.username, name: 'Kim Lee' },
  async refreshAccepted(refreshToken) {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: CLIENT_ID,
    });
    return (await fetch(`${url}/token`, { method: 'POST', body: form })).ok;
  },
};

describe('an OAuth2 password-grant server through the whole app path', () => {
  walk(target, recorder);
});

describe('an OAuth2 password-grant server: honest failures', () => {
  const failures = { target, service: FAILURES };

  it('reads an unknown client (invalid_client) as a contract error quoting the server, not a wrong password', () =>
    withApp(
      failures,
      async ({ window }) => {
        const error = await window.bridge.auth.signIn(USER).catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'INVALID_CONFIG', info: { key: 'authContract' } });
        expect((error as Error).message).toMatch(/invalid_(client|request)/);
        recorder.passed('a missing client_id reads as a contract error');
      },
      { authContract: null },
    ));
});

describe('an OAuth2 password-grant server: why a session ended', () => {
  it("reads the library's refusal of an expired refresh token as 'reached its time limit'", () =>
    withApp({ target, service: FAILURES }, async ({ app, window }) => {
      await window.bridge.auth.signIn(USER);
      // The library's own check: the stored token's end is now past (as after refreshTokenLifetime).
      for (const token of refreshTokens.values()) token.refreshTokenExpiresAt = new Date(Date.now() - 1_000);
      const refused = await window.bridge.auth
        .getAccessToken({ forceRefresh: true })
        .catch((e: unknown) => e);
      expect(refused).toMatchObject({
        code: 'SESSION_EXPIRED',
        info: { status: 400, serverError: 'invalid_grant' },
      });
      expect(app.session.getView()).toMatchObject({ state: 'signedOut', reason: 'refreshTokenExpired' });
      recorder.passed(
        "an expired refresh token (invalid_grant, 'has expired') ends the session as its time limit",
      );
    }));
});
