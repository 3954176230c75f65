import { join } from 'node:path';
import { decodeProtectedHeader } from 'jose';
import { describe, expect, it } from 'vitest';
import { call, fileTempDir, login, me, refresh, startTestServer, useTestServers } from './test-support';

useTestServers();

const dir = fileTempDir('tessera-server-');

describe.each(['HS256', 'RS256'] as const)('a file database with %s', (alg) => {
  it('keeps refresh tokens, users and signing keys across a restart', async () => {
    const db = join(dir, `${alg}.db`);
    const before = await startTestServer({ db, alg });
    const tokens = await login(before);
    const jwksBefore = alg === 'RS256' ? (await call(before, '/.well-known/jwks.json')).body : undefined;
    await before.close();

    const after = await startTestServer({ db, alg });
    // The signing key was persisted: the access token from before the restart still verifies.
    expect((await me(after, tokens.accessToken)).status).toBe(200);
    const rotated = await refresh(after, tokens.refreshToken);
    expect(rotated.status).toBe(200);
    expect((await me(after, rotated.body?.accessToken as string)).status).toBe(200);
    if (alg === 'RS256') {
      expect((await call(after, '/.well-known/jwks.json')).body).toEqual(jwksBefore);
      expect(decodeProtectedHeader(rotated.body?.accessToken as string).kid).toBe(
        decodeProtectedHeader(tokens.accessToken).kid,
      );
    }
    // Seeding on restart does not duplicate the development users.
    const { accessToken } = await login(after, 'admin', 'admin-password');
    expect((await call(after, '/api/admin/stats', { token: accessToken })).body?.users).toBe(2);
    await after.close();
  });
});

describe('an explicit HS256 secret', () => {
  it('is used instead of the stored key, so tokens of the stored key stop verifying', async () => {
    const db = join(dir, 'secret.db');
    const stored = await startTestServer({ db });
    const tokens = await login(stored);
    await stored.close();

    const explicit = await startTestServer({ db, secret: 'x'.repeat(32) });
    expect((await me(explicit, tokens.accessToken)).body?.error).toBe('InvalidTokenError');
    await explicit.close();
  });

  it('must be at least 32 bytes long', async () => {
    await expect(startTestServer({ secret: 'short' })).rejects.toThrow(/at least 32 bytes/);
  });
});
