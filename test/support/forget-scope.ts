import keytar from 'keytar';
import { lastUserAccount, tokenAccount } from '../../main/core/vault';

const VANISHED_ITEM =
  /No such (interface|object)|Object does not exist at path “?\/org\/freedesktop\/secrets\/collection\/[^/]+\/\d+/;

/**
 * Deletes one keychain entry. An item that vanishes between the Secret Service's lookup and its delete
 * (the app's own background cleanup deleting it at the same moment) answers "No such interface … on
 * object", or "Object does not exist at path “…/collection/login/15”" (the item's path, seen on Node 24),
 * from gnome-keyring: it is gone, which is what was asked. A missing collection is still an error.
 */
async function forget(service: string, account: string): Promise<void> {
  try {
    await keytar.deletePassword(service, account);
  } catch (error) {
    if (!VANISHED_ITEM.test(String(error))) throw error;
  }
}

/** Deletes the refresh tokens of `accounts` under `scope` in the keychain `service`, and its last user. */
export async function forgetScope(
  service: string,
  scope: string,
  accounts: readonly string[],
): Promise<void> {
  for (const account of accounts) await forget(service, tokenAccount(scope, account));
  await forget(service, lastUserAccount(scope));
}
