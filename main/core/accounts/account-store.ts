import { join } from 'node:path';
import { isSettingKey } from '../../../common/settings';
import { keepBadCopy } from '../config/keep-copy';
import { readJsonFile } from '../config/read-json-file';
import { parseSetting } from '../config/settings-table';
import { writeFileAtomicSync } from '../config/write-file-atomic';
import type { Logger } from '../logger';
import type { Connection } from './account-id';

/** The file in userData that lists the accounts (no secret: ids, user names, connection settings). */
export const ACCOUNTS_FILE = 'accounts.json';

/** One remembered account; its refresh token is in the keychain, never here. */
export interface StoredAccount {
  id: string;
  username: string;
  connection: Connection;
}

/** What the accounts file holds. */
export interface StoredAccounts {
  active: string | null;
  accounts: StoredAccount[];
  /**
   * Keychain entries to delete at the next start, unless an account restored then uses them: accounts
   * signed out (or whose "stay signed in" was turned off, also before a start) while the keychain
   * refused the delete, a refused token a first start could not delete, and a
   * sign-in's account from before its first token write until it is listed (a process ended between
   * the two leaves no token that no list names). Not restored; signing the account in takes it off.
   */
  forget?: StoredAccount[];
}

/** Reads and writes the account list. */
export interface AccountStore {
  /**
   * The stored list, or null when there is none yet (first start, or a release before accounts) or
   * the file could not be used (see `broken`).
   */
  load(): StoredAccounts | null;
  /**
   * Writes the list atomically; a failure is logged, never thrown. What `load` could not use is written
   * back as it was: a newer release's accounts (after the list's, unless it has their id) and `forget`
   * entries, and the top-level fields this version does not know. True when the file holds the list
   * (written now, or already as it is); false when it could not be written.
   */
  save(list: StoredAccounts): boolean;
  /**
   * The user names of the accounts the last `load` could not use (a newer release's): their keychain
   * entries are not this version's to delete, whatever a `forget` entry says.
   */
  keptUsernames?(): string[];
  /**
   * True when the last `load` found a file it could not read (not JSON, not a list): a copy was kept
   * aside, and start-up leaves the file as it is until an account actually changes.
   */
  broken?(): boolean;
}

/** Keeps a stored account only when every connection value is one the settings table accepts. */
function parseAccount(raw: unknown): StoredAccount | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { id, username, connection } = raw as Record<string, unknown>;
  if (typeof id !== 'string' || typeof username !== 'string' || username === '') return null;
  if (typeof connection !== 'object' || connection === null) return null;
  const parsed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(connection)) {
    if (!isSettingKey(key)) return null;
    const result = parseSetting(key, value);
    if (!result.success) return null;
    parsed[key] = result.data;
  }
  if (typeof parsed.apiBaseUrl !== 'string') return null;
  return { id, username, connection: parsed as Connection };
}

/** The `id` of a stored entry as it was written (any value, or undefined). */
function idOf(raw: unknown): unknown {
  return typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
}

/** The top-level fields this version reads and writes; any other is kept as it was written. */
const KNOWN_FIELDS = new Set(['version', 'active', 'accounts', 'forget']);

/** The file's text for a parsed (or about to be written) account list. */
function contentOf(data: unknown): string {
  return `${JSON.stringify(data, null, 2)}\n`;
}

/** The account list in `<userData>/accounts.json`. */
export function createAccountStore(userDataDir: string, logger: Logger): AccountStore {
  const path = join(userDataDir, ACCOUNTS_FILE);
  let broken = false;
  // Whether the list that could not be used was copied or moved aside (see `save`).
  let keptAside = false;
  /**
   * The entries of the last load this version could not use (values it does not accept, e.g. a setting
   * a newer release added): kept as they were at every save, so that release finds its accounts again.
   */
  let unusable: unknown[] = [];
  /** The same for the last load's `forget` entries. */
  let unusableForget: unknown[] = [];
  /** The last load's top-level fields this version does not know (a newer release's), as they were. */
  let unknownFields: Record<string, unknown> = {};
  /** What the file holds, as `save` would write it (from the last load or save); null: not known. */
  let onDisk: string | null = null;

  /**
   * Keeps a copy of the file as it is (`accounts.json.bad-<time>`), once per content: a file left
   * broken is not copied again at every start. Answers the copy's name; null when nothing is there any
   * more (nothing to keep); false when it could be neither copied nor moved aside.
   */
  function keepCopy(): string | null | false {
    try {
      return keepBadCopy(path);
    } catch (error) {
      logger.error(`could not keep a copy of ${ACCOUNTS_FILE}`, {
        code: (error as NodeJS.ErrnoException).code,
      });
      return false;
    }
  }

  /** Logs what could not be used, and where the copy is (never a value of the file). */
  function setAside(problem: string): void {
    const copy = keepCopy();
    keptAside = copy !== false;
    logger.warn(
      `${ACCOUNTS_FILE} ${problem}; ${copy ? `a copy is kept as ${copy}` : 'no copy could be kept'}. ` +
        'Starting as if there were no account list (the configured server’s last account is restored); ' +
        `${ACCOUNTS_FILE} is left as it is until an account is added, switched or signed out`,
    );
  }

  return {
    load() {
      broken = false;
      onDisk = null;
      unusable = [];
      unusableForget = [];
      unknownFields = {};
      const read = readJsonFile(path);
      if (read.kind === 'missing') return null;
      const data =
        read.kind === 'ok'
          ? (read.data as { active?: unknown; accounts?: unknown; forget?: unknown } | null)
          : null;
      if (read.kind === 'invalid' || !Array.isArray(data?.accounts)) {
        // Like a missing file: the accounts it may list keep their keychain entries, and nothing is lost.
        broken = true;
        setAside(read.kind === 'invalid' ? read.reason : 'does not hold an account list');
        return null;
      }
      const accounts: StoredAccount[] = [];
      for (const raw of data.accounts) {
        const account = parseAccount(raw);
        if (account) accounts.push(account);
        else unusable.push(raw);
      }
      if (unusable.length > 0) {
        const copy = keepCopy();
        logger.warn(
          `${ACCOUNTS_FILE}: ${unusable.length} account(s) with values this version does not accept are not ` +
            `restored, and stay in the file as they are${copy ? `; a copy of the file is kept as ${copy}` : ''}`,
        );
      }
      const active = typeof data.active === 'string' ? data.active : null;
      const forget: StoredAccount[] = [];
      for (const raw of Array.isArray(data.forget) ? data.forget : []) {
        const account = parseAccount(raw);
        if (account) forget.push(account);
        else unusableForget.push(raw);
      }
      unknownFields = Object.fromEntries(Object.entries(data).filter(([key]) => !KNOWN_FIELDS.has(key)));
      onDisk = contentOf(data);
      return { active, accounts, ...(forget.length > 0 ? { forget } : {}) };
    },
    broken: () => broken,
    keptUsernames: () =>
      unusable
        .map((raw) =>
          typeof raw === 'object' && raw !== null ? (raw as { username?: unknown }).username : null,
        )
        .filter((name): name is string => typeof name === 'string'),
    save(list) {
      const ids = new Set<unknown>(list.accounts.map((account) => account.id));
      const kept = unusable.filter((raw) => !ids.has(idOf(raw)));
      const { forget, ...rest } = list;
      const forgotten = [...(forget ?? []), ...unusableForget];
      const content = contentOf({
        ...unknownFields,
        version: 1,
        ...rest,
        accounts: [...list.accounts, ...kept],
        ...(forgotten.length > 0 ? { forget: forgotten } : {}),
      });
      // A start (or a switch back and forth) that changes nothing writes nothing: no write and fsync
      // on the way to the signed-in window.
      if (content === onDisk) return true;
      // A list that could not be used is replaced only once it is kept (copied or moved aside): one
      // that could neither be read nor moved (another user's file in a folder we may not change)
      // stays as it is, with the accounts and tokens it names.
      if (broken && !keptAside) {
        // Copied or moved now, or gone meanwhile (nothing to lose).
        keptAside = keepCopy() !== false;
        if (!keptAside) {
          logger.error(
            `${ACCOUNTS_FILE} is not written: it could not be used, nor copied or moved aside, and writing would lose the accounts it lists`,
          );
          return false;
        }
      }
      // Synchronous (a few hundred bytes): a restart or quit right after a switch reads what was written.
      try {
        writeFileAtomicSync(path, content);
        onDisk = content;
        broken = false;
        return true;
      } catch (error) {
        logger.error(`could not save ${ACCOUNTS_FILE}`, { code: (error as NodeJS.ErrnoException).code });
        return false;
      }
    },
  };
}
