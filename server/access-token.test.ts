import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JWK, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { call, login, me, startTestServer, testClock, useTestServers } from './test-support';

useTestServers();

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const INVALID = { error: 'InvalidTokenError', message: 'Access token is invalid' };
const INVALID_CHALLENGE =
  'Bearer realm="tessera", error="invalid_token", error_description="Access token is invalid"';

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** Signs a token the way the server does, with overridable claims, using the shared test secret. */
function forge(
  claims: Record<string, unknown>,
  secret: Uint8Array = new TextEncoder().encode(SECRET),
  header: { typ?: string } = { typ: 'JWT' },
) {
  const nowSeconds = Math.floor(Date.now() / 1000);
  return new SignJWT({
    name: 'Demo User',
    role: 'user',
    jti: crypto.randomUUID(),
    sid: crypto.randomUUID(),
    ...claims,
  })
    .setProtectedHeader({ alg: 'HS256', ...header })
    .setSubject(String(claims.sub ?? 'someone'))
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + 300)
    .setIssuer(String(claims.iss ?? 'tessera-reference'))
    .setAudience(String(claims.aud ?? 'tessera-api'))
    .sign(secret);
}

describe('GET /api/user/me authentication', () => {
  it('answers MissingTokenError with a bare Bearer challenge when Authorization is missing', async () => {
    const server = await startTestServer();
    const answer = await call(server, '/api/user/me');
    expect(answer.status).toBe(401);
    expect(answer.body?.error).toBe('MissingTokenError');
    expect(typeof answer.body?.message).toBe('string');
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="tessera"');
  });

  it('treats another Authorization scheme as a missing token', async () => {
    const server = await startTestServer();
    const answer = await call(server, '/api/user/me', { headers: { Authorization: 'Basic ZGVtbzpkZW1v' } });
    expect(answer.status).toBe(401);
    expect(answer.body?.error).toBe('MissingTokenError');
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="tessera"');
  });

  it.each([
    ['an empty Bearer', 'Bearer'],
    ['garbage', 'Bearer not-a-jwt'],
    ['three dots of nothing', 'Bearer ..'],
    ['two tokens', 'Bearer a.b.c d.e.f'],
  ])('answers InvalidTokenError with an invalid_token challenge for %s', async (_what, header) => {
    const server = await startTestServer();
    const answer = await call(server, '/api/user/me', { headers: { Authorization: header } });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(INVALID);
    expect(answer.headers.get('www-authenticate')).toBe(INVALID_CHALLENGE);
  });

  it('answers with Cache-Control: no-store and X-Content-Type-Options: nosniff, also when it refuses', async () => {
    const server = await startTestServer();
    const { accessToken } = await login(server);
    const answers = [
      await me(server, accessToken),
      await me(server, 'not-a-jwt'),
      await call(server, '/login', { method: 'POST', json: { username: 'demo', password: 'wrong' } }),
      await call(server, '/no-such-route'),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 401, 401, 404]);
    for (const answer of answers) {
      expect(answer.headers.get('cache-control')).toBe('no-store');
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('accepts the scheme name in any letter case', async () => {
    const server = await startTestServer();
    const { accessToken } = await login(server);
    const answer = await call(server, '/api/user/me', {
      headers: { Authorization: `bearer ${accessToken}` },
    });
    expect(answer.status).toBe(200);
  });

  it('rejects a token whose payload was altered (role escalated) as InvalidTokenError', async () => {
    const server = await startTestServer();
    const { accessToken } = await login(server);
    const [header, payload, signature] = accessToken.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString());
    const tampered = `${header}.${base64url({ ...claims, role: 'admin' })}.${signature}`;
    const answer = await call(server, '/api/admin/stats', { token: tampered });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(INVALID);
  });

  it('rejects a token whose signature was altered as InvalidTokenError', async () => {
    const server = await startTestServer();
    const { accessToken } = await login(server);
    const [header, payload, signature = ''] = accessToken.split('.');
    const flipped = signature.startsWith('A') ? `B${signature.slice(1)}` : `A${signature.slice(1)}`;
    const answer = await me(server, `${header}.${payload}.${flipped}`);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(INVALID);
  });

  it('rejects an unsigned alg "none" token as InvalidTokenError', async () => {
    const server = await startTestServer();
    const { accessToken } = await login(server);
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(decodeJwt(accessToken))}.`;
    const answer = await me(server, unsigned);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(INVALID);
  });

  it('accepts a correctly signed token but rejects a wrong audience or issuer as InvalidTokenError', async () => {
    const server = await startTestServer({ secret: SECRET });
    const { sub } = decodeJwt((await login(server)).accessToken);

    expect((await me(server, await forge({ sub }))).status).toBe(200);
    for (const wrong of [
      { sub, aud: 'another-api' },
      { sub, iss: 'someone-else' },
    ]) {
      const answer = await me(server, await forge(wrong));
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual(INVALID);
      expect(answer.headers.get('www-authenticate')).toBe(INVALID_CHALLENGE);
    }
  });

  it('rejects a correctly signed token without a sid (session) claim as InvalidTokenError', async () => {
    const server = await startTestServer({ secret: SECRET });
    const { sub } = decodeJwt((await login(server)).accessToken);
    const answer = await me(server, await forge({ sub, sid: undefined }));
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(INVALID);
  });

  it.each([
    ['an unknown role', 'superadmin'],
    ['a role in another letter case', 'Admin'],
    ['a role in an array', ['admin']],
    ['no role', undefined],
  ])('rejects a correctly signed token with %s as InvalidTokenError', async (_what, role) => {
    const server = await startTestServer({ secret: SECRET });
    const { sub } = decodeJwt((await login(server)).accessToken);
    const answer = await me(server, await forge({ sub, role }));
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(INVALID);
  });

  it.each([
    ['no typ', {}],
    ['another typ (a DPoP proof)', { typ: 'dpop+jwt' }],
  ])(
    'rejects a correctly signed token with %s in its header as InvalidTokenError (RFC 8725 §3.11)',
    async (_what, header) => {
      const server = await startTestServer({ secret: SECRET });
      const { sub } = decodeJwt((await login(server)).accessToken);
      const answer = await me(server, await forge({ sub }, new TextEncoder().encode(SECRET), header));
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual(INVALID);
    },
  );

  it('rejects a token signed with another secret as InvalidTokenError', async () => {
    const server = await startTestServer({ secret: SECRET });
    const { sub } = decodeJwt((await login(server)).accessToken);
    const other = new TextEncoder().encode('another-secret-that-is-also-32-bytes-or-more');
    const answer = await me(server, await forge({ sub }, other));
    expect(answer.body).toEqual(INVALID);
  });

  it('answers TokenExpiredError with the exact message and an invalid_token challenge', async () => {
    const clock = testClock();
    const server = await startTestServer({ now: clock.now, accessTtlSeconds: 30 });
    const { accessToken } = await login(server);
    clock.advance(29_999);
    expect((await me(server, accessToken)).status).toBe(200);
    clock.advance(1);
    const answer = await me(server, accessToken);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: 'TokenExpiredError', message: 'Access token has expired' });
    expect(answer.headers.get('www-authenticate')).toBe(
      'Bearer realm="tessera", error="invalid_token", error_description="Access token has expired"',
    );
  });

  it('refuses to start with a leeway over 5 minutes, which would stretch every token (RFC 7519 §4.1.4: a few minutes at most)', async () => {
    await expect(startTestServer({ leewaySeconds: 301 })).rejects.toThrow(/leewaySeconds must be .* 300/);
    const server = await startTestServer({ leewaySeconds: 300 });
    expect((await me(server, (await login(server)).accessToken)).status).toBe(200);
  });

  it('accepts an expired token within the configured leeway', async () => {
    const clock = testClock();
    const server = await startTestServer({ now: clock.now, accessTtlSeconds: 30, leewaySeconds: 10 });
    const { accessToken } = await login(server);
    clock.advance(39_000);
    expect((await me(server, accessToken)).status).toBe(200);
    clock.advance(1_000);
    expect((await me(server, accessToken)).body?.error).toBe('TokenExpiredError');
  });
});

describe('GET /api/admin/stats', () => {
  it('answers small stats for the admin role', async () => {
    const server = await startTestServer();
    const { accessToken } = await login(server, 'admin', 'admin-password');
    const answer = await call(server, '/api/admin/stats', { token: accessToken });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ users: 2, activeRefreshFamilies: 1 });
  });

  it('answers 403 InsufficientRoleError with an insufficient_scope challenge for the user role', async () => {
    const server = await startTestServer();
    const { accessToken } = await login(server);
    const answer = await call(server, '/api/admin/stats', { token: accessToken });
    expect(answer.status).toBe(403);
    expect(answer.body?.error).toBe('InsufficientRoleError');
    expect(typeof answer.body?.message).toBe('string');
    expect(answer.headers.get('www-authenticate')).toMatch(
      /^Bearer realm="tessera", error="insufficient_scope"/,
    );
  });

  it('still asks for a token before looking at the role', async () => {
    const server = await startTestServer();
    const answer = await call(server, '/api/admin/stats');
    expect(answer.status).toBe(401);
    expect(answer.body?.error).toBe('MissingTokenError');
  });
});

describe('RS256', () => {
  it('signs with a kid and publishes the public key at /.well-known/jwks.json', async () => {
    const server = await startTestServer({ alg: 'RS256' });
    const { accessToken } = await login(server);
    const jwks = await call(server, '/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    const keys = jwks.body?.keys as JWK[];
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig' });
    expect(keys[0]).not.toHaveProperty('d');

    const header = decodeProtectedHeader(accessToken);
    expect(header).toMatchObject({ alg: 'RS256', kid: keys[0]?.kid });
    const verified = await jwtVerify(accessToken, createLocalJWKSet({ keys }), { algorithms: ['RS256'] });
    expect(verified.payload.role).toBe('user');
    expect((await me(server, accessToken)).status).toBe(200);
  });

  it('rejects an HS256 token signed with the RSA public key as the secret (algorithm confusion)', async () => {
    const server = await startTestServer({ alg: 'RS256' });
    const { accessToken } = await login(server);
    const keys = (await call(server, '/.well-known/jwks.json')).body?.keys as JWK[];
    const jwk = keys[0] as JWK;
    const pem = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const claims = decodeJwt(accessToken);
    const confused = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: jwk.kid as string })
      .sign(new TextEncoder().encode(pem));
    const answer = await me(server, confused);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual(INVALID);
  });

  it('does not publish a JWKS under HS256', async () => {
    const server = await startTestServer();
    const answer = await call(server, '/.well-known/jwks.json');
    expect(answer.status).toBe(404);
    expect(answer.body?.error).toBe('NotFoundError');
  });
});
