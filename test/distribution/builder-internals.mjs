// Thin access to electron-builder's own file selection, for tests that check what a build would package
// without running a build (which needs the Electron download). These are app-builder-lib internals: the
// version is pinned, and a change there fails the tests loudly rather than silently passing.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
// app-builder-lib's modules import each other in a cycle that only resolves from its entry point.
require('app-builder-lib');
const {
  getFileMatchers,
  getMainFileMatchers,
  getNodeModuleFileMatcher,
} = require('app-builder-lib/out/fileMatcher');
const {
  NpmNodeModulesCollector,
} = require('app-builder-lib/out/node-module-collector/npmNodeModulesCollector');
const { TmpDir, setPrinter } = require('builder-util');
const { deepAssign } = require('builder-util-runtime');
const FpmTarget = require('app-builder-lib/out/targets/FpmTarget').default;
const MsiTarget = require('app-builder-lib/out/targets/MsiTarget').default;
const { AppInfo } = require('app-builder-lib/out/appInfo');
const { getEffectiveOptions } = require('app-builder-lib/out/options/CommonWindowsInstallerConfiguration');
const { resolveFunction } = require('app-builder-lib/out/util/resolve');
const { computeArchToTargetNamesMap } = require('app-builder-lib/out/targets/targetFactory');
const { Arch } = require('builder-util');

/** Stops electron-builder's "• loaded configuration" lines in test output. */
export function silenceBuilderLog() {
  setPrinter(() => {});
}

function fakeStat(relPath, isDirectory) {
  const stat = { isDirectory: () => isDirectory, isFile: () => !isDirectory, isSymbolicLink: () => false };
  // electron-builder matches dependency files by their path inside the app (node_modules/<name>/…).
  if (relPath.startsWith('node_modules/')) stat.moduleFullFilePath = relPath;
  return stat;
}

/**
 * Filters that answer, for a path relative to the project, whether electron-builder would package it
 * (`appFile` for project files, `nodeModuleFile` for files of production dependencies) and whether it
 * would be left outside app.asar (`asarUnpacked`).
 */
export function packagedFileFilters(projectDir, config) {
  const root = resolve(projectDir);
  const info = {
    projectDir: root,
    buildResourcesDir: resolve(root, config.directories?.buildResources ?? 'build'),
    isPrepackedAppAsar: false,
    config,
    debugLogger: { isEnabled: false },
  };
  const outDir = resolve(root, config.directories?.output ?? 'dist');
  const identity = (text) => text;
  const [main] = getMainFileMatchers(root, '/app', identity, {}, { info }, outDir, false);
  const nodeModules = getNodeModuleFileMatcher(root, '/app', identity, {}, info);
  const unpack = getFileMatchers(config, 'asarUnpack', '/app', {
    macroExpander: identity,
    customBuildOptions: {},
    globalOutDir: outDir,
    defaultSrc: root,
  });
  const mainFilter = main.createFilter();
  const nodeModuleFilter = nodeModules.createFilter();
  const unpackFilter = unpack?.[0]?.createFilter() ?? (() => false);
  const ask =
    (filter) =>
    (relPath, isDirectory = false) =>
      filter(join(root, relPath), fakeStat(relPath, isDirectory));
  return { appFile: ask(mainFilter), nodeModuleFile: ask(nodeModuleFilter), asarUnpacked: ask(unpackFilter) };
}

/**
 * The package dependencies electron-builder writes into a Linux package of `target` ('deb', 'rpm'):
 * the `depends` of the target's section over the `linux` section, as FpmTarget merges them, or else
 * FpmTarget's own defaults for that target.
 */
export function linuxPackageDepends(config, target) {
  const options = deepAssign({}, config.linux, config[target]);
  if (options.depends != null) return [options.depends].flat();
  return FpmTarget.prototype.getDefaultDepends(target);
}

/** The production dependency tree electron-builder would package (`npm ls`-based, no network), flattened. */
export async function productionModules(projectDir) {
  const tmp = new TmpDir('tessera-dist-test');
  try {
    const collector = new NpmNodeModulesCollector(resolve(projectDir), tmp);
    const { nodeModules } = await collector.getNodeModules({ packageName: 'tessera' });
    const flat = [];
    const walk = (modules) => {
      for (const module of modules) {
        flat.push({ name: module.name, dir: module.dir });
        if (module.dependencies) walk(module.dependencies);
      }
    };
    walk(nodeModules);
    return flat;
  } finally {
    await tmp.cleanup();
  }
}

function msiTarget(projectDir, config) {
  const metadata = JSON.parse(readFileSync(join(resolve(projectDir), 'package.json'), 'utf8'));
  const info = { metadata, config, framework: { name: 'electron' }, repositoryInfo: null };
  const appInfo = new AppInfo(info, null, config.win);
  // Only what MsiTarget reads from its packager to write the WiX project (no build, no WiX, no Wine).
  const packager = {
    config,
    appInfo,
    info,
    platformSpecificBuildOptions: config.win ?? {},
    compression: config.compression ?? 'normal',
    fileAssociations: [],
    getIconPath: async () => join(resolve(projectDir), 'build', 'icon.ico'),
    expandMacro: (text) => text,
  };
  return { target: new MsiTarget(packager, join(resolve(projectDir), 'dist')), packager };
}

/** The MSI UpgradeCode electron-builder gives the app of `config` (derived from appId unless set). */
export function msiUpgradeCode(projectDir, config) {
  return msiTarget(projectDir, config).target.upgradeCode;
}

/**
 * The WiX project electron-builder's MSI target writes for the unpacked app in `appOutDir` (before the
 * msiProjectCreated hook runs), from its own template and code.
 */
export async function writeMsiProject(projectDir, config, appOutDir, arch = 'x64') {
  const { target, packager } = msiTarget(projectDir, config);
  // As MsiTarget.build: WiX cannot target arm64, so an arm64 app is written into an x64 project.
  const wixArch = arch === 'arm64' ? Arch.x64 : Arch[arch];
  return target.writeManifest(appOutDir, wixArch, getEffectiveOptions(target.options, packager));
}

/** The msiProjectCreated hook of `config`, loaded exactly as electron-builder loads it. */
export function msiProjectHook(projectDir, config) {
  return resolveFunction(undefined, config.msiProjectCreated, 'msiProjectCreated', resolve(projectDir));
}

/** The NSIS uninstall key name electron-builder derives from appId (NsisTarget: UUID v5 in its namespace). */
export function nsisUninstallKeyName(appId) {
  const source = readFileSync(require.resolve('app-builder-lib/out/targets/nsis/NsisTarget.js'), 'utf8');
  const namespace =
    /ELECTRON_BUILDER_NS_UUID = builder_util_runtime_1\.UUID\.parse\("([0-9a-f-]{36})"\)/.exec(source)?.[1];
  if (namespace === undefined) throw new Error('NsisTarget no longer derives its GUID as expected');
  const { UUID } = require('builder-util-runtime');
  return UUID.v5(appId, UUID.parse(namespace));
}

/**
 * Which targets electron-builder builds for each architecture of one platform section of `config`
 * ('win', 'mac', 'linux'), parsed by its own target factory (an unknown architecture name throws).
 */
export function targetsByArch(config, platform) {
  const packager = { platformSpecificBuildOptions: config[platform] ?? {}, defaultTarget: [] };
  const byArch = computeArchToTargetNamesMap(new Map(), packager, platform);
  return Object.fromEntries([...byArch].map(([arch, names]) => [Arch[arch], [...names]]));
}

/**
 * The file names electron-builder gives the macOS targets of `config`, per target and architecture
 * ({ dmg: { x64: 'Tessera-<version>-x64.dmg', … }, zip: …, pkg: … }), with the version shown as
 * `<version>` as the IT guide writes it. Each target's own `build` names its file and announces it
 * before any work: the announcement is caught and the build stops there.
 */
export async function macArtifactNames(projectDir, config) {
  const { PlatformPackager } = require('app-builder-lib/out/platformPackager');
  const { Platform } = require('app-builder-lib/out/core');
  const { ArchiveTarget } = require('app-builder-lib/out/targets/ArchiveTarget');
  const { PkgTarget } = require('app-builder-lib/out/targets/pkg');
  const { DmgTarget } = require('dmg-builder/out/dmg');
  const metadata = JSON.parse(readFileSync(join(resolve(projectDir), 'package.json'), 'utf8'));
  const stop = new Error('named');
  let named = null;
  const packager = {
    config,
    platform: Platform.MAC,
    platformSpecificBuildOptions: PlatformPackager.normalizePlatformSpecificBuildOptions(config.mac),
    info: {
      emitArtifactBuildStarted: async ({ file }) => {
        named = file;
        throw stop;
      },
    },
  };
  packager.appInfo = new AppInfo({ metadata, config, framework: { name: 'electron' } }, null, config.mac);
  for (const method of [
    'expandArtifactNamePattern',
    'artifactPatternConfig',
    'computeArtifactName',
    'expandMacro',
  ])
    packager[method] = PlatformPackager.prototype[method].bind(packager);
  const outDir = join(resolve(projectDir), 'dist');
  const make = {
    dmg: () => new DmgTarget(packager, outDir),
    zip: () => new ArchiveTarget('zip', outDir, packager),
    pkg: () => new PkgTarget(packager, outDir),
  };
  const names = {};
  for (const [arch, targets] of Object.entries(targetsByArch(config, 'mac'))) {
    for (const target of targets) {
      const build = make[target];
      if (build === undefined) throw new Error(`no name for the mac target ${target}`);
      named = null;
      const instance = build();
      await instance.build(join(outDir, 'mac', `${config.productName}.app`), Arch[arch]).catch((error) => {
        if (error !== stop) throw error;
      });
      // ArchiveTarget queues its work: wait for the queued naming to run.
      await instance.buildQueueManager?.awaitTasks().catch((error) => {
        if (error !== stop) throw error;
      });
      if (named === null) throw new Error(`the mac ${target} target named no file`);
      names[target] = {
        ...names[target],
        [arch]: named.slice(outDir.length + 1).replaceAll(metadata.version, '<version>'),
      };
    }
  }
  return names;
}

/**
 * The maintainer scripts electron-builder writes into a Linux package of `target` ('deb', 'rpm') for
 * `config`: FpmTarget's own createScripts (its templates, or the config's afterInstall / afterRemove),
 * with the macros filled in as in a build. Returns the scripts' text.
 */
export async function linuxPackageScripts(projectDir, config, target) {
  const metadata = JSON.parse(readFileSync(join(resolve(projectDir), 'package.json'), 'utf8'));
  const tmp = new TmpDir('tessera-fpm-scripts');
  try {
    const packager = {
      config,
      projectDir: resolve(projectDir),
      platformSpecificBuildOptions: config.linux ?? {},
      executableName: config.linux?.executableName ?? metadata.name,
      appInfo: new AppInfo({ metadata, config, framework: { name: 'electron' } }, null, config.linux),
      info: { tempDirManager: tmp },
    };
    const fpm = new FpmTarget(target, packager, null, join(resolve(projectDir), 'dist'));
    const files = await fpm.scriptFiles;
    return {
      afterInstall: readFileSync(files.afterInstall, 'utf8'),
      afterRemove: readFileSync(files.afterRemove, 'utf8'),
    };
  } finally {
    await tmp.cleanup();
  }
}

/**
 * The update metadata files (`latest-linux.yml`, `beta-linux.yml`, …) electron-builder writes next to
 * an AppImage of `config` built as `version`, from its own publish-config resolution and update-info
 * builder (the same code names `latest.yml` / `latest-mac.yml` on the other systems). Nothing is
 * written: the file names are those of the tasks it would run.
 */
export async function linuxUpdateInfoFiles(projectDir, config, version) {
  const { Platform } = require('app-builder-lib/out/core');
  const { getPublishConfigs } = require('app-builder-lib/out/publish/PublishManager');
  const { createUpdateInfoTasks } = require('app-builder-lib/out/publish/updateInfoBuilder');
  const { PlatformPackager } = require('app-builder-lib/out/platformPackager');
  const metadata = {
    ...JSON.parse(readFileSync(join(resolve(projectDir), 'package.json'), 'utf8')),
    version,
  };
  const info = { metadata, config, framework: { name: 'electron' }, repositoryInfo: Promise.resolve(null) };
  const packager = {
    config,
    info,
    platform: Platform.LINUX,
    platformSpecificBuildOptions: config.linux ?? {},
    appInfo: new AppInfo(info, null, config.linux),
    getResource: async () => null,
  };
  info.appInfo = packager.appInfo; // where the channel is read from (the build's Packager has it too)
  packager.expandMacro = PlatformPackager.prototype.expandMacro.bind(packager);
  const dir = mkdtempSync(join(tmpdir(), 'tessera-update-info-'));
  try {
    const file = join(dir, `Tessera-${version}-x86_64.AppImage`);
    writeFileSync(file, 'stand-in AppImage');
    const publishConfigs = await getPublishConfigs(packager, null, Arch.x64, false);
    const tasks = await createUpdateInfoTasks(
      { packager, file, arch: Arch.x64, target: { outDir: dir }, safeArtifactName: null },
      publishConfigs,
    );
    return tasks.map((task) => basename(task.file));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
