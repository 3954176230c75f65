import { describe, expect, it } from 'vitest';
import { parseRegQuery, policyPathFor, windowsProgramData } from './policy-path';

describe('policyPathFor()', () => {
  it('uses /etc/tessera on Linux and other Unixes', () => {
    expect(policyPathFor('linux')).toBe('/etc/tessera/policy.json');
    expect(policyPathFor('freebsd')).toBe('/etc/tessera/policy.json');
  });

  it('uses /Library/Application Support on macOS', () => {
    expect(policyPathFor('darwin')).toBe('/Library/Application Support/Tessera/policy.json');
  });

  it('uses the ProgramData folder it is given on Windows, C:\\ProgramData by default', () => {
    expect(policyPathFor('win32', 'D:\\ProgramData')).toBe('D:\\ProgramData\\Tessera\\policy.json');
    expect(policyPathFor('win32')).toBe('C:\\ProgramData\\Tessera\\policy.json');
  });
});

describe('windowsProgramData()', () => {
  const registry =
    (values: Record<string, string | null>) =>
    (_key: string, value: string): string | null =>
      values[value] ?? null;

  it('reads the folder from the registry and expands %SystemDrive% from SystemRoot', () => {
    expect(
      windowsProgramData(registry({ SystemRoot: 'D:\\WINDOWS', ProgramData: '%SystemDrive%\\ProgramData' })),
    ).toBe('D:\\ProgramData');
    expect(windowsProgramData(registry({ SystemRoot: 'C:\\Windows', ProgramData: 'E:\\Data' }))).toBe(
      'E:\\Data',
    );
  });

  it('falls back to <system drive>\\ProgramData when the value is missing or not an absolute folder', () => {
    expect(windowsProgramData(registry({}))).toBe('C:\\ProgramData');
    expect(windowsProgramData(registry({ SystemRoot: 'F:\\Windows', ProgramData: '%ProgramData%' }))).toBe(
      'F:\\ProgramData',
    );
    expect(windowsProgramData(registry({ ProgramData: 'relative\\dir' }))).toBe('C:\\ProgramData');
  });
});

describe('parseRegQuery()', () => {
  it('reads REG_SZ and REG_EXPAND_SZ values from reg.exe output', () => {
    const output = [
      '',
      'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList',
      '    ProgramData    REG_EXPAND_SZ    %SystemDrive%\\ProgramData',
      '',
    ].join('\r\n');
    expect(parseRegQuery(output, 'ProgramData')).toBe('%SystemDrive%\\ProgramData');
    expect(parseRegQuery(output, 'Default')).toBeNull();
    expect(parseRegQuery('ERROR: The system was unable to find the specified registry key', 'x')).toBeNull();
  });
});
