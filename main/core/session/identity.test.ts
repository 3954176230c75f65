// What an OpenID Connect session does when the grant itself changes: the audience or scopes in
// Settings, or a refresh answered for another subject. The protocol here is a scripted stand-in (a
// mock): no provider that runs here can be told to answer a refresh for another account on request.
// The real provider flow is covered by main/core/oidc/*.test.ts.
import { describe, expect, it } from 'vitest';
import type { Result } from '../../../common/errors';
import type { SessionUser } from '../../../common/session';
import type { Settings } from '../../../common/settings';
import { defaultSettings } from '../../../test/support/default-settings';
import { memoryVault } from '../../../test/support/memory-vault';
import type { AuthProtocol, SignInGrant } from '../auth-protocol';
import type { TokenGrant } from '../auth-responses';
import { createSession } from './session';

const OIDC: Settings = {
  ...defaultSettings(),
  apiBaseUrl: 'https://api.example.com',
  authMode: 'oidc',
  oidcIssuer: 'https://id.example.com',
  oidcClientId: 'tessera',
  oidcAudience: 'https://api.example.com',
};

/** A provider stand-in whose next refresh answers for `refreshSub`. */
function scriptedProtocol() {
  const script = { refreshSub: 'sub-1', revoked: [] as string[] };
  let n = 0;
  const grant = (sub: string): TokenGrant => {
    n += 1;
    return {
      accessToken: `at-${n}`,
      tokenType: 'Bearer',
      expiresIn: 300,
      refreshToken: `rt-${n}`,
      idClaims: { sub },
    };
  };
  const protocol: AuthProtocol = {
    mode: 'oidc',
    async signIn(): Promise<Result<SignInGrant>> {
      return { ok: true, value: { ...grant('sub-1'), refreshToken: 'rt-signin', username: 'sub-1' } };
    },
    async refresh() {
      return { ok: true, value: grant(script.refreshSub) };
    },
    async revoke(refreshToken) {
      script.revoked.push(refreshToken ?? '(none)');
      return { ok: true, value: 'revoked' };
    },
    async profile(): Promise<Result<SessionUser>> {
      return { ok: true, value: { sub: 'sub-1', username: 'kim', name: 'Kim', role: 'user' } };
    },
  };
  return { protocol, script };
}

async function signedIn() {
  const vault = memoryVault();
  const { protocol, script } = scriptedProtocol();
  const session = createSession({ settings: OIDC, fetch, vault, protocolFor: () => protocol });
  expect(await session.signInWithProvider()).toMatchObject({ ok: true, value: { state: 'active' } });
  expect(vault.entries.size).toBe(1);
  return { session, vault, script };
}

describe('an OpenID Connect session whose grant changes', () => {
  it('ends, like an API change, when the audience or the scopes change in Settings', async () => {
    for (const change of [
      { oidcAudience: 'https://other-api.example.com' },
      { oidcScopes: 'openid profile' },
    ]) {
      const { session, vault, script } = await signedIn();
      await session.applySettings({ ...OIDC, ...change });
      expect(session.getView()).toMatchObject({
        state: 'signedOut',
        reason: 'signInMethodChanged',
        user: null,
      });
      expect(vault.entries.size).toBe(0);
      expect(script.revoked).toEqual(['rt-signin']);
      session.dispose();
    }
  });

  it('carries on when a setting that does not touch the grant changes', async () => {
    const { session } = await signedIn();
    await session.applySettings({ ...OIDC, oidcProviderName: 'Corp SSO', theme: 'dark' });
    expect(session.getView()).toMatchObject({ state: 'active', reason: null });
    session.dispose();
  });

  it('signs out with "identityChanged" when a refresh answers for another subject, and keeps nothing of it', async () => {
    const { session, vault, script } = await signedIn();
    expect((await session.getAccessToken({ forceRefresh: true })).ok).toBe(true);
    script.refreshSub = 'sub-2';
    expect(await session.getAccessToken({ forceRefresh: true })).toMatchObject({
      ok: false,
      error: { code: 'SESSION_EXPIRED' },
    });
    expect(session.getView()).toMatchObject({ state: 'signedOut', reason: 'identityChanged', user: null });
    expect(vault.entries.size).toBe(0);
    // The tokens issued for the other subject are revoked, never stored or handed out.
    expect(script.revoked).toContain('rt-3');
    session.dispose();
  });

  it('after a restart (no ID claims held yet) compares the first refresh with the stored sub (OIDC Core 12.2)', async () => {
    const { session, vault, script } = await signedIn();
    session.dispose();
    // The same subject: restored as before.
    const restart = scriptedProtocol();
    const same = createSession({ settings: OIDC, fetch, vault, protocolFor: () => restart.protocol });
    expect(await same.start()).toMatchObject({ state: 'active', reason: null });
    same.dispose();
    expect(vault.entries.size).toBe(1);
    // Another subject: signed out, nothing kept, the other subject's tokens revoked.
    const other = scriptedProtocol();
    other.script.refreshSub = 'sub-2';
    const wrong = createSession({ settings: OIDC, fetch, vault, protocolFor: () => other.protocol });
    expect(await wrong.start()).toMatchObject({ state: 'signedOut', reason: 'identityChanged', user: null });
    expect(vault.entries.size).toBe(0);
    expect(other.script.revoked).toEqual(['rt-1']);
    expect(script.revoked).toEqual([]);
    wrong.dispose();
  });
});
