// The test keychain with its saves held back, so a session test can look at what the session does
// while a refresh token is being written (the real Secret Service under with-keyring; only the timing
// of `save` is changed).
import { createVault, type Vault } from '../../main/core/vault';
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

/** Holds every save after the first `after` (default 0: every save) until `release()`. */
export function heldSaves({ after = 0 }: { after?: number } = {}): HeldSaves {
  const real = createVault({ service: TEST_SERVICE });
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let held: () => void = () => {};
  const saving = new Promise<void>((resolve) => {
    held = resolve;
  });
  let saves = 0;
  const vault: Vault = {
    load: real.load,
    remove: real.remove,
    save: async (...args) => {
      saves += 1;
      if (saves > after) {
        held();
        await gate;
      }
      return real.save(...args);
    },
  };
  return { vault, saving, release, settled: () => real.settled() };
}
