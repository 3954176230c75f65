import { posix, win32 } from 'node:path';
import type { InstallInfo } from './update-policy';

/** What the shell can observe about the running copy; everything else is decided here. */
export interface InstallFacts {
  platform: string;
  /** `process.execPath`. */
  execPath: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Contents of `<resources>/package-type` (`deb`, `rpm`), written by electron-builder for system packages. */
  packageType?: string | null;
  /** Whether the current user may write `updateTargetDir(...)`. */
  targetDirWritable: boolean;
  /**
   * Windows: whether NSIS's `Uninstall Tessera.exe` sits next to the executable. electron-updater updates
   * by running the NSIS installer, which can only replace a copy NSIS installed: the MSI (in any folder)
   * and an unpacked copy have none. Unset counts as absent.
   */
  nsisUninstaller?: boolean;
}

/**
 * The folder an in-place update has to write: the AppImage's folder, the folder holding the macOS
 * `.app` bundle, or the install folder elsewhere. The shell checks its writability for `InstallFacts`.
 */
export function updateTargetDir(
  platform: string,
  execPath: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (platform === 'win32') return win32.dirname(execPath);
  if (platform === 'linux' && env.APPIMAGE) return posix.dirname(env.APPIMAGE);
  if (platform === 'darwin') {
    const bundle = /^(.*?\.app)(\/|$)/.exec(execPath)?.[1];
    if (bundle !== undefined) return posix.dirname(bundle);
  }
  return posix.dirname(execPath);
}

/** The Program Files folders of this machine (64- and 32-bit), from the environment or their defaults. */
function programFilesDirs(env: Readonly<Record<string, string | undefined>>): string[] {
  const dirs = [env.ProgramFiles, env.ProgramW6432, env['ProgramFiles(x86)'], env.PROGRAMFILES];
  const found = dirs.filter((dir): dir is string => typeof dir === 'string' && dir !== '');
  return found.length > 0 ? found : ['C:\\Program Files', 'C:\\Program Files (x86)'];
}

function isInside(dir: string, file: string): boolean {
  const rel = win32.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !win32.isAbsolute(rel);
}

/**
 * Per-machine or per-user, from where the app runs:
 * - Windows: under Program Files → per-machine (NSIS `/allusers`, the MSI); a portable exe is portable;
 *   without NSIS's uninstaller (the MSI wherever APPLICATIONFOLDER put it) per-machine; elsewhere (NSIS
 *   per-user: `%LOCALAPPDATA%\Programs\Tessera`) per-user unless the folder is read-only.
 * - Linux: an AppImage is per-user; a deb/rpm (`package-type`) is per-machine; anything else is an
 *   unpacked copy (portable).
 * - macOS: a bundle in a folder the user cannot write (deployed by MDM as root) is per-machine.
 * When in doubt the answer is per-machine: that only turns silent updates into a notification.
 */
export function detectInstall(facts: InstallFacts): InstallInfo {
  const { platform, execPath, env, targetDirWritable } = facts;
  if (platform === 'win32') {
    if (env.PORTABLE_EXECUTABLE_DIR) return { platform, perMachine: false, portable: true };
    const underProgramFiles = programFilesDirs(env).some((dir) => isInside(dir, execPath));
    const nsisInstalled = facts.nsisUninstaller === true;
    return { platform, perMachine: underProgramFiles || !targetDirWritable || !nsisInstalled };
  }
  if (platform === 'linux') {
    if (env.APPIMAGE) return { platform, perMachine: !targetDirWritable, appImage: true };
    const packageType = facts.packageType?.trim();
    if (packageType === 'deb' || packageType === 'rpm') return { platform, perMachine: true };
    return { platform, perMachine: !targetDirWritable, portable: true };
  }
  return { platform, perMachine: !targetDirWritable };
}
