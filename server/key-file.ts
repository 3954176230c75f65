import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { syncFolderSync } from '../main/core/config/sync-folder';
import type { Db } from './db';

/** Named key material (`hs256-secret`, `rs256-private-key`), as strings. */
export type StoredKeys = Record<string, string>;

/** Where the signing keys live: a 0600 JSON file, or only in memory (for `:memory:` databases). */
export interface KeyStore {
  get(name: string): string | undefined;
  /** Keeps `value` under `name` unless another value got there first; returns the value kept. */
  add(name: string, value: string): string;
}

/** The key file that goes with a database file: `data/server.db` → `data/server.db.keys.json`. */
export function defaultKeyFile(dbFile: string): string | undefined {
  return dbFile === ':memory:' ? undefined : `${dbFile}.keys.json`;
}

function parseKeys(text: string, file: string): StoredKeys {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`key file ${file} is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error(`key file ${file} must hold a JSON object`);
  }
  const keys: StoredKeys = {};
  for (const [name, value] of Object.entries(parsed)) if (typeof value === 'string') keys[name] = value;
  return keys;
}

/** Reads the key file, tightening its mode to 0600 if it is readable by others; undefined when missing. */
function readKeyFile(file: string): StoredKeys | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  return parseKeys(text, file);
}

/** Writes `keys` to a fresh 0600 temp file next to `file`; returns its path. */
function writeTemp(file: string, keys: StoredKeys): string {
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(keys, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return temp;
}

/**
 * Stores `keys` merged over what the file holds (values already in the file win) and returns the
 * result. A new file is created with link(), which fails if another process created it meanwhile:
 * then its keys are read and merged, so two servers starting together end up with the same keys.
 * After the rename or link the folder is flushed (the app's rule, `syncFolderSync`): a power cut right
 * after could otherwise lose the new name, and with it a key that tokens were already signed with.
 */
function mergeIntoKeyFile(file: string, keys: StoredKeys): StoredKeys {
  mkdirSync(dirname(file), { recursive: true });
  for (;;) {
    const existing = readKeyFile(file);
    const merged = { ...keys, ...existing };
    if (existing && Object.keys(merged).every((name) => existing[name] === merged[name])) return existing;
    const temp = writeTemp(file, merged);
    try {
      if (existing) {
        renameSync(temp, file);
        syncFolderSync(dirname(file));
        return merged;
      }
      try {
        linkSync(temp, file);
        syncFolderSync(dirname(file));
        return merged;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        // Someone else created it first: loop, read theirs and merge into it.
      }
    } finally {
      try {
        unlinkSync(temp);
      } catch {
        // renamed away
      }
    }
  }
}

const hasLegacyTable = (db: Db): boolean =>
  db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'signing_keys'").get() !==
  undefined;

/**
 * Earlier versions kept the keys in the database's `signing_keys` table. Moves them out (into the
 * key file, or into memory without one), then drops the table with secure_delete on and truncates
 * the WAL, so no copy of the key stays in the database files.
 */
function takeLegacyKeys(db: Db): StoredKeys {
  if (!hasLegacyTable(db)) return {};
  const rows = db.prepare<[], { name: string; value: string }>('SELECT name, value FROM signing_keys').all();
  return Object.fromEntries(rows.map((row) => [row.name, row.value]));
}

function dropLegacyTable(db: Db): void {
  if (!hasLegacyTable(db)) return;
  const previous = db.pragma('secure_delete', { simple: true });
  db.pragma('secure_delete = ON');
  db.exec('DROP TABLE signing_keys');
  db.pragma(`secure_delete = ${Number(previous)}`);
  db.exec('VACUUM');
  if (db.pragma('journal_mode', { simple: true }) === 'wal') db.pragma('wal_checkpoint(TRUNCATE)');
}

/**
 * Opens the key store for a database: the key file when there is one (created 0600), else memory.
 * Keys still in the database are migrated out first.
 */
export function openKeyStore(db: Db, keyFile: string | undefined): KeyStore {
  const legacy = takeLegacyKeys(db);
  let keys: StoredKeys;
  if (keyFile === undefined) {
    keys = { ...legacy };
  } else {
    // Written before the table is dropped: a crash in between loses nothing.
    keys = Object.keys(legacy).length > 0 ? mergeIntoKeyFile(keyFile, legacy) : (readKeyFile(keyFile) ?? {});
  }
  dropLegacyTable(db);

  return {
    get: (name) => keys[name],
    add(name, value) {
      if (keys[name] !== undefined) return keys[name];
      keys =
        keyFile === undefined ? { ...keys, [name]: value } : mergeIntoKeyFile(keyFile, { [name]: value });
      return keys[name] ?? value;
    },
  };
}
