import { join } from 'node:path';
import { readRegularFile } from './config/read-json-file';
import { writeFileAtomicSync } from './config/write-file-atomic';
import { type Logger, silentLogger } from './logger';

/** The file in userData naming the keychain entries a write may have left outdated (no secret in it). */
export const KEYCHAIN_JOURNAL_FILE = 'keychain-writes.json';

/**
 * Which keychain entries a refresh-token write was started on and whose outcome the vault never
 * learned: the process ended while it ran, or it failed and the clean-up after it failed too (a locked
 * or vanished keychain). Such an entry may still hold the token the server rotated out, so a refusal of
 * it as "reused" at the next start is most likely the app's own interrupted save, not someone else's
 * copy (see `StoredSession.unconfirmed`). Names only the entries (`v2|<scope>|<user>`, as
 * accounts.json names the accounts), never a token.
 */
export interface WriteJournal {
  /** Before a refresh token is written to `entry`. */
  begin(entry: string): void;
  /** The entry holds what was last written to it, or nothing (written, cleared or deleted). */
  end(entry: string): void;
  /** Whether a write to `entry` began and its outcome was never learned. */
  has(entry: string): boolean;
}

/** No journal: every outcome is treated as learned (vaults in tests that do not need one). */
export const noJournal: WriteJournal = { begin() {}, end() {}, has: () => false };

/**
 * The journal as a small JSON file in `userDataDir` (`{"unconfirmed": [entry, …]}`), read and written
 * whole on each change, synchronously, so it is on disk before the keychain call it announces starts.
 * It only changes what a reuse refusal is called: an unreadable file reads as empty, and a write that
 * fails is logged, never thrown (the keychain write goes on regardless).
 */
export function createWriteJournal(userDataDir: string, logger: Logger = silentLogger): WriteJournal {
  const path = join(userDataDir, KEYCHAIN_JOURNAL_FILE);

  function read(): string[] {
    let text: string;
    try {
      text = readRegularFile(path).toString('utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        logger.warn(`could not read ${KEYCHAIN_JOURNAL_FILE}`, {
          code: (error as NodeJS.ErrnoException).code,
        });
      }
      return [];
    }
    try {
      const data = JSON.parse(text) as { unconfirmed?: unknown };
      if (Array.isArray(data.unconfirmed)) {
        return data.unconfirmed.filter((entry): entry is string => typeof entry === 'string');
      }
    } catch {
      // Reported below.
    }
    logger.warn(`${KEYCHAIN_JOURNAL_FILE} is not readable; treated as empty`);
    return [];
  }

  function write(entries: string[]): void {
    try {
      // No fsync: losing the file in a power cut costs only the wording of one sign-out reason.
      writeFileAtomicSync(path, `${JSON.stringify({ unconfirmed: entries })}\n`, { flush: false });
    } catch (error) {
      logger.warn(`could not save ${KEYCHAIN_JOURNAL_FILE}`, { code: (error as NodeJS.ErrnoException).code });
    }
  }

  return {
    begin(entry) {
      const entries = read();
      if (!entries.includes(entry)) write([...entries, entry]);
    },
    end(entry) {
      const entries = read();
      if (entries.includes(entry)) write(entries.filter((other) => other !== entry));
    },
    has: (entry) => read().includes(entry),
  };
}
