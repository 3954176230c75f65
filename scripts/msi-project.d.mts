// Types for msi-project.mjs (electron-builder's msiProjectCreated hook).
export declare const MSI_PROPERTIES: Readonly<{
  apiUrl: 'TESSERA_API_URL';
  noDesktopShortcut: 'TESSERA_NO_DESKTOP_SHORTCUT';
}>;
export declare const MSI_POLICY_VALUE: Readonly<{ root: 'HKLM'; key: string; name: string }>;
/** Where the MSI remembers TESSERA_NO_DESKTOP_SHORTCUT for upgrades. */
export declare const MSI_REMEMBERED_SHORTCUT: Readonly<{ root: 'HKLM'; key: string; name: string }>;
/** Returns electron-builder's project.wxs with the Tessera properties and their components added. */
export declare function customizeMsiProject(xml: string): string;
export default function msiProjectCreated(projectFile: string): Promise<void>;
