/**
 * The Ed25519 public keys this build trusts for updates: an AppImage update — and, in a code-signed
 * Windows build, an installer — is installed only when its signed statement (`<file>.sig` next to it on
 * the update server: its version, name and SHA-512) is signed with one of them. If none of the keys
 * listed can be read, the build only notifies.
 * Empty, as in the source repository: Linux copies only tell the person that a new version exists;
 * code-signed Windows copies check the installer's publisher only.
 *
 * Each entry is the base64 SPKI key (one line, `MCowBQYDK2VwAyEA…`) or the PEM that
 * `node scripts/sign-update.mjs --generate-key <dir>` prints. Two entries during a key change: ship a
 * version that trusts the old and the new key, then sign with the new one. Public keys only: the private
 * key stays with whoever signs releases (docs/it-guide.md, section 5).
 */
export const UPDATE_PUBLIC_KEYS: readonly string[] = [];
