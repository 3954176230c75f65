import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureLogs } from '../../test/support/capture-logs';
import { createWriteJournal, KEYCHAIN_JOURNAL_FILE } from './keychain-journal';

const dirs: string[] = [];
function userDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-journal-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const ENTRY = 'v2|https%3A%2F%2Fapi.example|demo';
const OTHER = 'v2|https%3A%2F%2Fapi.example|admin';

describe('createWriteJournal()', () => {
  it('keeps its notes in a file, so the next run of the app reads them', () => {
    const dir = userDataDir();
    const journal = createWriteJournal(dir);
    expect(journal.has(ENTRY)).toBe(false);
    journal.begin(ENTRY);
    journal.begin(OTHER);
    journal.begin(ENTRY);
    const nextRun = createWriteJournal(dir);
    expect([nextRun.has(ENTRY), nextRun.has(OTHER)]).toEqual([true, true]);
    expect(JSON.parse(readFileSync(join(dir, KEYCHAIN_JOURNAL_FILE), 'utf8'))).toEqual({
      unconfirmed: [ENTRY, OTHER],
    });
    nextRun.end(ENTRY);
    expect([journal.has(ENTRY), journal.has(OTHER)]).toEqual([false, true]);
  });

  it('reads a damaged file as empty, says so in the log, and writes a sound one at the next note', () => {
    const dir = userDataDir();
    const logs = captureLogs('journal-test');
    for (const damaged of ['{"unconfirmed": [', '[]', '{"unconfirmed": "v2|x|demo"}', '']) {
      writeFileSync(join(dir, KEYCHAIN_JOURNAL_FILE), damaged);
      const journal = createWriteJournal(dir, logs.logger);
      expect(journal.has(ENTRY)).toBe(false);
      journal.begin(ENTRY);
      expect(createWriteJournal(dir).has(ENTRY)).toBe(true);
    }
    expect(logs.text()).toMatch(/keychain-writes\.json is not readable; treated as empty/);
  });

  it('never throws when its file cannot be written: it logs, and the keychain write goes on', () => {
    // A "folder" that is a file refuses every write, even root's.
    const notAFolder = join(userDataDir(), 'not-a-folder');
    writeFileSync(notAFolder, '');
    const logs = captureLogs('journal-test');
    const journal = createWriteJournal(notAFolder, logs.logger);
    expect(() => journal.begin(ENTRY)).not.toThrow();
    expect(journal.has(ENTRY)).toBe(false);
    expect(logs.text()).toMatch(/could not save keychain-writes\.json/);
  });
});
