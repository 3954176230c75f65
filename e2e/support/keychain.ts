import keytar from 'keytar';
import { apiScope, lastUserAccount, tokenAccount } from '../../main/core/vault';

/** The OS keychain entries of one test (a service name of its own), readable by the test. */
export interface TestKeychain {
  /** Keychain service the app under test uses (`Tessera-e2e-<worker>-<n>`). */
  readonly service: string;
  /** The refresh token the app stored for `username` (default: the API's last signed-in user), or null. */
  refreshToken(apiBaseUrl: string, username?: string): Promise<string | null>;
  /** Deletes every entry of the service. */
  clear(): Promise<void>;
}

let counter = 0;

/** A fresh keychain namespace; entries live in the real Secret Service (see scripts/with-keyring.mjs). */
export function createTestKeychain(workerIndex: number): TestKeychain {
  counter += 1;
  const service = `Tessera-e2e-${workerIndex}-${process.pid}-${counter}`;
  return {
    service,
    async refreshToken(apiBaseUrl, username) {
      const scope = apiScope(apiBaseUrl);
      const who = username ?? (await keytar.getPassword(service, lastUserAccount(scope)));
      return who ? keytar.getPassword(service, tokenAccount(scope, who)) : null;
    },
    async clear() {
      // findCredentials crashes the process (keytar hands libsecret's missing secret to strdup) on a
      // locked collection, or when an entry it found is deleted before its secret is read — by this
      // process or another (reproduced with a probe entry written and deleted beside it). Neither
      // happens here: with-keyring.mjs runs us against an unlocked collection, the app has closed
      // (its host waits for the keychain calls already asked for), and the deletes run one at a time.
      const entries = await keytar.findCredentials(service);
      for (const entry of entries) await keytar.deletePassword(service, entry.account);
    },
  };
}
