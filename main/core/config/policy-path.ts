import { posix, win32 } from 'node:path';

/** Where IT puts the machine-wide policy file on each OS (outside any user-writable directory). */
export function policyPathFor(platform: string, env: Readonly<Record<string, string | undefined>>): string {
  if (platform === 'win32') {
    // A plain env object is case-sensitive, unlike Windows' own environment block.
    const programData = env.ProgramData ?? env.PROGRAMDATA ?? env.ALLUSERSPROFILE ?? 'C:\\ProgramData';
    return win32.join(programData, 'Tessera', 'policy.json');
  }
  if (platform === 'darwin') return posix.join('/Library/Application Support', 'Tessera', 'policy.json');
  // Linux and the other Unixes share the FHS location.
  return posix.join('/etc', 'tessera', 'policy.json');
}
