import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isSettingKey } from '../../../common/settings';
import { readJsonFile } from '../config/read-json-file';
import { parseSetting } from '../config/settings-table';
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
}

/** Reads and writes the account list. */
export interface AccountStore {
  /** The stored list, or null when there is none yet (first start, or a release before accounts). */
  load(): StoredAccounts | null;
  /** Writes the list atomically; a failure is logged, never thrown. */
  save(list: StoredAccounts): void;
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

/** The account list in `<userData>/accounts.json`. */
export function createAccountStore(userDataDir: string, logger: Logger): AccountStore {
  const path = join(userDataDir, ACCOUNTS_FILE);
  return {
    load() {
      const read = readJsonFile(path);
      if (read.kind === 'missing') return null;
      if (read.kind === 'invalid') {
        logger.warn(`${ACCOUNTS_FILE} ${read.reason}; starting without stored accounts`);
        return { active: null, accounts: [] };
      }
      const data = read.data as { active?: unknown; accounts?: unknown } | null;
      const accounts = Array.isArray(data?.accounts)
        ? data.accounts.map(parseAccount).filter((a): a is StoredAccount => a !== null)
        : [];
      const active = typeof data?.active === 'string' ? data.active : null;
      return { active, accounts };
    },
    save(list) {
      // Synchronous (a few hundred bytes): a restart or quit right after a switch reads what was written.
      const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
      try {
        mkdirSync(userDataDir, { recursive: true });
        const fd = openSync(temp, 'wx', 0o600);
        try {
          writeSync(fd, `${JSON.stringify({ version: 1, ...list }, null, 2)}\n`);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(temp, path);
      } catch (error) {
        rmSync(temp, { force: true });
        logger.error(`could not save ${ACCOUNTS_FILE}`, { code: (error as NodeJS.ErrnoException).code });
      }
    },
  };
}
