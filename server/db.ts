import { closeSync, mkdirSync, openSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3';

/** The SQLite handle type used across the server. */
export type Db = Database.Database;

// Times are epoch milliseconds from the injectable clock, so tests can move them.
// refresh_families.access_expires_at: the latest `exp` of the access tokens issued for the family (0
// before the first one), so a revocation lasts until the last of them has expired, whatever the
// access lifetime is after a restart. NULL: the family was started by a version that did not record it.
// revocations_pruned.through: the latest expires_at pruned from denied_access_tokens and revoked_families
// (prune-mark.ts); a token that expired by then is refused as expired whatever the leeway.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('user', 'admin')),
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS refresh_families (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  created_at INTEGER NOT NULL,
  access_expires_at INTEGER
);
CREATE TABLE IF NOT EXISTS refresh_tokens (
  hash TEXT PRIMARY KEY,
  family_id TEXT NOT NULL REFERENCES refresh_families (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  used_at INTEGER
);
CREATE INDEX IF NOT EXISTS refresh_tokens_by_family ON refresh_tokens (family_id);
CREATE TABLE IF NOT EXISTS denied_access_tokens (
  jti TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS denied_access_tokens_by_expiry ON denied_access_tokens (expires_at);
CREATE TABLE IF NOT EXISTS revoked_families (
  family_id TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS revoked_families_by_expiry ON revoked_families (expires_at);
CREATE TABLE IF NOT EXISTS revocations_pruned (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  through INTEGER NOT NULL
);
`;

/**
 * Opens (creating if needed) the database file or `:memory:` and applies the schema. A new file is
 * created owner-only (0600); SQLite gives its -wal and -shm files the same mode.
 */
export function openDatabase(file: string, now: () => number = Date.now): Db {
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true });
    closeSync(openSync(file, 'a', 0o600));
  }
  let db: Db | undefined;
  try {
    db = new Database(file);
    if (file !== ':memory:') db.pragma('journal_mode = WAL');
  } catch (err) {
    db?.close();
    throw cannotOpen(file, err);
  }
  db.pragma('foreign_keys = ON');
  // IMMEDIATE takes the write lock first: two servers opening the same file migrate it once.
  db.transaction(() => {
    const earlier = tableExists(db, 'users') && !tableExists(db, 'revocations_pruned');
    db.exec(SCHEMA);
    migrate(db);
    // An earlier version pruned its revocation records without a mark; all it pruned expired before now.
    if (earlier) db.prepare('INSERT INTO revocations_pruned (id, through) VALUES (1, ?)').run(now());
  }).immediate();
  return db;
}

/**
 * SQLite's "unable to open database file" names neither the file nor the cause; the usual cause is
 * a folder that is not writable, where SQLite cannot create the -wal and -shm files beside it.
 */
function cannotOpen(file: string, err: unknown): unknown {
  if ((err as { code?: unknown }).code !== 'SQLITE_CANTOPEN') return err;
  const message = err instanceof Error ? err.message : String(err);
  return new Error(
    `cannot open the database ${file}: ${message} (is its folder missing or not writable? ` +
      `SQLite needs to create ${basename(file)}-wal and ${basename(file)}-shm beside it)`,
    { cause: err },
  );
}

function tableExists(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

/** Brings a database file written by an earlier version up to SCHEMA (its tables already exist). */
function migrate(db: Db): void {
  const familyColumns = db.prepare<[], { name: string }>('PRAGMA table_info(refresh_families)').all();
  if (!familyColumns.some((column) => column.name === 'access_expires_at')) {
    // Existing families get NULL: the expiries of the tokens issued for them were never recorded.
    db.exec('ALTER TABLE refresh_families ADD COLUMN access_expires_at INTEGER');
  }
}
