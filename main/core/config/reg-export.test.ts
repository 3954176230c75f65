import { describe, expect, it } from 'vitest';
import { parseRegExport } from './reg-export';

const KEY = 'HKEY_LOCAL_MACHINE\\Software\\Policies\\Tessera';

/** Script text as `reg export` writes it: UTF-16LE after a byte-order mark. */
function utf16(script: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(script, 'utf16le')]);
}

/** An export of KEY holding `lines`, CRLF line ends, then a subkey, as reg.exe writes one. */
function exportOf(lines: readonly string[]): Buffer {
  return utf16(
    [
      'Windows Registry Editor Version 5.00',
      '',
      `[${KEY}]`,
      ...lines,
      '',
      `[${KEY}\\Recommended]`,
      '"theme"="light"',
      '',
      '',
    ].join('\r\n'),
  );
}

describe('parseRegExport()', () => {
  it('reads every type the policy templates write, and text in any script', () => {
    const read = parseRegExport(
      exportOf([
        '@="default value"',
        '"apiBaseUrl"="https://api.corp.example"',
        '"oidcProviderName"="사내 SSO — Société 🔐"',
        '"quoted"="say \\"hi\\" C:\\\\path\\\\"',
        '"Display Name"=""',
        '"updatesEnabled"=dword:00000000',
        '"requestTimeoutMs"=dword:00004e20',
        '"big"=hex(b):00,e4,0b,54,02,00,00,00',
        // REG_MULTI_SZ "openid", "profile": regedit wraps a long hex line after "\" and two spaces.
        '"oidcScopes"=hex(7):6f,00,70,00,65,00,6e,00,69,00,64,00,00,00,70,00,72,00,6f,\\',
        '  00,66,00,69,00,6c,00,65,00,00,00,00,00',
        // REG_EXPAND_SZ "%ProgramData%" (not expanded: no setting takes a path with variables).
        '"expand"=hex(2):25,00,50,00,72,00,6f,00,67,00,72,00,61,00,6d,00,44,00,61,00,74,\\',
        '  00,61,00,25,00,00,00',
        '"binary"=hex:01,ff',
        '"empty binary"=hex:',
        '"none"=hex(0):',
      ]),
      KEY,
    );
    expect(read.ok && [...read.values]).toEqual([
      ['', { type: 'text', text: 'default value' }],
      ['apiBaseUrl', { type: 'text', text: 'https://api.corp.example' }],
      ['oidcProviderName', { type: 'text', text: '사내 SSO — Société 🔐' }],
      ['quoted', { type: 'text', text: 'say "hi" C:\\path\\' }],
      ['Display Name', { type: 'text', text: '' }],
      ['updatesEnabled', { type: 'number', value: 0 }],
      ['requestTimeoutMs', { type: 'number', value: 20_000 }],
      ['big', { type: 'number', value: 10_000_000_000 }],
      ['oidcScopes', { type: 'text', text: 'openid\nprofile' }],
      ['expand', { type: 'text', text: '%ProgramData%' }],
      ['binary', { type: 'other', name: 'REG_BINARY' }],
      ['empty binary', { type: 'other', name: 'REG_BINARY' }],
      ['none', { type: 'other', name: 'REG_NONE' }],
    ]);
  });

  it('reads only the key asked for (any case), not its subkeys or other keys', () => {
    const read = parseRegExport(exportOf(['"theme"="dark"']), KEY.toLowerCase());
    expect(read.ok && [...read.values]).toEqual([['theme', { type: 'text', text: 'dark' }]]);
  });

  it('keeps a line break inside a string as it was written', () => {
    const script = [
      'Windows Registry Editor Version 5.00',
      '',
      `[${KEY}]`,
      '"a"="one\r\ntwo\nthree"',
      '"b"="after"',
      '',
    ].join('\r\n');
    const read = parseRegExport(utf16(script), KEY);
    expect(read.ok && [...read.values]).toEqual([
      ['a', { type: 'text', text: 'one\r\ntwo\nthree' }],
      ['b', { type: 'text', text: 'after' }],
    ]);
  });

  it('reads REG_SZ and REG_DWORD written as hex(1) and hex(4), with or without the closing NUL', () => {
    const read = parseRegExport(
      exportOf([
        '"a"=hex(1):61,00,62,00,00,00',
        '"b"=hex(1):61,00,62,00',
        '"c"=hex(4):20,4e,00,00',
        '"d"=hex(4):20,4e',
        '"e"=hex(1):61,00,62',
      ]),
      KEY,
    );
    expect(read.ok && [...read.values]).toEqual([
      ['a', { type: 'text', text: 'ab' }],
      ['b', { type: 'text', text: 'ab' }],
      ['c', { type: 'number', value: 20_000 }],
      ['d', { type: 'other', name: 'REG_DWORD' }],
      ['e', { type: 'other', name: 'REG_SZ of an odd length' }],
    ]);
  });

  it('marks a value no setting could mean instead of passing it on changed', () => {
    const read = parseRegExport(
      exportOf([
        // Half of a UTF-16 pair (D83D without its second half).
        '"lone"=hex(1):3d,d8,61,00,00,00',
        '"huge"=hex(b):ff,ff,ff,ff,ff,ff,ff,ff',
        '"big endian"=hex(5):00,00,00,01',
        '"future type"=hex(ffff):00',
      ]),
      KEY,
    );
    expect(read.ok && [...read.values]).toEqual([
      ['lone', { type: 'other', name: 'REG_SZ that is not well-formed Unicode' }],
      ['huge', { type: 'other', name: 'REG_QWORD above 2^53' }],
      ['big endian', { type: 'other', name: 'REG_DWORD_BIG_ENDIAN' }],
      ['future type', { type: 'other', name: 'registry type 65535' }],
    ]);
  });

  it.each([
    [
      'no byte-order mark',
      Buffer.from('Windows Registry Editor Version 5.00\r\n', 'utf16le'),
      'no UTF-16 byte-order mark',
    ],
    ['an old REGEDIT4 script', utf16('REGEDIT4\r\n\r\n'), 'first line is not'],
    [
      'no section for the key',
      utf16('Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\Other]\r\n'),
      `no section [${KEY}]`,
    ],
    [
      'an unclosed key line',
      exportOf(['[HKEY_LOCAL_MACHINE\\Software']),
      'line 4: a key line without its closing "]"',
    ],
    [
      'a value without a quoted name',
      exportOf(['apiBaseUrl="x"']),
      'line 4: a value line that does not start with a quoted name',
    ],
    ['a name without "="', exportOf(['"apiBaseUrl" "x"']), 'line 4: a value name not followed by "="'],
    ['an unknown escape', exportOf(['"a"="\\n"']), 'line 4: an unknown escape "\\n"'],
    ['text after the closing quote', exportOf(['"a"="x" y']), 'line 4: text after a closing quote'],
    ['a short dword', exportOf(['"a"=dword:1']), 'line 4: data that is neither'],
    ['a bad hex byte', exportOf(['"a"=hex:0g']), 'line 4: data that is neither'],
  ])('refuses %s, naming what is wrong', (_what, bytes, reason) => {
    const read = parseRegExport(bytes, KEY);
    expect(read.ok).toBe(false);
    expect(!read.ok && read.reason).toContain(reason);
  });

  it('refuses a string that never ends, naming the line it starts on', () => {
    const script = ['Windows Registry Editor Version 5.00', '', `[${KEY}]`, '"a"="open', 'still open'].join(
      '\r\n',
    );
    expect(parseRegExport(utf16(script), KEY)).toEqual({
      ok: false,
      reason: 'registry export line 4: a string that never ends',
    });
  });
});
