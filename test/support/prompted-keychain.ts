import keytar from 'keytar';
import type { KeytarLike } from '../../main/core/vault';

/**
 * The test keychain (the real Secret Service), except that the first read of `account` waits until
 * the test answers for the person at a keychain password prompt, which cannot be raised here (no
 * desktop, an unlocked test collection): `answer()` lets the read through, late — a prompt answered
 * after the app's keychain timeout — and `dismiss()` fails it, as a dismissed prompt does. Every other
 * call, and every later read, goes to the keychain at once, until `promptAgain()` makes the next read
 * of `account` wait on a new prompt.
 */
export function promptedKeychain(account: string) {
  let waiting = true;
  let settle: ((answered: boolean) => void) | null = null;
  let reads = 0;
  const k: KeytarLike = {
    getPassword: (service, entry) => {
      if (entry === account) reads += 1;
      if (entry !== account || !waiting) return keytar.getPassword(service, entry);
      waiting = false;
      return new Promise((resolve, reject) => {
        settle = (answered) => {
          if (answered) keytar.getPassword(service, entry).then(resolve, reject);
          else reject(new Error('Cancelled by the user'));
        };
      });
    },
    setPassword: (service, entry, password) => keytar.setPassword(service, entry, password),
    deletePassword: (service, entry) => keytar.deletePassword(service, entry),
  };
  return {
    loadKeytar: async () => k,
    /** How many times `account` was read (the prompted read included). */
    reads: () => reads,
    /** Whether the prompted read has been asked for and waits for `answer()` or `dismiss()`. */
    prompting: () => settle !== null,
    answer: () => settle?.(true),
    dismiss: () => settle?.(false),
    promptAgain: () => {
      waiting = true;
      settle = null;
    },
  };
}
