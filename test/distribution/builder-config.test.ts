import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import type { Configuration } from 'electron-builder';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  E2E_CONFIG_FILE,
  findReleaseConfigProblems,
  loadBuilderConfig,
  RELEASE_CONFIG_FILE,
} from '../../scripts/release-config.mjs';
import {
  linuxPackageDepends,
  linuxUpdateInfoFiles,
  macArtifactNames,
  packagedFileFilters,
  productionModules,
  silenceBuilderLog,
} from './builder-internals.mjs';
import { ROOT } from './source-scan';

// Written out here, not imported from scripts/release-config.mjs, so the test does not trust the checker.
const RELEASE_FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableCookieEncryption: true,
  onlyLoadAppFromAsar: true,
  enableEmbeddedAsarIntegrityValidation: true,
  grantFileProtocolExtraPrivileges: false,
};
// jose ships too: openid-client (OpenID Connect sign-in) verifies ID tokens with it.
const RUNTIME_DEPENDENCIES = [
  'electron-updater',
  'jwt-decode',
  'keytar',
  'ky',
  'openid-client',
  'jose',
  'zod',
];
const DEV_ONLY = [
  'electron',
  'hono',
  '@hono/node-server',
  'better-sqlite3',
  'oidc-provider',
  'vite',
  'vitest',
  'typescript',
];

type TargetList = Array<{ target: string; arch: string[] }>;

/** A platform's `target` option as a list of { target, arch } (electron-builder accepts several shapes). */
function targetsOf(platform: { target?: unknown } | null | undefined): TargetList {
  const raw = platform?.target;
  const list = Array.isArray(raw) ? raw : raw == null ? [] : [raw];
  return list.map((entry) =>
    typeof entry === 'string'
      ? { target: entry, arch: [] }
      : { target: String(entry.target), arch: [entry.arch ?? []].flat().map(String) },
  );
}

function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(join(ROOT, file));
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function projectFiles(dir = ROOT): string[] {
  const skip = new Set(['node_modules', '.git', 'dist', 'dist-e2e']);
  return readdirSync(dir).flatMap((name) => {
    if (skip.has(name)) return [];
    const full = join(dir, name);
    return statSync(full).isDirectory() ? projectFiles(full) : [relative(ROOT, full).replaceAll('\\', '/')];
  });
}

let release: Configuration;
let e2e: Configuration;
let scripts: Record<string, string>;

beforeAll(async () => {
  silenceBuilderLog();
  release = await loadBuilderConfig(ROOT, RELEASE_CONFIG_FILE);
  e2e = await loadBuilderConfig(ROOT, E2E_CONFIG_FILE);
  scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts;
});

describe('electron-builder validation', () => {
  it("accepts both configs with electron-builder's own schema validator (beforeAll loads and validates them)", () => {
    expect(release.appId).toBe('dev.tessera.desktop');
    expect(e2e.appId).toBeDefined();
  });

  it('is strict: a misspelt fuse name is rejected, so the checks below read real options', async () => {
    const require = createRequire(import.meta.url);
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config');
    const { DebugLogger } = require('builder-util');
    const typo = { ...release, electronFuses: { ...release.electronFuses, runAsNod: false } };
    await expect(validateConfiguration(typo, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  });
});

describe('electron-builder.yml (release)', () => {
  it('names the app and writes to dist/', () => {
    expect(release).toMatchObject({ appId: 'dev.tessera.desktop', productName: 'Tessera' });
    expect(release.directories).toMatchObject({ output: 'dist', buildResources: 'build' });
  });

  it('sets every fuse to its release value', () => {
    expect(release.electronFuses).toMatchObject(RELEASE_FUSES);
  });

  it('builds AppImage, deb and rpm for Linux', () => {
    expect(targetsOf(release.linux).map((t) => t.target)).toEqual(['AppImage', 'deb', 'rpm']);
  });

  it('builds an NSIS installer and an MSI for Windows x64 and arm64', () => {
    expect(targetsOf(release.win)).toEqual([
      { target: 'nsis', arch: ['x64', 'arm64'] },
      { target: 'msi', arch: ['x64', 'arm64'] },
    ]);
  });

  it('builds dmg and zip for macOS on x64 and arm64, and one universal pkg', () => {
    expect(targetsOf(release.mac)).toEqual([
      { target: 'dmg', arch: ['x64', 'arm64'] },
      { target: 'zip', arch: ['x64', 'arm64'] },
      { target: 'pkg', arch: ['universal'] },
    ]);
  });

  it('names every macOS file exactly as the IT guide lists it (the zip with -x64 too)', async () => {
    const names = await macArtifactNames(ROOT, release);
    expect(names.zip).toEqual({
      x64: 'Tessera-<version>-x64-mac.zip',
      arm64: 'Tessera-<version>-arm64-mac.zip',
    });
    const guide = readFileSync(join(ROOT, 'docs/it-guide.md'), 'utf8');
    const listed = guide
      .split('\n')
      .filter((line) => line.startsWith('| macOS |'))
      .flatMap((line) => [...(line.split('|')[2] ?? '').matchAll(/`([^`]+)`/g)].map((match) => match[1]));
    const built = Object.values(names).flatMap((byArch) => Object.values(byArch));
    expect(listed.sort()).toEqual(built.sort());
  });

  it('installs NSIS per-user by default with per-machine available through elevation, and the MSI per-machine', () => {
    expect(release.nsis).toMatchObject({ oneClick: false, perMachine: false, allowElevation: true });
    expect(release.nsis?.selectPerMachineByDefault).not.toBe(true);
    expect(release.msi).toMatchObject({ perMachine: true });
  });

  it('signs macOS builds with the hardened runtime and only the JIT entitlement', () => {
    expect(release.mac).toMatchObject({ hardenedRuntime: true });
    const entitlements = release.mac?.entitlements;
    expect(entitlements).toBeTypeOf('string');
    expect(release.mac?.entitlementsInherit).toBe(entitlements);
    const plist = readFileSync(join(ROOT, entitlements as string), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    expect([...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1])).toEqual([
      'com.apple.security.cs.allow-jit',
    ]);
  });

  it('keeps signing secrets out of the config (they come from CSC_* / APPLE_* variables)', () => {
    const text = readFileSync(join(ROOT, RELEASE_CONFIG_FILE), 'utf8').replace(/#.*$/gm, '');
    expect(text).not.toMatch(/cscLink|cscKeyPassword|certificatePassword|appleId|appleIdPassword/i);
  });

  it('publishes update metadata for a generic https feed whose URL is never contacted', () => {
    const [publish] = [release.publish].flat();
    expect(publish).toMatchObject({ provider: 'generic' });
    const url = new URL((publish as { url: string }).url);
    expect(url.protocol).toBe('https:');
    expect(url.hostname.endsWith('.invalid')).toBe(true);
  });

  // A copy reads only its channel's file (update-policy.ts), so that file's name is the channel rule.
  it('writes a pre-release build’s update metadata under its own channel, never over latest*.yml', async () => {
    expect(await linuxUpdateInfoFiles(ROOT, release, '1.5.0')).toEqual(['latest-linux.yml']);
    expect(await linuxUpdateInfoFiles(ROOT, release, '1.5.0-beta.1')).toEqual(['beta-linux.yml']);
    expect(await linuxUpdateInfoFiles(ROOT, release, '1.5.0-alpha.2')).toEqual(['alpha-linux.yml']);
  });

  it('has keytar available at run time on Linux (libsecret in deb and rpm dependencies)', () => {
    // What the packages will depend on: the configured list, or electron-builder's defaults when unset.
    expect(linuxPackageDepends(release, 'deb')).toContain('libsecret-1-0');
    expect(linuxPackageDepends(release, 'rpm')).toContain('libsecret');
  });
});

describe('what a release packages', () => {
  it('keeps asar on, unpacks only keytar’s native binary and does not rebuild it', () => {
    expect(release.asar).not.toBe(false);
    expect(release.asar).toMatchObject({ smartUnpack: false });
    expect(release.npmRebuild).toBe(false);
    const { asarUnpacked } = packagedFileFilters(ROOT, release);
    expect(asarUnpacked('node_modules/keytar/build/Release/keytar.node')).toBe(true);
    expect(asarUnpacked('node_modules/keytar/lib/keytar.js')).toBe(false);
    expect(asarUnpacked('node_modules/keytar/package.json')).toBe(false);
    expect(asarUnpacked('out/main/index.js')).toBe(false);
    expect(asarUnpacked('out/main/chunks/main-bYvmExPz.js')).toBe(false);
  });

  it('includes the built app and package.json', () => {
    const { appFile } = packagedFileFilters(ROOT, release);
    for (const file of [
      'package.json',
      'out/main/index.js',
      'out/preload/index.cjs',
      'out/renderer/index.html',
    ]) {
      expect(appFile(file), file).toBe(true);
    }
    expect(appFile('out/renderer/assets/index-abc123.js')).toBe(true);
    // electron-updater's chunk, loaded only once updates are on (main/updates/setup-updates.ts).
    expect(appFile('out/main/chunks/main-bYvmExPz.js')).toBe(true);
    // ky's chunk, loaded once the window is open (main/core/ky-loader.ts).
    expect(appFile('out/main/chunks/distribution-D4ROlODi.js')).toBe(true);
  });

  it('excludes sources, tests, maps, tooling, the server and local data', () => {
    const { appFile } = packagedFileFilters(ROOT, release);
    const excluded = [
      'server/index.ts',
      'server/cli.ts',
      'main/index.ts',
      'preload/index.ts',
      'renderer/src/main.ts',
      'common/ipc.ts',
      'e2e/sign-in.spec.ts',
      'test/distribution/builder-config.test.ts',
      'bench/refresh.ts',
      'docs/it-guide.md',
      'data/tessera.sqlite',
      'scripts/start.mjs',
      'coverage/index.html',
      'build/icon.png',
      'dist/latest.yml',
      'dist-e2e/linux-unpacked/tessera',
      'out/main/index.js.map',
      'out/main/index.test.js',
      'out/main/types.d.ts',
      'electron-builder.yml',
      'electron-builder.e2e.yml',
      'tsconfig.json',
      'README.md',
      'package-lock.json',
      'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
      'node_modules/hono/dist/index.js',
    ];
    for (const file of excluded) expect(appFile(file), file).toBe(false);
  });

  it('packages nothing from the working tree outside out/ except package.json', () => {
    const { appFile } = packagedFileFilters(ROOT, release);
    const packaged = projectFiles().filter((file) => appFile(file));
    expect(packaged.filter((file) => file !== 'package.json' && !file.startsWith('out/'))).toEqual([]);
    expect(packaged.filter((file) => /\.(ts|map)$/.test(file))).toEqual([]);
  });

  it('packages exactly the runtime dependencies and their dependencies, never a dev dependency', async () => {
    const names = new Set((await productionModules(ROOT)).map((module) => module.name));
    for (const name of RUNTIME_DEPENDENCIES) expect(names.has(name), name).toBe(true);
    for (const name of DEV_ONLY) expect(names.has(name), name).toBe(false);
  });

  it('unpacks every native binary among the packaged dependencies and drops their sources and maps', async () => {
    const { asarUnpacked, nodeModuleFile } = packagedFileFilters(ROOT, release);
    const nativeBinaries: string[] = [];
    const strays: string[] = [];
    for (const module of await productionModules(ROOT)) {
      const walk = (dir: string): void => {
        for (const name of readdirSync(dir)) {
          const full = join(dir, name);
          if (name === 'node_modules') continue;
          if (statSync(full).isDirectory()) walk(full);
          else {
            const inApp = `node_modules/${module.name}/${relative(module.dir, full).replaceAll('\\', '/')}`;
            if (!nodeModuleFile(inApp)) continue;
            if (inApp.endsWith('.node')) nativeBinaries.push(inApp);
            if (/\.(ts|map)$/.test(inApp)) strays.push(inApp);
          }
        }
      };
      walk(module.dir);
    }
    expect(nativeBinaries).toContain('node_modules/keytar/build/Release/keytar.node');
    expect(nativeBinaries.filter((file) => !asarUnpacked(file))).toEqual([]);
    expect(strays).toEqual([]);
  });
});

describe('icons', () => {
  it('has the committed SVG source and a 1024×1024 PNG for Windows and macOS', () => {
    expect(existsSync(join(ROOT, 'build/icon.svg'))).toBe(true);
    expect(pngSize('build/icon.png')).toEqual({ width: 1024, height: 1024 });
    expect(release.win?.icon).toBe('build/icon.png');
    expect(release.mac?.icon).toBe('build/icon.png');
  });

  it('has the Linux icon set from 16 to 512 pixels', () => {
    expect(release.linux?.icon).toBe('build/icons');
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512]) {
      expect(pngSize(`build/icons/${size}x${size}.png`)).toEqual({ width: size, height: size });
    }
  });
});

describe('electron-builder.e2e.yml', () => {
  it('turns on only the inspector fuse Playwright needs', () => {
    expect(e2e.electronFuses).toMatchObject({ ...RELEASE_FUSES, enableNodeCliInspectArguments: true });
  });

  it('is never published and is clearly separate from the release', () => {
    expect(e2e.publish).toBeNull();
    expect(e2e.directories?.output).toBe('dist-e2e');
    expect(e2e.appId).toBe('dev.tessera.desktop.e2e');
    expect(e2e.productName).toBe('Tessera E2E');
  });

  it('otherwise packages the same way as the release', () => {
    expect(e2e.files).toEqual(release.files);
    expect(e2e.asarUnpack).toEqual(release.asarUnpack);
    expect(e2e.asar).toEqual(release.asar);
  });
});

describe('scripts/check-release-config.mjs', () => {
  it('finds no problem in the committed configs and npm scripts', () => {
    expect(findReleaseConfigProblems({ release, e2e, scripts, projectDir: ROOT })).toEqual([]);
  });

  type Input = { release: Configuration; e2e: Configuration; scripts: Record<string, string> };
  const fuses = (config: Configuration, change: Record<string, boolean | undefined>) => ({
    ...config,
    electronFuses: { ...config.electronFuses, ...change },
  });
  const script = (c: Input, name: string, edit: (text: string) => string): Input => ({
    ...c,
    scripts: { ...c.scripts, [name]: edit(c.scripts[name] ?? '') },
  });
  const confusions: Array<[string, (c: Input) => Input, RegExp]> = [
    [
      'a release with the inspector fuse on',
      (c) => ({ ...c, release: fuses(c.release, { enableNodeCliInspectArguments: true }) }),
      /release: electronFuses\.enableNodeCliInspectArguments must be false/,
    ],
    [
      'a release missing a fuse (Electron’s default would apply)',
      (c) => ({ ...c, release: fuses(c.release, { runAsNode: undefined }) }),
      /release: electronFuses\.runAsNode must be false \(is unset\)/,
    ],
    [
      'a release without asar',
      (c) => ({ ...c, release: { ...c.release, asar: false } }),
      /asar must stay on/,
    ],
    [
      'a release pinning the update channel (a beta build would replace latest*.yml)',
      (c) => ({
        ...c,
        release: {
          ...c.release,
          publish: { provider: 'generic', url: 'https://u.example/', channel: 'latest' },
        },
      }),
      /release: publish must not set channel \(latest\)/,
    ],
    [
      'an e2e build with a publish target',
      (c) => ({ ...c, e2e: { ...c.e2e, publish: { provider: 'generic', url: 'https://updates.example/' } } }),
      /e2e: must not publish \(publish is set\)/,
    ],
    [
      'an e2e build publishing through a platform section',
      (c) => ({
        ...c,
        e2e: { ...c.e2e, win: { ...c.e2e.win, publish: { provider: 'generic', url: 'https://u.example/' } } },
      }),
      /e2e: must not publish \(win\.publish is set\)/,
    ],
    [
      'an e2e build sharing the release appId',
      (c) => ({ ...c, e2e: { ...c.e2e, appId: 'dev.tessera.desktop' } }),
      /appId must differ/,
    ],
    [
      'an e2e build writing into dist/',
      (c) => ({ ...c, e2e: { ...c.e2e, directories: { ...c.e2e.directories, output: 'dist/e2e' } } }),
      /directories\.output must be separate/,
    ],
    [
      'an e2e build with the inspector off (Playwright could not attach)',
      (c) => ({ ...c, e2e: fuses(c.e2e, { enableNodeCliInspectArguments: false }) }),
      /e2e: electronFuses\.enableNodeCliInspectArguments must be true/,
    ],
    [
      'an e2e build that relaxes another fuse',
      (c) => ({ ...c, e2e: fuses(c.e2e, { runAsNode: true }) }),
      /e2e: electronFuses\.runAsNode must be false/,
    ],
    [
      'dist building the e2e config',
      (c) => script(c, 'dist', () => c.scripts['dist:e2e'] ?? ''),
      /npm script dist must pass --config electron-builder\.yml/,
    ],
    [
      'dist:e2e building the release config',
      (c) => script(c, 'dist:e2e', () => c.scripts['dist:linux'] ?? ''),
      /npm script dist:e2e must pass --config electron-builder\.e2e\.yml/,
    ],
    [
      'a dist script that skips the check',
      (c) =>
        script(c, 'dist:win', (text) => text.replace(/^node scripts\/check-release-config\.mjs && /, '')),
      /dist:win must run scripts\/check-release-config\.mjs before electron-builder/,
    ],
    [
      'a dist script that overrides a fuse on the command line',
      (c) => script(c, 'dist:mac', (text) => `${text} -c.electronFuses.runAsNode=true`),
      /dist:mac must not override checked settings/,
    ],
    [
      'a dist script that publishes',
      (c) => script(c, 'dist:linux', (text) => text.replace('--publish never', '--publish always')),
      /dist:linux must pass --publish never/,
    ],
    [
      'a dist script that verifies the release with the e2e expectations',
      (c) => script(c, 'dist', (text) => text.replace('verify-fuses.mjs', 'verify-fuses.mjs --e2e')),
      /dist must run verify-fuses\.mjs without --e2e/,
    ],
    [
      'a release build that writes no checksums',
      (c) =>
        script(c, 'dist:win', (text) =>
          text.replace(/ && tsx scripts\/release-sums\.ts write --dist dist$/, ''),
        ),
      /dist:win must run tsx scripts\/release-sums\.ts write --dist dist after verify-fuses\.mjs/,
    ],
    [
      'checksums written before the fuses are verified',
      (c) =>
        script(c, 'dist', (text) =>
          text
            .replace(
              'node scripts/verify-fuses.mjs',
              'tsx scripts/release-sums.ts write --dist dist && node scripts/verify-fuses.mjs',
            )
            .replace(/ && tsx scripts\/release-sums\.ts write --dist dist$/, ''),
        ),
      /dist must run tsx scripts\/release-sums\.ts write --dist dist after verify-fuses\.mjs/,
    ],
  ];

  it.each(confusions)('fails for %s', (_name, mutate, problem) => {
    const input = mutate({ release, e2e, scripts });
    expect(findReleaseConfigProblems({ ...input, projectDir: ROOT }).join('\n')).toMatch(problem);
  });

  function runCheck(...args: string[]) {
    return spawnSync(process.execPath, ['scripts/check-release-config.mjs', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
    });
  }

  it('exits 0 on the committed configs', () => {
    const result = runCheck();
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('exits 1 when the e2e config is passed off as the release', () => {
    const result = runCheck('--release', E2E_CONFIG_FILE);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/release: electronFuses\.enableNodeCliInspectArguments must be false/);
  });

  it('exits 1 when the release config is passed off as the e2e build', () => {
    const result = runCheck('--e2e', RELEASE_CONFIG_FILE);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/e2e: must not publish/);
  });
});
