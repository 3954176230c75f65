// electron-builder's `msiProjectCreated` hook (electron-builder.yml): adds to the WiX project of the MSI,
// before it is compiled, the two public properties software-distribution tools pass on the msiexec
// command line (docs/it-guide.md, "Intune" and "SCCM"):
//   TESSERA_API_URL=https://api.corp.example   writes HKLM\Software\Policies\Tessera, value apiBaseUrl
//                                               (REG_SZ): the machine policy the app reads
//                                               (main/core/config/os-policy.ts), so the URL is locked
//   TESSERA_NO_DESKTOP_SHORTCUT=1              installs no desktop shortcut (the Start menu one stays);
//                                               remembered, so an upgrade without it keeps the choice
// electron-builder's MSI template has no options for either, and its WiX (4.0.0.5512, v3 syntax) cannot
// be given extra source files, so the generated project.wxs is edited in place. Anything unexpected in
// it throws: a build must fail rather than ship an MSI that silently ignores these properties.
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { DOMParser, XMLSerializer } from '@xmldom/xmldom';

const require = createRequire(import.meta.url);

const WIX = 'http://wixtoolset.org/schemas/v4/wxs';

/** The MSI public properties this hook adds (also named in docs/it-guide.md). */
export const MSI_PROPERTIES = Object.freeze({
  apiUrl: 'TESSERA_API_URL',
  noDesktopShortcut: 'TESSERA_NO_DESKTOP_SHORTCUT',
});

/** Where TESSERA_API_URL goes: the machine policy key and the setting's value name the app reads. */
export const MSI_POLICY_VALUE = Object.freeze({
  root: 'HKLM',
  key: 'Software\\Policies\\Tessera',
  name: 'apiBaseUrl',
});

/**
 * Where the MSI remembers TESSERA_NO_DESKTOP_SHORTCUT, so an upgrade run without the property keeps the
 * choice of the first install (WiX's "remember property" pattern): written at each install, read back
 * by AppSearch before an upgrade, overridden by a value given on the command line.
 */
export const MSI_REMEMBERED_SHORTCUT = Object.freeze({
  root: 'HKLM',
  key: 'Software\\Tessera\\Installer',
  name: 'noDesktopShortcut',
});

/**
 * A stable component GUID derived from the product's UpgradeCode (itself derived from the appId), so
 * every build of the same app gives its components the same identity, as Windows Installer requires.
 */
function componentGuid(upgradeCode, name) {
  const { UUID } = require('builder-util-runtime');
  return UUID.v5(`tessera-msi-component/${name}`, UUID.parse(upgradeCode)).toUpperCase();
}

function element(doc, name, attributes, children = []) {
  const node = doc.createElementNS(WIX, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  for (const child of children) node.appendChild(child);
  return node;
}

function only(list, what) {
  if (list.length !== 1)
    throw new Error(`msi-project: expected one ${what} in project.wxs, found ${list.length}`);
  return list[0];
}

/** Elements named `tag` (xmldom's node lists are not iterable). */
function elements(doc, tag) {
  const list = doc.getElementsByTagNameNS(WIX, tag);
  return Array.from({ length: list.length }, (_, index) => list.item(index));
}

function byId(doc, tag, id) {
  return elements(doc, tag).filter((node) => node.getAttribute('Id') === id);
}

/** Returns `xml` (electron-builder's project.wxs) with the properties and their components added. */
export function customizeMsiProject(xml) {
  const errors = [];
  const doc = new DOMParser({
    errorHandler: { warning: () => {}, error: (m) => errors.push(m), fatalError: (m) => errors.push(m) },
  }).parseFromString(xml, 'text/xml');
  if (errors.length > 0) throw new Error(`msi-project: project.wxs is not well-formed XML: ${errors[0]}`);
  const product = only(elements(doc, 'Product'), '<Product>');
  const upgradeCode = product.getAttribute('UpgradeCode');
  if (!/^[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}$/.test(upgradeCode)) {
    throw new Error(`msi-project: unexpected UpgradeCode ${JSON.stringify(upgradeCode)}`);
  }
  if (byId(doc, 'Property', MSI_PROPERTIES.apiUrl).length > 0) {
    throw new Error('msi-project: project.wxs already has the Tessera properties (hook ran twice?)');
  }
  const group = only(byId(doc, 'ComponentGroup', 'ProductComponents'), 'ProductComponents group');
  only(
    byId(doc, 'Directory', 'DesktopFolder'),
    'DesktopFolder directory (msi.createDesktopShortcut must stay on)',
  );
  only(byId(doc, 'File', 'mainExecutable'), 'main executable');
  const shortcut = only(byId(doc, 'Shortcut', 'desktopShortcut'), 'desktop shortcut');

  // Secure: a public property reaches the elevated part of the installation even when a non-admin
  // starts a managed install (deployment tools run as SYSTEM, where every property passes anyway).
  const properties = [MSI_PROPERTIES.apiUrl, MSI_PROPERTIES.noDesktopShortcut].map((id) =>
    element(doc, 'Property', { Id: id, Secure: 'yes' }),
  );
  for (const property of properties) product.insertBefore(property, group);
  rememberProperty(doc, product, group, properties[1], MSI_REMEMBERED_SHORTCUT);

  // Permanent: uninstalling or upgrading without the property leaves the policy as it is; the policy is
  // the machine's configuration, removed like any other policy (it-guide, "Uninstalling cleanly").
  // A value the app finds invalid (http://, a typo) is reported and locks the setting to its default.
  const policy = element(
    doc,
    'Component',
    {
      Id: 'TesseraPolicyApiBaseUrl',
      Guid: componentGuid(upgradeCode, 'policy-apiBaseUrl'),
      Permanent: 'yes',
    },
    [
      element(doc, 'Condition', {}, [doc.createTextNode(MSI_PROPERTIES.apiUrl)]),
      element(doc, 'RegistryValue', {
        Root: MSI_POLICY_VALUE.root,
        Key: MSI_POLICY_VALUE.key,
        Name: MSI_POLICY_VALUE.name,
        Type: 'string',
        Value: `[${MSI_PROPERTIES.apiUrl}]`,
        KeyPath: 'yes',
      }),
    ],
  );

  // The template's desktop shortcut sits on the executable's own component, which cannot be made
  // optional. It moves into a component of its own with a condition. A shortcut outside its target's
  // component cannot be advertised, and a non-advertised one needs an HKCU key path (ICE43); the
  // template's DISABLEADVTSHORTCUTS=1 makes every shortcut non-advertised at install time anyway.
  // (ICE43 and ICE38 are errors without an HKCU key path; ICE warnings such as ICE57's are reported as
  // LGHT1076, which electron-builder suppresses with -sw1076.)
  shortcut.parentNode.removeChild(shortcut);
  const desktop = element(
    doc,
    'Component',
    {
      Id: 'TesseraDesktopShortcut',
      Directory: 'DesktopFolder',
      Guid: componentGuid(upgradeCode, 'desktop-shortcut'),
    },
    [
      element(doc, 'Condition', {}, [doc.createTextNode(`${MSI_PROPERTIES.noDesktopShortcut} <> "1"`)]),
      element(doc, 'Shortcut', {
        Id: 'desktopShortcut',
        Name: shortcut.getAttribute('Name'),
        Target: '[#mainExecutable]',
        WorkingDirectory: 'APPLICATIONFOLDER',
        ...(shortcut.hasAttribute('Icon') ? { Icon: shortcut.getAttribute('Icon') } : {}),
      }),
      element(doc, 'RegistryValue', {
        Root: 'HKCU',
        Key: 'Software\\Tessera\\Installer',
        Name: 'desktopShortcut',
        Type: 'integer',
        Value: '1',
        KeyPath: 'yes',
      }),
    ],
  );
  const remembered = element(
    doc,
    'Component',
    {
      Id: 'TesseraRememberedProperties',
      Guid: componentGuid(upgradeCode, 'remembered-properties'),
    },
    [
      // Only a value someone gave (now or at an earlier install) is remembered: an empty one would
      // leave the key path missing.
      element(doc, 'Condition', {}, [doc.createTextNode(MSI_PROPERTIES.noDesktopShortcut)]),
      element(doc, 'RegistryValue', {
        Root: MSI_REMEMBERED_SHORTCUT.root,
        Key: MSI_REMEMBERED_SHORTCUT.key,
        Name: MSI_REMEMBERED_SHORTCUT.name,
        Type: 'string',
        Value: `[${MSI_PROPERTIES.noDesktopShortcut}]`,
        KeyPath: 'yes',
      }),
    ],
  );
  group.appendChild(policy);
  group.appendChild(desktop);
  group.appendChild(remembered);
  return new XMLSerializer().serializeToString(doc);
}

/**
 * The "remember property" pattern: `property` is read from the registry value `where` by AppSearch
 * (which the component writing it fills at each install), unless the command line gave it a value.
 * AppSearch overwrites a command-line value, so that value is kept aside before AppSearch and put
 * back after it, in both sequences (`firstSequence`: only in the first that runs, the UI sequence of
 * an interactive install, else the execute sequence of a silent one).
 */
function rememberProperty(doc, product, before, property, where) {
  const id = property.getAttribute('Id');
  const given = `${id}_GIVEN`;
  property.appendChild(
    element(doc, 'RegistrySearch', {
      Id: `Remembered_${id}`,
      Root: where.root,
      Key: where.key,
      Name: where.name,
      Type: 'raw',
    }),
  );
  product.insertBefore(element(doc, 'Property', { Id: given, Secure: 'yes' }), before);
  const keep = `KeepGiven_${id}`;
  const restore = `RestoreGiven_${id}`;
  product.insertBefore(
    element(doc, 'CustomAction', { Id: keep, Property: given, Value: `[${id}]`, Execute: 'firstSequence' }),
    before,
  );
  product.insertBefore(
    element(doc, 'CustomAction', {
      Id: restore,
      Property: id,
      Value: `[${given}]`,
      Execute: 'firstSequence',
    }),
    before,
  );
  for (const name of ['InstallUISequence', 'InstallExecuteSequence']) {
    const sequences = elements(doc, name).filter((node) => node.parentNode === product);
    if (sequences.length > 1) throw new Error(`msi-project: more than one <${name}> in project.wxs`);
    const sequence = sequences[0] ?? product.insertBefore(element(doc, name, {}), before);
    sequence.appendChild(element(doc, 'Custom', { Action: keep, Before: 'AppSearch' }));
    sequence.appendChild(
      element(doc, 'Custom', { Action: restore, After: 'AppSearch' }, [doc.createTextNode(given)]),
    );
  }
}

/** The hook electron-builder calls with the path of the project file it is about to compile. */
export default async function msiProjectCreated(projectFile) {
  await writeFile(projectFile, customizeMsiProject(await readFile(projectFile, 'utf8')));
}
