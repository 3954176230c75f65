import { spawnSync } from 'node:child_process';
import { win32 } from 'node:path';
import { WINDOWS_SYSTEM32 } from './policy-path';

/**
 * Who may change the Windows policy file. POSIX has owner and mode bits; Windows has an owner and an
 * access-control list, read here through the system's own PowerShell (`Get-Acl`) as SIDs, so the
 * judgement does not depend on the display language ("Administrators" is "Administratoren" in German).
 */

/** One access-control entry as `Get-Acl` reports it. */
export interface AclEntry {
  /** The principal's security identifier (S-1-…). */
  sid: string;
  /** The FileSystemRights mask (may arrive negative: generic bits in a signed 32-bit value). */
  rights: number;
  allow: boolean;
  /** Applies only to children created later, not to the object itself. */
  inheritOnly: boolean;
}

/** The owner and entries of one file or folder. */
export interface ObjectAcl {
  owner: string;
  entries: AclEntry[];
}

/** The policy file's ACL and its folder's (whoever may delete or rename in the folder may replace it). */
export interface PolicyAcl {
  file: ObjectAcl;
  folder: ObjectAcl;
}

/** Principals that are administrators by definition: LocalSystem, BUILTIN\Administrators, TrustedInstaller. */
export const ADMIN_SIDS: ReadonlySet<string> = new Set([
  'S-1-5-18',
  'S-1-5-32-544',
  'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464',
]);

// Rights that let a principal change what the file says, or take it over.
const WRITE_DATA = 0x2;
const APPEND_DATA = 0x4;
const DELETE_CHILD = 0x40;
const DELETE = 0x1_0000;
const WRITE_DAC = 0x4_0000;
const WRITE_OWNER = 0x8_0000;
const GENERIC_ALL = 0x1000_0000;
const GENERIC_WRITE = 0x4000_0000;
const FILE_WRITE_RIGHTS =
  WRITE_DATA | APPEND_DATA | DELETE | WRITE_DAC | WRITE_OWNER | GENERIC_ALL | GENERIC_WRITE;
// In the folder, adding files is harmless (a new policy.json would be owned by its creator, which the
// owner check refuses); deleting or renaming the file, or taking the folder over, is not.
const FOLDER_REPLACE_RIGHTS = DELETE_CHILD | DELETE | WRITE_DAC | WRITE_OWNER | GENERIC_ALL;

/** The first principal other than administrators that `mask` grants on `acl`, or null. */
function nonAdminWith(acl: ObjectAcl, mask: number): string | null {
  for (const entry of acl.entries) {
    if (!entry.allow || entry.inheritOnly || ADMIN_SIDS.has(entry.sid)) continue;
    // CREATOR OWNER on the object itself stands for its owner, judged by the owner check.
    if (entry.sid === 'S-1-3-0') continue;
    if (((entry.rights >>> 0) & mask) !== 0) return entry.sid;
  }
  return null;
}

/**
 * Why the policy file's ACL makes it untrustworthy, or null when only administrators can change it.
 * Deny entries are not credited: a file that needs one to be safe is reported (fail closed).
 */
export function windowsAclProblem(acl: PolicyAcl): string | null {
  if (!ADMIN_SIDS.has(acl.file.owner)) return `is owned by ${acl.file.owner}, not by administrators`;
  const writer = nonAdminWith(acl.file, FILE_WRITE_RIGHTS);
  if (writer !== null) return `is writable by ${writer}, not only by administrators`;
  if (!ADMIN_SIDS.has(acl.folder.owner))
    return `is in a folder owned by ${acl.folder.owner}, not by administrators`;
  const replacer = nonAdminWith(acl.folder, FOLDER_REPLACE_RIGHTS);
  if (replacer !== null) return `is in a folder where ${replacer} may replace it`;
  return null;
}

function parseObjectAcl(value: unknown): ObjectAcl | null {
  if (typeof value !== 'object' || value === null) return null;
  const { owner, aces } = value as { owner?: unknown; aces?: unknown };
  // PowerShell's ConvertTo-Json writes a one-element array as the element itself.
  const list = Array.isArray(aces) ? aces : aces === undefined || aces === null ? [] : [aces];
  if (typeof owner !== 'string') return null;
  const entries: AclEntry[] = [];
  for (const ace of list) {
    const { sid, rights, allow, inheritOnly } = (ace ?? {}) as Record<string, unknown>;
    if (typeof sid !== 'string' || typeof rights !== 'number' || typeof allow !== 'boolean') return null;
    entries.push({ sid, rights, allow, inheritOnly: inheritOnly === true });
  }
  return { owner, entries };
}

/** The JSON READ_ACL_SCRIPT prints, or null when it is not that shape. */
export function parsePolicyAcl(output: string): PolicyAcl | null {
  let data: unknown;
  try {
    data = JSON.parse(output.trim());
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const file = parseObjectAcl((data as { file?: unknown }).file);
  const folder = parseObjectAcl((data as { folder?: unknown }).folder);
  return file && folder ? { file, folder } : null;
}

/**
 * Reads the owner and entries (as SIDs) of the file named by TESSERA_POLICY_PATH and of its folder. The
 * path travels in the environment, never inside the script text.
 */
export const READ_ACL_SCRIPT = [
  "$ErrorActionPreference = 'Stop'",
  'function Read-Acl($path) {',
  '  $acl = Get-Acl -LiteralPath $path',
  '  $sid = [System.Security.Principal.SecurityIdentifier]',
  '  @{ owner = $acl.GetOwner($sid).Value; aces = @($acl.GetAccessRules($true, $true, $sid) | ForEach-Object {',
  '    @{ sid = $_.IdentityReference.Value; rights = [int64]$_.FileSystemRights;',
  "       allow = ($_.AccessControlType -eq 'Allow'); inheritOnly = (($_.PropagationFlags -band 2) -ne 0) } }) }",
  '}',
  '$file = $env:TESSERA_POLICY_PATH',
  '@{ file = (Read-Acl $file); folder = (Read-Acl (Split-Path -LiteralPath $file -Parent)) } | ConvertTo-Json -Compress -Depth 5',
].join('\n');

/** Reads the policy file's ACL with the system's PowerShell (by full path, so PATH cannot substitute one). */
export function readWindowsPolicyAcl(path: string): PolicyAcl {
  const powershell = win32.join(WINDOWS_SYSTEM32, 'WindowsPowerShell', 'v1.0', 'powershell.exe');
  const result = spawnSync(
    powershell,
    ['-NoProfile', '-NonInteractive', '-ExecutionPolicy', 'Bypass', '-Command', READ_ACL_SCRIPT],
    {
      encoding: 'utf8',
      windowsHide: true,
      timeout: 10_000,
      env: { ...process.env, TESSERA_POLICY_PATH: path },
    },
  );
  const acl = result.status === 0 ? parsePolicyAcl(result.stdout) : null;
  if (acl === null)
    throw new Error(`its permissions could not be read (PowerShell exit ${String(result.status)})`);
  return acl;
}
