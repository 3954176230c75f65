// The test keychain with chosen writes held back, so a test can look at what the app does while a
// refresh token is being written (the real Secret Service under with-keyring). A held write waits
// inside the vault, at its keychain call, as a slow write of the Secret Service does: keychain calls
// asked for after it wait behind it, in the vault's own order.
import real from 'keytar';
import { createVault, type KeychainVault, type KeytarLike, type Vault } from '../../main/core/vault';
import { TEST_SERVICE } from './fixtures';

export interface HeldWrites {
  /** The real keytar, but the writes `holds` picks wait for `release()`. */
  keytar: KeytarLike;
  /** The test keychain's vault on that keytar. */
  vault: KeychainVault;
  /** Resolves when a write is being held. */
  holding: Promise<void>;
  /**
   * Lets every held write (and every later one) through; `'refuse'`: the held ones fail instead, as
   * a keychain that refused or timed out (later ones still pass).
   */
  release(outcome?: 'pass' | 'refuse'): void;
}

/**
 * Holds the keychain writes `holds(account, password)` picks (asked once per write, in order) until
 * `release()` — for less than the vault's keychain timeout (5 s), past which it counts as failed.
 */
export function heldWrites(holds: (account: string, password: string) => boolean): HeldWrites {
  let release: (outcome: 'pass' | 'refuse') => void = () => {};
  const gate = new Promise<'pass' | 'refuse'>((resolve) => {
    release = resolve;
  });
  let held: () => void = () => {};
  const holding = new Promise<void>((resolve) => {
    held = resolve;
  });
  const keytar: KeytarLike = {
    getPassword: (service, account) => real.getPassword(service, account),
    deletePassword: (service, account) => real.deletePassword(service, account),
    setPassword: async (service, account, password) => {
      if (holds(account, password)) {
        held();
        if ((await gate) === 'refuse') throw new Error('The keychain refused the write');
      }
      return real.setPassword(service, account, password);
    },
  };
  return {
    keytar,
    vault: createVault({ service: TEST_SERVICE, loadKeytar: async () => keytar }),
    holding,
    release: (outcome = 'pass') => release(outcome),
  };
}

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

/** A vault whose saves after the first `after` (default 0: every save) are held until `release()`. */
export function heldSaves({ after = 0 }: { after?: number } = {}): HeldSaves {
  /** The refresh tokens whose keychain write is held (each token is written once). */
  const holding = new Set<string>();
  const writes = heldWrites((_account, password) => holding.has(password));
  const keychain = writes.vault;
  let saves = 0;
  const vault: Vault = {
    load: keychain.load,
    remove: keychain.remove,
    save: (scope, username, refreshToken, ...rest) => {
      saves += 1;
      if (saves > after) holding.add(refreshToken);
      return keychain.save(scope, username, refreshToken, ...rest);
    },
  };
  return {
    vault,
    saving: writes.holding,
    release: () => writes.release(),
    settled: () => keychain.settled(),
  };
}
