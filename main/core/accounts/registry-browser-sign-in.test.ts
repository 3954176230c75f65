// A browser (OpenID Connect) sign-in learns who signed in only at the end, so the registry finds a
// duplicate account after the fact. The sessions here are stand-ins (the real oidc session has its own
// suites with a real provider and browser); what is under test is the registry's bookkeeping.
import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../../common/session';
import type { Settings } from '../../../common/settings';
import { defaultSettings } from '../../../test/support/default-settings';
import { discoveryOnly, listenerAnswer, STAND_IN_ISSUER } from '../../../test/support/oidc-stand-in';
import { signedOutView } from '../../../test/support/session-view';
import { eventually } from '../../../test/support/wait-until';
import type { AuthProtocol } from '../auth-protocol';
import type { Session } from '../contracts';
import { createSession } from '../session/session';
import type { StoredAccounts } from './account-store';
import type { AccountVault } from './account-vault';
import { createAccountRegistry } from './registry';

/** A session whose browser sign-in signs in as `sub` and stores its token under that name. */
function standIn(settings: Settings, vault: AccountVault, sub: string, disposed: string[]): Session {
  let view: SessionView = signedOutView({ apiOrigin: new URL(settings.apiBaseUrl).origin });
  const listeners = new Set<(view: SessionView) => void>();
  const set = (next: SessionView) => {
    view = next;
    for (const listener of listeners) listener(view);
  };
  return {
    start: async () => view,
    retryRestore: async () => view,
    signIn: async () => ({ ok: false, error: { code: 'INVALID_CONFIG', message: 'oidc only' } }),
    async signInWithProvider() {
      await vault.save('scope', sub, `rt-${sub}`);
      set({ ...view, state: 'active', user: { sub, username: sub, name: sub, role: 'user' } });
      return { ok: true, value: view };
    },
    cancelSignIn: () => ({ cancelled: false }),
    signOut: async () => ({ revoked: true }),
    getAccessToken: async () => ({ ok: false, error: { code: 'NOT_SIGNED_IN', message: 'no' } }),
    getView: () => view,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onResume() {},
    onOnline() {},
    applySettings: async () => {},
    dispose: () => disposed.push(sub),
  };
}

describe('createAccountRegistry() with browser sign-in', () => {
  it('a second browser sign-in of the same person replaces that account instead of adding a duplicate', async () => {
    const settings: Settings = {
      ...defaultSettings(),
      authMode: 'oidc',
      oidcIssuer: 'https://id.example',
      oidcClientId: 'tessera',
    };
    const who = ['alice', 'bob', 'alice'];
    const disposed: string[] = [];
    const saved: StoredAccounts[] = [];
    const registry = createAccountRegistry({
      settings: () => settings,
      makeSession: (s, vault) => standIn(s, vault, who[0] ?? 'nobody', disposed),
      vaultFor: () => {
        let user: string | null = null;
        return {
          user: () => user,
          load: async () => ({ ok: true, value: null }),
          save: async (_scope, name) => {
            user = name;
            return { ok: true, value: undefined };
          },
          remove: async () => ({ ok: true, value: undefined }),
        };
      },
      store: { load: () => null, save: (list) => saved.push(list) > 0 },
    });
    // The first session built is the signed-out one the page sees; each sign-in builds its own.
    const signInAs = async (sub: string) => {
      who.unshift(sub);
      const result = await registry.signInWithProvider();
      who.shift();
      return result;
    };
    expect((await signInAs('alice')).ok).toBe(true);
    expect((await signInAs('bob')).ok).toBe(true);
    const [alice] = registry.listAccounts();
    expect(await signInAs('alice')).toMatchObject({ ok: true, value: { accountId: alice?.id } });
    expect(registry.listAccounts().map((account) => [account.username, account.active])).toEqual([
      ['bob', false],
      ['alice', true],
    ]);
    expect(disposed).toContain('alice');
    expect(saved.at(-1)?.accounts.map((account) => account.username)).toEqual(['bob', 'alice']);
  });
});

describe('maxAccounts 1: a browser sign-in as someone else replaces the one account', () => {
  /**
   * A registry of real sessions over a stand-in OpenID Connect protocol that signs in as `who()`,
   * noting revocations and RP-initiated logouts, and a keychain of one entry per user.
   */
  function registryOfOne(who: () => string) {
    const settings: Settings = {
      ...defaultSettings(),
      authMode: 'oidc',
      oidcIssuer: 'https://id.example',
      oidcClientId: 'tessera',
      maxAccounts: 1,
    };
    const endSessions: (string | undefined)[] = [];
    const revoked: string[] = [];
    const keychain = new Map<string, string>();
    const protocol = (): AuthProtocol => ({
      mode: 'oidc',
      async signIn() {
        const sub = who();
        return {
          ok: true,
          value: {
            accessToken: `at-${sub}`,
            tokenType: 'Bearer',
            expiresIn: 300,
            refreshToken: `rt-${sub}`,
            username: sub,
            idToken: `id-token-of-${sub}`,
            idClaims: { sub },
          },
        };
      },
      refresh: async () => ({ ok: false, error: { code: 'NETWORK', message: 'offline' } }),
      async revoke(refreshToken) {
        if (refreshToken) revoked.push(refreshToken);
        return { ok: true, value: 'revoked' };
      },
      async endSession(idToken) {
        endSessions.push(idToken);
      },
      profile: async ({ username }) => ({
        ok: true,
        value: { sub: username, username, name: username, role: 'user' },
      }),
    });
    const vaultFor = (username: string | null): AccountVault => {
      let user = username;
      return {
        user: () => user,
        load: async () => {
          const token = user === null ? undefined : keychain.get(user);
          return { ok: true, value: user !== null && token ? { username: user, refreshToken: token } : null };
        },
        save: async (_scope, name, refreshToken) => {
          user = name;
          keychain.set(name, refreshToken);
          return { ok: true, value: undefined };
        },
        remove: async (_scope, name) => {
          const gone = name ?? user;
          if (gone !== null) keychain.delete(gone);
          return { ok: true, value: undefined };
        },
      };
    };
    const registry = createAccountRegistry({
      settings: () => settings,
      makeSession: (s, vault) =>
        createSession({ settings: s, fetch: globalThis.fetch, vault, protocolFor: protocol }),
      vaultFor,
      store: { load: () => null, save: () => true },
    });
    return { registry, endSessions, revoked, keychain };
  }

  it("retires the old account (token revoked, keychain entry deleted) without opening the provider's sign-out page in the browser the new person just used", async () => {
    let who = 'alice';
    const { registry, endSessions, revoked, keychain } = registryOfOne(() => who);
    expect((await registry.signInWithProvider()).ok).toBe(true);
    who = 'bob';
    expect(await registry.signInWithProvider()).toMatchObject({ ok: true, value: { user: { sub: 'bob' } } });
    expect(registry.listAccounts().map((account) => account.username)).toEqual(['bob']);
    await eventually(() => revoked.includes('rt-alice') && !keychain.has('alice'));
    expect(keychain.get('bob')).toBe('rt-bob');
    // Give a logout opened behind the sign-out time to show up.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(endSessions).toEqual([]);
    // Signing out on purpose still ends the provider session.
    await registry.signOut();
    expect(endSessions).toEqual(['id-token-of-bob']);
  });
});

describe('a second browser sign-in while the first still waits for the browser', () => {
  const ISSUER = STAND_IN_ISSUER;
  const fetchStandIn = discoveryOnly;
  const probe = listenerAnswer;

  it('cancels the first (CANCELLED, its loopback listener closed), as one session does, and the second goes on', async () => {
    const settings: Settings = {
      ...defaultSettings(),
      authMode: 'oidc',
      oidcIssuer: ISSUER,
      oidcClientId: 'tessera',
    };
    const opened: string[] = [];
    const keychain = new Map<string, string>();
    const registry = createAccountRegistry({
      settings: () => settings,
      makeSession: (s, vault) =>
        createSession({
          settings: s,
          fetch: fetchStandIn,
          vault,
          openExternal: async (url) => {
            opened.push(url);
          },
        }),
      vaultFor: () => ({
        user: () => null,
        load: async () => ({ ok: true, value: null }),
        save: async (_scope, name, refreshToken) => {
          keychain.set(name, refreshToken);
          return { ok: true, value: undefined };
        },
        remove: async () => ({ ok: true, value: undefined }),
      }),
      store: { load: () => null, save: () => true },
    });
    const callbackOf = (authorizationUrl: string) => {
      const url = new URL(authorizationUrl);
      return `${url.searchParams.get('redirect_uri')}?error=access_denied&state=${url.searchParams.get('state')}`;
    };
    const first = registry.signInWithProvider();
    await eventually(() => opened.length === 1);
    const second = registry.signInWithProvider();
    await eventually(() => opened.length === 2);
    try {
      const settled = await Promise.race([
        first,
        new Promise((resolve) => setTimeout(() => resolve('still waiting'), 2000)),
      ]);
      expect(settled).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
      // Its listener no longer answers, even with its own state.
      expect(await probe(callbackOf(opened[0] ?? ''))).toBe('ECONNREFUSED');
      // The second still waits for the browser: its listener answers its callback.
      expect(await probe(callbackOf(opened[1] ?? ''))).toBe(400);
      expect(await second).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED' } });
    } finally {
      registry.cancelSignIn();
      await Promise.all([first, second]);
    }
    expect(registry.listAccounts()).toEqual([]);
  });
});
