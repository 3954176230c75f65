import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  decideInstall,
  hasPublisherName,
  type InstallTrustInput,
  isDeveloperSigned,
  updateTarget,
} from './install-trust';

function input(overrides: Partial<InstallTrustInput>): InstallTrustInput {
  return { platform: 'linux', target: 'appimage', signedBuild: false, publicKey: false, ...overrides };
}

describe('decideInstall()', () => {
  it('Windows: installs only a signed build (electron-updater checks the publisher), else notifies', () => {
    expect(decideInstall(input({ platform: 'win32', target: 'nsis', signedBuild: true }))).toEqual({
      action: 'install',
      verifiedBy: 'windows-publisher',
    });
    expect(decideInstall(input({ platform: 'win32', target: 'nsis', signedBuild: false }))).toMatchObject({
      action: 'notify',
      reason: expect.stringMatching(/unsigned/),
    });
  });

  it('Windows, signed, with a key: the installer is checked against its signed statement too', () => {
    const signed = input({ platform: 'win32', target: 'nsis', signedBuild: true, publicKey: true });
    expect(decideInstall(signed)).toEqual({
      action: 'verify-download',
      verifiedBy: 'windows-publisher+ed25519',
    });
    expect(decideInstall({ ...signed, signatureValid: true })).toEqual({
      action: 'install',
      verifiedBy: 'windows-publisher+ed25519',
    });
    expect(decideInstall({ ...signed, signatureValid: false })).toMatchObject({
      action: 'notify',
      reason: expect.stringMatching(/not signed with the key/),
    });
  });

  it('only notifies when the keys built in cannot be read, rather than check less than the build meant', () => {
    const unreadable = { publicKey: false, keyUnreadable: true };
    expect(
      decideInstall(input({ platform: 'win32', target: 'nsis', signedBuild: true, ...unreadable })),
    ).toMatchObject({
      action: 'notify',
      reason: expect.stringMatching(/key built into this build cannot be read/),
    });
    expect(decideInstall(input({ ...unreadable }))).toMatchObject({
      action: 'notify',
      reason: expect.stringMatching(/cannot be read/),
    });
    // One readable key among unreadable ones is enough.
    expect(
      decideInstall(
        input({ platform: 'win32', target: 'nsis', signedBuild: true, publicKey: true, keyUnreadable: true }),
      ),
    ).toMatchObject({ action: 'verify-download' });
  });

  it('Windows: an Ed25519 key does not replace the code signature', () => {
    const decision = decideInstall(input({ platform: 'win32', target: 'nsis', publicKey: true }));
    expect(decision.action).toBe('notify');
  });

  it('macOS: installs only a signed app, else notifies', () => {
    expect(decideInstall(input({ platform: 'darwin', target: 'mac-zip', signedBuild: true }))).toEqual({
      action: 'install',
      verifiedBy: 'macos-code-signature',
    });
    expect(decideInstall(input({ platform: 'darwin', target: 'mac-zip' })).action).toBe('notify');
  });

  it('Linux: without a built-in key only notifies, whatever else is true', () => {
    for (const target of ['appimage', 'deb', 'rpm'] as const) {
      for (const signatureValid of [undefined, true, false]) {
        const decision = decideInstall(input({ target, signedBuild: true, signatureValid }));
        expect(decision).toMatchObject({
          action: 'notify',
          reason: expect.stringMatching(/no update signing key/),
        });
      }
    }
  });

  it('Linux with a key: download and verify first, install only a verified file', () => {
    expect(decideInstall(input({ publicKey: true }))).toEqual({
      action: 'verify-download',
      verifiedBy: 'ed25519',
    });
    expect(decideInstall(input({ publicKey: true, signatureValid: true }))).toEqual({
      action: 'install',
      verifiedBy: 'ed25519',
    });
    expect(decideInstall(input({ publicKey: true, signatureValid: false }))).toMatchObject({
      action: 'notify',
      reason: expect.stringMatching(/not signed with the key/),
    });
  });

  it('notifies for anything it has no verified path for', () => {
    const cases: InstallTrustInput[] = [
      input({ target: 'none', publicKey: true, signatureValid: true }),
      input({ platform: 'win32', target: 'none', signedBuild: true }),
      input({ platform: 'darwin', target: 'nsis', signedBuild: true }),
      input({
        platform: 'freebsd',
        target: 'appimage',
        signedBuild: true,
        publicKey: true,
        signatureValid: true,
      }),
    ];
    for (const given of cases) expect(decideInstall(given).action).toBe('notify');
  });
});

describe('updateTarget()', () => {
  it('names what electron-updater installs for each kind of install', () => {
    expect(updateTarget({ platform: 'win32', perMachine: false })).toBe('nsis');
    expect(updateTarget({ platform: 'darwin', perMachine: false })).toBe('mac-zip');
    expect(updateTarget({ platform: 'linux', perMachine: false, appImage: true })).toBe('appimage');
    expect(updateTarget({ platform: 'linux', perMachine: true }, 'deb\n')).toBe('deb');
    expect(updateTarget({ platform: 'linux', perMachine: true }, 'rpm')).toBe('rpm');
    expect(updateTarget({ platform: 'linux', perMachine: false, portable: true })).toBe('none');
    expect(updateTarget({ platform: 'linux', perMachine: false }, 'pacman')).toBe('none');
    expect(updateTarget({ platform: 'win32', perMachine: false, portable: true })).toBe('none');
  });
});

describe('hasPublisherName()', () => {
  // electron-builder's own YAML writer, as it writes app-update.yml into the packaged app.
  const { serializeToYaml } = createRequire(import.meta.url)('builder-util') as {
    serializeToYaml(value: object): string;
  };
  const base = { provider: 'generic', url: 'https://updates.tessera.invalid/', channel: 'latest' };

  it('finds the publisher list electron-builder writes for a signed build', () => {
    const yml = serializeToYaml({
      ...base,
      publisherName: ['Tessera Corp'],
      updaterCacheDirName: 'tessera-updater',
    });
    expect(yml).toContain('publisherName:');
    expect(hasPublisherName(yml)).toBe(true);
    const dn = serializeToYaml({ ...base, publisherName: ['CN=Tessera Corp, O=Tessera Corp, C=DE'] });
    expect(hasPublisherName(dn)).toBe(true);
  });

  it('finds none in an unsigned build, a missing file, or an empty value', () => {
    expect(hasPublisherName(serializeToYaml({ ...base, updaterCacheDirName: 'tessera-updater' }))).toBe(
      false,
    );
    expect(hasPublisherName('')).toBe(false);
    expect(hasPublisherName(serializeToYaml({ ...base, publisherName: [] }))).toBe(false);
    expect(hasPublisherName('publisherName: null\nprovider: generic\n')).toBe(false);
    expect(hasPublisherName('publisherName:\nprovider: generic\n')).toBe(false);
    expect(hasPublisherName('# publisherName: Tessera Corp\n')).toBe(false);
  });

  it('accepts a single inline name', () => {
    expect(hasPublisherName('provider: generic\npublisherName: Tessera Corp\n')).toBe(true);
  });
});

describe('isDeveloperSigned()', () => {
  const signed = [
    'Executable=/Applications/Tessera.app/Contents/MacOS/Tessera',
    'Identifier=dev.tessera.desktop',
    'Format=app bundle with Mach-O thin (arm64)',
    'CodeDirectory v=20500 size=1234 flags=0x10000(runtime) hashes=27+7 location=embedded',
    'Authority=Developer ID Application: Tessera Corp (ABCDE12345)',
    'Authority=Developer ID Certification Authority',
    'Authority=Apple Root CA',
    'Timestamp=1 Jan 2026 at 12:00:00',
    'TeamIdentifier=ABCDE12345',
  ].join('\n');
  const adhoc = [
    'Executable=/Applications/Tessera.app/Contents/MacOS/Tessera',
    'Identifier=Tessera',
    'CodeDirectory v=20400 size=1234 flags=0x20002(adhoc,linker-signed) hashes=27+0 location=embedded',
    'Signature=adhoc',
    'TeamIdentifier=not set',
  ].join('\n');

  it('is true for a Developer ID signature and false for the ad-hoc one of unsigned builds', () => {
    expect(isDeveloperSigned(signed)).toBe(true);
    expect(isDeveloperSigned(adhoc)).toBe(false);
  });

  it('is false when codesign said nothing or the team is missing', () => {
    expect(isDeveloperSigned('')).toBe(false);
    expect(isDeveloperSigned('/Applications/Tessera.app: code object is not signed at all')).toBe(false);
    expect(isDeveloperSigned(signed.replace(/^TeamIdentifier=.*$/m, ''))).toBe(false);
  });
});
