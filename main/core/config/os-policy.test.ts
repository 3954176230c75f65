import { describe, expect, it } from 'vitest';
import { toPlistXml } from '../../../test/support/xml';
import {
  decodeOsValue,
  managedPreferencesSource,
  type OsValue,
  osPolicySource,
  parseRegValues,
  type RegRunner,
  registryPolicySource,
} from './os-policy';

// `reg query HKLM\Software\Policies\Tessera` as reg.exe prints it (4-space columns, CRLF).
const REG_OUTPUT = [
  '',
  'HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera',
  '    apiBaseUrl    REG_SZ    https://api.corp.example',
  '    updatesEnabled    REG_DWORD    0x0',
  '    requestTimeoutMs    REG_DWORD    0x4e20',
  '    mePath    REG_SZ    ',
  '    oidcScopes    REG_MULTI_SZ    openid\\0profile',
  '    theme    REG_BINARY    01FF',
  '    Display Name    REG_SZ    with spaces',
  '',
  'HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera\\Recommended',
  '',
].join('\r\n');

describe('parseRegValues()', () => {
  it('reads each value with its type, and skips the header and subkeys', () => {
    expect([...parseRegValues(REG_OUTPUT)]).toEqual([
      ['apiBaseUrl', { type: 'text', text: 'https://api.corp.example' }],
      ['updatesEnabled', { type: 'number', value: 0 }],
      ['requestTimeoutMs', { type: 'number', value: 20_000 }],
      ['mePath', { type: 'text', text: '' }],
      ['oidcScopes', { type: 'text', text: 'openid\nprofile' }],
      ['theme', { type: 'other', name: 'REG_BINARY' }],
      ['Display Name', { type: 'text', text: 'with spaces' }],
    ]);
  });

  it('refuses text reg.exe could not pass in its code page (U+FFFD) instead of using it garbled', () => {
    expect(
      parseRegValues('    oidcProviderName    REG_SZ    \uFFFD\uFFFD SSO').get('oidcProviderName'),
    ).toEqual({
      type: 'other',
      name: 'REG_SZ with characters reg.exe could not pass',
    });
  });
});

describe('decodeOsValue()', () => {
  it.each<[Parameters<typeof decodeOsValue>[0], OsValue, unknown]>([
    ['updatesEnabled', { type: 'number', value: 1 }, true],
    ['updatesEnabled', { type: 'number', value: 0 }, false],
    ['staySignedIn', { type: 'boolean', value: false }, false],
    ['staySignedIn', { type: 'text', text: 'true' }, true],
    ['requestTimeoutMs', { type: 'number', value: 20_000 }, 20_000],
    ['requestTimeoutMs', { type: 'text', text: '20000' }, 20_000],
    ['apiBaseUrl', { type: 'text', text: 'https://api.corp.example' }, 'https://api.corp.example'],
    ['authContract', { type: 'text', text: '{"login":{"path":"/signin"}}' }, { login: { path: '/signin' } }],
    [
      'authContract',
      { type: 'object', value: { login: { path: '/signin' } } },
      { login: { path: '/signin' } },
    ],
  ])('%s from %o → %o', (key, raw, value) => {
    expect(decodeOsValue(key, raw)).toEqual({ ok: true, value });
  });

  it.each<[Parameters<typeof decodeOsValue>[0], OsValue]>([
    ['updatesEnabled', { type: 'number', value: 2 }],
    ['updatesEnabled', { type: 'text', text: 'yes' }],
    ['apiBaseUrl', { type: 'number', value: 1 }],
    ['requestTimeoutMs', { type: 'boolean', value: true }],
    ['theme', { type: 'object', value: {} }],
    ['theme', { type: 'other', name: 'REG_BINARY' }],
    ['authContract', { type: 'text', text: '{not json' }],
  ])('refuses %s from %o', (key, raw) => {
    expect(decodeOsValue(key, raw)).toMatchObject({ ok: false, reason: expect.any(String) });
  });
});

/**
 * A stand-in for reg.exe: the Windows registry cannot be read on this machine (Linux), so these tests
 * mock the one function that runs reg.exe; everything after its output is the real code.
 */
function fakeReg(keys: Record<string, string | 'denied'>): RegRunner & { calls: string[][] } {
  const calls: string[][] = [];
  const run = (args: readonly string[]) => {
    calls.push([...args]);
    const key = args[1] ?? '';
    const found = Object.entries(keys).find(([name]) => name.toLowerCase() === key.toLowerCase())?.[1];
    if (found === 'denied') return { status: 1, stdout: '', stderr: 'ERROR: Access is denied.' };
    if (found !== undefined) return { status: 0, stdout: found, stderr: '' };
    return {
      status: 1,
      stdout: '',
      stderr: 'ERROR: The system was unable to find the specified registry key or value.',
    };
  };
  return Object.assign(run, { calls });
}

const POLICIES_LISTING = (hive: string, withTessera: boolean) =>
  [
    '',
    `${hive}\\Software\\Policies\\Microsoft`,
    ...(withTessera ? [`${hive}\\Software\\Policies\\Tessera`] : []),
    '',
  ].join('\r\n');

describe('registryPolicySource()', () => {
  it('reads HKLM and HKCU, the machine winning key by key, and names where each value came from', () => {
    const reg = fakeReg({
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera':
        '    apiBaseUrl    REG_SZ    https://machine.example\r\n    updatesEnabled    REG_DWORD    0x0\r\n',
      'HKEY_CURRENT_USER\\Software\\Policies\\Tessera':
        '    apiBaseUrl    REG_SZ    https://user.example\r\n    theme    REG_SZ    dark\r\n',
    });
    const read = registryPolicySource(reg).read();
    expect(read.managed).toEqual({
      apiBaseUrl: 'https://machine.example',
      updatesEnabled: false,
      theme: 'dark',
    });
    expect(read.where).toEqual({
      apiBaseUrl: 'registry HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera',
      updatesEnabled: 'registry HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera',
      theme: 'registry HKEY_CURRENT_USER\\Software\\Policies\\Tessera',
    });
    expect(read.problems).toEqual([]);
  });

  it('matches value names without regard to case, as the registry does', () => {
    const reg = fakeReg({
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera': '    APIBASEURL    REG_SZ    https://a.example\r\n',
    });
    expect(registryPolicySource(reg).read().managed).toEqual({ apiBaseUrl: 'https://a.example' });
  });

  it('treats a missing key as no policy (told apart by listing the parent key)', () => {
    const reg = fakeReg({
      'HKEY_LOCAL_MACHINE\\Software\\Policies': POLICIES_LISTING('HKEY_LOCAL_MACHINE', false),
      'HKEY_CURRENT_USER\\Software\\Policies': POLICIES_LISTING('HKEY_CURRENT_USER', false),
    });
    expect(registryPolicySource(reg).read()).toMatchObject({ managed: {}, problems: [] });
  });

  it('fails closed when the key exists but cannot be read, or reg.exe cannot answer at all', () => {
    const denied = fakeReg({
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera': 'denied',
      'HKEY_LOCAL_MACHINE\\Software\\Policies': POLICIES_LISTING('HKEY_LOCAL_MACHINE', true),
      'HKEY_CURRENT_USER\\Software\\Policies': POLICIES_LISTING('HKEY_CURRENT_USER', false),
    });
    expect(registryPolicySource(denied).read().problems).toEqual([
      {
        key: '',
        effect: 'lockAll',
        message:
          'registry HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera cannot be read (reg.exe: ERROR: Access is denied.)',
      },
    ]);
    const cannotRun: RegRunner = () => ({
      status: null,
      stdout: '',
      stderr: 'Error: spawnSync reg.exe ENOENT',
    });
    expect(
      registryPolicySource(cannotRun)
        .read()
        .problems.map((problem) => problem.effect),
    ).toEqual(['lockAll', 'lockAll']);
  });

  it('asks reg.exe once more when it could not start or answer in time, before failing closed', () => {
    const answers = fakeReg({
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera':
        '    apiBaseUrl    REG_SZ    https://api.corp.example\r\n',
      'HKEY_CURRENT_USER\\Software\\Policies': POLICIES_LISTING('HKEY_CURRENT_USER', false),
    });
    const calls: string[] = [];
    // Each command times out the first time it runs (spawnSync: status null, the timeout's error).
    const slowFirst: RegRunner = (args) => {
      const command = args.join(' ');
      calls.push(command);
      if (calls.filter((call) => call === command).length === 1)
        return { status: null, stdout: '', stderr: 'Error: spawnSync reg.exe ETIMEDOUT' };
      return answers(args);
    };
    const read = registryPolicySource(slowFirst).read();
    expect(read.problems).toEqual([]);
    expect(read.managed).toEqual({ apiBaseUrl: 'https://api.corp.example' });
    // Not asked a third time: a reg.exe that keeps failing still fails closed (above).
    expect(Math.max(...calls.map((call) => calls.filter((other) => other === call).length))).toBe(2);
  });

  it('reports unknown values and marks undecodable ones so their key stays locked', () => {
    const reg = fakeReg({
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera':
        '    colour    REG_SZ    red\r\n    updatesEnabled    REG_SZ    maybe\r\n',
      'HKEY_CURRENT_USER\\Software\\Policies': POLICIES_LISTING('HKEY_CURRENT_USER', false),
    });
    expect(registryPolicySource(reg).read().problems).toEqual([
      expect.objectContaining({
        key: 'colour',
        effect: 'report',
        message: expect.stringContaining('unknown setting'),
      }),
      {
        key: 'updatesEnabled',
        effect: 'lockKey',
        message:
          'registry HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera: updatesEnabled must be 1 or 0 (or true / false)',
      },
    ]);
  });
});

/**
 * Stand-ins for the Mac: managed preferences exist only on macOS with a configuration profile
 * installed, so `plutil` (plist → XML) and the file's owner are mocked; the rest is the real code.
 */
function fakeMac(
  files: Record<string, { uid?: number; mode?: number; json?: unknown; xml?: string; unreadable?: string }>,
) {
  return managedPreferencesSource({
    user: 'ana',
    stat: (path) => {
      const file = files[path];
      if (!file) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      return { uid: file.uid ?? 0, mode: file.mode ?? 0o100644 };
    },
    toXml: (path) => {
      const file = files[path];
      if (file?.unreadable) return { ok: false, reason: file.unreadable };
      return { ok: true, xml: file?.xml ?? toPlistXml(file?.json) };
    },
  });
}

const DEVICE = '/Library/Managed Preferences/dev.tessera.desktop.plist';
const USER = '/Library/Managed Preferences/ana/dev.tessera.desktop.plist';

describe('managedPreferencesSource()', () => {
  it('reads the device profile before the user profile, ignoring profile metadata keys', () => {
    const read = fakeMac({
      [DEVICE]: { json: { apiBaseUrl: 'https://device.example', PayloadUUID: 'x', updatesEnabled: false } },
      [USER]: { json: { apiBaseUrl: 'https://user.example', requestTimeoutMs: 20_000 } },
    }).read();
    expect(read.managed).toEqual({
      apiBaseUrl: 'https://device.example',
      updatesEnabled: false,
      requestTimeoutMs: 20_000,
    });
    expect(read.where?.requestTimeoutMs).toBe(`managed preferences ${USER}`);
    expect(read.problems).toEqual([]);
  });

  it('is no policy when no profile is installed', () => {
    expect(fakeMac({}).read()).toMatchObject({ managed: {}, problems: [] });
  });

  it('ignores a file root does not own (a person’s own preferences are not policy), with a warning', () => {
    const read = fakeMac({ [USER]: { uid: 501, json: { updatesEnabled: true } } }).read();
    expect(read.managed).toEqual({});
    expect(read.problems).toEqual([
      expect.objectContaining({
        effect: 'report',
        message: expect.stringMatching(/is not owned by root; ignored$/),
      }),
    ]);
  });

  it('fails closed on a profile plist that cannot be converted', () => {
    const read = fakeMac({ [DEVICE]: { unreadable: 'Property List error: Unexpected character' } }).read();
    expect(read.problems).toEqual([
      expect.objectContaining({ effect: 'lockAll', message: expect.stringContaining('cannot be read') }),
    ]);
  });
});

describe('managedPreferencesSource() with values JSON has no type for', () => {
  // A profile as an MDM may write it: a <date> and <data> beside the settings (plutil -convert json
  // refused the whole file for either, and every admin setting locked).
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>apiBaseUrl</key>
	<string>https://device.example/v1?a=1&amp;b=2</string>
	<key>DeployedAt</key>
	<date>2026-11-30T09:00:00Z</date>
	<key>Signature</key>
	<data>
	AAECAw==
	</data>
	<key>requestTimeoutMs</key>
	<date>2026-11-30T09:00:00Z</date>
	<key>updatesEnabled</key>
	<false/>
</dict>
</plist>
`;

  it('reads the settings beside them; a setting given as a date is refused on its own', () => {
    const read = fakeMac({ [DEVICE]: { xml } }).read();
    expect(read.managed).toEqual({ apiBaseUrl: 'https://device.example/v1?a=1&b=2', updatesEnabled: false });
    // The date and data beside the settings are reported as any unknown key is; the setting given as a
    // date stays locked on its own (no lockAll).
    expect(read.problems).toEqual([
      expect.objectContaining({ key: 'DeployedAt', effect: 'report' }),
      expect.objectContaining({ key: 'Signature', effect: 'report' }),
      expect.objectContaining({
        key: 'requestTimeoutMs',
        effect: 'lockKey',
        message: expect.stringContaining('requestTimeoutMs has an unsupported type (date)'),
      }),
    ]);
  });

  it('fails closed on XML that is not a property list, saying where', () => {
    const read = fakeMac({ [DEVICE]: { xml: '<plist version="1.0"><dict><key>a</key></plist>' } }).read();
    expect(read.problems).toEqual([
      expect.objectContaining({
        effect: 'lockAll',
        message: expect.stringMatching(/cannot be read \(not a property list: .* at character \d+\)$/),
      }),
    ]);
  });
});

describe('osPolicySource()', () => {
  it('is the registry on Windows, managed preferences on macOS and nothing on Linux (policy.json only)', () => {
    expect(osPolicySource('win32')?.name).toMatch(/^registry /);
    expect(osPolicySource('darwin')?.name).toBe('managed preferences dev.tessera.desktop');
    expect(osPolicySource('linux')).toBeUndefined();
  });
});
