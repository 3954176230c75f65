// Thin access to electron-builder's own file selection, for tests that check what a build would package
// without running a build (which needs the Electron download). These are app-builder-lib internals: the
// version is pinned, and a change there fails the tests loudly rather than silently passing.

import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const require = createRequire(import.meta.url);
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
