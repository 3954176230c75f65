import type { InstallInfo } from './update-policy';

/**
 * What electron-updater would install for this copy: the NSIS installer (every Windows install), the
 * macOS zip (through Squirrel.Mac), or a Linux package. `none`: nothing it can install (unpacked copy).
 */
export type UpdateTarget = 'nsis' | 'mac-zip' | 'appimage' | 'deb' | 'rpm' | 'none';

export interface InstallTrustInput {
  platform: string;
  target: UpdateTarget;
  /**
   * Windows: the app's `app-update.yml` names the publisher, so electron-updater checks the installer's
   * Authenticode signature against it before accepting the download (without it there is no check).
   * macOS: the running app carries a real (not ad-hoc) code signature, which Squirrel.Mac requires the
   * update to match.
   */
  signedBuild: boolean;
  /**
   * An Ed25519 public key is built into the app (update-key.ts): Linux updates can be verified, and a
   * signed Windows build checks each installer's signed statement as well as its publisher.
   */
  publicKey: boolean;
  /**
   * Keys were built in but none could be read (update-signature.ts `loadUpdateKeys`): the build meant to
   * check statements and cannot, so it only notifies rather than install with less checking than meant.
   */
  keyUnreadable?: boolean;
  /**
   * Whether the downloaded file's signed statement (`<file>.sig`: its version, name and SHA-512, signed
   * with a built-in key; update-signature.ts `checkUpdateStatement`) vouches for it; undefined before the download.
   */
  signatureValid?: boolean;
}

export type InstallVerifier =
  | 'windows-publisher'
  | 'windows-publisher+ed25519'
  | 'macos-code-signature'
  | 'ed25519';

export type InstallDecision =
  /** Download, and install on quit: `verifiedBy` has checked (or checks) the update. */
  | { action: 'install'; verifiedBy: InstallVerifier }
  /** Download, then check its signed statement before anything may install it (`verifiedBy` then). */
  | { action: 'verify-download'; verifiedBy: InstallVerifier }
  /** Never download or install: tell the person a new version exists. */
  | { action: 'notify'; reason: string };

function notify(reason: string): InstallDecision {
  return { action: 'notify', reason };
}

/**
 * Whether an update may be installed without a person: only when something other than the feed vouches
 * for it. The feed's own sha512 does not count (whoever controls the feed writes it). Windows: a signed
 * build (electron-updater checks the publisher) — and, when a key is built in, the installer's signed
 * statement too, so the feed cannot pass off an older signed installer as newer; macOS: a signed app
 * (Squirrel.Mac checks the update's signature); Linux: a statement of the update's version, name and
 * SHA-512, signed with the key built into the app. Everything else only notifies.
 */
export function decideInstall(input: InstallTrustInput): InstallDecision {
  const { platform, target, signedBuild, publicKey, signatureValid } = input;
  if (input.keyUnreadable === true && !publicKey) {
    return notify('the update key built into this build cannot be read');
  }
  if (platform === 'win32') {
    if (target !== 'nsis') return notify(`no verified update path for a ${target} install on Windows`);
    if (!signedBuild) {
      return notify('this Windows build is unsigned (no publisherName): its updates would install unchecked');
    }
    if (!publicKey) return { action: 'install', verifiedBy: 'windows-publisher' };
    return statementChecked(signatureValid, 'windows-publisher+ed25519');
  }
  if (platform === 'darwin') {
    if (target !== 'mac-zip') return notify(`no verified update path for a ${target} install on macOS`);
    return signedBuild
      ? { action: 'install', verifiedBy: 'macos-code-signature' }
      : notify('this macOS build has no Developer ID signature: macOS cannot check its updates');
  }
  if (platform === 'linux') {
    if (target !== 'appimage' && target !== 'deb' && target !== 'rpm') {
      return notify('this Linux copy is not an AppImage or a package');
    }
    if (!publicKey) return notify('no update signing key is built into this build');
    return statementChecked(signatureValid, 'ed25519');
  }
  return notify(`no updater for platform ${platform}`);
}

/** Before the download, check its statement; after it, install only what the statement vouches for. */
function statementChecked(signatureValid: boolean | undefined, verifiedBy: InstallVerifier): InstallDecision {
  if (signatureValid === undefined) return { action: 'verify-download', verifiedBy };
  return signatureValid
    ? { action: 'install', verifiedBy }
    : notify('the update is not signed with the key built into this build');
}

/** The target electron-updater would use for this install (`packageType`: `<resources>/package-type`). */
export function updateTarget(install: InstallInfo, packageType?: string | null): UpdateTarget {
  if (install.portable) return 'none';
  if (install.platform === 'win32') return 'nsis';
  if (install.platform === 'darwin') return 'mac-zip';
  if (install.platform === 'linux') {
    if (install.appImage) return 'appimage';
    const type = packageType?.trim();
    if (type === 'deb' || type === 'rpm') return type;
  }
  return 'none';
}

const EMPTY_YAML_VALUES = new Set(['', 'null', '~', '[]', "''", '""']);

/**
 * Whether an `app-update.yml` (electron-builder writes it into the app's resources) names a
 * `publisherName`, the value NsisUpdater verifies the installer's signature against. electron-builder 26
 * writes it from `win.signtoolOptions.publisherName` / `win.azureSignOptions.publisherName`, or from the
 * signing certificate's CN, unless `win.verifyUpdateCodeSignature` is false; an unsigned build has none.
 */
export function hasPublisherName(appUpdateYml: string): boolean {
  const lines = appUpdateYml.split(/\r?\n/);
  const at = lines.findIndex((line) => /^publisherName\s*:/.test(line));
  if (at === -1) return false;
  const inline = (lines[at] ?? '').replace(/^publisherName\s*:/, '').trim();
  if (inline !== '') return !EMPTY_YAML_VALUES.has(inline);
  // A block list: `  - CN` lines until the next top-level key.
  for (const line of lines.slice(at + 1)) {
    if (/^\S/.test(line)) break;
    const item = /^\s*-\s*(.*)$/.exec(line)?.[1]?.trim();
    if (item !== undefined && !EMPTY_YAML_VALUES.has(item)) return true;
  }
  return false;
}

/**
 * Whether `codesign -dv --verbose=2 <app>` output (it writes to stderr) shows a real signature: an
 * Authority chain and a team, not the ad-hoc signature unsigned builds get.
 */
export function isDeveloperSigned(codesignDisplay: string): boolean {
  if (/^Signature=adhoc\s*$/m.test(codesignDisplay)) return false;
  const team = /^TeamIdentifier=(.*)$/m.exec(codesignDisplay)?.[1]?.trim();
  if (team === undefined || team === '' || team === 'not set') return false;
  return /^Authority=\S/m.test(codesignDisplay);
}
