// Start-up restores every stored account at the same time, at most RESTORE_CONCURRENCY at once, and
// an account left signed out by its server makes room by signing out. The sessions are stand-ins
// (the real restore is covered over the reference server in registry.test.ts and
// test/faults/accounts.test.ts; a session that gave up on its refresh needs minutes of refusals).
import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../../common/session';
import { defaultSettings } from '../../../test/support/default-settings';
import { memoryVault } from '../../../test/support/memory-vault';
import { signedOutView } from '../../../test/support/session-view';
import type { Session } from '../contracts';
import { connectionOf } from './account-id';
import type { StoredAccounts } from './account-store';
import { sharedVault } from './account-vault';
import { createAccountRegistry, RESTORE_CONCURRENCY } from './registry';

describe('createAccountRegistry().start()', () => {
  it(`restores stored accounts in parallel, at most ${RESTORE_CONCURRENCY} at once, the last active one active again`, async () => {
    const settings = defaultSettings();
    const stored: StoredAccounts = {
      active: 'acct-5',
      accounts: Array.from({ length: 7 }, (_, i) => ({
        id: `acct-${i}`,
        username: `user-${i}`,
        connection: connectionOf(settings),
      })),
    };
    let running = 0;
    let most = 0;
    const finish: (() => void)[] = [];
    const made: string[] = [];
    const registry = createAccountRegistry({
      settings: () => ({ ...settings, maxAccounts: 10 }),
      vaultFor: (username) => ({
        user: () => username,
        load: async () => ({ ok: true, value: null }),
        save: async () => ({ ok: true, value: undefined }),
        remove: async () => ({ ok: true, value: undefined }),
      }),
      makeSession: (_settings, vault) => {
        const username = vault.user();
        if (username) made.push(username);
        let view: SessionView = signedOutView();
        const listeners = new Set<(view: SessionView) => void>();
        const session: Session = {
          retryRestore: async () => view,
          async start() {
            running += 1;
            most = Math.max(most, running);
            await new Promise<void>((resolve) => finish.push(resolve));
            running -= 1;
            view = {
              ...view,
              state: 'active',
              user: { sub: username ?? '', username: username ?? '', name: '', role: 'user' },
            };
            for (const listener of listeners) listener(view);
            return view;
          },
          signIn: async () => ({ ok: false, error: { code: 'INTERNAL', message: 'unused' } }),
          signInWithProvider: async () => ({ ok: false, error: { code: 'INTERNAL', message: 'unused' } }),
          cancelSignIn: () => ({ cancelled: false }),
          signOut: async () => ({ revoked: false }),
          getAccessToken: async () => ({ ok: false, error: { code: 'NOT_SIGNED_IN', message: 'unused' } }),
          getView: () => view,
          onChange(listener) {
            listeners.add(listener);
            return () => listeners.delete(listener);
          },
          onResume() {},
          onOnline() {},
          applySettings: async () => {},
          dispose() {},
        };
        return session;
      },
      store: { load: () => stored, save: () => true },
    });
    const started = registry.start();
    // Let every restore that can start, start; then finish them one by one.
    for (let done = 0; done < 7; done += 1) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      finish.shift()?.();
    }
    const view = await started;
    expect(made).toHaveLength(7);
    expect(most).toBe(RESTORE_CONCURRENCY);
    expect(view).toMatchObject({ state: 'active', accountId: 'acct-5', user: { username: 'user-5' } });
    expect(registry.listAccounts().map((account) => account.state)).toEqual(Array(7).fill('active'));
  });
});

describe('createAccountRegistry() making room', () => {
  it('drops an account its server left signed out for a new one once that is granted, signing it out (its kept token revoked and deleted)', async () => {
    const settings = { ...defaultSettings(), maxAccounts: 1 };
    const signedOut: string[] = [];
    const registry = createAccountRegistry({
      settings: () => settings,
      vaultFor: (username) => ({ ...sharedVault(memoryVault()), user: () => username }),
      makeSession: (_settings, vault) => {
        // Restored, the stored account reads as ended but keeps its token (refreshMisconfigured).
        let view: SessionView = signedOutView();
        const session: Session = {
          retryRestore: async () => view,
          async start() {
            view = signedOutView({
              reason: 'refreshMisconfigured',
              keychain: { available: true, persisted: true },
            });
            return view;
          },
          async signIn(username) {
            view = { ...view, state: 'active', user: { sub: username, username, name: '', role: 'user' } };
            return { ok: true, value: view };
          },
          signInWithProvider: async () => ({ ok: false, error: { code: 'INTERNAL', message: 'unused' } }),
          cancelSignIn: () => ({ cancelled: false }),
          async signOut() {
            signedOut.push(vault.user() ?? '');
            return { revoked: true };
          },
          getAccessToken: async () => ({ ok: false, error: { code: 'NOT_SIGNED_IN', message: 'unused' } }),
          getView: () => view,
          onChange: () => () => {},
          onResume() {},
          onOnline() {},
          applySettings: async () => {},
          dispose() {},
        };
        return session;
      },
      store: {
        load: () => ({
          active: 'acct-kept',
          accounts: [{ id: 'acct-kept', username: 'kim', connection: connectionOf(settings) }],
        }),
        save: () => true,
      },
    });
    expect(await registry.start()).toMatchObject({ state: 'signedOut', reason: 'refreshMisconfigured' });
    expect(await registry.signIn('lee', 'pw')).toMatchObject({ ok: true, value: { state: 'active' } });
    expect(registry.listAccounts().map((account) => account.username)).toEqual(['lee']);
    expect(signedOut).toEqual(['kim']);
  });
});
