// The Windows policy-file permission rule, judged from owner and ACL as SIDs. PowerShell cannot run
// here (Linux): the inputs are the JSON READ_ACL_SCRIPT prints, written out by hand from the default
// ProgramData permissions and the ways a policy file ends up writable by a user.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPolicyFile } from './layers';
import {
  type AclEntry,
  type ObjectAcl,
  type PolicyAcl,
  parsePolicyAcl,
  READ_ACL_SCRIPT,
  windowsAclProblem,
} from './windows-acl';

const SYSTEM = 'S-1-5-18';
const ADMINS = 'S-1-5-32-544';
const USERS = 'S-1-5-32-545';
const EVERYONE = 'S-1-1-0';
const AUTHENTICATED = 'S-1-5-11';
const CREATOR_OWNER = 'S-1-3-0';
const PERSON = 'S-1-5-21-1004336348-1177238915-682003330-1001';
const FULL = 2032127;
const MODIFY = 1245631;
const READ_EXECUTE = 1179817;

const allow = (sid: string, rights: number, inheritOnly = false): AclEntry => ({
  sid,
  rights,
  allow: true,
  inheritOnly,
});

/** C:\ProgramData\Tessera as an administrator's installer creates it (inherited from ProgramData). */
const adminFolder: ObjectAcl = {
  owner: ADMINS,
  entries: [
    allow(SYSTEM, FULL),
    allow(ADMINS, FULL),
    allow(CREATOR_OWNER, 0x1000_0000, true),
    allow(USERS, READ_EXECUTE),
    // ProgramData lets Users create files and folders (WD, AD, WEA, WA), but not delete or rename.
    allow(USERS, 0x2 | 0x4 | 0x10 | 0x100),
  ],
};
const adminFile: ObjectAcl = {
  owner: ADMINS,
  entries: [allow(SYSTEM, FULL), allow(ADMINS, FULL), allow(USERS, READ_EXECUTE)],
};
const safe: PolicyAcl = { file: adminFile, folder: adminFolder };

describe('windowsAclProblem()', () => {
  it('trusts a policy file only administrators can change, in the default ProgramData folder', () => {
    expect(windowsAclProblem(safe)).toBeNull();
    // Owned by SYSTEM (a management agent wrote it) or with entries only children inherit: still safe.
    expect(windowsAclProblem({ ...safe, file: { ...adminFile, owner: SYSTEM } })).toBeNull();
    const inheritOnly = { ...adminFolder, entries: [...adminFolder.entries, allow(USERS, FULL, true)] };
    expect(windowsAclProblem({ ...safe, folder: inheritOnly })).toBeNull();
  });

  it.each<[string, PolicyAcl, RegExp]>([
    [
      'a file a person created (owner is the person)',
      { ...safe, file: { ...adminFile, owner: PERSON } },
      /owned by S-1-5-21/,
    ],
    [
      'Users may modify the file',
      { ...safe, file: { ...adminFile, entries: [...adminFile.entries, allow(USERS, MODIFY)] } },
      /writable by S-1-5-32-545/,
    ],
    [
      'Everyone has full control of the file',
      { ...safe, file: { ...adminFile, entries: [allow(EVERYONE, FULL)] } },
      /writable by S-1-1-0/,
    ],
    [
      'a person may only append to the file',
      { ...safe, file: { ...adminFile, entries: [allow(PERSON, 0x4)] } },
      /writable by S-1-5-21/,
    ],
    [
      'GENERIC_ALL as PowerShell prints it (a negative 32-bit value never appears for it, but GENERIC_WRITE can)',
      { ...safe, file: { ...adminFile, entries: [allow(AUTHENTICATED, 0x4000_0000 | 0x8000_0000 | 0)] } },
      /writable by S-1-5-11/,
    ],
    [
      'GENERIC_WRITE|GENERIC_READ as a signed value',
      { ...safe, file: { ...adminFile, entries: [allow(AUTHENTICATED, -1073741824)] } },
      /writable by S-1-5-11/,
    ],
    [
      'the folder belongs to a person',
      { ...safe, folder: { ...adminFolder, owner: PERSON } },
      /folder owned by S-1-5-21/,
    ],
    [
      'Authenticated Users may delete files in the folder (so replace policy.json)',
      {
        ...safe,
        folder: { ...adminFolder, entries: [...adminFolder.entries, allow(AUTHENTICATED, MODIFY)] },
      },
      /folder where S-1-5-11 may replace it/,
    ],
  ])('refuses %s', (_name, acl, problem) => {
    expect(windowsAclProblem(acl)).toMatch(problem);
  });

  it('does not credit a deny entry: a file that needs one to be safe is refused (fail closed)', () => {
    const denied = {
      ...adminFile,
      entries: [{ sid: USERS, rights: MODIFY, allow: false, inheritOnly: false }, allow(USERS, MODIFY)],
    };
    expect(windowsAclProblem({ ...safe, file: denied })).toMatch(/writable by S-1-5-32-545/);
  });
});

describe('parsePolicyAcl()', () => {
  it('reads what the script prints, including a one-entry list PowerShell writes as an object', () => {
    const printed = JSON.stringify({
      file: { owner: ADMINS, aces: { sid: SYSTEM, rights: FULL, allow: true, inheritOnly: false } },
      folder: { owner: ADMINS, aces: [{ sid: ADMINS, rights: FULL, allow: true, inheritOnly: false }] },
    });
    expect(parsePolicyAcl(`${printed}\r\n`)).toEqual({
      file: { owner: ADMINS, entries: [allow(SYSTEM, FULL)] },
      folder: { owner: ADMINS, entries: [allow(ADMINS, FULL)] },
    });
  });

  it.each([
    '',
    'Get-Acl : Access is denied',
    '{"file":{"owner":1,"aces":[]},"folder":{"owner":"x","aces":[]}}',
    '{"file":{"owner":"S-1-5-18","aces":[{"sid":"x"}]}}',
  ])('answers null to %j (the caller then ignores the file)', (output) => {
    expect(parsePolicyAcl(output)).toBeNull();
  });

  it('passes the path in the environment, never inside the script', () => {
    expect(READ_ACL_SCRIPT).toContain('$env:TESSERA_POLICY_PATH');
    expect(READ_ACL_SCRIPT).not.toMatch(/ProgramData|policy\.json/);
  });
});

describe('the policy file on Windows (requireProtected)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-acl-'));
  const path = join(dir, 'policy.json');
  writeFileSync(path, JSON.stringify({ managed: { theme: 'dark' } }));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const read = (readAcl: (path: string) => PolicyAcl) =>
    readPolicyFile(path, { requireProtected: true, platform: 'win32', readAcl });

  it('applies a file only administrators can change', () => {
    const layers = read(() => safe);
    expect(layers.managed.values).toMatchObject({ theme: 'dark' });
    expect(layers.fileIssues).toEqual([]);
  });

  it('ignores a file a person may write, with the reason', () => {
    const layers = read(() => ({ ...safe, file: { ...adminFile, entries: [allow(USERS, MODIFY)] } }));
    expect(layers.managed.values).toEqual({});
    expect(layers.fileIssues).toEqual([
      expect.objectContaining({ message: expect.stringMatching(/writable by S-1-5-32-545.*ignored/) }),
    ]);
  });

  it('neither uses nor ignores a file whose permissions cannot be read: it locks like an unreadable one', () => {
    const layers = read(() => {
      throw new Error('its permissions could not be read (PowerShell exit 1)');
    });
    // Its content may be a person's (not used), but ignoring it would unlock what IT's file locks.
    expect(layers.managed.values).not.toHaveProperty('theme');
    expect(layers.managed.values).toMatchObject({ apiBaseUrl: 'http://127.0.0.1:4000', authMode: 'oidc' });
    expect(layers.recheck).toBe(true);
    expect(layers.fileIssues[0]?.message).toMatch(
      /cannot be checked \(its permissions could not be read.*\); not used until its permissions can be read/,
    );
  });
});
