import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorInfo, Result } from '../../common/errors';
import { KEYCHAIN_REASONS } from '../../common/keychain';
import { ACCOUNTS_FILE } from './accounts/account-store';
import { noJournal, type WriteJournal } from './keychain-journal';
import { type Logger, silentLogger } from './logger';
import { redactText } from './redact';
import { realTimers, type TimerHandle, type Timers } from './timers';

/** The part of keytar the vault uses (keytar's own signatures). */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** Keychain service name the app uses; tests pass a test-only one. */
export const DEFAULT_KEYCHAIN_SERVICE = 'Tessera';
/** A keychain call that has not answered by then counts as unavailable (a hidden prompt, a hung daemon). */
export const DEFAULT_KEYCHAIN_TIMEOUT_MS = 5_000;

export interface VaultDeps {
  service?: string;
  /** Loads the native module lazily, so a missing or broken build is KEYCHAIN_UNAVAILABLE, not a crash. */
  loadKeytar?: () => Promise<KeytarLike>;
  timeoutMs?: number;
  timers?: Timers;
  logger?: Logger;
  /**
   * Notes, outside the keychain, each token write whose outcome is not known yet (the app passes the
   * userData file, `createWriteJournal`); default none.
   */
  journal?: WriteJournal;
}

/** The refresh token stored for one API and the user it belongs to. */
export interface StoredSession {
  username: string;
  refreshToken: string;
  /**
   * A later write to this entry was started and never confirmed — the process ended while it ran, or
   * it failed and so did the clean-up after it — so this token may be one the server already rotated
   * out: its refusal as "reused" is then the app's own interrupted save, not proof of someone else's copy.
   */
  unconfirmed?: true;
}

/** What a write knows of the entry it replaces. */
export interface WriteGuard {
  /** The token the entry is known to hold. */
  replacing: string;
  /**
   * Write only while the entry still holds `replacing`: a session that was let go stores a late
   * rotation over its own token only, never over a newer session's.
   */
  onlyOver?: boolean;
}

/**
 * Writes a refresh token. When the write fails the entry is cleared in the same step, before any
 * later call runs — a rotated-out token left there would trip the server's reuse detection at the
 * next start — with a `guard`, only while the entry still holds `guard.replacing`: never a valid
 * token a late write put there.
 */
export type SaveToken = (
  scope: string,
  username: string,
  refreshToken: string,
  guard?: WriteGuard,
) => Promise<Result<void>>;

/** The refresh-token store. Operations run one at a time, in call order. */
export interface Vault {
  /**
   * The last signed-in user's refresh token for this API, or null; KEYCHAIN_UNAVAILABLE when nothing
   * could be read because the keychain is unusable (e.g. locked), not merely empty.
   */
  load(scope: string): Promise<Result<StoredSession | null>>;
  /** Stores the token and marks `username` as this API's last signed-in user (see `SaveToken`). */
  save: SaveToken;
  /**
   * Deletes the user's token (and the last-user mark when it names them); `username` omitted:
   * whoever the mark names. With `onlyIfToken`, deletes only while that exact token is stored.
   */
  remove(scope: string, username?: string, onlyIfToken?: string): Promise<Result<void>>;
  /**
   * Notes, before a refresh with the user's stored token goes out, that the server may rotate it out
   * with an answer that never arrives (the app quits or crashes first): the next start then reads a
   * reuse refusal of that token as this renewal's doing (`StoredSession.unconfirmed`). The answer ends
   * the note when the refresh's outcome is known and nothing is to be written (no rotation, or a clear
   * refusal); a rotated token's write ends it once stored. Absent: no such note is kept.
   */
  noteRenewal?(scope: string, username: string): () => void;
  /** See `KeychainVault.lateAnswer`; absent: no call of this vault ever answers late. */
  lateAnswer?(): Promise<boolean> | null;
}

/**
 * The keychain vault with one entry per account: several users of one API each keep their own
 * refresh token (main/core/accounts/). The `Vault` methods keep the one-user-per-API behaviour.
 */
export interface KeychainVault extends Vault {
  /** This user's refresh token for this API, or null; KEYCHAIN_UNAVAILABLE when the keychain is unusable. */
  loadUser(scope: string, username: string): Promise<Result<StoredSession | null>>;
  /** Stores this user's token (and marks them as the API's last signed-in user); other users' entries stay. */
  saveUser: SaveToken;
  /** Deletes this user's token (with `onlyIfToken`: only while that exact token is stored). */
  removeUser(scope: string, username: string, onlyIfToken?: string): Promise<Result<void>>;
  /** See `Vault.noteRenewal`: the keychain vault notes it in its write journal. */
  noteRenewal(scope: string, username: string): () => void;
  /**
   * The last keychain call that timed out (a password prompt the person had not answered yet, a daemon
   * slow to start): settles once that call has really ended — true when it answered (the prompt was
   * answered: the keychain is open now), false when it failed (the prompt was dismissed). Kept after it
   * settled, so one who asks after the call ended still hears how; null when no call ever timed out.
   * The account registry reads the keychain again on true, so a session whose start-up read timed out
   * is restored once the person unlocks the keychain.
   */
  lateAnswer(): Promise<boolean> | null;
  /**
   * Resolves once every operation asked for so far, and every one asked for as those ended, has
   * finished (each is bounded by the keychain timeout). The host waits for it before the process
   * ends, so a token being written (or the clean-up after a failed write) is not cut off.
   */
  settled(): Promise<void>;
}

/**
 * The API a token belongs to: origin plus base path (`https://api.example.com`,
 * `https://host/v1`), so switching API never reuses another API's token.
 */
export function apiScope(apiBaseUrl: string): string {
  const url = new URL(apiBaseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path}`;
}

/**
 * Keychain account of a user's refresh token: `v2|<scope>|<username>` with both parts
 * percent-encoded, so no scope and user can spell another pair's account (`|` is allowed in both).
 */
export function tokenAccount(scope: string, username: string): string {
  return `v2|${encodeURIComponent(scope)}|${encodeURIComponent(username)}`;
}

/**
 * Account of the non-secret "last signed-in user" mark (`v2|<scope>|` → `demo`).
 * An entry of its own rather than keytar.findCredentials: findCredentials crashes the process
 * (libsecret NULL secret) when the collection is locked, or when an entry it found is deleted meanwhile.
 */
export function lastUserAccount(scope: string): string {
  return `v2|${encodeURIComponent(scope)}|`;
}

/** The accounts of the first releases (`<scope>|<username>`, `<scope>|`): read once, then moved to v2. */
export const LEGACY_ACCOUNTS = {
  token: (scope: string, username: string) => `${scope}|${username}`,
  lastUser: (scope: string) => `${scope}|`,
};

/**
 * Account of the start-up probe entry (non-secret, deleted at once). It has no `|`, so it can never
 * be a scope's token or last-user account.
 */
export const PROBE_ACCOUNT = 'keychain-probe';

/** A queued keychain call whose caller stopped waiting before it could start (see `queueCall`). */
class GivenUp extends Error {}

/** A keychain call that did not answer within the vault's timeout. */
class KeychainTimeout extends Error {
  constructor(within: string) {
    super(`The keychain did not answer ${within}`);
  }
}

/** Turns a keychain failure into a short, secret-free reason a person can act on. */
export function keychainReason(error: unknown): string {
  const raw = redactText(error instanceof Error ? error.message : String(error)).slice(0, 300);
  if (error instanceof KeychainTimeout) return `${KEYCHAIN_REASONS.noAnswer}: ${raw}`;
  if (
    /freedesktop\.secrets was not provided|address is empty|autolaunch|Could not connect|no such file/i.test(
      raw,
    )
  ) {
    return `${KEYCHAIN_REASONS.missing}: ${raw}`;
  }
  if (/locked|prompt|dismissed|display|cancel/i.test(raw)) return `${KEYCHAIN_REASONS.locked}: ${raw}`;
  if (/does not exist at path/i.test(raw)) return `${KEYCHAIN_REASONS.noCollection}: ${raw}`;
  return `${KEYCHAIN_REASONS.refused}: ${raw}`;
}

function unavailable(reason: string): { ok: false; error: ErrorInfo } {
  return { ok: false, error: { code: 'KEYCHAIN_UNAVAILABLE', message: reason } };
}

async function defaultLoadKeytar(): Promise<KeytarLike> {
  const mod = (await import('keytar')) as KeytarLike & { default?: KeytarLike };
  return mod.default ?? mod;
}

/** Per keytar module: settles once the last call started on it has settled, however late. */
const lastCallOf = new WeakMap<KeytarLike, Promise<unknown>>();

/**
 * Queues one call on keytar `k`: it starts once the previous call on `k` has really ended, even one
 * whose caller stopped waiting (a prompt nobody answered yet), so the keychain's order is the order
 * of the calls and libsecret never has two calls of this process at once (concurrent libsecret calls
 * can abort the process). One queue per module, not per vault: the vault's calls and
 * `warmUpKeychain`'s lookup share it. After `giveUp()` (its caller timed out) a call that has not
 * started never starts.
 */
function queueCall<T>(k: KeytarLike, call: () => Promise<T>): { started: Promise<T>; giveUp: () => void } {
  let gaveUp = false;
  const started = (lastCallOf.get(k) ?? Promise.resolve()).then(() => {
    if (gaveUp) throw new GivenUp('The keychain call was given up before it started');
    return call();
  });
  lastCallOf.set(
    k,
    started.catch(() => {}),
  );
  return {
    started,
    giveUp: () => {
      gaveUp = true;
    },
  };
}

/** The entry `warmUpKeychain` looks up: never written, so the lookup carries no secret. */
export const WARM_UP_ACCOUNT = 'keychain-warm-up';

export interface WarmUpOptions {
  platform: NodeJS.Platform;
  /** The app's user data folder: nothing is done until an account was saved there (`accounts.json`). */
  userDataDir: string;
  service?: string;
  loadKeytar?: () => Promise<KeytarLike>;
  timeoutMs?: number;
  timers?: Timers;
}

/**
 * Opens the keychain connection ahead of its first real use, so that a start can overlap it with
 * something else (main calls it before Electron is ready; the silent sign-in's reads then find it
 * open). On Linux the first keychain call of a process loads keytar and connects to the Secret Service
 * over D-Bus — measured 6–12 ms, against under 1 ms for each later call; a lookup of an entry that is
 * never written does both and reads nothing. Elsewhere it does nothing: macOS may ask to unlock a
 * locked keychain even for a lookup, and Windows' Credential Manager has no connection to open. Nor
 * before the first account was saved in `userDataDir`: a copy nobody signed in to yet has nothing to
 * restore, and does not touch the Secret Service (nor have D-Bus start a keyring daemon) at launch.
 *
 * The lookup waits its turn in the keychain's one queue (`queueCall`), as the vault's calls do: a
 * vault's first call asked for while it is under way starts after it, never beside it.
 *
 * Resolves true once the lookup answered, false otherwise (not Linux, keytar missing, no Secret
 * Service, no answer within the keychain timeout). It never throws and has no logger: the first real
 * operation reports any problem as it always does.
 */
export async function warmUpKeychain(options: WarmUpOptions): Promise<boolean> {
  if (options.platform !== 'linux' || !existsSync(join(options.userDataDir, ACCOUNTS_FILE))) return false;
  const service = options.service ?? DEFAULT_KEYCHAIN_SERVICE;
  const timeoutMs = options.timeoutMs ?? DEFAULT_KEYCHAIN_TIMEOUT_MS;
  const timers = options.timers ?? realTimers;
  const load = options.loadKeytar ?? defaultLoadKeytar;
  let timer: TimerHandle | undefined;
  let stopped = false;
  let giveUp = () => {
    stopped = true;
  };
  const gaveUp = new Promise<false>((resolve) => {
    timer = timers.setTimeout(() => {
      giveUp();
      resolve(false);
    }, timeoutMs);
  });
  const lookup = (async () => {
    const keytar = await load();
    if (stopped) return false;
    // In the keychain's one queue: a vault's first calls wait for it rather than run beside it.
    const queued = queueCall(keytar, () => keytar.getPassword(service, WARM_UP_ACCOUNT));
    giveUp = queued.giveUp;
    await queued.started;
    return true;
  })().catch(() => false);
  try {
    return await Promise.race([lookup, gaveUp]);
  } finally {
    if (timer !== undefined) timers.clearTimeout(timer);
  }
}

/** Creates the refresh-token vault on the OS keychain. Never falls back to any other storage. */
export function createVault(deps: VaultDeps = {}): KeychainVault {
  const service = deps.service ?? DEFAULT_KEYCHAIN_SERVICE;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_KEYCHAIN_TIMEOUT_MS;
  const timers = deps.timers ?? realTimers;
  const logger = deps.logger ?? silentLogger;
  const loadKeytar = deps.loadKeytar ?? defaultLoadKeytar;
  const journal = deps.journal ?? noJournal;
  let keytar: Promise<KeytarLike> | undefined;
  let tail: Promise<unknown> = Promise.resolve();
  /** Whether the last call that timed out answered in the end (see `lateAnswer`). */
  let late: Promise<boolean> | null = null;

  /** Races `call` against the timeout (`onTimeout` runs as it fires); a late answer is ignored. */
  function bounded<T>(call: () => Promise<T>, onTimeout?: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = timers.setTimeout(() => {
        onTimeout?.();
        reject(new KeychainTimeout(`within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      call().then(
        (value) => {
          timers.clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          timers.clearTimeout(timer);
          reject(error);
        },
      );
    });
  }

  /**
   * One keychain call, bounded by the timeout and never beside another of this keytar (see
   * `queueCall`): a write answered "timed out" can still land late, but nothing asked for after it
   * runs — or lands — before it.
   */
  function exclusive<T>(k: KeytarLike, call: () => Promise<T>): Promise<T> {
    const queued = queueCall(k, call);
    return bounded(
      () => queued.started,
      () => {
        queued.giveUp();
        noteLate(queued.started);
      },
    );
  }

  /**
   * Keeps track of a call that timed out, to tell how it ended. One that never started (it waited behind an
   * earlier hung call) tells nothing itself: its outcome is the earlier one's, or — the earlier call
   * was another vault's or the warm-up's — true once the queue moved on.
   */
  function noteLate(started: Promise<unknown>): void {
    const before = late;
    late = started.then(
      () => true,
      (error: unknown) => (error instanceof GivenUp ? (before ?? true) : false),
    );
  }

  /** Runs `op` after every earlier operation, mapping any failure to KEYCHAIN_UNAVAILABLE. */
  function run<T>(name: string, op: (k: KeytarLike) => Promise<T>): Promise<Result<T>> {
    const result = tail.then(async (): Promise<Result<T>> => {
      let module: KeytarLike;
      try {
        keytar ??= loadKeytar();
        module = await bounded(() => keytar as Promise<KeytarLike>);
      } catch (error) {
        keytar = undefined;
        const reason = `${KEYCHAIN_REASONS.module}: ${keychainReason(error)}`;
        logger.warn('keychain unavailable', { operation: name, reason });
        return unavailable(reason);
      }
      try {
        return { ok: true, value: await op(module) };
      } catch (error) {
        const reason = keychainReason(error);
        logger.warn('keychain unavailable', { operation: name, reason });
        return unavailable(reason);
      }
    });
    tail = result;
    return result;
  }

  /**
   * Moves a session stored under the first releases' accounts to v2 (once: the old entries are
   * deleted), and answers the user it moved, or null when there was none.
   */
  async function migrateLegacy(k: KeytarLike, scope: string): Promise<string | null> {
    const username = await exclusive(k, () => k.getPassword(service, LEGACY_ACCOUNTS.lastUser(scope)));
    if (!username) return null;
    const token = await exclusive(k, () => k.getPassword(service, LEGACY_ACCOUNTS.token(scope, username)));
    if (token) {
      await exclusive(k, () => k.setPassword(service, tokenAccount(scope, username), token));
      await exclusive(k, () => k.setPassword(service, lastUserAccount(scope), username));
      await exclusive(k, () => k.deletePassword(service, LEGACY_ACCOUNTS.token(scope, username)));
    }
    await exclusive(k, () => k.deletePassword(service, LEGACY_ACCOUNTS.lastUser(scope)));
    logger.info('keychain entry moved to the current account format', { moved: token !== null });
    return token ? username : null;
  }

  /**
   * Deletes the user's token (`username` omitted: whoever the last-user mark names) and the mark when it
   * names them; with `onlyIfToken`, only while that exact token is stored.
   */
  async function removeIn(k: KeytarLike, scope: string, username?: string, onlyIfToken?: string) {
    const lastUser = await exclusive(k, () => k.getPassword(service, lastUserAccount(scope)));
    // Nothing found may be a locked keychain hiding the mark: the probe tells (it fails then).
    if (lastUser === null && username === undefined) await probe(k);
    const who = username ?? lastUser;
    if (who && !(await deleteToken(k, scope, who, onlyIfToken))) return;
    if (lastUser !== null && (username === undefined || lastUser === username)) {
      await exclusive(k, () => k.deletePassword(service, lastUserAccount(scope)));
    }
  }

  /** Deletes this user's token (with `onlyIfToken`: only while it is stored) and the mark naming them. */
  async function removeUserIn(k: KeytarLike, scope: string, username: string, onlyIfToken?: string) {
    if (!(await deleteToken(k, scope, username, onlyIfToken))) return;
    const lastUser = await exclusive(k, () => k.getPassword(service, lastUserAccount(scope)));
    if (lastUser === username) await exclusive(k, () => k.deletePassword(service, lastUserAccount(scope)));
  }

  /**
   * Deletes the user's token (with `onlyIfToken`: only while the entry holds it); false when another
   * token is there. keytar reads and deletes a locked item as "not found" without an error: when the
   * entry is not found, the probe write tells "nothing there" from "locked" (it throws then, and the
   * delete fails KEYCHAIN_UNAVAILABLE), so a token a locked keychain hid is never reported deleted.
   */
  async function deleteToken(k: KeytarLike, scope: string, username: string, onlyIfToken?: string) {
    const entry = tokenAccount(scope, username);
    const remove = () => exclusive(k, () => k.deletePassword(service, entry));
    if (onlyIfToken !== undefined) {
      const current = await readOrProbe(k, () => exclusive(k, () => k.getPassword(service, entry)));
      if (current !== onlyIfToken) return false;
    }
    // Deleted again after the probe, which may have had the person unlock the keychain.
    if (!(await remove())) {
      await probe(k);
      await remove();
    }
    journal.end(entry);
    return true;
  }

  /** A token read from the user's entry, marked when a later write to it was never confirmed. */
  function storedSession(scope: string, username: string, refreshToken: string): StoredSession {
    return journal.has(tokenAccount(scope, username))
      ? { username, refreshToken, unconfirmed: true }
      : { username, refreshToken };
  }

  /**
   * `read`'s answer; when it finds nothing, `read` again after a probe write. keytar reads a locked item
   * as "not found": only a write tells "nothing stored" from "locked" (it fails then; never
   * findCredentials, which crashes on a locked collection), and it may have had the person unlock the
   * keychain at a prompt.
   */
  async function readOrProbe(k: KeytarLike, read: () => Promise<string | null>): Promise<string | null> {
    const found = await read();
    if (found) return found;
    await probe(k);
    return (await read()) || null;
  }

  /** Writes and deletes the probe entry: throws when the keychain is locked (or refuses writes). */
  async function probe(k: KeytarLike): Promise<void> {
    await exclusive(k, () => k.setPassword(service, PROBE_ACCOUNT, 'probe'));
    await exclusive(k, () => k.deletePassword(service, PROBE_ACCOUNT));
  }

  /** Whether the user's entry holds `token`. */
  async function holds(k: KeytarLike, scope: string, username: string, token: string): Promise<boolean> {
    return (await exclusive(k, () => k.getPassword(service, tokenAccount(scope, username)))) === token;
  }

  /**
   * One write of `username`'s refresh token (with `guard.onlyOver`, only while the entry holds
   * `guard.replacing`), then `mark` (the last-user mark and what goes with it). Noted in the journal
   * from before its first keychain call until its outcome is known: it ended well, or it failed and
   * `clear` — run in the same step, so it cannot delete what a later call writes — cleared the entry
   * (deleted it, or found another token there). A process that ends during the step, or a clean-up
   * that fails too (a keychain refusing everything), leaves the note: the entry may hold a token the
   * server rotated out. The clean-up's own failure is logged; the write's is what the caller hears.
   */
  async function writeRefreshToken(
    k: KeytarLike,
    write: { scope: string; username: string; refreshToken: string; guard: WriteGuard | undefined },
    mark: () => Promise<void>,
    clear: () => Promise<void>,
  ): Promise<void> {
    const { scope, username, refreshToken, guard } = write;
    const entry = tokenAccount(scope, username);
    journal.begin(entry);
    try {
      if (!guard?.onlyOver || (await holds(k, scope, username, guard.replacing))) {
        await exclusive(k, () => k.setPassword(service, entry, refreshToken));
        await mark();
      }
    } catch (error) {
      try {
        await clear();
        journal.end(entry);
      } catch (cleanUpError) {
        logger.warn('keychain unavailable', {
          operation: 'clear after failed write',
          reason: keychainReason(cleanUpError),
        });
      }
      throw error;
    }
    journal.end(entry);
  }

  return {
    lateAnswer: () => late,

    async settled() {
      // A call asked for as an earlier one ends (a session's take-back of what it wrote after it
      // ended) is waited for too: quitting must not cut it off.
      let seen: Promise<unknown>;
      do {
        seen = tail;
        await seen;
      } while (seen !== tail);
    },

    load(scope) {
      return run('load', async (k) => {
        const username = await readOrProbe(
          k,
          async () =>
            (await exclusive(k, () => k.getPassword(service, lastUserAccount(scope)))) ||
            (await migrateLegacy(k, scope)),
        );
        if (!username) return null;
        const refreshToken = await exclusive(k, () => k.getPassword(service, tokenAccount(scope, username)));
        return refreshToken ? storedSession(scope, username, refreshToken) : null;
      });
    },

    save(scope, username, refreshToken, guard) {
      // Noted when asked for, not when its turn comes: the server has rotated the token already, so a
      // process that ends while this write waits behind slower keychain calls leaves a stale entry.
      journal.begin(tokenAccount(scope, username));
      return run('save', (k) =>
        writeRefreshToken(
          k,
          { scope, username, refreshToken, guard },
          async () => {
            const lastUser = await exclusive(k, () => k.getPassword(service, lastUserAccount(scope)));
            if (lastUser === username) return;
            await exclusive(k, () => k.setPassword(service, lastUserAccount(scope), username));
            // One stored session per API: the previous user's token would otherwise linger unused.
            if (lastUser) {
              await exclusive(k, () => k.deletePassword(service, tokenAccount(scope, lastUser)));
              journal.end(tokenAccount(scope, lastUser));
            }
          },
          () => removeIn(k, scope, username, guard?.replacing),
        ),
      );
    },

    remove(scope, username, onlyIfToken) {
      return run('remove', (k) => removeIn(k, scope, username, onlyIfToken));
    },

    noteRenewal(scope, username) {
      const entry = tokenAccount(scope, username);
      // A note already there (an earlier write never confirmed) stays until a write or delete ends it.
      if (journal.has(entry)) return () => {};
      journal.begin(entry);
      return () => journal.end(entry);
    },

    loadUser(scope, username) {
      return run('load', async (k) => {
        const token = await readOrProbe(k, () =>
          exclusive(k, () => k.getPassword(service, tokenAccount(scope, username))),
        );
        return token ? storedSession(scope, username, token) : null;
      });
    },

    saveUser(scope, username, refreshToken, guard) {
      journal.begin(tokenAccount(scope, username)); // when asked for (see save)
      return run('save', (k) =>
        writeRefreshToken(
          k,
          { scope, username, refreshToken, guard },
          async () => {
            // The mark is written only when it names someone else: a read costs far less than a write
            // (the Secret Service rewrites its keyring file on each), and a rotation keeps the same user.
            const marked = await exclusive(k, () => k.getPassword(service, lastUserAccount(scope)));
            if (marked !== username)
              await exclusive(k, () => k.setPassword(service, lastUserAccount(scope), username));
          },
          () => removeUserIn(k, scope, username, guard?.replacing),
        ),
      );
    },

    removeUser(scope, username, onlyIfToken) {
      return run('remove', (k) => removeUserIn(k, scope, username, onlyIfToken));
    },
  };
}
