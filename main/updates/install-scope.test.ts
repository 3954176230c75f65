import { describe, expect, it } from 'vitest';
import { detectInstall, type InstallFacts, updateTargetDir } from './install-scope';

const WIN_ENV = {
  ProgramFiles: 'C:\\Program Files',
  'ProgramFiles(x86)': 'C:\\Program Files (x86)',
  ProgramW6432: 'C:\\Program Files',
  LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local',
};

function facts(overrides: Partial<InstallFacts>): InstallFacts {
  return {
    platform: 'win32',
    execPath: '',
    env: WIN_ENV,
    targetDirWritable: true,
    nsisUninstaller: true,
    ...overrides,
  };
}

describe('detectInstall() on Windows', () => {
  it('treats an install under Program Files as per-machine (NSIS /allusers, MSI)', () => {
    const install = detectInstall(facts({ execPath: 'C:\\Program Files\\Tessera\\Tessera.exe' }));
    expect(install).toEqual({ platform: 'win32', perMachine: true });
  });

  it('compares Program Files case-insensitively and also knows the 32-bit folder', () => {
    expect(detectInstall(facts({ execPath: 'c:\\program files\\Tessera\\Tessera.exe' })).perMachine).toBe(
      true,
    );
    expect(
      detectInstall(facts({ execPath: 'C:\\Program Files (x86)\\Tessera\\Tessera.exe' })).perMachine,
    ).toBe(true);
  });

  it('treats the NSIS per-user location as per-user', () => {
    const execPath = 'C:\\Users\\ana\\AppData\\Local\\Programs\\Tessera\\Tessera.exe';
    expect(detectInstall(facts({ execPath }))).toEqual({ platform: 'win32', perMachine: false });
  });

  it('does not mistake a sibling folder that only starts like Program Files', () => {
    const execPath = 'C:\\Program Files Custom\\Tessera\\Tessera.exe';
    expect(detectInstall(facts({ execPath })).perMachine).toBe(false);
  });

  it('treats a custom folder the user cannot write (/D= with /allusers) as per-machine', () => {
    const install = detectInstall(
      facts({ execPath: 'D:\\Apps\\Tessera\\Tessera.exe', targetDirWritable: false }),
    );
    expect(install.perMachine).toBe(true);
  });

  // The MSI installs no `Uninstall Tessera.exe`; with APPLICATIONFOLDER on a data drive its folder is
  // often writable by every user (the drive's default ACL), and electron-updater would then run the NSIS
  // installer, which installs a second, per-user copy next to the MSI's instead of updating it.
  it('treats a copy without the NSIS uninstaller (the MSI, in any folder) as per-machine', () => {
    const execPath = 'D:\\Apps\\Tessera\\Tessera.exe';
    expect(detectInstall(facts({ execPath, nsisUninstaller: false }))).toEqual({
      platform: 'win32',
      perMachine: true,
    });
    expect(detectInstall(facts({ execPath })).perMachine).toBe(false);
  });

  it('falls back to the default Program Files folders when the environment lacks them', () => {
    const install = detectInstall(facts({ env: {}, execPath: 'C:\\Program Files\\Tessera\\Tessera.exe' }));
    expect(install.perMachine).toBe(true);
  });

  it('recognises electron-builder portable executables', () => {
    const env = { ...WIN_ENV, PORTABLE_EXECUTABLE_DIR: 'E:\\' };
    expect(detectInstall(facts({ env, execPath: 'C:\\Temp\\x\\Tessera.exe' }))).toMatchObject({
      portable: true,
    });
  });
});

describe('detectInstall() on Linux and macOS', () => {
  it('treats a user-writable AppImage as per-user', () => {
    const install = detectInstall({
      platform: 'linux',
      execPath: '/tmp/.mount_TesseXYZ/tessera',
      env: { APPIMAGE: '/home/ana/Apps/Tessera-1.0.0-x86_64.AppImage' },
      targetDirWritable: true,
    });
    expect(install).toEqual({ platform: 'linux', perMachine: false, appImage: true });
  });

  it('treats deb and rpm installs as per-machine', () => {
    for (const packageType of ['deb', 'rpm\n']) {
      const install = detectInstall({
        platform: 'linux',
        execPath: '/opt/Tessera/tessera',
        env: {},
        packageType,
        targetDirWritable: false,
      });
      expect(install).toEqual({ platform: 'linux', perMachine: true });
    }
  });

  it('treats an unpacked Linux folder as portable', () => {
    const install = detectInstall({
      platform: 'linux',
      execPath: '/home/ana/t/tessera',
      env: {},
      targetDirWritable: true,
    });
    expect(install).toMatchObject({ portable: true });
  });

  it('treats a macOS bundle in a folder the user cannot write (MDM) as per-machine', () => {
    const execPath = '/Applications/Tessera.app/Contents/MacOS/Tessera';
    expect(
      detectInstall({ platform: 'darwin', execPath, env: {}, targetDirWritable: false }).perMachine,
    ).toBe(true);
    expect(detectInstall({ platform: 'darwin', execPath, env: {}, targetDirWritable: true }).perMachine).toBe(
      false,
    );
  });
});

describe('updateTargetDir()', () => {
  it('is the folder that holds the .app bundle on macOS', () => {
    expect(updateTargetDir('darwin', '/Applications/Tessera.app/Contents/MacOS/Tessera', {})).toBe(
      '/Applications',
    );
  });

  it("is the AppImage's folder when running from an AppImage", () => {
    const env = { APPIMAGE: '/home/ana/Apps/Tessera.AppImage' };
    expect(updateTargetDir('linux', '/tmp/.mount_x/tessera', env)).toBe('/home/ana/Apps');
  });

  it('is the install folder on Windows', () => {
    expect(updateTargetDir('win32', 'C:\\Program Files\\Tessera\\Tessera.exe', {})).toBe(
      'C:\\Program Files\\Tessera',
    );
  });
});
