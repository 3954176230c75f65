import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import keytar from 'keytar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { keychainReasonKind } from '../../common/keychain';
import { captureLogs } from '../../test/support/capture-logs';
import { TEST_SERVICE } from '../../test/support/fixtures';
import { forgetScope } from '../../test/support/forget-scope';
import { runKeychainChild } from '../../test/support/private-keyring';
import { eventually } from '../../test/support/wait-until';
import { ACCOUNTS_FILE } from './accounts/account-store';
import { createWriteJournal, KEYCHAIN_JOURNAL_FILE } from './keychain-journal';
import type { Timers } from './timers';
import {
  apiScope,
  createVault,
  type KeytarLike,
  keychainReason,
  LEGACY_ACCOUNTS,
  lastUserAccount,
  PROBE_ACCOUNT,
  tokenAccount,
  WARM_UP_ACCOUNT,
  warmUpKeychain,
} from './vault';

/** Scopes the tests wrote, deleted afterwards so the test keyring stays clean. */
const written: Array<{ scope: string; users: string[] }> = [];
let counter = 0;

function uniqueScope(): string {
  counter += 1;
  return `https://vault-${process.pid}-${counter}.example`;
}

/** A unique scope whose tokens for `users` are deleted after the test. */
function writtenScope(users = ['demo']): string {
  const scope = uniqueScope();
  written.push({ scope, users });
  return scope;
}

function realVault() {
  return createVault({ service: TEST_SERVICE });
}

/** The real keytar, with every call it receives written down (`set <account>`, `get <account>`, …). */
function countedKeytar() {
  const calls: string[] = [];
  const counted: KeytarLike = {
    getPassword: (service, account) => {
      calls.push(`get ${account}`);
      return keytar.getPassword(service, account);
    },
    setPassword: (service, account, password) => {
      calls.push(`set ${account}`);
      return keytar.setPassword(service, account, password);
    },
    deletePassword: (service, account) => {
      calls.push(`delete ${account}`);
      return keytar.deletePassword(service, account);
    },
  };
  return { calls, loadKeytar: async () => counted };
}

/**
 * The real keytar, but one chosen call waits for the test's `land()` — the write of token `write`, or
 * the read of account `read`: a keychain prompt nobody answers yet, or a slow D-Bus start, cannot be
 * produced on demand. Every call is noted, and how many run at once.
 */
function slowKeytar(slow: { write?: string; read?: string }) {
  const calls: string[] = [];
  let running = 0;
  let most = 0;
  let land: () => void = () => {};
  const landed = new Promise<void>((resolve) => {
    land = resolve;
  });
  const noted =
    <A extends unknown[], T>(name: string, call: (...args: A) => Promise<T>) =>
    async (...args: A): Promise<T> => {
      calls.push(name);
      running += 1;
      most = Math.max(most, running);
      try {
        return await call(...args);
      } finally {
        running -= 1;
      }
    };
  const slowed: KeytarLike = {
    getPassword: noted('get', async (service: string, account: string) => {
      if (account === slow.read) await landed;
      return keytar.getPassword(service, account);
    }),
    deletePassword: noted('delete', (service: string, account: string) =>
      keytar.deletePassword(service, account),
    ),
    setPassword: noted('set', async (service: string, account: string, password: string) => {
      if (password === slow.write) await landed;
      await keytar.setPassword(service, account, password);
      if (password === slow.write) calls.push('slow write landed');
    }),
  };
  return { calls, most: () => most, land, loadKeytar: async () => slowed };
}

afterEach(async () => {
  for (const { scope, users } of written.splice(0)) {
    await forgetScope(TEST_SERVICE, scope, users);
  }
});

describe('apiScope()', () => {
  it.each([
    ['https://api.example.com', 'https://api.example.com'],
    ['https://api.example.com/', 'https://api.example.com'],
    ['https://host:8443/v1/', 'https://host:8443/v1'],
    ['HTTPS://API.Example.com:443/', 'https://api.example.com'],
  ])(
    'is the origin for a root API and keeps a base path without its trailing slash: %s → %s',
    (url, scope) => {
      expect(apiScope(url)).toBe(scope);
    },
  );
});

describe('createVault() on the real Secret Service', () => {
  it('stores, finds and deletes the refresh token of the last signed-in user', async () => {
    const vault = realVault();
    const scope = writtenScope();
    expect(await vault.load(scope)).toEqual({ ok: true, value: null });
    expect(await vault.save(scope, 'demo', 'rt-round-trip')).toEqual({ ok: true, value: undefined });
    expect(await vault.load(scope)).toEqual({
      ok: true,
      value: { username: 'demo', refreshToken: 'rt-round-trip' },
    });
    expect(await keytar.getPassword(TEST_SERVICE, tokenAccount(scope, 'demo'))).toBe('rt-round-trip');
    expect(await vault.remove(scope, 'demo')).toEqual({ ok: true, value: undefined });
    expect(await vault.load(scope)).toEqual({ ok: true, value: null });
    expect(await keytar.getPassword(TEST_SERVICE, lastUserAccount(scope))).toBeNull();
  });

  it('keeps scope and user apart even when both contain "|": a base path never reads another path’s token', async () => {
    const vault = realVault();
    const base = uniqueScope();
    const [short, long] = [`${base}/x`, `${base}/x|y`];
    written.push({ scope: short, users: ['y|demo'] }, { scope: long, users: ['demo'] });
    await vault.save(long, 'demo', 'rt-for-x|y');
    expect(await vault.load(short)).toEqual({ ok: true, value: null });
    await vault.save(short, 'y|demo', 'rt-for-x');
    expect(await vault.load(long)).toMatchObject({ value: { username: 'demo', refreshToken: 'rt-for-x|y' } });
    expect(await vault.load(short)).toMatchObject({
      value: { username: 'y|demo', refreshToken: 'rt-for-x' },
    });
    expect(tokenAccount(short, 'y|demo')).not.toBe(tokenAccount(long, 'demo'));
  });

  it('moves a session stored by the first releases (`<scope>|<user>`) to the current accounts, once', async () => {
    const vault = realVault();
    const scope = writtenScope();
    await keytar.setPassword(TEST_SERVICE, LEGACY_ACCOUNTS.lastUser(scope), 'demo');
    await keytar.setPassword(TEST_SERVICE, LEGACY_ACCOUNTS.token(scope, 'demo'), 'rt-legacy');
    expect(await vault.load(scope)).toEqual({
      ok: true,
      value: { username: 'demo', refreshToken: 'rt-legacy' },
    });
    expect(await keytar.getPassword(TEST_SERVICE, tokenAccount(scope, 'demo'))).toBe('rt-legacy');
    expect(await keytar.getPassword(TEST_SERVICE, LEGACY_ACCOUNTS.token(scope, 'demo'))).toBeNull();
    expect(await keytar.getPassword(TEST_SERVICE, LEGACY_ACCOUNTS.lastUser(scope))).toBeNull();
    expect(await vault.load(scope)).toMatchObject({ value: { refreshToken: 'rt-legacy' } });
  });

  it('keeps one account per API, so another API never gets this one’s token', async () => {
    const vault = realVault();
    const [a, b] = [uniqueScope(), uniqueScope()];
    written.push({ scope: a, users: ['demo'] }, { scope: b, users: ['demo'] });
    await vault.save(a, 'demo', 'rt-for-a');
    await vault.save(b, 'demo', 'rt-for-b');
    expect(await vault.load(a)).toMatchObject({ value: { refreshToken: 'rt-for-a' } });
    expect(await vault.load(b)).toMatchObject({ value: { refreshToken: 'rt-for-b' } });
    await vault.remove(a);
    expect(await vault.load(a)).toEqual({ ok: true, value: null });
    expect(await vault.load(b)).toMatchObject({ value: { refreshToken: 'rt-for-b' } });
  });

  it("replaces the previous user's token when another user signs in to the same API", async () => {
    const vault = realVault();
    const scope = writtenScope(['demo', 'admin']);
    await vault.save(scope, 'demo', 'rt-demo');
    await vault.save(scope, 'admin', 'rt-admin');
    expect(await vault.load(scope)).toMatchObject({ value: { username: 'admin', refreshToken: 'rt-admin' } });
    expect(await keytar.getPassword(TEST_SERVICE, tokenAccount(scope, 'demo'))).toBeNull();
  });

  it('overwrites a rotated token in place', async () => {
    const vault = realVault();
    const scope = writtenScope();
    await vault.save(scope, 'demo', 'rt-1');
    await vault.save(scope, 'demo', 'rt-2');
    expect(await vault.load(scope)).toMatchObject({ value: { refreshToken: 'rt-2' } });
  });

  it('writes the last-user mark only when it names someone else: a rotation is one keychain write', async () => {
    const counted = countedKeytar();
    const vault = createVault({ service: TEST_SERVICE, loadKeytar: counted.loadKeytar });
    const scope = writtenScope(['demo', 'admin']);
    await vault.saveUser(scope, 'demo', 'rt-1');
    expect(counted.calls.filter((call) => call.startsWith('set'))).toEqual([
      `set ${tokenAccount(scope, 'demo')}`,
      `set ${lastUserAccount(scope)}`,
    ]);
    counted.calls.length = 0;
    await vault.saveUser(scope, 'demo', 'rt-2');
    expect(counted.calls).toEqual([`set ${tokenAccount(scope, 'demo')}`, `get ${lastUserAccount(scope)}`]);
    counted.calls.length = 0;
    await vault.saveUser(scope, 'admin', 'rt-admin');
    expect(counted.calls.filter((call) => call.startsWith('set'))).toEqual([
      `set ${tokenAccount(scope, 'admin')}`,
      `set ${lastUserAccount(scope)}`,
    ]);
    expect(await vault.load(scope)).toMatchObject({ value: { username: 'admin', refreshToken: 'rt-admin' } });
    expect(await vault.loadUser(scope, 'demo')).toEqual({
      ok: true,
      value: { username: 'demo', refreshToken: 'rt-2' },
    });
  });

  it('deletes only the exact token it was given when asked to', async () => {
    const vault = realVault();
    const scope = writtenScope();
    await vault.save(scope, 'demo', 'rt-newer');
    await vault.remove(scope, 'demo', 'rt-older');
    expect(await vault.load(scope)).toMatchObject({ value: { refreshToken: 'rt-newer' } });
    await vault.remove(scope, 'demo', 'rt-newer');
    expect(await vault.load(scope)).toEqual({ ok: true, value: null });
  });

  it('with guard.onlyOver, writes only while the entry holds the token it replaces', async () => {
    const vault = realVault();
    const scope = writtenScope();
    await vault.save(scope, 'demo', 'rt-newer-session');
    expect(await vault.save(scope, 'demo', 'rt-late', { replacing: 'rt-own', onlyOver: true })).toEqual({
      ok: true,
      value: undefined,
    });
    expect(await vault.saveUser(scope, 'demo', 'rt-late', { replacing: 'rt-own', onlyOver: true })).toEqual({
      ok: true,
      value: undefined,
    });
    expect(await keytar.getPassword(TEST_SERVICE, tokenAccount(scope, 'demo'))).toBe('rt-newer-session');
    expect(
      (await vault.saveUser(scope, 'demo', 'rt-next', { replacing: 'rt-newer-session', onlyOver: true })).ok,
    ).toBe(true);
    expect(await keytar.getPassword(TEST_SERVICE, tokenAccount(scope, 'demo'))).toBe('rt-next');
    expect((await vault.save(scope, 'demo', 'rt-after', { replacing: 'rt-next', onlyOver: true })).ok).toBe(
      true,
    );
    expect(await keytar.getPassword(TEST_SERVICE, tokenAccount(scope, 'demo'))).toBe('rt-after');
  });

  it('runs operations in call order, so a delete issued after a save wins', async () => {
    const vault = realVault();
    const scope = writtenScope();
    const save = vault.save(scope, 'demo', 'rt-late');
    const remove = vault.remove(scope, 'demo');
    await Promise.all([save, remove]);
    expect(await vault.load(scope)).toEqual({ ok: true, value: null });
  });

  it('settles once every operation asked for so far has finished', async () => {
    const vault = realVault();
    const scope = writtenScope();
    const finished: string[] = [];
    void vault.save(scope, 'demo', 'rt-settled').then(() => finished.push('save'));
    void vault.save(scope, 'demo', 'rt-settled-2').then(() => finished.push('save again'));
    await vault.settled();
    expect(finished).toEqual(['save', 'save again']);
    expect(await keytar.getPassword(TEST_SERVICE, tokenAccount(scope, 'demo'))).toBe('rt-settled-2');
  });
});

describe('createVault() when the keychain cannot be used', () => {
  it('reports a keychain module that fails to load as KEYCHAIN_UNAVAILABLE instead of crashing', async () => {
    const vault = createVault({
      loadKeytar: () => Promise.reject(new Error('Cannot find module keytar.node')),
    });
    expect(await vault.load('https://x.example')).toEqual({
      ok: false,
      error: { code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringContaining('could not be loaded') },
    });
  });

  it('loads an empty keychain as null and leaves no probe entry behind', async () => {
    expect(await realVault().load(uniqueScope())).toEqual({ ok: true, value: null });
    // Other spec files probe the same shared keyring meanwhile: theirs is gone a moment later too.
    await eventually(async () => (await keytar.getPassword(TEST_SERVICE, PROBE_ACCOUNT)) === null);
  });

  it('looks again after the probe, which may have had the person unlock the keychain', async () => {
    // Stand-in for a desktop keyring that prompts to unlock on a write; none can prompt here.
    let unlocked = false;
    const entries: Record<string, string> = {
      [lastUserAccount('https://x.example')]: 'demo',
      [tokenAccount('https://x.example', 'demo')]: 'rt',
    };
    const prompting: KeytarLike = {
      getPassword: async (_s, account) => (unlocked ? (entries[account] ?? null) : null),
      setPassword: async () => {
        unlocked = true;
      },
      deletePassword: async () => true,
    };
    const vault = createVault({ loadKeytar: async () => prompting });
    expect(await vault.load('https://x.example')).toEqual({
      ok: true,
      value: { username: 'demo', refreshToken: 'rt' },
    });
  });

  it('gives up on a keychain call that never answers', async () => {
    // A hung Secret Service (e.g. waiting on a prompt nobody sees) cannot be produced on demand:
    // a never-settling fake stands in for it, and injected timers fire the timeout at once.
    const hung: KeytarLike = {
      getPassword: () => new Promise(() => {}),
      setPassword: () => new Promise(() => {}),
      deletePassword: () => new Promise(() => {}),
    };
    const pending: Array<() => void> = [];
    const timers: Timers = { setTimeout: (callback) => pending.push(callback), clearTimeout: () => {} };
    const vault = createVault({ loadKeytar: async () => hung, timers });
    const result = vault.save('https://x.example', 'demo', 'rt');
    let answered = false;
    void result.then(() => {
      answered = true;
    });
    // The write times out, then the clean-up after it (which waits for the hung write first) does too.
    for (let round = 0; round < 5 && !answered; round += 1) {
      await new Promise((resolve) => setImmediate(resolve));
      for (const fire of pending.splice(0)) fire();
    }
    expect(await result).toEqual({
      ok: false,
      error: { code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringContaining('did not answer within 5 s') },
    });
    // Said as no answer (a prompt may be waiting), not as a refusal.
    const { error } = (await result) as { error: { message: string } };
    expect(keychainReasonKind(error.message)).toBe('noAnswer');
  });

  describe('lateAnswer(): a keychain call that timed out, until it ends', () => {
    it('is null before any call timed out, then settles true once a timed-out read answers after all', async () => {
      // A read of a locked keychain waiting on its unlock prompt: the slowed read stands in for the
      // person answering the prompt after the timeout (none can prompt here).
      const scope = writtenScope();
      await keytar.setPassword(TEST_SERVICE, tokenAccount(scope, 'demo'), 'rt-stored');
      await keytar.setPassword(TEST_SERVICE, lastUserAccount(scope), 'demo');
      const keychain = slowKeytar({ read: lastUserAccount(scope) });
      const vault = createVault({ service: TEST_SERVICE, timeoutMs: 200, loadKeytar: keychain.loadKeytar });
      expect(vault.lateAnswer()).toBeNull();
      const load = await vault.load(scope);
      expect(load.ok).toBe(false);
      expect(keychainReasonKind((load as { error: { message: string } }).error.message)).toBe('noAnswer');
      const late = vault.lateAnswer();
      expect(late).not.toBeNull();
      keychain.land();
      expect(await late).toBe(true);
      // Kept: one who asks after the call ended still hears how it ended.
      expect(await vault.lateAnswer()).toBe(true);
      // Read again now, the stored session is there.
      expect(await vault.load(scope)).toEqual({
        ok: true,
        value: { username: 'demo', refreshToken: 'rt-stored' },
      });
    });

    it('settles false when that call failed in the end (a dismissed prompt), also for a call queued behind it', async () => {
      // A dismissed prompt cannot be produced here: a fake whose first read fails when told stands in.
      let dismiss: () => void = () => {};
      let reads = 0;
      const prompting: KeytarLike = {
        getPassword: () => {
          reads += 1;
          return reads === 1
            ? new Promise((_, reject) => {
                dismiss = () => reject(new Error('Cancelled by the user'));
              })
            : Promise.resolve(null);
        },
        setPassword: async () => {},
        deletePassword: async () => true,
      };
      const vault = createVault({ timeoutMs: 50, loadKeytar: async () => prompting });
      expect((await vault.load('https://x.example')).ok).toBe(false);
      // Asked for meanwhile, it waits behind the hung read, times out too, and never starts.
      expect((await vault.loadUser('https://x.example', 'demo')).ok).toBe(false);
      const late = vault.lateAnswer();
      dismiss();
      expect(await late).toBe(false);
      expect(reads).toBe(1);
      expect(await vault.lateAnswer()).toBe(false);
    });
  });

  describe('a write answered after the keychain timeout (a prompt answered late)', () => {
    it('holds back every later call until it has landed, so a delete asked for after it still wins', async () => {
      const scope = writtenScope();
      const keychain = slowKeytar({ write: 'rt-late' });
      const vault = createVault({ service: TEST_SERVICE, timeoutMs: 300, loadKeytar: keychain.loadKeytar });
      const save = await vault.save(scope, 'demo', 'rt-late');
      expect(save).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_UNAVAILABLE' } });
      // Signed out meanwhile: the delete waits for the write still under way, then runs.
      const remove = vault.remove(scope, 'demo');
      await new Promise((resolve) => setTimeout(resolve, 50));
      keychain.land();
      expect(await remove).toEqual({ ok: true, value: undefined });
      expect(keychain.calls.slice(keychain.calls.indexOf('slow write landed'))).toEqual([
        'slow write landed',
        'get',
        'delete',
      ]);
      expect(keychain.most()).toBe(1);
      expect(await keytar.getPassword(TEST_SERVICE, tokenAccount(scope, 'demo'))).toBeNull();
    });

    it('never starts a call whose caller stopped waiting before its turn came', async () => {
      const scope = writtenScope();
      const keychain = slowKeytar({ write: 'rt-late' });
      const vault = createVault({ service: TEST_SERVICE, timeoutMs: 200, loadKeytar: keychain.loadKeytar });
      expect((await vault.save(scope, 'demo', 'rt-late')).ok).toBe(false);
      // A later write times out waiting for its turn: its caller was told it failed, so it never runs.
      expect((await vault.save(scope, 'demo', 'rt-given-up')).ok).toBe(false);
      const before = keychain.calls.length;
      keychain.land();
      await eventually(async () => keychain.calls.includes('slow write landed'));
      await vault.settled();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(keychain.calls.slice(before)).toEqual(['slow write landed']);
      expect(await keytar.getPassword(TEST_SERVICE, tokenAccount(scope, 'demo'))).toBe('rt-late');
      expect(keychain.most()).toBe(1);
    });
  });

  it('clears the entry a failed write could not overwrite in the same step, before a later write runs', async () => {
    const scope = writtenScope();
    // The real keytar, refusing the write of one token (a keychain that refused it).
    const refusing: KeytarLike = {
      getPassword: (service, account) => keytar.getPassword(service, account),
      deletePassword: (service, account) => keytar.deletePassword(service, account),
      setPassword: async (service, account, password) => {
        if (password === 'rt-refused') throw new Error('The keychain refused the write');
        return keytar.setPassword(service, account, password);
      },
    };
    const vault = createVault({ service: TEST_SERVICE, loadKeytar: async () => refusing });
    expect((await vault.save(scope, 'demo', 'rt-rotated-out')).ok).toBe(true);
    // Not knowing what the entry holds, the failed write clears it (a rotated-out token must not stay)…
    expect((await vault.save(scope, 'demo', 'rt-refused')).ok).toBe(false);
    expect(await keytar.getPassword(TEST_SERVICE, tokenAccount(scope, 'demo'))).toBeNull();
    // … in its own step: a write asked for meanwhile lands after the clean-up.
    expect((await vault.save(scope, 'demo', 'rt-rotated-out')).ok).toBe(true);
    const failed = vault.save(scope, 'demo', 'rt-refused');
    const later = vault.save(scope, 'demo', 'rt-later');
    expect(await failed).toMatchObject({ ok: false });
    expect(await later).toEqual({ ok: true, value: undefined });
    expect(await keytar.getPassword(TEST_SERVICE, tokenAccount(scope, 'demo'))).toBe('rt-later');
    // Knowing it (`guard.replacing`), only while the entry still holds that token.
    expect((await vault.save(scope, 'demo', 'rt-refused', { replacing: 'rt-something-else' })).ok).toBe(
      false,
    );
    expect(await keytar.getPassword(TEST_SERVICE, tokenAccount(scope, 'demo'))).toBe('rt-later');
    expect((await vault.saveUser(scope, 'demo', 'rt-refused', { replacing: 'rt-something-else' })).ok).toBe(
      false,
    );
    expect(await keytar.getPassword(TEST_SERVICE, tokenAccount(scope, 'demo'))).toBe('rt-later');
    expect((await vault.saveUser(scope, 'demo', 'rt-refused', { replacing: 'rt-later' })).ok).toBe(false);
    expect(await keytar.getPassword(TEST_SERVICE, tokenAccount(scope, 'demo'))).toBeNull();
  });

  describe('the write journal (which writes never confirmed, kept across runs)', () => {
    const dirs: string[] = [];
    afterEach(() => {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    });
    /** A user data folder of its own, and a journal on it as the next run of the app would open it. */
    function journalDir() {
      const dir = mkdtempSync(join(tmpdir(), 'tessera-journal-'));
      dirs.push(dir);
      return { dir, nextRun: () => createVault({ service: TEST_SERVICE, journal: createWriteJournal(dir) }) };
    }
    /** The real keytar, refusing the write of token `refused` and, with `deletes`, every delete. */
    function refusingKeytar(refused: string, options: { deletes?: boolean } = {}) {
      const refusing: KeytarLike = {
        getPassword: (service, account) => keytar.getPassword(service, account),
        deletePassword: async (service, account) => {
          if (options.deletes) throw new Error('The keychain refused the delete');
          return keytar.deletePassword(service, account);
        },
        setPassword: async (service, account, password) => {
          if (password === refused) throw new Error('The keychain refused the write');
          return keytar.setPassword(service, account, password);
        },
      };
      return async () => refusing;
    }

    it('notes a write before it starts, so a run that ended during it reads the old token as unconfirmed', async () => {
      const scope = writtenScope();
      const { dir, nextRun } = journalDir();
      const keychain = slowKeytar({ write: 'rt-2' });
      const vault = createVault({
        service: TEST_SERVICE,
        loadKeytar: keychain.loadKeytar,
        journal: createWriteJournal(dir),
      });
      expect((await vault.save(scope, 'demo', 'rt-1')).ok).toBe(true);
      expect(await nextRun().load(scope)).toEqual({
        ok: true,
        value: { username: 'demo', refreshToken: 'rt-1' },
      });
      // The rotation's write is under way (a prompt nobody answered yet): were the process to end now,
      // the next run would find the rotated-out token, and the note.
      const write = vault.save(scope, 'demo', 'rt-2', { replacing: 'rt-1' });
      await eventually(() => keychain.calls.filter((call) => call === 'set').length === 3);
      expect(await nextRun().load(scope)).toEqual({
        ok: true,
        value: { username: 'demo', refreshToken: 'rt-1', unconfirmed: true },
      });
      expect(await nextRun().loadUser(scope, 'demo')).toMatchObject({ value: { unconfirmed: true } });
      // It landed: the note is gone.
      keychain.land();
      expect(await write).toEqual({ ok: true, value: undefined });
      expect(await nextRun().load(scope)).toEqual({
        ok: true,
        value: { username: 'demo', refreshToken: 'rt-2' },
      });
      expect(readFileSync(join(dir, KEYCHAIN_JOURNAL_FILE), 'utf8')).not.toMatch(/rt-/);
    });

    it('notes a write when it is asked for, not when its turn comes behind a slow keychain call', async () => {
      const scope = writtenScope();
      const { dir, nextRun } = journalDir();
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      // Another account's read is slow (a keychain prompt on screen, a busy Secret Service at log-in).
      const k: KeytarLike = {
        getPassword: async (service, account) => {
          if (account === tokenAccount(scope, 'other')) await gate;
          return keytar.getPassword(service, account);
        },
        setPassword: (service, account, password) => keytar.setPassword(service, account, password),
        deletePassword: (service, account) => keytar.deletePassword(service, account),
      };
      const vault = createVault({
        service: TEST_SERVICE,
        loadKeytar: async () => k,
        journal: createWriteJournal(dir),
      });
      expect((await vault.saveUser(scope, 'demo', 'rt-1')).ok).toBe(true);
      const slowRead = vault.loadUser(scope, 'other');
      // demo's refresh was answered: the server has rotated rt-1 out, rt-2 is only in memory.
      const write = vault.saveUser(scope, 'demo', 'rt-2', { replacing: 'rt-1' });
      // Were the process to end now, the next run finds rt-1, and the note.
      expect(await nextRun().loadUser(scope, 'demo')).toEqual({
        ok: true,
        value: { username: 'demo', refreshToken: 'rt-1', unconfirmed: true },
      });
      release();
      await slowRead;
      expect(await write).toEqual({ ok: true, value: undefined });
      expect(await nextRun().loadUser(scope, 'demo')).toEqual({
        ok: true,
        value: { username: 'demo', refreshToken: 'rt-2' },
      });
    });

    it('notes a renewal of a stored token until its outcome is known, and keeps an older note', async () => {
      const scope = writtenScope();
      const { dir, nextRun } = journalDir();
      const journal = createWriteJournal(dir);
      const entry = tokenAccount(scope, 'demo');
      const vault = createVault({ service: TEST_SERVICE, journal });
      expect((await vault.saveUser(scope, 'demo', 'rt-1')).ok).toBe(true);
      const settled = vault.noteRenewal(scope, 'demo');
      // The refresh is on the network: were the process to end now, rt-1 may be rotated out.
      expect(await nextRun().loadUser(scope, 'demo')).toMatchObject({ value: { unconfirmed: true } });
      settled();
      expect(journal.has(entry)).toBe(false);
      // A note an unconfirmed write left stays: the renewal's outcome says nothing of that write.
      journal.begin(entry);
      vault.noteRenewal(scope, 'demo')();
      expect(journal.has(entry)).toBe(true);
      expect(readFileSync(join(dir, KEYCHAIN_JOURNAL_FILE), 'utf8')).not.toMatch(/rt-/);
    });

    it('keeps the note when a write fails and the clean-up after it fails too (a keychain that refuses all)', async () => {
      const scope = writtenScope();
      const { dir, nextRun } = journalDir();
      const journal = createWriteJournal(dir);
      expect((await createVault({ service: TEST_SERVICE, journal }).saveUser(scope, 'demo', 'rt-1')).ok).toBe(
        true,
      );
      const refusing = createVault({
        service: TEST_SERVICE,
        loadKeytar: refusingKeytar('rt-2', { deletes: true }),
        journal,
      });
      expect((await refusing.saveUser(scope, 'demo', 'rt-2', { replacing: 'rt-1' })).ok).toBe(false);
      expect(await nextRun().loadUser(scope, 'demo')).toEqual({
        ok: true,
        value: { username: 'demo', refreshToken: 'rt-1', unconfirmed: true },
      });
      // A later write that lands clears it.
      expect((await nextRun().saveUser(scope, 'demo', 'rt-3', { replacing: 'rt-1' })).ok).toBe(true);
      expect(await nextRun().loadUser(scope, 'demo')).toEqual({
        ok: true,
        value: { username: 'demo', refreshToken: 'rt-3' },
      });
    });

    it('clears the note once the clean-up after a failed write ran, and when the entry is deleted', async () => {
      const scope = writtenScope();
      const { dir } = journalDir();
      const journal = createWriteJournal(dir);
      const entry = tokenAccount(scope, 'demo');
      const vault = createVault({ service: TEST_SERVICE, loadKeytar: refusingKeytar('rt-2'), journal });
      expect((await vault.save(scope, 'demo', 'rt-1')).ok).toBe(true);
      // The clean-up deleted the rotated-out token: nothing outdated is left to note.
      expect((await vault.save(scope, 'demo', 'rt-2', { replacing: 'rt-1' })).ok).toBe(false);
      expect(journal.has(entry)).toBe(false);
      expect(await vault.load(scope)).toEqual({ ok: true, value: null });
      // So did the clean-up that found another token there than the one replaced (a write answered
      // "timed out" that landed after all): it keeps that token, and nothing outdated is left either.
      expect((await vault.save(scope, 'demo', 'rt-landed')).ok).toBe(true);
      expect((await vault.saveUser(scope, 'demo', 'rt-2', { replacing: 'rt-1' })).ok).toBe(false);
      expect(await keytar.getPassword(TEST_SERVICE, entry)).toBe('rt-landed');
      expect(journal.has(entry)).toBe(false);
      // A note left by an earlier run goes with the entry it names.
      expect((await vault.save(scope, 'demo', 'rt-3')).ok).toBe(true);
      journal.begin(entry);
      expect((await vault.remove(scope, 'demo')).ok).toBe(true);
      expect(journal.has(entry)).toBe(false);
      journal.begin(entry);
      expect((await vault.saveUser(scope, 'demo', 'rt-4')).ok).toBe(true);
      expect(journal.has(entry)).toBe(false);
      journal.begin(entry);
      expect((await vault.removeUser(scope, 'demo')).ok).toBe(true);
      expect(journal.has(entry)).toBe(false);
    });
  });

  it('never repeats a secret that a keychain error happens to quote', async () => {
    // Stand-in for a backend whose error message quotes its input; no real one does this on demand.
    const leaky: KeytarLike = {
      getPassword: async () => null,
      setPassword: async (_s, _a, secret) => {
        throw new Error(`Cannot store "${secret}" in a locked collection`);
      },
      deletePassword: async () => false,
    };
    const logs = captureLogs();
    const secret = 'Q-Rw2UTJ4dP0Bym85SeBx6xtJpzK_QZ0rLissrkTMnw';
    const vault = createVault({ loadKeytar: async () => leaky, logger: logs.logger });
    const result = await vault.save('https://x.example', 'demo', secret);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(secret);
    expect(logs.text()).not.toContain(secret);
  });

  it('explains the common Secret Service failures in words', () => {
    expect(
      keychainReason(new Error('The name org.freedesktop.secrets was not provided by any .service files')),
    ).toMatch(/^No Secret Service/);
    expect(keychainReason(new Error('Cannot create an item in a locked collection'))).toMatch(
      /^The keychain is locked/,
    );
    expect(
      keychainReason(new Error('Object does not exist at path “/org/freedesktop/secrets/collection/login”')),
    ).toMatch(/no usable default collection/);
  });

  it('reports KEYCHAIN_UNAVAILABLE when there is no session bus at all', async () => {
    const out = await runKeychainChild('no-bus', 'vault');
    expect(out.save).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_UNAVAILABLE' } });
    expect(out.load).toMatchObject({ ok: false, error: { code: 'KEYCHAIN_UNAVAILABLE' } });
  });

  it('reports KEYCHAIN_UNAVAILABLE when no keyring daemon provides the Secret Service', async () => {
    const out = await runKeychainChild('no-secret-service', 'vault');
    expect(out.save).toMatchObject({
      ok: false,
      error: {
        code: 'KEYCHAIN_UNAVAILABLE',
        message: expect.stringContaining('org.freedesktop.secrets was not provided'),
      },
    });
  });

  it('reports KEYCHAIN_UNAVAILABLE when the keyring is locked and nothing can prompt to unlock it', async () => {
    const out = await runKeychainChild('locked', 'vault');
    expect(out.save).toMatchObject({
      ok: false,
      error: { code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringMatching(/^The keychain is locked/) },
    });
    // A locked collection hides its items (keytar reads them as "not found"); the load's probe write
    // tells that apart from an empty keychain, without crashing.
    expect(out.load).toMatchObject({
      ok: false,
      error: { code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringMatching(/^The keychain is locked/) },
    });
    // keytar deletes a hidden item as "not found" too, without an error: the probe tells it, and a
    // delete is never reported done on a locked keychain.
    expect(out.remove).toMatchObject({
      ok: false,
      error: { code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringMatching(/^The keychain is locked/) },
    });
  });
});

describe('warmUpKeychain()', () => {
  /** A user data folder in which an account was saved (its accounts.json exists), removed afterwards. */
  let userDataDir = '';
  beforeEach(() => {
    userDataDir = mkdtempSync(join(tmpdir(), 'tessera-warm-up-'));
    writeFileSync(join(userDataDir, ACCOUNTS_FILE), '{"accounts":[]}');
  });
  afterEach(() => rmSync(userDataDir, { recursive: true, force: true }));

  it('on Linux, opens the Secret Service connection with one lookup of an entry that is never written', async () => {
    const counted = countedKeytar();
    expect(
      await warmUpKeychain({
        platform: 'linux',
        userDataDir,
        service: TEST_SERVICE,
        loadKeytar: counted.loadKeytar,
      }),
    ).toBe(true);
    expect(counted.calls).toEqual([`get ${WARM_UP_ACCOUNT}`]);
    expect(await keytar.getPassword(TEST_SERVICE, WARM_UP_ACCOUNT)).toBeNull();
  });

  it.each(['darwin', 'win32'] as const)('does nothing on %s (not even loading keytar)', async (platform) => {
    let loaded = 0;
    const loadKeytar = async () => {
      loaded += 1;
      return countedKeytar().loadKeytar();
    };
    expect(await warmUpKeychain({ platform, userDataDir, loadKeytar })).toBe(false);
    expect(loaded).toBe(0);
  });

  it('does nothing before an account was saved in the user data folder (not even loading keytar)', async () => {
    rmSync(join(userDataDir, ACCOUNTS_FILE));
    const counted = countedKeytar();
    let loaded = 0;
    const loadKeytar = async () => {
      loaded += 1;
      return counted.loadKeytar();
    };
    expect(await warmUpKeychain({ platform: 'linux', userDataDir, service: TEST_SERVICE, loadKeytar })).toBe(
      false,
    );
    expect(loaded).toBe(0);
  });

  it('answers false, without throwing, when keytar cannot load or the keychain refuses', async () => {
    expect(
      await warmUpKeychain({
        platform: 'linux',
        userDataDir,
        loadKeytar: () => Promise.reject(new Error('Cannot find module keytar.node')),
      }),
    ).toBe(false);
    const refusing: KeytarLike = {
      getPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
      setPassword: async () => {},
      deletePassword: async () => false,
    };
    expect(await warmUpKeychain({ platform: 'linux', userDataDir, loadKeytar: async () => refusing })).toBe(
      false,
    );
  });

  it("never runs its lookup beside the vault's keychain calls: the vault's first call waits for it", async () => {
    // The warm-up's lookup answers when the test says (a slow D-Bus start).
    const keychain = slowKeytar({ read: WARM_UP_ACCOUNT });
    const { loadKeytar } = keychain;
    const warming = warmUpKeychain({ platform: 'linux', userDataDir, service: TEST_SERVICE, loadKeytar });
    await eventually(async () => keychain.calls.length > 0);
    // The silent sign-in reads the keychain while the lookup is still under way.
    const load = createVault({ service: TEST_SERVICE, loadKeytar }).load(writtenScope());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(keychain.calls).toEqual(['get']);
    keychain.land();
    expect(await warming).toBe(true);
    expect(await load).toEqual({ ok: true, value: null });
    expect(keychain.most()).toBe(1);
  });

  it('stops waiting for a keychain that never answers after the keychain timeout', async () => {
    // A hung Secret Service cannot be produced on demand: a never-settling fake stands in for it, and
    // injected timers fire the timeout.
    const hung: KeytarLike = {
      getPassword: () => new Promise(() => {}),
      setPassword: () => new Promise(() => {}),
      deletePassword: () => new Promise(() => {}),
    };
    const pending: Array<{ callback: () => void; ms: number }> = [];
    const timers: Timers = {
      setTimeout: (callback, ms) => pending.push({ callback, ms }),
      clearTimeout: () => {},
    };
    const warming = warmUpKeychain({
      platform: 'linux',
      userDataDir,
      loadKeytar: async () => hung,
      timers,
      timeoutMs: 1_234,
    });
    expect(pending.map((timer) => timer.ms)).toEqual([1_234]);
    for (const timer of pending.splice(0)) timer.callback();
    expect(await warming).toBe(false);
  });
});
