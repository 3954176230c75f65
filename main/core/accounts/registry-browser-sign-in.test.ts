// A browser (OpenID Connect) sign-in learns who signed in only at the end, so the registry finds a
// duplicate account after the fact. The sessions here are stand-ins (the real oidc session has its own
// suites with a real provider and browser); what is under test is the registry's bookkeeping.
import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../../common/session';
import type { Settings } from '../../../common/settings';
import { defaultSettings } from '../../../test/support/default-settings';
import { signedOutView } from '../../../test/support/session-view';
import type { Session } from '../contracts';
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
