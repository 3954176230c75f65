// What deployment tools (Intune, SCCM, Jamf) rely on in the release installers: targets, the MSI's
// public properties, and the identities detection rules use. The MSI cannot be compiled here (WiX runs on
// Windows or under Wine, neither available), so these tests stop at the WiX project: electron-builder's
// own MsiTarget writes it from its own template, and the hook is loaded the way electron-builder loads it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import type { Configuration } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY_POLICY_KEY, registryPolicySource } from '../../main/core/config/os-policy';
import { SETTINGS_TABLE } from '../../main/core/config/settings-table';
import { customizeMsiProject, MSI_REMEMBERED_SHORTCUT } from '../../scripts/msi-project.mjs';
import {
  ARCH_MACRO,
  findInstallerProblems,
  loadBuilderConfig,
  RELEASE_CONFIG_FILE,
} from '../../scripts/release-config.mjs';
import {
  msiProjectHook,
  msiUpgradeCode,
  nsisUninstallKeyName,
  silenceBuilderLog,
  targetsByArch,
  writeMsiProject,
} from './builder-internals.mjs';
import { ROOT } from './source-scan';

const WIX = 'http://wixtoolset.org/schemas/v4/wxs';
const GUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;

let release: Configuration;
let dir = '';
let appDir = '';

beforeAll(async () => {
  silenceBuilderLog();
  release = await loadBuilderConfig(ROOT, RELEASE_CONFIG_FILE);
  dir = mkdtempSync(join(tmpdir(), 'tessera-msi-'));
  // The shape of win-unpacked: the executable at the top, resources below.
  appDir = join(dir, 'win-unpacked');
  mkdirSync(join(appDir, 'resources', 'app.asar.unpacked'), { recursive: true });
  for (const file of ['Tessera.exe', 'ffmpeg.dll', 'resources/app.asar', 'resources/app-update.yml'])
    writeFileSync(join(appDir, file), '');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parse(xml: string): Document {
  const errors: string[] = [];
  const doc = new DOMParser({
    errorHandler: { warning: () => {}, error: (m) => errors.push(m), fatalError: (m) => errors.push(m) },
  }).parseFromString(xml, 'text/xml');
  expect(errors).toEqual([]);
  return doc as unknown as Document;
}

/** xmldom's node lists are not iterable. */
function list<T>(nodes: { length: number; item(index: number): T | null }): T[] {
  return Array.from({ length: nodes.length }, (_, index) => nodes.item(index) as T);
}

function all(doc: Document, tag: string): Element[] {
  return list(doc.getElementsByTagNameNS(WIX, tag));
}

function byId(doc: Document, tag: string, id: string): Element {
  const found = all(doc, tag).filter((node) => node.getAttribute('Id') === id);
  expect(found, `${tag} ${id}`).toHaveLength(1);
  return found[0] as Element;
}

function childElements(node: Element, tag: string): Element[] {
  return list(node.childNodes).filter(
    (child): child is Element => child.nodeType === 1 && (child as Element).localName === tag,
  );
}

/** The MSI project as the release build compiles it: electron-builder's template, then the hook. */
async function builtProject(arch: 'x64' | 'arm64' = 'x64'): Promise<string> {
  const file = join(dir, `project-${arch}.wxs`);
  writeFileSync(file, await writeMsiProject(ROOT, release, appDir, arch));
  const hook = await msiProjectHook(ROOT, release);
  await hook(file);
  return readFileSync(file, 'utf8');
}

describe('release installer targets (scripts/release-config.mjs findInstallerProblems)', () => {
  it("builds what electron-builder's own target factory reads: Windows x64 and arm64, one universal pkg", () => {
    expect(targetsByArch(release, 'win')).toEqual({ x64: ['nsis', 'msi'], arm64: ['nsis', 'msi'] });
    expect(targetsByArch(release, 'mac')).toEqual({
      x64: ['dmg', 'zip'],
      arm64: ['dmg', 'zip'],
      universal: ['pkg'],
    });
  });

  it('finds nothing to fix in the committed electron-builder.yml', () => {
    expect(findInstallerProblems(release)).toEqual([]);
  });

  it.each([
    [
      'Windows arm64 dropped',
      {
        win: {
          target: [
            { target: 'nsis', arch: ['x64'] },
            { target: 'msi', arch: ['x64', 'arm64'] },
          ],
        },
      },
      /win target nsis must build arm64/,
    ],
    [
      'one MSI name for both architectures',
      { msi: { perMachine: true, artifactName: 'Tessera.msi' } },
      /msi\.artifactName must contain \$\{arch\}/,
    ],
    [
      'a per-user MSI',
      { msi: { perMachine: false, artifactName: ARCH_MACRO } },
      /msi\.perMachine must be true/,
    ],
    [
      'the MSI hook removed',
      { msiProjectCreated: null },
      /msiProjectCreated must be \.\/scripts\/msi-project\.mjs/,
    ],
    [
      'a fixed UpgradeCode',
      { msi: { perMachine: true, artifactName: ARCH_MACRO, upgradeCode: 'X' } },
      /msi\.upgradeCode must stay unset/,
    ],
    ['a fixed NSIS GUID', { nsis: { guid: 'X' } }, /nsis\.guid must stay unset/],
    ['no universal pkg', { mac: { target: ['dmg'] } }, /mac target pkg must build universal/],
    ['a relocatable pkg', { pkg: { isRelocatable: true } }, /pkg\.isRelocatable must be false/],
  ])('reports %s', (_name, change, message) => {
    expect(findInstallerProblems({ ...release, ...change } as Configuration).join('\n')).toMatch(message);
  });
});

describe('the MSI project (electron-builder template + scripts/msi-project.mjs)', () => {
  it('declares TESSERA_API_URL and TESSERA_NO_DESKTOP_SHORTCUT as secure public properties', async () => {
    const doc = parse(await builtProject());
    for (const id of ['TESSERA_API_URL', 'TESSERA_NO_DESKTOP_SHORTCUT']) {
      const property = byId(doc, 'Property', id);
      expect(property.getAttribute('Secure')).toBe('yes');
      expect(property.hasAttribute('Value')).toBe(false);
    }
  });

  it('writes TESSERA_API_URL to the machine policy value the app reads, only when it is given', async () => {
    const doc = parse(await builtProject());
    const component = byId(doc, 'Component', 'TesseraPolicyApiBaseUrl');
    expect(childElements(component, 'Condition').map((c) => c.textContent)).toEqual(['TESSERA_API_URL']);
    expect(component.getAttribute('Permanent')).toBe('yes');
    const [value] = childElements(component, 'RegistryValue');
    expect(value?.getAttribute('Root')).toBe('HKLM');
    expect(value?.getAttribute('Key')).toBe(REGISTRY_POLICY_KEY);
    expect(value?.getAttribute('Type')).toBe('string');
    expect(value?.getAttribute('Value')).toBe('[TESSERA_API_URL]');
    const name = value?.getAttribute('Name') ?? '';
    expect(Object.keys(SETTINGS_TABLE)).toContain(name);

    // What msiexec leaves in the registry, read back by the app's own registry source as `reg export`
    // writes it (UTF-16LE after a byte-order mark).
    const key = `HKEY_LOCAL_MACHINE\\${value?.getAttribute('Key')}`;
    // HKCU has no policy key: its parent lists no Tessera subkey.
    const regExe = (args: readonly string[]) => {
      if (args[0] === 'export' && args[1] === key) {
        const script = `Windows Registry Editor Version 5.00\r\n\r\n[${key}]\r\n"${name}"="https://api.corp.example"\r\n\r\n`;
        writeFileSync(
          args[2] ?? '',
          Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(script, 'utf16le')]),
        );
        return { status: 0, stdout: 'The operation completed successfully.\r\n', stderr: '' };
      }
      if (args[1] === 'HKEY_CURRENT_USER\\Software\\Policies')
        return { status: 0, stdout: '\r\nHKEY_CURRENT_USER\\Software\\Policies\\Microsoft\r\n', stderr: '' };
      return {
        status: 1,
        stdout: '',
        stderr: 'ERROR: The system was unable to find the specified registry key.',
      };
    };
    const read = registryPolicySource(regExe).read();
    expect(read.managed).toEqual({ apiBaseUrl: 'https://api.corp.example' });
    expect(read.problems).toEqual([]);
  });

  it('moves the desktop shortcut into a component TESSERA_NO_DESKTOP_SHORTCUT=1 leaves out; the Start menu one stays', async () => {
    const before = parse(await writeMsiProject(ROOT, release, appDir));
    const exe = byId(before, 'File', 'mainExecutable');
    expect(childElements(exe, 'Shortcut').map((s) => s.getAttribute('Id'))).toEqual([
      'desktopShortcut',
      'startMenuShortcut',
    ]);

    const doc = parse(await builtProject());
    expect(
      childElements(byId(doc, 'File', 'mainExecutable'), 'Shortcut').map((s) => s.getAttribute('Id')),
    ).toEqual(['startMenuShortcut']);
    const component = byId(doc, 'Component', 'TesseraDesktopShortcut');
    expect(component.getAttribute('Directory')).toBe('DesktopFolder');
    expect(childElements(component, 'Condition').map((c) => c.textContent)).toEqual([
      'TESSERA_NO_DESKTOP_SHORTCUT <> "1"',
    ]);
    const [shortcut] = childElements(component, 'Shortcut');
    expect(shortcut?.getAttribute('Target')).toBe('[#mainExecutable]');
    expect(shortcut?.getAttribute('Name')).toBe('Tessera');
    expect(shortcut?.getAttribute('Icon')).toBe(
      byId(doc, 'Icon', shortcut?.getAttribute('Icon') ?? '').getAttribute('Id'),
    );
    // ICE43: a non-advertised shortcut's component is kept by an HKCU registry key path.
    const [keyPath] = childElements(component, 'RegistryValue');
    expect(keyPath?.getAttribute('Root')).toBe('HKCU');
    expect(keyPath?.getAttribute('KeyPath')).toBe('yes');
  });

  it('remembers TESSERA_NO_DESKTOP_SHORTCUT for upgrades, and a value given on the command line wins', async () => {
    const doc = parse(await builtProject());
    const property = 'TESSERA_NO_DESKTOP_SHORTCUT';
    const [search] = childElements(byId(doc, 'Property', property), 'RegistrySearch');
    const component = byId(doc, 'Component', 'TesseraRememberedProperties');
    const [value] = childElements(component, 'RegistryValue');
    // AppSearch reads back exactly the value the component writes, in the same (64-bit) view.
    for (const attribute of ['Root', 'Key', 'Name'])
      expect(search?.getAttribute(attribute)).toBe(value?.getAttribute(attribute));
    expect(value?.getAttribute('Root')).toBe(MSI_REMEMBERED_SHORTCUT.root);
    expect(value?.getAttribute('Value')).toBe(`[${property}]`);
    expect(value?.getAttribute('KeyPath')).toBe('yes');
    expect(search?.getAttribute('Type')).toBe('raw');

    // Windows Installer is not run here: this models what it does with the project's sequences —
    // AppSearch sets a property only when the value exists and overwrites a command-line one, and runs
    // only in the first sequence, as `firstSequence` actions do (the UI one of an interactive install,
    // whose public properties then pass to the execute sequence);
    // a major upgrade removes the old product (and its remembered value) after AppSearch, before the
    // new components are installed.
    const install = (commandLine: Record<string, string>, registry: Map<string, string>, ui: boolean) => {
      const props = new Map(Object.entries(commandLine));
      const format = (text: string) => text.replace(/\[([A-Z_]+)\]/g, (_m, id) => props.get(id) ?? '');
      const ran = new Set<string>();
      const product = all(doc, 'Product')[0] as Element;
      for (const name of ui ? ['InstallUISequence', 'InstallExecuteSequence'] : ['InstallExecuteSequence']) {
        const customs = all(doc, name)
          .filter((sequence) => sequence.parentNode === product)
          .flatMap((sequence) => childElements(sequence, 'Custom'));
        const run = (custom: Element) => {
          const action = byId(doc, 'CustomAction', custom.getAttribute('Action') ?? '');
          const condition = custom.textContent?.trim() ?? '';
          if (condition && !props.get(condition)) return;
          if (action.getAttribute('Execute') === 'firstSequence' && ran.has(action.getAttribute('Id') ?? ''))
            return;
          ran.add(action.getAttribute('Id') ?? '');
          props.set(action.getAttribute('Property') ?? '', format(action.getAttribute('Value') ?? ''));
        };
        for (const custom of customs.filter((c) => c.getAttribute('Before') === 'AppSearch')) run(custom);
        if (ran.has('AppSearch')) continue;
        ran.add('AppSearch');
        for (const p of all(doc, 'Property')) {
          const [rs] = childElements(p, 'RegistrySearch');
          const found = rs && registry.get(rs.getAttribute('Name') ?? '');
          if (found !== undefined && found !== '') props.set(p.getAttribute('Id') ?? '', found);
        }
        for (const custom of customs.filter((c) => c.getAttribute('After') === 'AppSearch')) run(custom);
      }
      const next = new Map<string, string>(); // the old product's value went with it
      const conditionHolds = (id: string) => {
        const [condition] = childElements(byId(doc, 'Component', id), 'Condition');
        const text = condition?.textContent ?? '';
        const notOne = /^([A-Z_]+) <> "1"$/.exec(text);
        return notOne ? props.get(notOne[1] ?? '') !== '1' : Boolean(props.get(text));
      };
      if (conditionHolds('TesseraRememberedProperties'))
        next.set(value?.getAttribute('Name') ?? '', format(value?.getAttribute('Value') ?? ''));
      return { desktopShortcut: conditionHolds('TesseraDesktopShortcut'), registry: next };
    };

    for (const ui of [false, true]) {
      const first = install({ [property]: '1' }, new Map(), ui);
      expect(first.desktopShortcut).toBe(false);
      const upgrade = install({}, first.registry, ui);
      expect(upgrade.desktopShortcut).toBe(false); // the upgrade keeps the first install's choice
      const changed = install({ [property]: '0' }, upgrade.registry, ui);
      expect(changed.desktopShortcut).toBe(true); // given again, the command line wins
      expect(install({}, changed.registry, ui).desktopShortcut).toBe(true);
      const plain = install({}, new Map(), ui);
      expect(plain).toEqual({ desktopShortcut: true, registry: new Map() });
    }
  });

  it('puts the new components into the product feature with stable GUIDs of their own', async () => {
    const first = parse(await builtProject('x64'));
    const second = parse(await builtProject('arm64'));
    const group = byId(first, 'ComponentGroup', 'ProductComponents');
    expect(
      byId(first, 'Feature', 'ProductFeature')
        .getElementsByTagNameNS(WIX, 'ComponentGroupRef')[0]
        ?.getAttribute('Id'),
    ).toBe('ProductComponents');
    const guids = ['TesseraPolicyApiBaseUrl', 'TesseraDesktopShortcut', 'TesseraRememberedProperties'].map(
      (id) => {
        const component = byId(first, 'Component', id);
        expect(component.parentNode).toBe(group);
        expect(byId(second, 'Component', id).getAttribute('Guid')).toBe(component.getAttribute('Guid'));
        return component.getAttribute('Guid') ?? '';
      },
    );
    for (const guid of guids) expect(guid).toMatch(GUID);
    expect(new Set([...guids, msiUpgradeCode(ROOT, release)]).size).toBe(4);
  });

  it('writes the arm64 MSI as an x64 project (WiX 4.0.0.5512 has no arm64) into 64-bit Program Files', async () => {
    const doc = parse(await builtProject('arm64'));
    expect(all(doc, 'Directory').map((d) => d.getAttribute('Id'))).toContain('ProgramFiles64Folder');
    expect(byId(doc, 'Property', 'ALLUSERS').getAttribute('Value')).toBe('1');
  });

  it('fails the build rather than ship an MSI without its properties', async () => {
    const project = await writeMsiProject(ROOT, release, appDir);
    expect(() => customizeMsiProject(customizeMsiProject(project))).toThrow(
      /already has the Tessera properties/,
    );
    const noDesktop = await writeMsiProject(
      ROOT,
      { ...release, msi: { ...release.msi, createDesktopShortcut: false } },
      appDir,
    );
    expect(() => customizeMsiProject(noDesktop)).toThrow(/DesktopFolder/);
    expect(() => customizeMsiProject('<Wix><Product')).toThrow(/not well-formed/);
  });
});

describe('identities for detection rules (docs/it-guide.md)', () => {
  const guide = readFileSync(join(ROOT, 'docs/it-guide.md'), 'utf8');

  it('documents the MSI UpgradeCode electron-builder derives from the appId', () => {
    const upgradeCode = msiUpgradeCode(ROOT, release);
    expect(upgradeCode).toMatch(GUID);
    expect(guide).toContain(`{${upgradeCode}}`);
  });

  it('documents the NSIS uninstall key electron-builder derives from the appId', () => {
    const name = nsisUninstallKeyName(release.appId ?? '');
    expect(name).toMatch(/^[0-9a-f-]{36}$/);
    expect(guide).toContain(`Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\${name}`);
  });

  it('uses in every msiexec command only the properties the MSI defines', async () => {
    const doc = parse(await builtProject());
    const commands = guide.split('\n').filter((line) => /msiexec \/i /.test(line));
    expect(commands.length).toBeGreaterThanOrEqual(3);
    const used = new Set(
      commands.flatMap((line) => [...line.matchAll(/\b([A-Z][A-Z0-9_]+)=/g)].map((m) => m[1])),
    );
    expect([...used].sort()).toEqual(['TESSERA_API_URL', 'TESSERA_NO_DESKTOP_SHORTCUT']);
    for (const name of used) expect(all(doc, 'Property').map((p) => p.getAttribute('Id'))).toContain(name);
  });

  it('documents the pkg receipt id, which is the appId', () => {
    expect(guide).toContain(`pkgutil --pkg-info ${release.appId}`);
  });
});
