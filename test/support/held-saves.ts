// The test keychain with its saves held back, so a session test can look at what the session does
// while a refresh token is being written (the real Secret Service under with-keyring). A held save
// waits inside the vault, at its keychain write, as a slow write of the Secret Service does: keychain
// calls asked for after it wait behind it, in the vault's own order.
import keytar from 'keytar';
import { createVault, type KeytarLike, type Vault } from '../../main/core/vault';
import { TEST_SERVICE } from './fixtures';

export interface HeldSaves {
  /** The vault to hand the session. */
  vault: Vault;
  /** Resolves when a save is being held. */
  saving: Promise<void>;
  /** Lets every held save (and every later one) through. */
  release(): void;
  /** Resolves once every keychain call asked for so far has finished. */
  settled(): Promise<void>;
}

/**
 * Holds every save after the first `after` (default 0: every save) until `release()` — for less than
 * the vault's keychain timeout (5 s), past which the save would count as failed.
 */
export function heldSaves({ after = 0 }: { after?: number } = {}): HeldSaves {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held: () => void = () => {};
  const saving = new Promise<void>((resolve) => {
    held = resolve;
  });
  /** The refresh tokens whose keychain write is held (each token is written once). */
  const holding = new Set<string>();
  const holdingKeytar: KeytarLike = {
    getPassword: (service, account) => keytar.getPassword(service, account),
    deletePassword: (service, account) => keytar.deletePassword(service, account),
    setPassword: async (service, account, password) => {
      if (holding.has(password)) {
        held();
        await gate;
      }
      return keytar.setPassword(service, account, password);
    },
  };
  const real = createVault({ service: TEST_SERVICE, loadKeytar: async () => holdingKeytar });
  let saves = 0;
  const vault: Vault = {
    load: real.load,
    remove: real.remove,
    save: (scope, username, refreshToken) => {
      saves += 1;
      if (saves > after) holding.add(refreshToken);
      return real.save(scope, username, refreshToken);
    },
  };
  return { vault, saving, release, settled: () => real.settled() };
}
