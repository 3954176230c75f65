import keytar from 'keytar';
import { lastUserAccount, tokenAccount } from '../../main/core/vault';

/** Deletes the refresh tokens of `accounts` under `scope` in the keychain `service`, and its last user. */
export async function forgetScope(
  service: string,
  scope: string,
  accounts: readonly string[],
): Promise<void> {
  for (const account of accounts) await keytar.deletePassword(service, tokenAccount(scope, account));
  await keytar.deletePassword(service, lastUserAccount(scope));
}
