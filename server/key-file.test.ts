import { createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { decodeJwt, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { fileTempDir, login, me, startTestServer, useTestServers } from './test-support';

useTestServers();

const dir = fileTempDir('tessera-keys-');

const mode = (file: string) => statSync(file).mode & 0o777;

/** Every byte SQLite keeps for the database: the file and its -wal / -shm companions. */
function databaseBytes(db: string): Buffer {
  return Buffer.concat(
    [db, `${db}-wal`, `${db}-shm`, `${db}-journal`].filter(existsSync).map((file) => readFileSync(file)),
  );
}

function tableNames(db: string): string[] {
  const handle = new Database(db, { readonly: true });
  try {
    return handle
      .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((row) => row.name);
  } finally {
    handle.close();
  }
}

describe('the signing key file', () => {
  it('is created 0600 next to the database, which holds no key', async () => {
    const db = join(dir, 'fresh', 'server.db');
    const before = await startTestServer({ db });
    const tokens = await login(before);
    await before.close();

    const keyFile = `${db}.keys.json`;
    expect(mode(keyFile)).toBe(0o600);
    expect(mode(db)).toBe(0o600);
    const secret = JSON.parse(readFileSync(keyFile, 'utf8'))['hs256-secret'] as string;
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    // The token really is signed with the key in the file.
    await jwtVerify(tokens.accessToken, Buffer.from(secret, 'base64url'));
    expect(tableNames(db)).not.toContain('signing_keys');
    const bytes = databaseBytes(db);
    expect(bytes.includes(secret)).toBe(false);
    expect(bytes.includes(Buffer.from(secret, 'base64url'))).toBe(false);

    // The restarted server reads the same key back.
    const after = await startTestServer({ db });
    expect((await me(after, tokens.accessToken)).status).toBe(200);
    await after.close();
  });

  it('can live elsewhere (keyFile option), and keeps the RS256 private key too', async () => {
    const db = join(dir, 'elsewhere', 'server.db');
    const keyFile = join(dir, 'secrets', 'tessera-keys.json');
    const server = await startTestServer({ db, keyFile, alg: 'RS256' });
    const tokens = await login(server);
    await server.close();
    expect(existsSync(`${db}.keys.json`)).toBe(false);
    expect(mode(keyFile)).toBe(0o600);
    const pem = JSON.parse(readFileSync(keyFile, 'utf8'))['rs256-private-key'] as string;
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(databaseBytes(db).includes('PRIVATE KEY')).toBe(false);
    expect(decodeJwt(tokens.accessToken).sub).toBeTypeOf('string');
  });

  it('is tightened to 0600 when found readable by others', async () => {
    const db = join(dir, 'loose', 'server.db');
    const first = await startTestServer({ db });
    await first.close();
    chmodSync(`${db}.keys.json`, 0o644);
    const second = await startTestServer({ db });
    await second.close();
    expect(mode(`${db}.keys.json`)).toBe(0o600);
  });

  it('gets the missing key added when it exists without it, and refuses a broken file', async () => {
    const keyFile = join(dir, 'empty', 'keys.json');
    mkdirSync(dirname(keyFile), { recursive: true });
    writeFileSync(keyFile, '{}\n', { mode: 0o600 });
    const server = await startTestServer({ db: ':memory:', keyFile });
    await server.close();
    expect(Object.keys(JSON.parse(readFileSync(keyFile, 'utf8')))).toEqual(['hs256-secret']);

    writeFileSync(keyFile, '{"hs256-secret": ');
    await expect(startTestServer({ db: ':memory:', keyFile })).rejects.toThrow(/not valid JSON/);
  });

  it('is not written for an in-memory database: those keys stay in memory', async () => {
    const one = await startTestServer({ db: ':memory:' });
    const two = await startTestServer({ db: ':memory:' });
    const tokens = await login(one);
    expect((await me(two, tokens.accessToken)).body?.error).toBe('InvalidTokenError');
    await Promise.all([one.close(), two.close()]);
    expect(existsSync(':memory:.keys.json')).toBe(false);
  });
});

describe('a database written by an earlier version', () => {
  it('has its keys moved to the key file and deleted from the database on start', async () => {
    const db = join(dir, 'legacy', 'server.db');
    const hsSecret = randomBytes(32).toString('base64url');
    const rsPem = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    // Seed users and tables the way the server lays them out, then add the old signing_keys table.
    const first = await startTestServer({ db, keyFile: join(dir, 'legacy', 'throwaway.json') });
    await first.close();
    const legacy = new Database(db);
    legacy.exec(
      'CREATE TABLE signing_keys (name TEXT PRIMARY KEY, value TEXT NOT NULL, created_at INTEGER NOT NULL)',
    );
    const insert = legacy.prepare('INSERT INTO signing_keys (name, value, created_at) VALUES (?, ?, 0)');
    insert.run('hs256-secret', hsSecret);
    insert.run('rs256-private-key', rsPem);
    legacy.close();
    expect(databaseBytes(db).includes(hsSecret)).toBe(true);

    const hs = await startTestServer({ db });
    const tokens = await login(hs);
    await hs.close();
    // Tokens are signed with the migrated secret, so sessions of the old server survive the upgrade.
    await jwtVerify(tokens.accessToken, Buffer.from(hsSecret, 'base64url'));

    const keyFile = `${db}.keys.json`;
    expect(mode(keyFile)).toBe(0o600);
    expect(JSON.parse(readFileSync(keyFile, 'utf8'))).toEqual({
      'hs256-secret': hsSecret,
      'rs256-private-key': rsPem,
    });
    expect(tableNames(db)).not.toContain('signing_keys');
    const bytes = databaseBytes(db);
    expect(bytes.includes(hsSecret)).toBe(false);
    expect(bytes.includes(rsPem.split('\n')[1] as string)).toBe(false);

    const rs = await startTestServer({ db, alg: 'RS256' });
    const rsTokens = await login(rs);
    await rs.close();
    await jwtVerify(rsTokens.accessToken, createPublicKey(rsPem));
  });
});
