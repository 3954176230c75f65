import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toPlistXml } from '../../../test/support/xml';
import { policyLayers } from './layers';
import {
  decodeOsValue,
  managedPreferencesSource,
  type OsValue,
  osPolicySource,
  type RegRunner,
  registryPolicySource,
} from './os-policy';

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
    ['updatesEnabled', { type: 'text', text: 'true', plist: true }],
    ['staySignedIn', { type: 'text', text: '0', plist: true }],
  ])('refuses %s from %o', (key, raw) => {
    expect(decodeOsValue(key, raw)).toMatchObject({ ok: false, reason: expect.any(String) });
  });
});

/** A key's script as `reg export` writes it: UTF-16LE with a byte-order mark, CRLF lines. */
function regExportFile(key: string, valueLines: readonly string[]): Buffer {
  const script = ['Windows Registry Editor Version 5.00', '', `[${key}]`, ...valueLines, '', ''].join('\r\n');
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(script, 'utf16le')]);
}

/**
 * A stand-in for reg.exe: the Windows registry cannot be read on this machine (Linux), so these tests
 * mock the one function that runs reg.exe. `export` writes its file for real (into the folder the
 * source made), and everything after it — reading, decoding, cleaning up — is the real code. A key
 * maps to its value lines (as `reg export` writes them), to `denied`, or, for a parent key, to the
 * `reg query` listing of its subkeys.
 */
function fakeReg(
  keys: Record<string, readonly string[] | string | 'denied'>,
): RegRunner & { calls: string[][] } {
  const calls: string[][] = [];
  const run = (args: readonly string[]) => {
    calls.push([...args]);
    const [command = '', key = '', file = ''] = args;
    const found = Object.entries(keys).find(([name]) => name.toLowerCase() === key.toLowerCase())?.[1];
    if (found === 'denied') return { status: 1, stdout: '', stderr: 'ERROR: Access is denied.' };
    if (command === 'export' && Array.isArray(found)) {
      writeFileSync(file, regExportFile(key, found));
      return { status: 0, stdout: 'The operation completed successfully.\r\n', stderr: '' };
    }
    if (command === 'query' && typeof found === 'string') return { status: 0, stdout: found, stderr: '' };
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
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera': [
        '"apiBaseUrl"="https://machine.example"',
        '"updatesEnabled"=dword:00000000',
      ],
      'HKEY_CURRENT_USER\\Software\\Policies\\Tessera': [
        '"apiBaseUrl"="https://user.example"',
        '"theme"="dark"',
      ],
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

  it('keeps text outside the console code page (Korean, accents, emoji), which reg query garbled', () => {
    const reg = fakeReg({
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera': [
        '"oidcProviderName"="사내 SSO — Société 🔐"',
        '"apiBaseUrl"="https://api.corp.example"',
      ],
      'HKEY_CURRENT_USER\\Software\\Policies': POLICIES_LISTING('HKEY_CURRENT_USER', false),
    });
    const read = registryPolicySource(reg).read();
    expect(read.problems).toEqual([]);
    expect(read.managed).toEqual({
      oidcProviderName: '사내 SSO — Société 🔐',
      apiBaseUrl: 'https://api.corp.example',
    });
  });

  it('exports each key into a new private folder under the temporary folder and removes it afterwards', () => {
    const before = new Set(readdirSync(tmpdir()).filter((name) => name.startsWith('tessera-policy-')));
    const reg = fakeReg({
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera': ['"theme"="dark"'],
      'HKEY_CURRENT_USER\\Software\\Policies\\Tessera': ['"theme"="light"'],
    });
    registryPolicySource(reg).read();
    const exports = reg.calls.filter(([command]) => command === 'export');
    expect(exports.map(([, key, , overwrite]) => [key, overwrite])).toEqual([
      ['HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera', '/y'],
      ['HKEY_CURRENT_USER\\Software\\Policies\\Tessera', '/y'],
    ]);
    for (const [, , file = ''] of exports) {
      expect(dirname(dirname(file))).toBe(tmpdir());
      expect(basename(dirname(file))).toMatch(/^tessera-policy-/);
      expect(existsSync(dirname(file))).toBe(false);
    }
    const after = readdirSync(tmpdir()).filter((name) => name.startsWith('tessera-policy-'));
    expect(after.filter((name) => !before.has(name))).toEqual([]);
  });

  it('fails closed, naming the line, when the export cannot be read', () => {
    const reg = fakeReg({
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera': ['"apiBaseUrl"=text:https://a.example'],
      'HKEY_CURRENT_USER\\Software\\Policies': POLICIES_LISTING('HKEY_CURRENT_USER', false),
    });
    const read = registryPolicySource(reg).read();
    expect(read.managed).toEqual({});
    expect(read.problems).toEqual([
      {
        key: '',
        effect: 'lockAll',
        message:
          'registry HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera: registry export line 4: data that is neither a string, dword: nor hex:',
      },
    ]);
  });

  it('fails closed when the export cannot be written to the temporary folder', () => {
    const reg = fakeReg({
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera': ['"theme"="dark"'],
      'HKEY_CURRENT_USER\\Software\\Policies': POLICIES_LISTING('HKEY_CURRENT_USER', false),
    });
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = join(tmpdir(), 'tessera-no-such-folder', 'temp');
    try {
      const read = registryPolicySource(reg).read();
      expect(read.managed).toEqual({});
      expect(read.problems.map(({ effect, message }) => [effect, message])).toEqual([
        [
          'lockAll',
          'registry HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera: its export could not be read (ENOENT)',
        ],
        [
          'lockAll',
          'registry HKEY_CURRENT_USER\\Software\\Policies\\Tessera: its export could not be read (ENOENT)',
        ],
      ]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it('matches value names without regard to case, as the registry does', () => {
    const reg = fakeReg({
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera': ['"APIBASEURL"="https://a.example"'],
    });
    expect(registryPolicySource(reg).read().managed).toEqual({ apiBaseUrl: 'https://a.example' });
  });

  it('refuses a setting one hive names twice in different cases (the same rule as for a profile)', () => {
    // reg.exe cannot write this (the registry's names ignore case), but a key named twice is refused
    // by the code both sources share, whatever the place.
    const reg = fakeReg({
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera': [
        '"UpdatesEnabled"=dword:00000001',
        '"updatesenabled"="0"',
      ],
      'HKEY_CURRENT_USER\\Software\\Policies\\Tessera': ['"updatesEnabled"=dword:00000001'],
    });
    const read = registryPolicySource(reg).read();
    expect(read.managed).toEqual({});
    expect(read.problems).toEqual([
      expect.objectContaining({
        key: 'updatesEnabled',
        effect: 'lockKey',
        message: expect.stringContaining('gives updatesEnabled twice ("UpdatesEnabled", "updatesenabled";'),
      }),
    ]);
  });

  it('reads REG_SZ 1 / 0 / true / false for an on/off setting (documented; only a plist string is refused)', () => {
    const reg = fakeReg({
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera': ['"updatesEnabled"="TRUE"', '"staySignedIn"="0"'],
      'HKEY_CURRENT_USER\\Software\\Policies': POLICIES_LISTING('HKEY_CURRENT_USER', false),
    });
    const read = registryPolicySource(reg).read();
    expect(read.problems).toEqual([]);
    expect(read.managed).toEqual({ updatesEnabled: true, staySignedIn: false });
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
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera': ['"apiBaseUrl"="https://api.corp.example"'],
      'HKEY_CURRENT_USER\\Software\\Policies': POLICIES_LISTING('HKEY_CURRENT_USER', false),
    });
    const calls: string[] = [];
    // Each command times out the first time it runs (spawnSync: status null, the timeout's error).
    const slowFirst: RegRunner = (args) => {
      // The command without its export file, which is new each time (a fresh temporary folder).
      const command = args.slice(0, 2).join(' ');
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
      'HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera': ['"colour"="red"', '"updatesEnabled"="maybe"'],
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

  it('refuses a setting a profile names twice in different cases: neither value, the key locked closed', () => {
    // plutil writes a dictionary's keys sorted, upper case first: the stray "MaxAccounts" came first
    // and won silently. The user profile's value does not fill in for the device's refused one.
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
  <key>MaxAccounts</key><integer>20</integer>
  <key>apiBaseUrl</key><string>https://device.example</string>
  <key>maxAccounts</key><integer>1</integer>
</dict></plist>`;
    const source = fakeMac({ [DEVICE]: { xml }, [USER]: { json: { maxAccounts: 5 } } });
    const read = source.read();
    expect(read.managed).toEqual({ apiBaseUrl: 'https://device.example' });
    expect(read.where?.maxAccounts).toBe(`managed preferences ${DEVICE}`);
    expect(read.problems).toEqual([
      {
        key: 'maxAccounts',
        effect: 'lockKey',
        message: `managed preferences ${DEVICE}: gives maxAccounts twice ("MaxAccounts", "maxAccounts"; names are matched without regard to case); neither value is used`,
      },
    ]);
    const layers = policyLayers(read, { managed: 'policyOs', issues: 'policyOs', label: () => read.name });
    expect(layers.managed.values).toMatchObject({ maxAccounts: 1, apiBaseUrl: 'https://device.example' });
    expect(layers.closed).toEqual(['maxAccounts']);
  });

  it('refuses a <string> for an on/off setting (locked closed), but reads one for a number or text', () => {
    // "TRUE" and "1" read as on through the environment variable's decoder: updates turned on, and the
    // refresh token kept, by a profile the IT guide says locks them off.
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
  <key>updatesEnabled</key><string>TRUE</string>
  <key>staySignedIn</key><string>1</string>
  <key>requestTimeoutMs</key><string>20000</string>
  <key>apiBaseUrl</key><string>https://device.example</string>
</dict></plist>`;
    const read = fakeMac({ [DEVICE]: { xml } }).read();
    expect(read.managed).toEqual({
      requestTimeoutMs: 20_000,
      apiBaseUrl: 'https://device.example',
    });
    expect(read.problems).toEqual(
      ['updatesEnabled', 'staySignedIn'].map((key) => ({
        key,
        effect: 'lockKey',
        message: `managed preferences ${DEVICE}: ${key} must be <true/> or <false/> (or an <integer> 1 or 0), not a <string>`,
      })),
    );
    const layers = policyLayers(read, { managed: 'policyOs', issues: 'policyOs', label: () => read.name });
    expect(layers.managed.values).toMatchObject({ updatesEnabled: false, staySignedIn: false });
    expect(layers.closed).toEqual(['updatesEnabled', 'staySignedIn']);
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
