// Types for builder-internals.mjs (app-builder-lib strips these @internal functions from its typings).
import type { Configuration } from 'electron-builder';

export interface PackagedFileFilters {
  /** Would this project file (relative path) be copied into the app? */
  appFile(relPath: string, isDirectory?: boolean): boolean;
  /** Would this file of a production dependency (`node_modules/<name>/…`) be copied? */
  nodeModuleFile(relPath: string, isDirectory?: boolean): boolean;
  /** Would it be left outside app.asar (asarUnpack)? */
  asarUnpacked(relPath: string, isDirectory?: boolean): boolean;
}

export declare function silenceBuilderLog(): void;
export declare function packagedFileFilters(projectDir: string, config: Configuration): PackagedFileFilters;
export declare function productionModules(projectDir: string): Promise<Array<{ name: string; dir: string }>>;
export declare function linuxPackageDepends(config: Configuration, target: 'deb' | 'rpm'): string[];

/** The MSI UpgradeCode electron-builder gives the app of `config`. */
export declare function msiUpgradeCode(projectDir: string, config: Configuration): string;
/** The WiX project electron-builder's MSI target writes for `appOutDir`, before the msiProjectCreated hook. */
export declare function writeMsiProject(
  projectDir: string,
  config: Configuration,
  appOutDir: string,
  arch?: 'x64' | 'arm64',
): Promise<string>;
/** The msiProjectCreated hook of `config`, loaded as electron-builder loads it. */
export declare function msiProjectHook(
  projectDir: string,
  config: Configuration,
): Promise<(projectFile: string) => Promise<void>>;
/** The NSIS uninstall key name electron-builder derives from appId. */
export declare function nsisUninstallKeyName(appId: string): string;
/** Target names by architecture for one platform section, as electron-builder's target factory reads them. */
export declare function targetsByArch(
  config: Configuration,
  platform: 'win' | 'mac' | 'linux',
): Record<string, string[]>;
/**
 * The file names electron-builder gives each macOS target per architecture, named by the targets'
 * own code, with the version as `<version>`: { dmg: { x64: 'Tessera-<version>-x64.dmg' }, … }.
 */
export declare function macArtifactNames(
  projectDir: string,
  config: Configuration,
): Promise<Record<string, Record<string, string>>>;
/** The after-install and after-remove scripts electron-builder writes into a deb or rpm of `config`. */
export declare function linuxPackageScripts(
  projectDir: string,
  config: Configuration,
  target: 'deb' | 'rpm',
): Promise<{ afterInstall: string; afterRemove: string }>;
/** The update metadata file names electron-builder writes next to an AppImage of `config` built as `version`. */
export declare function linuxUpdateInfoFiles(
  projectDir: string,
  config: Configuration,
  version: string,
): Promise<string[]>;
