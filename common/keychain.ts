/**
 * Why the keychain is unavailable, as stable kinds. Main writes the reason as `<prefix>: <raw OS
 * error>` (English, for the log and support); the renderer shows its own sentence for the kind and
 * keeps the raw text for "Details", so no OS text lands inside a translated sentence.
 */
export const KEYCHAIN_REASONS = {
  missing: 'No Secret Service (keyring daemon) is running',
  locked: 'The keychain is locked',
  noCollection: 'The keychain has no usable default collection',
  module: 'The keychain module could not be loaded',
  refused: 'The keychain refused the request',
  /** No answer within the keychain timeout: a prompt behind another window, a hung or busy daemon. */
  noAnswer: 'The keychain did not answer',
  /** Not the keychain's doing: the account list that would name the entry could not be written. */
  accountList: 'The account list could not be saved',
} as const;

/** A kind of keychain failure. */
export type KeychainReasonKind = keyof typeof KEYCHAIN_REASONS;

/** The kind a reason was written as; anything else (another OS's words) counts as refused. */
export function keychainReasonKind(reason: string): KeychainReasonKind {
  for (const [kind, prefix] of Object.entries(KEYCHAIN_REASONS)) {
    if (reason.startsWith(prefix)) return kind as KeychainReasonKind;
  }
  return 'refused';
}
