import type { Result } from '../../../common/errors';
import type { KeychainVault, Vault } from '../vault';

/** One account's view of the keychain, plus the user it learned (from a load or a save). */
export interface AccountVault extends Vault {
  user(): string | null;
}

/**
 * The vault one account's session uses: only that user's entry (`v2|<scope>|<user>`), so several users
 * of one API keep their own refresh tokens. Without a user yet (a sign-in in progress, or the first
 * start after an update), `load` reads the API's last signed-in user, as earlier releases stored it.
 */
export function accountVault(keychain: KeychainVault, username: string | null): AccountVault {
  let user = username;
  return {
    user: () => user,
    async load(scope) {
      if (user === null) {
        const stored = await keychain.load(scope);
        if (stored.ok && stored.value) user = stored.value.username;
        return stored;
      }
      return keychain.loadUser(scope, user);
    },
    save(scope, name, refreshToken, guard) {
      user = name;
      return keychain.saveUser(scope, name, refreshToken, guard);
    },
    remove(scope, name, onlyIfToken): Promise<Result<void>> {
      const who = name ?? user;
      if (who === null) return Promise.resolve({ ok: true, value: undefined });
      return keychain.removeUser(scope, who, onlyIfToken);
    },
    noteRenewal: (scope, name) => keychain.noteRenewal?.(scope, name) ?? (() => {}),
    lateAnswer: () => keychain.lateAnswer(),
  };
}

/** For a vault that replaces the keychain entirely (tests): every account shares it as it is. */
export function sharedVault(vault: Vault): AccountVault {
  let user: string | null = null;
  return {
    user: () => user,
    async load(scope) {
      const stored = await vault.load(scope);
      if (stored.ok && stored.value) user = stored.value.username;
      return stored;
    },
    save(scope, name, refreshToken, guard) {
      user = name;
      return vault.save(scope, name, refreshToken, guard);
    },
    remove: (scope, name, onlyIfToken) => vault.remove(scope, name, onlyIfToken),
    noteRenewal: (scope, name) => vault.noteRenewal?.(scope, name) ?? (() => {}),
    lateAnswer: () => vault.lateAnswer?.() ?? null,
  };
}
