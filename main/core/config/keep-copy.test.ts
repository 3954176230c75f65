// The app's own files when something else stands at their name or they cannot be kept: a named pipe
// (opened without waiting, so nothing blocks main) is moved aside; a file that can be neither copied
// nor moved is never written over. Real files, pipes (mkfifo) and folders in a temp folder.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAccountStore } from '../accounts/account-store';
import { createWriteJournal, KEYCHAIN_JOURNAL_FILE } from '../keychain-journal';
import { createLogger } from '../logger';
import { keepBadCopy } from './keep-copy';
import { createSettingsStore } from './settings-store';

const AT = new Date('2031-05-06T07:08:09.010Z');
/** The name keepBadCopy gives a file at AT. */
const keptName = (file: string) => `${file}.bad-2031-05-06T07-08-09-010Z`;

let dir: string;
let lines: string[];
const logger = () => createLogger({ sink: (entry) => lines.push(`${entry.level} ${entry.message}`) });
const pipeAt = (path: string) => execFileSync('mkfifo', [path]);
/** Makes keepBadCopy unable to copy or move `file`: its name at AT is taken by a folder with a file in it. */
const blockKeeping = (file: string) => {
  mkdirSync(join(dir, keptName(file)));
  writeFileSync(join(dir, keptName(file), 'x'), 'x');
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tessera-keep-copy-'));
  lines = [];
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(AT);
});

afterEach(() => {
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

describe('keepBadCopy()', () => {
  it('copies a readable file, once per content', () => {
    writeFileSync(join(dir, 'settings.json'), '{"theme": 1}');
    expect(keepBadCopy(join(dir, 'settings.json'))).toBe(keptName('settings.json'));
    expect(readFileSync(join(dir, keptName('settings.json')), 'utf8')).toBe('{"theme": 1}');
    vi.setSystemTime(new Date(AT.getTime() + 1000));
    expect(keepBadCopy(join(dir, 'settings.json'))).toBe(keptName('settings.json'));
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe('{"theme": 1}');
  });

  it('moves aside what cannot be read as a file (a pipe), without waiting for a writer', () => {
    pipeAt(join(dir, 'settings.json'));
    expect(keepBadCopy(join(dir, 'settings.json'))).toBe(keptName('settings.json'));
    expect(statSync(join(dir, keptName('settings.json'))).isFIFO()).toBe(true);
    expect(readdirSync(dir)).toEqual([keptName('settings.json')]);
  });

  it('leaves a folder at the name where it is, and throws', () => {
    mkdirSync(join(dir, 'settings.json'));
    expect(() => keepBadCopy(join(dir, 'settings.json'))).toThrow(/EISDIR/);
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('answers null when nothing is at the name any more (removed meanwhile: nothing to keep)', () => {
    expect(keepBadCopy(join(dir, 'settings.json'))).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('throws, leaving the file as it is, when it can be neither copied nor moved', () => {
    writeFileSync(join(dir, 'settings.json'), '{"theme": 1}');
    blockKeeping('settings.json');
    expect(() => keepBadCopy(join(dir, 'settings.json'))).toThrow();
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe('{"theme": 1}');
  });
});

describe('the settings file', () => {
  const store = () =>
    createSettingsStore({
      userDataDir: dir,
      policyPath: null,
      env: {},
      argv: [],
      logger: { warn: (line) => lines.push(`warn ${line}`), error: (line) => lines.push(`error ${line}`) },
    });

  it('a pipe at its name is reported, moved aside at the next save, and the save goes through', async () => {
    pipeAt(join(dir, 'settings.json'));
    const settings = store();
    expect(
      settings
        .view()
        .issues.map((issue) => issue.message)
        .join(),
    ).toContain('not a regular file');
    expect((await settings.update({ theme: 'dark' })).ok).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8'))).toEqual({ theme: 'dark' });
    expect(statSync(join(dir, keptName('settings.json'))).isFIFO()).toBe(true);
  });

  it('one that holds values it cannot use, and can be neither copied nor moved, is not replaced', async () => {
    const original = '{"apiBaseUrl": "https://api.corp.example", "theme": 42}';
    writeFileSync(join(dir, 'settings.json'), original);
    blockKeeping('settings.json');
    const answer = await store().update({ theme: 'dark' });
    expect(answer).toMatchObject({
      ok: false,
      error: {
        code: 'INTERNAL',
        message: expect.stringMatching(
          /^Could not save settings: the settings file could not be read, copied or moved aside/,
        ),
      },
    });
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(original);
    expect(lines.join('\n')).toContain('it is not replaced');
  });
});

describe('the account list', () => {
  const list = {
    version: 1,
    active: 'acct-a',
    accounts: [{ id: 'acct-a', username: 'ana', connection: { apiBaseUrl: 'https://api.corp.example' } }],
  };
  const next = {
    active: 'acct-c',
    accounts: [{ id: 'acct-c', username: 'cy', connection: { apiBaseUrl: 'https://api.corp.example' } }],
  } as unknown as Parameters<ReturnType<typeof createAccountStore>['save']>[0];

  it('a pipe at its name is set aside at load, without waiting, and the next change is written', () => {
    pipeAt(join(dir, 'accounts.json'));
    const accounts = createAccountStore(dir, logger());
    expect(accounts.load()).toBeNull();
    expect(statSync(join(dir, keptName('accounts.json'))).isFIFO()).toBe(true);
    expect(accounts.save(next)).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'accounts.json'), 'utf8')).accounts[0].id).toBe('acct-c');
  });

  it('one it cannot use, and can be neither copied nor moved, is never written over', () => {
    const original = `${JSON.stringify(list).slice(0, -1)}`; // cut short: not JSON
    writeFileSync(join(dir, 'accounts.json'), original);
    blockKeeping('accounts.json');
    const accounts = createAccountStore(dir, logger());
    expect(accounts.load()).toBeNull();
    expect(accounts.save(next)).toBe(false);
    expect(readFileSync(join(dir, 'accounts.json'), 'utf8')).toBe(original);
    expect(lines.join('\n')).toContain('accounts.json is not written');
  });

  it('a folder at its name is never written over; once it is gone, the next change is written', () => {
    mkdirSync(join(dir, 'accounts.json'));
    writeFileSync(join(dir, 'accounts.json', 'x'), 'x');
    const accounts = createAccountStore(dir, logger());
    expect(accounts.load()).toBeNull();
    expect(accounts.save(next)).toBe(false);
    expect(readdirSync(join(dir, 'accounts.json'))).toEqual(['x']);
    rmSync(join(dir, 'accounts.json'), { recursive: true });
    expect(accounts.save(next)).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'accounts.json'), 'utf8')).accounts[0].id).toBe('acct-c');
    // The same list again: already on disk, so true without a write.
    expect(accounts.save(next)).toBe(true);
  });
});

describe('the keychain write journal', () => {
  it('a pipe at its name reads as empty at once, with a warning', () => {
    pipeAt(join(dir, KEYCHAIN_JOURNAL_FILE));
    expect(createWriteJournal(dir, logger()).has('v2|x|y')).toBe(false);
    expect(lines.join('\n')).toContain(`could not read ${KEYCHAIN_JOURNAL_FILE}`);
  });
});
