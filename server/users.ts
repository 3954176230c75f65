import { randomUUID } from 'node:crypto';
import type { Db } from './db';
import {
  hashPassword,
  prepareDummyHash,
  scryptAsync,
  verifyDummyPassword,
  verifyPassword,
} from './passwords';
import type { Scrypt } from './scrypt-pool';
import type { NewUser, PublicUser, Role } from './types';

interface UserRow {
  id: string;
  username: string;
  name: string;
  role: Role;
  password_hash: string;
}

/** Development users created by `seed`; the CLI banner prints them. */
export const DEVELOPMENT_USERS: readonly Required<NewUser>[] = [
  { username: 'demo', password: 'demo-password', role: 'user', name: 'Demo User' },
  { username: 'admin', password: 'admin-password', role: 'admin', name: 'Admin User' },
];

/** Users kept in SQLite, with scrypt password hashes. */
export interface UserStore {
  add(user: NewUser, now: number): PublicUser;
  findById(id: string): PublicUser | undefined;
  /** The user when the password matches; undefined for an unknown user or a wrong password alike. */
  authenticate(username: string, password: string): Promise<PublicUser | undefined>;
  count(): number;
  /** Creates the development users that do not exist yet. */
  seed(now: number): void;
}

function toPublic(row: UserRow): PublicUser {
  return { sub: row.id, username: row.username, name: row.name, role: row.role };
}

/** Validates a new user's fields; throws a TypeError naming the bad field. */
function checkNewUser(user: NewUser): void {
  if (typeof user.username !== 'string' || user.username.length === 0) {
    throw new TypeError('addUser: username must be a non-empty string');
  }
  if (typeof user.password !== 'string' || user.password.length === 0) {
    throw new TypeError('addUser: password must be a non-empty string');
  }
  if (user.role !== 'user' && user.role !== 'admin') {
    throw new TypeError('addUser: role must be "user" or "admin"');
  }
}

/** Creates the user store over an open database; password checks run scrypt with `scrypt`. */
export function createUserStore(db: Db, scrypt: Scrypt = scryptAsync): UserStore {
  prepareDummyHash();
  const insert = db.prepare(
    'INSERT INTO users (id, username, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
  const byUsername = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?');
  const countAll = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM users');

  const add = (user: NewUser, now: number): PublicUser => {
    checkNewUser(user);
    if (byUsername.get(user.username)) throw new Error(`addUser: user "${user.username}" already exists`);
    const row: UserRow = {
      id: randomUUID(),
      username: user.username,
      name: user.name ?? user.username,
      role: user.role,
      password_hash: hashPassword(user.password),
    };
    insert.run(row.id, row.username, row.name, row.role, row.password_hash, now);
    return toPublic(row);
  };

  return {
    add,
    findById(id) {
      const row = byId.get(id);
      return row && toPublic(row);
    },
    async authenticate(username, password) {
      const row = byUsername.get(username);
      if (!row) return verifyDummyPassword(password, scrypt).then(() => undefined);
      return (await verifyPassword(password, row.password_hash, scrypt)) ? toPublic(row) : undefined;
    },
    count: () => countAll.get()?.n ?? 0,
    seed(now) {
      for (const user of DEVELOPMENT_USERS) if (!byUsername.get(user.username)) add(user, now);
    },
  };
}
