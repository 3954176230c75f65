import type { Vault } from '../../main/core/vault';

/**
 * An in-memory keychain (a stand-in: the real vault has its own suites against gnome-keyring). It lets
 * a test see every refresh token the server issued, so answers, logs or files can be searched for it.
 */
export function memoryVault(): Vault & {
  tokens: string[];
  entries: Map<string, { username: string; refreshToken: string }>;
} {
  const entries = new Map<string, { username: string; refreshToken: string }>();
  const tokens: string[] = [];
  return {
    tokens,
    entries,
    async load(scope) {
      return { ok: true, value: entries.get(scope) ?? null };
    },
    async save(scope, username, refreshToken) {
      tokens.push(refreshToken);
      entries.set(scope, { username, refreshToken });
      return { ok: true, value: undefined };
    },
    async remove(scope) {
      entries.delete(scope);
      return { ok: true, value: undefined };
    },
  };
}
