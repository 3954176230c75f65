import { describe, expect, it } from 'vitest';
import { fakeJwt, testSettings } from '../../test/support/fixtures';
import { type AuthClient, createAuthClient } from './auth-client';
import { sessionScope, wrongMode } from './auth-protocol';
import { effectiveContract } from './config/auth-contract-schema';
import { createPasswordProtocol, explainRefusal } from './password-protocol';

describe('sessionScope()', () => {
  it('is the API scope in password mode, exactly as before oidc existed', () => {
    expect(sessionScope(testSettings('https://api.example.com/v1/'))).toBe('https://api.example.com/v1');
  });

  it('adds issuer and client in oidc mode, so no token is offered to a provider that did not issue it', () => {
    const oidc = testSettings('https://api.example.com', {
      authMode: 'oidc',
      oidcIssuer: 'https://login.example.com/realms/main',
      oidcClientId: 'tessera',
    });
    expect(sessionScope(oidc)).toBe(
      'https://api.example.com oidc https://login.example.com/realms/main tessera',
    );
    expect(sessionScope({ ...oidc, oidcClientId: 'other' })).not.toBe(sessionScope(oidc));
    expect(sessionScope({ ...oidc, oidcIssuer: 'https://login.example.com/realms/other' })).not.toBe(
      sessionScope(oidc),
    );
  });
});

describe('wrongMode()', () => {
  it('names the authMode setting and the mode that is on', () => {
    expect(wrongMode('oidc')).toMatchObject({
      code: 'INVALID_CONFIG',
      key: 'authMode',
      message: /OpenID Provider/,
    });
    expect(wrongMode('password')).toMatchObject({
      code: 'INVALID_CONFIG',
      key: 'authMode',
      message: /password/,
    });
  });
});

describe('createPasswordProtocol()', () => {
  const calls: string[] = [];
  const client: AuthClient = {
    contract: effectiveContract(testSettings('https://api.example.com')),
    login: async (username) => {
      calls.push(`login ${username}`);
      return { ok: true, value: { accessToken: 'a', tokenType: 'Bearer', expiresIn: 60, refreshToken: 'r' } };
    },
    refresh: async () => ({ ok: true, value: { accessToken: 'a', tokenType: 'Bearer', expiresIn: 60 } }),
    logout: async () => ({ ok: true, value: undefined }),
    me: async () => {
      calls.push('me');
      return { ok: true, value: { sub: '1', username: 'kim', name: 'Kim', role: 'user' } };
    },
  };

  it('signs in with credentials and stores the session under the typed username', async () => {
    const protocol = createPasswordProtocol(client, '/me');
    expect(await protocol.signIn({ kind: 'password', username: 'kim', password: 'pw' })).toMatchObject({
      ok: true,
      value: { username: 'kim', refreshToken: 'r' },
    });
    expect(await protocol.revoke('r')).toEqual({ ok: true, value: 'revoked' });
  });

  it("counts a 401 to a sign-out that sent the refresh token alone as revoked (SimpleJWT's blacklist of a dead token), and no other", async () => {
    const refusedLogout = (contract: AuthClient['contract']): AuthClient => ({
      ...client,
      contract,
      logout: async () => ({
        ok: false,
        error: { code: 'SESSION_EXPIRED', message: 'refused', status: 401 },
      }),
    });
    const simplejwt = effectiveContract(testSettings('https://api.example.com', { apiProfile: 'simplejwt' }));
    expect(await createPasswordProtocol(refusedLogout(simplejwt), '').revoke('r')).toEqual({
      ok: true,
      value: 'revoked',
    });
    // The reference server's sign-out carries the access token too: its 401 may be about that one.
    const tessera = effectiveContract(testSettings('https://api.example.com'));
    expect(await createPasswordProtocol(refusedLogout(tessera), '').revoke('r', 'a')).toMatchObject({
      ok: false,
      error: { code: 'SESSION_EXPIRED' },
    });
  });

  // A stand-in for each server (a fetch answering every request the same way): the reference server
  // answers neither an OAuth client refusal nor a gateway's sign-in page.
  it.each([
    {
      name: "an RFC 7009 endpoint's 401 invalid_client (the client refused, nothing said of the token)",
      profile: 'oauth2-password' as const,
      answer: () =>
        new Response(
          JSON.stringify({ error: 'invalid_client', error_description: 'Client authentication failed' }),
          {
            status: 401,
            headers: { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="oauth"' },
          },
        ),
      code: 'BAD_RESPONSE',
    },
    {
      name: "an SSO gateway's 401 sign-in page (Negotiate)",
      profile: 'simplejwt' as const,
      answer: () =>
        new Response('<html><body>Sign in to Corp SSO</body></html>', {
          status: 401,
          headers: { 'content-type': 'text/html', 'www-authenticate': 'Negotiate' },
        }),
      code: 'NETWORK',
    },
    {
      name: "a captive portal's 200 page",
      profile: 'simplejwt' as const,
      answer: () =>
        new Response('<html><body>Accept the terms</body></html>', {
          status: 200,
          headers: { 'content-type': 'text/html' },
        }),
      code: 'NETWORK',
    },
  ])('never counts a sign-out answered by $name as revoked', async ({ profile, answer, code }) => {
    const real = createAuthClient({
      fetch: async () => answer(),
      endpoints: { ...testSettings('https://api.example.com'), apiProfile: profile, authContract: null },
    });
    const result = await createPasswordProtocol(real, '').revoke('opaque-refresh-token-value', 'a.b.c');
    expect(result).toMatchObject({ ok: false, error: { code } });
    expect(JSON.stringify(result)).not.toContain('opaque-refresh-token-value');
  });

  it('asks no profile endpoint when mePath is empty (the token claims are used)', async () => {
    calls.length = 0;
    const protocol = createPasswordProtocol(client, '');
    expect(await protocol.profile({ accessToken: 'a', username: 'kim' })).toMatchObject({
      ok: false,
      error: { key: 'mePath' },
    });
    expect(calls).toEqual([]);
  });
});

describe('explainRefusal()', () => {
  const now = 1_900_000_000_000;
  const refused = {
    ok: false as const,
    error: {
      code: 'SESSION_EXPIRED' as const,
      message: 'refused',
      status: 401,
      serverError: 'token_not_valid',
    },
  };

  it("ends a refused refresh token whose exp has passed as 'reached its time limit' (SimpleJWT's 401 token_not_valid)", () => {
    const expired = fakeJwt({ token_type: 'refresh', exp: now / 1000 - 1 });
    expect(explainRefusal(refused, expired, now)).toEqual({
      ok: false,
      error: { ...refused.error, endReason: 'refreshTokenExpired' },
    });
  });

  it('refines an unspecific reason the server gave, and keeps a specific one', () => {
    const expired = fakeJwt({ exp: now / 1000 - 1 });
    const unspecific = {
      ok: false as const,
      error: { ...refused.error, endReason: 'refreshTokenInvalid' as const },
    };
    expect(explainRefusal(unspecific, expired, now)).toMatchObject({
      error: { endReason: 'refreshTokenExpired' },
    });
    const reused = {
      ok: false as const,
      error: { ...refused.error, endReason: 'refreshTokenReused' as const },
    };
    expect(explainRefusal(reused, expired, now)).toBe(reused);
  });

  it("judges exp by the server's clock when the refusal says it (a clock of ours hours ahead)", () => {
    const hour = 3_600_000;
    // Our clock is 3 h ahead: by it the token expired an hour ago; by the server's, it has 2 h left.
    const token = fakeJwt({ exp: (now - hour) / 1000 });
    const atServer = { ok: false as const, error: { ...refused.error, serverTime: now - 3 * hour } };
    expect(explainRefusal(atServer, token, now)).toBe(atServer);
    // Really expired by the server's clock too.
    const later = { ok: false as const, error: { ...refused.error, serverTime: now } };
    expect(explainRefusal(later, token, now)).toMatchObject({ error: { endReason: 'refreshTokenExpired' } });
  });

  it('leaves the reason to the error name for a token still within its exp, an opaque one, or any other failure', () => {
    expect(explainRefusal(refused, fakeJwt({ exp: now / 1000 + 60 }), now)).toBe(refused);
    expect(explainRefusal(refused, 'opaque-refresh-token', now)).toBe(refused);
    const offline = { ok: false as const, error: { code: 'NETWORK' as const, message: 'down' } };
    expect(explainRefusal(offline, fakeJwt({ exp: 1 }), now)).toBe(offline);
  });
});
