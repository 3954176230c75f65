// Types for release-config.mjs (a plain .mjs so `node scripts/check-release-config.mjs` needs no build step).
import type { Configuration } from 'electron-builder';

export declare const RELEASE_CONFIG_FILE: 'electron-builder.yml';
export declare const E2E_CONFIG_FILE: 'electron-builder.e2e.yml';

export type FuseName =
  | 'runAsNode'
  | 'enableNodeOptionsEnvironmentVariable'
  | 'enableNodeCliInspectArguments'
  | 'enableCookieEncryption'
  | 'onlyLoadAppFromAsar'
  | 'enableEmbeddedAsarIntegrityValidation'
  | 'grantFileProtocolExtraPrivileges';

export declare const RELEASE_FUSES: Readonly<Record<FuseName, boolean>>;
export declare const E2E_FUSES: Readonly<Record<FuseName, boolean>>;

/** Loads `file` with electron-builder's own loader (`extends` merged) and validates it against its schema. */
export declare function loadBuilderConfig(projectDir: string, file: string): Promise<Configuration>;
export declare const RELEASE_SUMS_COMMAND: 'tsx scripts/release-sums.ts write --dist dist';
export declare const ARCH_MACRO: string;
export declare const MSI_PROJECT_HOOK: './scripts/msi-project.mjs';
export declare function findInstallerProblems(release: Configuration): string[];
export declare function findReleaseProblems(release: Configuration): string[];
export declare function findE2eProblems(
  e2e: Configuration,
  release: Configuration,
  projectDir?: string,
): string[];
export declare function findScriptProblems(scripts: Record<string, string> | undefined): string[];
export declare function findReleaseConfigProblems(input: {
  release: Configuration;
  e2e: Configuration;
  scripts: Record<string, string> | undefined;
  projectDir?: string;
}): string[];
