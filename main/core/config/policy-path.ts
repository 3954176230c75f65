import { spawnSync } from 'node:child_process';
import { posix, win32 } from 'node:path';

/**
 * Where IT puts the machine-wide policy file on each OS (outside any user-writable directory). On
 * Windows the ProgramData folder comes from the system (`windowsProgramData()`), never from the
 * process environment: a person could start the app with another `ProgramData` and escape every lock.
 */
export function policyPathFor(platform: string, programData = 'C:\\ProgramData'): string {
  if (platform === 'win32') return win32.join(programData, 'Tessera', 'policy.json');
  if (platform === 'darwin') return posix.join('/Library/Application Support', 'Tessera', 'policy.json');
  // Linux and the other Unixes share the FHS location.
  return posix.join('/etc', 'tessera', 'policy.json');
}

/** Reads one registry value (`reg query`), or null when it is missing or `reg` fails. */
export type RegistryQuery = (key: string, value: string) => string | null;

/** The ProgramData folder as the registry records it, `%SystemDrive%` expanded from SystemRoot. */
export function windowsProgramData(query: RegistryQuery): string {
  const systemRoot = query('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', 'SystemRoot');
  const drive = /^[A-Za-z]:/.exec(systemRoot ?? '')?.[0] ?? 'C:';
  const recorded = query('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList', 'ProgramData');
  const expanded = (recorded ?? '%SystemDrive%\\ProgramData').replace(/%SystemDrive%/gi, drive);
  // Anything still unexpanded or relative is not a folder we can trust: fall back to the fixed default.
  return /^[A-Za-z]:\\/.test(expanded) && !expanded.includes('%') ? expanded : `${drive}\\ProgramData`;
}

/** The value named `value` in `reg query` output (`    Name    REG_SZ    data`), or null. */
export function parseRegQuery(output: string, value: string): string | null {
  for (const line of output.split(/\r?\n/)) {
    const match = /^\s+(\S+)\s+REG_(?:EXPAND_)?SZ\s+(.*)$/.exec(line);
    if (match && match[1]?.toLowerCase() === value.toLowerCase()) return match[2]?.trim() || null;
  }
  return null;
}

/** Where Windows keeps its own tools: started by full path, so PATH cannot substitute others. */
export const WINDOWS_SYSTEM32 = win32.join('C:\\Windows', 'System32');

/** `reg query` through the system's own reg.exe. */
export const regQuery: RegistryQuery = (key, value) => {
  const result = spawnSync(win32.join(WINDOWS_SYSTEM32, 'reg.exe'), ['query', key, '/v', value], {
    encoding: 'utf8',
    windowsHide: true,
    timeout: 5000,
  });
  return result.status === 0 ? parseRegQuery(result.stdout, value) : null;
};
