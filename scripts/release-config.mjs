// Loads the electron-builder configs the way electron-builder does and finds the mistakes that would
// ship a test build as a release (or publish a test build). Used by check-release-config.mjs and tests.
import { createRequire } from 'node:module';
import { isAbsolute, relative, resolve } from 'node:path';

const require = createRequire(import.meta.url);

export const RELEASE_CONFIG_FILE = 'electron-builder.yml';
export const E2E_CONFIG_FILE = 'electron-builder.e2e.yml';

/** Fuse values every release build must have (electron-builder `electronFuses` keys). */
export const RELEASE_FUSES = Object.freeze({
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableCookieEncryption: true,
  onlyLoadAppFromAsar: true,
  enableEmbeddedAsarIntegrityValidation: true,
  grantFileProtocolExtraPrivileges: false,
});

/** The e2e build differs in one fuse only: Playwright's `_electron.launch` attaches through --inspect. */
export const E2E_FUSES = Object.freeze({ ...RELEASE_FUSES, enableNodeCliInspectArguments: true });

// Every place electron-builder accepts a `publish` option besides the root.
const PUBLISH_SCOPES = [
  'mac',
  'mas',
  'dmg',
  'pkg',
  'win',
  'nsis',
  'nsisWeb',
  'portable',
  'appx',
  'msi',
  'msiWrapped',
  'squirrelWindows',
  'linux',
  'appImage',
  'deb',
  'rpm',
  'snap',
  'flatpak',
  'pacman',
];

/**
 * Reads `file` (relative to `projectDir`) with electron-builder's own loader — so `extends` is merged
 * exactly as in a real build — and validates the result against electron-builder's schema (throws).
 */
export async function loadBuilderConfig(projectDir, file) {
  const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config');
  const { DebugLogger } = require('builder-util');
  const config = await getConfig(projectDir, file, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
}

function fuseProblems(label, fuses, expected) {
  const actual = fuses ?? {};
  return Object.entries(expected)
    .filter(([name, value]) => actual[name] !== value)
    .map(
      ([name, value]) => `${label}: electronFuses.${name} must be ${value} (is ${actual[name] ?? 'unset'})`,
    );
}

function publishTargets(config) {
  const found = [];
  if (config.publish != null) found.push('publish');
  for (const scope of PUBLISH_SCOPES) {
    if (config[scope] != null && typeof config[scope] === 'object' && config[scope].publish != null) {
      found.push(`${scope}.publish`);
    }
  }
  return found;
}

function asList(value) {
  if (value == null) return [];
  return Array.isArray(value) ? value : [value];
}

function isSameOrNested(a, b) {
  const rel = relative(a, b);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function targetArchs(platform, name) {
  return asList(platform?.target)
    .map((entry) => (typeof entry === 'string' ? { target: entry } : entry))
    .filter((entry) => entry?.target === name)
    .flatMap((entry) => asList(entry.arch));
}

// electron-builder's artifact-name macro for the architecture (a literal, not a template string).
// biome-ignore lint/suspicious/noTemplateCurlyInString: electron-builder expands it, not JavaScript
export const ARCH_MACRO = '${arch}';

/** The hook that adds TESSERA_API_URL and TESSERA_NO_DESKTOP_SHORTCUT to the MSI (scripts/msi-project.mjs). */
export const MSI_PROJECT_HOOK = './scripts/msi-project.mjs';

/**
 * What deployment tools rely on (docs/it-guide.md): Windows x64 and arm64 installers, a per-machine MSI
 * with the hook that adds its properties, the upgrade and uninstall identities electron-builder derives
 * from appId (never overridden), and one universal, non-relocatable macOS pkg.
 */
export function findInstallerProblems(release) {
  const problems = [];
  for (const target of ['nsis', 'msi']) {
    const archs = targetArchs(release.win, target);
    for (const arch of ['x64', 'arm64'])
      if (!archs.includes(arch)) problems.push(`release: win target ${target} must build ${arch}`);
  }
  if (release.msi?.perMachine !== true) problems.push('release: msi.perMachine must be true');
  if (!String(release.msi?.artifactName ?? '').includes(ARCH_MACRO)) {
    problems.push(`release: msi.artifactName must contain ${ARCH_MACRO} (one MSI per architecture)`);
  }
  if (release.msi?.createDesktopShortcut === false) {
    problems.push(
      'release: msi.createDesktopShortcut must stay on (TESSERA_NO_DESKTOP_SHORTCUT turns it off)',
    );
  }
  if (release.msiProjectCreated !== MSI_PROJECT_HOOK) {
    problems.push(`release: msiProjectCreated must be ${MSI_PROJECT_HOOK}`);
  }
  if (release.msi?.upgradeCode != null) {
    problems.push(
      'release: msi.upgradeCode must stay unset (derived from appId; installs in the field use it)',
    );
  }
  if (release.nsis?.guid != null) {
    problems.push('release: nsis.guid must stay unset (the uninstall key is derived from appId)');
  }
  if (!targetArchs(release.mac, 'pkg').includes('universal')) {
    problems.push('release: mac target pkg must build universal');
  }
  if (release.pkg?.isRelocatable !== false) problems.push('release: pkg.isRelocatable must be false');
  if ((release.pkg?.installLocation ?? '/Applications') !== '/Applications') {
    problems.push('release: pkg.installLocation must be /Applications');
  }
  return problems;
}

/** What is wrong with the release config on its own. */
export function findReleaseProblems(release) {
  const problems = fuseProblems('release', release.electronFuses, RELEASE_FUSES);
  if (release.appId !== 'dev.tessera.desktop') problems.push('release: appId must be dev.tessera.desktop');
  if (release.productName !== 'Tessera') problems.push('release: productName must be Tessera');
  if (release.extends != null) problems.push('release: must not extend another config (it is the base)');
  const shippedName = release.extraMetadata?.productName;
  if (shippedName !== undefined && shippedName !== release.productName) {
    problems.push('release: extraMetadata.productName must not rename the app');
  }
  if (release.asar === false) problems.push('release: asar must stay on (fuses and integrity rely on it)');
  if (release.directories?.output !== 'dist') problems.push('release: directories.output must be dist');
  problems.push(...findInstallerProblems(release));
  for (const entry of asList(release.publish)) {
    const url = typeof entry === 'object' && entry !== null ? entry.url : undefined;
    if (url !== undefined && !String(url).startsWith('https://')) {
      problems.push(`release: publish url must be https (${url})`);
    }
    // electron-builder names the update metadata after the version's channel only when none is set.
    const channel = typeof entry === 'object' && entry !== null ? entry.channel : undefined;
    if (channel != null) {
      problems.push(
        `release: publish must not set channel (${channel}): every build, pre-releases too, would write ${channel}*.yml`,
      );
    }
  }
  return problems;
}

/** What is wrong with the e2e config, alone and next to the release config. */
export function findE2eProblems(e2e, release, projectDir = '.') {
  const problems = fuseProblems('e2e', e2e.electronFuses, E2E_FUSES);
  for (const where of publishTargets(e2e)) problems.push(`e2e: must not publish (${where} is set)`);
  if (!e2e.appId || e2e.appId === release.appId)
    problems.push('e2e: appId must differ from the release appId');
  if (!/\be2e\b/i.test(e2e.appId ?? '')) problems.push('e2e: appId must say e2e');
  if (!/\bE2E\b/.test(e2e.productName ?? '')) problems.push('e2e: productName must say E2E');
  if (e2e.extraMetadata?.productName !== e2e.productName) {
    problems.push('e2e: extraMetadata.productName must equal productName (separate userData)');
  }
  const e2eOut = resolve(projectDir, e2e.directories?.output ?? 'dist');
  const releaseOut = resolve(projectDir, release.directories?.output ?? 'dist');
  if (isSameOrNested(releaseOut, e2eOut) || isSameOrNested(e2eOut, releaseOut)) {
    problems.push('e2e: directories.output must be separate from the release output (not equal or nested)');
  }
  return problems;
}

// The electron-builder command, not a mention of electron-builder.yml / electron-builder.e2e.yml.
const BUILDER_COMMAND = /\belectron-builder\b(?![.\w-]*\.ya?ml)/;

// Command-line overrides (`-c.x=…`) of what this check guards would bypass it.
const CHECKED_OVERRIDE =
  /(^|\s)(-c|--config)\.(electronFuses|publish|appId|productName|directories|extends|extraMetadata|asar)\b\S*/;

/** Writes dist/SHA256SUMS (and SHA256SUMS.sig) after a release build. */
export const RELEASE_SUMS_COMMAND = 'tsx scripts/release-sums.ts write --dist dist';

/** Which config each packaging npm script must build. */
const DIST_SCRIPTS = {
  dist: 'release',
  'dist:linux': 'release',
  'dist:win': 'release',
  'dist:mac': 'release',
  'dist:e2e': 'e2e',
};

function distScriptProblems(name, script, kind) {
  const file = kind === 'e2e' ? E2E_CONFIG_FILE : RELEASE_CONFIG_FILE;
  const other = kind === 'e2e' ? RELEASE_CONFIG_FILE : E2E_CONFIG_FILE;
  const builderAt = script.search(BUILDER_COMMAND);
  if (builderAt === -1) return [`npm script ${name} must run electron-builder`];
  const problems = [];
  if (!script.includes(`--config ${file}`)) problems.push(`npm script ${name} must pass --config ${file}`);
  if (script.includes(other)) problems.push(`npm script ${name} must not use ${other}`);
  if (!script.includes('--publish never')) problems.push(`npm script ${name} must pass --publish never`);
  const override = CHECKED_OVERRIDE.exec(script)?.[0];
  if (override)
    problems.push(
      `npm script ${name} must not override checked settings on the command line (${override.trim()})`,
    );
  const checkAt = script.indexOf('check-release-config.mjs');
  if (checkAt === -1 || checkAt > builderAt) {
    problems.push(`npm script ${name} must run scripts/check-release-config.mjs before electron-builder`);
  }
  const verifyAt = script.indexOf('verify-fuses.mjs');
  const verify = verifyAt === -1 ? undefined : /^verify-fuses\.mjs[^&|;]*/.exec(script.slice(verifyAt))?.[0];
  if (verify === undefined || verifyAt < builderAt) {
    problems.push(`npm script ${name} must run scripts/verify-fuses.mjs after electron-builder`);
  } else if (/\s--e2e(\s|$)/.test(verify) !== (kind === 'e2e')) {
    problems.push(
      `npm script ${name} must run verify-fuses.mjs ${kind === 'e2e' ? 'with' : 'without'} --e2e`,
    );
  }
  // A release ends with the checksum list and its signature over what was built (docs/it-guide.md).
  const sumsAt = script.indexOf(RELEASE_SUMS_COMMAND);
  if (kind === 'release' && (sumsAt === -1 || sumsAt < verifyAt)) {
    problems.push(`npm script ${name} must run ${RELEASE_SUMS_COMMAND} after verify-fuses.mjs`);
  }
  if (kind === 'e2e' && script.includes('release-sums.ts')) {
    problems.push(`npm script ${name} must not write release checksums for the test build`);
  }
  return problems;
}

/** Checks that each `dist*` npm script builds the config its name promises, checked and never published. */
export function findScriptProblems(scripts) {
  const problems = [];
  for (const [name, kind] of Object.entries(DIST_SCRIPTS)) {
    const script = scripts?.[name];
    if (typeof script === 'string') problems.push(...distScriptProblems(name, script, kind));
    else problems.push(`npm script ${name} is missing`);
  }
  for (const [name, script] of Object.entries(scripts ?? {})) {
    if (typeof script !== 'string' || !script.includes(E2E_CONFIG_FILE)) continue;
    if (/--publish[= ](always|onTag|onTagOrDraft)\b/.test(script))
      problems.push(`npm script ${name} publishes the e2e build`);
  }
  return problems;
}

/** All problems across both configs and the npm scripts; empty means the release cannot be confused. */
export function findReleaseConfigProblems({ release, e2e, scripts, projectDir = '.' }) {
  return [
    ...findReleaseProblems(release),
    ...findE2eProblems(e2e, release, projectDir),
    ...findScriptProblems(scripts),
  ];
}
