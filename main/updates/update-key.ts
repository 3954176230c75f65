/**
 * The Ed25519 public keys this build trusts for Linux updates (AppImage): an update is installed only when
 * its signed statement (`<file>.sig` next to it on the update server: its version, name and SHA-512) is
 * signed with one of them.
 * Empty, as in the source repository: Linux copies only tell the person that a new version exists.
 *
 * Each entry is the base64 SPKI key (one line, `MCowBQYDK2VwAyEA…`) or the PEM that
 * `node scripts/sign-update.mjs --generate-key <dir>` prints. Two entries during a key change: ship a
 * version that trusts the old and the new key, then sign with the new one. Public keys only: the private
 * key stays with whoever signs releases (docs/it-guide.md, section 5).
 */
export const UPDATE_PUBLIC_KEYS: readonly string[] = [];
