import { describe, expect, it } from 'vitest';
import { policyPathFor } from './policy-path';

describe('policyPathFor()', () => {
  it('uses /etc/tessera on Linux and other Unixes', () => {
    expect(policyPathFor('linux', {})).toBe('/etc/tessera/policy.json');
    expect(policyPathFor('freebsd', {})).toBe('/etc/tessera/policy.json');
  });

  it('uses /Library/Application Support on macOS', () => {
    expect(policyPathFor('darwin', { HOME: '/Users/kim' })).toBe(
      '/Library/Application Support/Tessera/policy.json',
    );
  });

  it('uses %ProgramData% on Windows, with the usual fallback', () => {
    expect(policyPathFor('win32', { ProgramData: 'D:\\ProgramData' })).toBe(
      'D:\\ProgramData\\Tessera\\policy.json',
    );
    expect(policyPathFor('win32', { PROGRAMDATA: 'E:\\PD' })).toBe('E:\\PD\\Tessera\\policy.json');
    expect(policyPathFor('win32', {})).toBe('C:\\ProgramData\\Tessera\\policy.json');
  });
});
