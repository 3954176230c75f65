// The account registry: several accounts signed in at once, each one `createSession` instance with its
// own schedule, single flight, backoff and keychain entry, and one of them active (the one the page's
// tokens come from). The state machine is not changed: an account is a session; this file only decides
// which sessions exist, which one is shown, and what is remembered of them (accounts.json, no secret).
import type { ErrorInfo, Result } from '../../../common/errors';
import type { CancelSignInResult, SignInRequest, SignOutRequest } from '../../../common/ipc';
import { KEYCHAIN_REASONS, keychainReasonKind } from '../../../common/keychain';
import type { AccessTokenGrant, AccountSummary, SessionView, SignOutResult } from '../../../common/session';
import type { SettingKey, Settings } from '../../../common/settings';
import { sessionScope } from '../auth-protocol';
import type { ConfirmConnectionChange } from '../config/connection-change';
import { checkAllowedOrigins, newOrigins, sendsTo } from '../config/sends-to';
import { parseSetting } from '../config/settings-table';
import type { Session } from '../contracts';
import { type Logger, silentLogger } from '../logger';
import { CANCELLED, originOf } from '../session/model';
import { tokenAccount } from '../vault';
import { accountIdOf, type Connection, connectionOf, sameConnection } from './account-id';
import { ACCOUNTS_FILE, type AccountStore, type StoredAccount } from './account-store';
import type { AccountVault } from './account-vault';

/** How many stored accounts are restored at the same time at start-up. */
export const RESTORE_CONCURRENCY = 4;

/** What the registry is built from. */
export interface AccountRegistryDeps {
  /** The effective settings (the configured API, limits, preferences). */
  settings: () => Settings;
  /** Builds one account's session (the composition root's `createSession` with its ports). */
  makeSession: (settings: Settings, vault: AccountVault) => Session;
  /** The vault of one account (`null`: the user is not known yet). */
  vaultFor: (username: string | null) => AccountVault;
  store: AccountStore;
  /** Asks the person before an account is added on a server no account uses yet. */
  confirmConnectionChange?: ConfirmConnectionChange;
  /**
   * True when `key`'s value in force is the one an IT policy value that could not be used locked it to
   * (its restrictive end), not one anyone chose. "Stay signed in" off that way deletes no stored token.
   */
  lockedClosed?: (key: SettingKey) => boolean;
  logger?: Logger;
  restoreConcurrency?: number;
}

/** The registry as the rest of main sees it: the active account as a `Session`, plus the accounts. */
export interface AccountRegistry extends Session {
  listAccounts(): AccountSummary[];
  /** Makes `id` the active account; NOT_FOUND for an id no account has. */
  switchAccount(id: string): Result<SessionView>;
  /** Signs in a new account (or the same user on the same API again, replacing its token). */
  addAccount(request: SignInRequest): Promise<Result<SessionView>>;
  /** Signs out of the active account, of `account`, or of `all`; NOT_FOUND for an unknown id. */
  signOutAccounts(request?: SignOutRequest): Promise<Result<SignOutResult>>;
  /** The API base URLs the page may call: the configured one and every account's (CSP, CORS). */
  apiBaseUrls(): string[];
  /** Called when accounts are added, removed or switched, or any account's state changes. */
  onAccountsChange(listener: () => void): () => void;
}

/** A session with what the registry knows about it. */
interface Slot {
  session: Session;
  vault: AccountVault;
  settings: Settings;
}

interface Entry extends Slot {
  id: string;
  username: string;
  connection: Connection;
}

/**
 * Why the stored accounts are held back while "stay signed in" is locked off because IT's value for it
 * could not be used (the signed-out view's `lastError`; the page words it for the person).
 */
const LOCKED_OFF: ErrorInfo = {
  code: 'MANAGED_SETTING',
  key: 'staySignedIn',
  message:
    "The IT policy's value for staySignedIn could not be used: it is off, and the stored accounts are held back until the value is fixed.",
};

function fail(code: ErrorInfo['code'], message: string, key?: string): { ok: false; error: ErrorInfo } {
  return { ok: false, error: { code, message, ...(key ? { key } : {}) } };
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function boundedAll<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>): Promise<void> {
  const queue = [...items];
  const runners = Array.from({ length: Math.min(limit, queue.length) }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  });
  await Promise.all(runners);
}

const signedIn = (slot: Slot) => slot.session.getView().state !== 'signedOut';
/** Not signed in, but keeping its refresh token to try again (the network, a request the server refused). */
const retrying = (slot: Slot) => slot.session.getView().nextRefreshAt !== null;
/** Signed in, not just signing in. */
const holdsTokens = (slot: Slot) => {
  const { state } = slot.session.getView();
  return state === 'active' || state === 'refreshing';
};

/** Creates the registry. Nothing is restored until `start()`. */
export function createAccountRegistry(deps: AccountRegistryDeps): AccountRegistry {
  const logger = (deps.logger ?? silentLogger).child('accounts');
  const viewListeners = new Set<(view: SessionView) => void>();
  const accountListeners = new Set<() => void>();
  let entries: Entry[] = [];
  let activeId: string | null = null;
  /** Sign-ins in progress that are not (yet) accounts. */
  const pending = new Set<Slot>();
  let lastSettings = deps.settings();
  /** Whether stored tokens were kept at the last settings seen (`keepsStored`): a change to false deletes the held-back ones. */
  let keeping = keepsStored();
  let lastEmitted = '';
  let lastEmittedState: SessionView['state'] | null = null;
  /** While settings are applied: the page hears the outcome once, not each account's steps. */
  let quiet = false;
  /**
   * The signed-out session while its sign-in or restore is becoming an account: its signed-in state
   * reaches the page only once it has its account id (else the page takes the id's arrival for a switch).
   */
  let promoting: Slot | null = null;
  /** The keychain reads asked for again (`retrySlot`), by session: one at a time each. */
  const retries = new Map<Slot, Promise<void>>();
  /**
   * Stored accounts the policy held back at start (IT's allow-list or account limit, also a policy
   * file that fails closed, or "stay signed in" locked off by a value that could not be used): not
   * signed in this run, but kept in the list (their tokens stay in the keychain), so a start after the
   * policy allows them again restores them; so does a policy read while the app runs that fixes the
   * lock or allows more (`applySettings`). Signing the same account in again replaces its entry;
   * "stay signed in" turned off deletes their tokens and drops them.
   */
  let held: StoredAccount[] = [];
  /** `held` is every stored account, held back because "stay signed in" is locked off (see `restore`). */
  let heldByLock = false;
  /**
   * Keychain entries to delete at the next start (see `StoredAccounts.forget`): of accounts signed out,
   * or whose "stay signed in" was turned off (also before a start), while the keychain refused the
   * delete, of a refused token a first start could not delete, and of sign-ins from
   * their first token write until they are accounts. Kept in `accounts.json`, never restored.
   */
  let forget: StoredAccount[] = [];
  /**
   * Accounts signing out: already out of the written list (noted under `forget` until their keychain
   * entry is deleted), still shown until their sign-out ends (see `signOutAccounts`).
   */
  const leaving = new Set<Entry>();
  let started = false;
  let lobby: Slot = newSlot(lastSettings, null);
  /** The stored list, read now so the page's first CSP already allows every stored account's API. */
  const stored = deps.store.load();
  forget = stored?.forget ?? [];
  /**
   * Why a stored account was not restored at start (IT's allow-list: MANAGED_SETTING with its origin,
   * the last active one's first; "stay signed in" locked off: `LOCKED_OFF`): the signed-out view's
   * `lastError` says it until a sign-in starts, the server or the allow-list changes, or the lock ends.
   */
  let notRestored: ErrorInfo | null = null;

  // ---- sessions and what the page is shown ----------------------------------------------------

  /**
   * A session for `settings`, whose changes reach the page while it is the one shown. `signingIn`: the
   * connection of a sign-in that is not an account yet (see `notedBeforeWrite`).
   */
  function newSlot(settings: Settings, username: string | null, signingIn?: Connection): Slot {
    const own = deps.vaultFor(username);
    const vault = signingIn ? notedBeforeWrite(own, settings, signingIn) : own;
    const session = deps.makeSession(settings, vault);
    const slot: Slot = { session, vault, settings };
    session.onChange(() => {
      if (shown() === slot) emit();
      else accountsChanged();
    });
    return slot;
  }

  function active(): Entry | null {
    return entries.find((entry) => entry.id === activeId) ?? null;
  }

  /** The session the page sees: the active account's, or (none active) the signed-out one. */
  function shown(): Slot {
    return active() ?? lobby;
  }

  function decorate(slot: Slot, view: SessionView): SessionView {
    const decorated = { ...view, accountId: activeId, apiBaseUrl: slot.settings.apiBaseUrl };
    const unexplained = activeId === null && view.state === 'signedOut' && view.lastError === null;
    return notRestored && unexplained ? { ...decorated, lastError: notRestored } : decorated;
  }

  function currentView(): SessionView {
    const slot = shown();
    return decorate(slot, slot.session.getView());
  }

  /**
   * Tells the page about the shown session (identical consecutive views are sent once), and the
   * account listeners. While settings are applied (`quiet`) both hear the outcome once, with one
   * exception for the page: a view that ends a session it was told holds tokens is sent at once. That
   * token is already ended (revoked behind), so the page must drop the grant it keeps now, not once the
   * change's keychain work is over (up to its timeout).
   */
  function emit(): void {
    if (promoting !== null && promoting === shown() && holdsTokens(promoting)) return;
    const view = currentView();
    if (quiet) {
      const pageHoldsToken = lastEmittedState === 'active' || lastEmittedState === 'refreshing';
      if (view.state === 'signedOut' && pageHoldsToken) sendView(view);
      return;
    }
    sendView(view);
    accountsChanged();
  }

  function sendView(view: SessionView): void {
    const key = JSON.stringify(view);
    if (key === lastEmitted) return;
    lastEmitted = key;
    lastEmittedState = view.state;
    for (const listener of [...viewListeners]) {
      try {
        listener(view);
      } catch (error) {
        logger.error('session listener threw', { error });
      }
    }
  }

  function accountsChanged(): void {
    for (const listener of [...accountListeners]) {
      try {
        listener();
      } catch (error) {
        logger.error('accounts listener threw', { error });
      }
    }
  }

  /** Writes the account list; true when the file holds it (see `AccountStore.save`). */
  function persist(): boolean {
    const listed = entries.filter((entry) => !leaving.has(entry));
    const current = listed.map(({ id, username, connection }) => ({ id, username, connection }));
    const kept = held.filter((account) => !entries.some((entry) => entry.id === account.id));
    // The last active account, when it is held back: still the active one once it is restored.
    const before = stored?.active ?? null;
    const shownListed = listed.some((entry) => entry.id === activeId) ? activeId : null;
    const active = shownListed ?? (kept.some((account) => account.id === before) ? before : null);
    return deps.store.save({ active, accounts: [...current, ...kept], forget });
  }

  /**
   * Signs an account out for good (see `noteLeftEntry`).
   */
  async function signOutEntry(entry: Entry): Promise<SignOutResult> {
    const result = await entry.session.signOut();
    noteLeftEntry(entry);
    return result;
  }

  /**
   * For an account signed out and about to leave the list, or whose "stay signed in" was turned off:
   * when its keychain entry may be left (the keychain refused the delete, or an earlier write), it is
   * noted to be deleted at the next start, so no token stays in the keychain that nothing restores.
   * `connection`: the one its entry was written under. True when it was noted now.
   */
  function noteLeftEntry(entry: Entry, connection = entry.connection): boolean {
    return noteLeft(entry, { id: entry.id, username: entry.username, connection });
  }

  /** `noteLeftEntry` for any session: `account` names the entry its token was written to. */
  function noteLeft(slot: Slot, account: StoredAccount): boolean {
    if (slot.session.getView().keychain.available || !noteForget(account)) return false;
    logger.warn('an account’s keychain entry could not be deleted; the next start tries again');
    return true;
  }

  /** The keychain entry an account's refresh token is kept in (accounts of two ids may share one). */
  function entryOf(account: StoredAccount): string {
    return tokenAccount(sessionScope(settingsFor(account.connection)), account.username);
  }

  /** True when `a` and `b` keep their tokens in the same keychain entry. */
  function sameEntry(a: StoredAccount, b: StoredAccount): boolean {
    return entryOf(a) === entryOf(b);
  }

  /** Notes `account`'s keychain entry under `forget` (once per entry); true when it was not noted yet. */
  function noteForget(account: StoredAccount): boolean {
    if (forget.some((other) => sameEntry(other, account))) return false;
    forget.push(account);
    return true;
  }

  /**
   * The vault of a sign-in that is not an account yet: before its first token write to an entry, the
   * account is noted under `forget` in accounts.json (written first; unless it became an account
   * meanwhile, then the list names it), so a process ended between that write and the list's own write
   * leaves no token that no list names. It becoming an account takes the note off (`signInNew`), in the
   * same write of the list. When the list cannot be written (a full disk, a file that may not be
   * replaced), the token is not written either: nothing would name it, so nothing would ever restore or
   * delete it. The session goes on in memory, and the page is told why it is not stored.
   */
  function notedBeforeWrite(vault: AccountVault, settings: Settings, connection: Connection): AccountVault {
    // The keychain entry the list on disk is known to name for this sign-in (as a note or an account).
    let named: string | null = null;
    const noted: AccountVault = {
      ...vault,
      save(scope, username, refreshToken, guard) {
        const account = { id: accountIdOf(settings, username), username, connection };
        if (named !== entryOf(account)) {
          if (!entries.some((entry) => entry.vault === noted)) noteForget(account);
          if (!persist()) {
            logger.warn('a sign-in’s refresh token is not stored: the account list could not be saved');
            return Promise.resolve(
              fail(
                'KEYCHAIN_UNAVAILABLE',
                `${KEYCHAIN_REASONS.accountList}: ${ACCOUNTS_FILE} could not be written`,
              ),
            );
          }
          named = entryOf(account);
        }
        return vault.save(scope, username, refreshToken, guard);
      },
    };
    return noted;
  }

  /**
   * Whether stored tokens are kept: "stay signed in" is on, or off only because IT's value could not be
   * used (a typo in the policy must not delete anyone's stored sign-in: those accounts are held back
   * until it is fixed). Off by anyone's choice, no refresh token stays in the keychain.
   */
  function keepsStored(): boolean {
    return deps.settings().staySignedIn || (deps.lockedClosed?.('staySignedIn') ?? false);
  }

  /**
   * Deletes the entries of `forget`, except one an account listed now keeps (`listed`, while stored
   * tokens are kept, see `keepsStored`) and one whose user a newer release's account names (not this
   * version's to judge). Those it could not delete stay noted.
   */
  async function forgetLeftEntries(listed: StoredAccount[]): Promise<void> {
    const restoring = keepsStored() ? listed : [];
    const newer = deps.store.keptUsernames?.() ?? [];
    const left = forget.filter((account) => !restoring.some((other) => sameEntry(other, account)));
    const gone = await Promise.all(
      left.map((account) => (newer.includes(account.username) ? false : forgetHeld(account))),
    );
    forget = left.filter((_, index) => !gone[index]);
  }

  /** Makes `slot` the signed-out session the page sees when no account is active. */
  function setLobby(slot: Slot): void {
    if (lobby !== slot && !pending.has(lobby)) lobby.session.dispose();
    lobby = slot;
  }

  /** Takes an entry out of the list; when it was active, the next signed-in account (or none) is. */
  function removeEntry(entry: Entry, keepAsLobby: boolean): void {
    entries = entries.filter((other) => other !== entry);
    if (activeId === entry.id) {
      const next = entries.find(signedIn) ?? null;
      activeId = next?.id ?? null;
      if (!next && keepAsLobby) {
        setLobby(entry);
        return;
      }
    }
    entry.session.dispose();
  }

  function settingsFor(connection: Connection): Settings {
    return { ...deps.settings(), ...connection };
  }

  // ---- adding accounts --------------------------------------------------------------------------

  /**
   * Refuses a connection that would send the password or a token outside the IT policy's allow-list:
   * its API, or any sign-in, refresh or logout endpoint of its contract elsewhere.
   */
  function allowed(settings: Settings): Result<void> {
    return checkAllowedOrigins(deps.settings().allowedApiOrigins, sendsTo(settings));
  }

  /** The person confirms an account on a server no account (and not the setting) uses yet. */
  async function confirmNewServer(settings: Settings): Promise<Result<void>> {
    const origin = originOf(settings.apiBaseUrl);
    const known = [deps.settings(), ...entries.map((entry) => entry.settings)].some(
      (other) => originOf(other.apiBaseUrl) === origin,
    );
    if (known) return { ok: true, value: undefined };
    if (!deps.confirmConnectionChange)
      return fail('CONFIRMATION_REQUIRED', 'An account on another server needs your confirmation.');
    const yes = await deps.confirmConnectionChange({
      keys: ['apiBaseUrl'],
      fromOrigin: originOf(deps.settings().apiBaseUrl),
      toOrigin: origin,
      toIssuer: settings.authMode === 'oidc' && settings.oidcIssuer ? settings.oidcIssuer : null,
      newOrigins: newOrigins(
        sendsTo(settings),
        ...[deps.settings(), ...entries.map((entry) => entry.settings)].map(sendsTo),
      ),
      locale: deps.settings().locale,
      addsAccount: true,
    });
    return yes ? { ok: true, value: undefined } : fail('CANCELLED', 'The new server was not confirmed.');
  }

  /**
   * Whether one more account fits: below `maxAccounts`; or at it, with the account to drop once the new
   * sign-in is granted (`signInNew`) — one its server ended (signed out and not retrying: an account
   * whose restore or refresh is still being retried keeps its place and its token, and so does one
   * whose stored session could not be read yet, see `retryRestore`), or, with
   * `maxAccounts` 1, the one account (signing in as someone else replaces it, as before accounts
   * existed); otherwise LIMIT_REACHED. Nothing is dropped here, so a sign-in that fails (offline, a
   * wrong password, a cancelled browser) leaves every account as it was.
   */
  function roomFor(): Result<Entry | null> {
    const max = deps.settings().maxAccounts;
    if (entries.length < max) return { ok: true, value: null };
    // Not one whose stored session could not be read yet: its token is kept for "Try again".
    const ended = entries.find(
      (entry) => !signedIn(entry) && !retrying(entry) && !entry.session.getView().keychain.unread,
    );
    if (ended) return { ok: true, value: ended };
    if (max === 1 && entries.length === 1 && entries[0]) return { ok: true, value: entries[0] };
    return fail('LIMIT_REACHED', `At most ${max} accounts may be signed in at once; sign out of one first.`);
  }

  /**
   * Drops an account to make room for one just signed in: out of the list at once, then signed out
   * behind the new one (its token revoked, its keychain entry deleted). Until that delete is done it is
   * noted under `forget` (written with the list), so a quit during the revoke leaves no token that no
   * list names: the next start deletes it. `forBrowserSignIn`: room made for a browser sign-in, whose
   * provider session lives in the same browser: the dropped account is signed out without the
   * RP-initiated logout, which (its id_token_hint naming the old person) could end the new person's
   * provider session, as a browser re-sign-in of the same account does not sign the old one out.
   */
  function dropForRoom(entry: Entry, forBrowserSignIn: boolean): void {
    entries = entries.filter((other) => other !== entry);
    const account: StoredAccount = { id: entry.id, username: entry.username, connection: entry.connection };
    noteForget(account);
    void entry.session
      .signOut({ providerLogout: !forBrowserSignIn })
      .then(() => {
        // Deleted, unless the keychain could not be used (then the note stays for the next start).
        if (!entry.session.getView().keychain.available) return;
        forget = forget.filter((other) => !sameEntry(other, account));
        persist();
      })
      .finally(() => entry.session.dispose());
  }

  /** Where a sign-in goes: the configured API, an account's, or the one the request names. */
  function connectionFor(apiBaseUrl: string | undefined): Result<Connection> {
    const base = connectionOf(deps.settings());
    if (apiBaseUrl === undefined) return { ok: true, value: base };
    const parsed = parseSetting('apiBaseUrl', apiBaseUrl);
    if (!parsed.success) return fail('INVALID_CONFIG', 'The API address is not valid.', 'apiBaseUrl');
    if (parsed.data === base.apiBaseUrl) return { ok: true, value: base };
    const known = entries.find((entry) => entry.connection.apiBaseUrl === parsed.data);
    return { ok: true, value: known ? { ...known.connection } : { ...base, apiBaseUrl: parsed.data } };
  }

  /**
   * Signs in a new session for `connection`; on success it becomes an account (replacing an account of
   * the same id) and the active one. While nothing signed in is shown, the page sees it sign in.
   * `replaced`: what becomes of an account of the same id — `signOut` (its tokens are revoked; its
   * keychain entry, which the new sign-in overwrote, stays) or `dispose` (left to lapse).
   * `typedUsername`: the name a password sign-in typed; null for a browser sign-in.
   */
  async function signInNew(
    connection: Connection,
    call: (session: Session) => Promise<Result<SessionView>>,
    typedUsername: string | null,
    replaced: 'signOut' | 'dispose' = 'dispose',
    room: Entry | null = null,
  ): Promise<Result<SessionView>> {
    const settings = settingsFor(connection);
    const slot = newSlot(settings, null, connection);
    notRestored = null;
    pending.add(slot);
    const shownBefore = activeId;
    // The signed-out session of a start without a list whose stored session could not be read: kept
    // (not disposed) while this sign-in runs, so a wrong password leaves its notice and its read again.
    let keptLobby: Slot | null = null;
    // Nothing signed in is shown: the page sees this sign-in (its first event is `signingIn`).
    if (!signedIn(shown())) {
      activeId = null;
      if (lobby !== slot && lobby.session.getView().keychain.unread) {
        keptLobby = lobby;
        lobby = slot;
      } else {
        setLobby(slot);
      }
      promoting = slot;
    }
    const result = await call(slot.session).finally(() => {
      if (promoting === slot) promoting = null;
    });
    pending.delete(slot);
    if (!result.ok) {
      if (keptLobby && lobby === slot) lobby = keptLobby;
      if (lobby !== slot) slot.session.dispose();
      // The signed-out account shown before (one whose stored session could not be read, or that its
      // server ended) is shown again: its notice and "Try again" must not vanish with a wrong password.
      if (activeId === null && shownBefore !== null && entries.some((entry) => entry.id === shownBefore)) {
        activeId = shownBefore;
      }
      // A late keychain answer that came while the sign-in ran was held back (`readAgain`): heard now.
      rearmReads();
      emit();
      return result;
    }
    keptLobby?.session.dispose();
    const username = slot.vault.user() ?? typedUsername ?? result.value.user?.sub ?? '';
    const id = accountIdOf(settings, username);
    // The same account, or another one on the same keychain entry (the same user and API under other
    // settings): the new token was just written there, so that one cannot stay beside it.
    const sameId = entries.find((entry) => entry.id === id);
    const same = sameId ?? entries.find((entry) => sameEntry(entry, { id, username, connection }));
    // That other one's refresh token is revoked as a re-sign-in's is (a password sign-in only).
    if (same && !sameId && typedUsername !== null) replaced = 'signOut';
    // The same user on the same API: this sign-in replaces it (its keychain entry was just overwritten).
    // A browser sign-in's old session is not signed out: for OpenID Connect that would also end the
    // provider's browser session, which the new sign-in shares. A password re-sign-in's old session is
    // (it removes its keychain entry only while that still holds its own token, so the new one stays).
    if (same) {
      entries = entries.filter((entry) => entry !== same);
      // One without a session (ended by its server, or its stored token never read: a keychain that
      // could not be read at start) has nothing to revoke, and its sign-out would delete the entry
      // without a token to compare: the token this sign-in just wrote there.
      // A restore or read again still under way (`signingIn`) may hold no token yet either: let go, it
      // writes a late rotation only over its own token (never over this sign-in's).
      const holding = holdsTokens(same) || retrying(same);
      if (replaced === 'signOut' && holding)
        void same.session.signOut().finally(() => same.session.dispose());
      else same.session.dispose();
    }
    // A new account at the limit: the one `roomFor` chose leaves now, not before (still listed, and not
    // one this sign-in just replaced).
    if (!same && room && entries.includes(room) && entries.length >= deps.settings().maxAccounts)
      dropForRoom(room, typedUsername === null);
    // Signed in (again): its entry now holds the new token, not one to delete at the next start.
    forget = forget.filter((account) => !sameEntry(account, { id, username, connection }));
    // The same object: its session's change handler compares against it.
    entries.push(Object.assign(slot, { id, username, connection }));
    if (lobby === slot) lobby = newSlot(deps.settings(), null);
    activeId = id;
    persist();
    rearmReads();
    emit();
    logger.info('account added', { accounts: entries.length });
    return { ok: true, value: currentView() };
  }

  async function addAccount(request: SignInRequest): Promise<Result<SessionView>> {
    const connection = connectionFor(request.apiBaseUrl);
    if (!connection.ok) return connection;
    const settings = settingsFor(connection.value);
    const permitted = allowed(settings);
    if (!permitted.ok) return permitted;
    const id = accountIdOf(settings, request.username);
    const same = entries.find((entry) => entry.id === id);
    if (same) {
      // A second sign-in of the same user on the same API: signed in aside, so a wrong password leaves
      // the working session alone; only a granted sign-in replaces it (no new account: no limit applies).
      return signInNew(
        same.connection,
        (session) => session.signIn(request.username, request.password),
        request.username,
        'signOut',
      );
    }
    const confirmed = await confirmNewServer(settings);
    if (!confirmed.ok) return confirmed;
    // IT's policy may have changed while the person was asked (a live reload): weighed again.
    const stillAllowed = allowed(settingsFor(connection.value));
    if (!stillAllowed.ok) return stillAllowed;
    const room = roomFor();
    if (!room.ok) return room;
    return signInNew(
      connection.value,
      (session) => session.signIn(request.username, request.password),
      request.username,
      'dispose',
      room.value,
    );
  }

  async function signInWithProvider(): Promise<Result<SessionView>> {
    const connection = connectionOf(deps.settings());
    const permitted = allowed(settingsFor(connection));
    if (!permitted.ok) return permitted;
    const room = roomFor();
    if (!room.ok) return room;
    // One browser sign-in at a time, as in one session: each sign-in here has its own session, so the
    // one still waiting is cancelled (its call answers CANCELLED, its loopback listener closes) rather
    // than left live beside the new one, able to finish and add an account minutes later.
    cancelSignIn();
    return signInNew(connection, (session) => session.signInWithProvider(), null, 'dispose', room.value);
  }

  // ---- switching and signing out ------------------------------------------------------------------

  function switchAccount(id: string): Result<SessionView> {
    const entry = entries.find((candidate) => candidate.id === id);
    if (!entry) return fail('NOT_FOUND', 'No account with this id is signed in.');
    if (activeId !== id) {
      activeId = id;
      persist();
      emit();
      logger.info('switched account');
    }
    return { ok: true, value: currentView() };
  }

  /**
   * Deletes the keychain entry of an account not signed in this run (held back by the policy, or left by
   * a sign-out), without a word to its server (the policy may not allow one); true once deleted.
   */
  async function forgetHeld(account: StoredAccount): Promise<boolean> {
    const scope = sessionScope(settingsFor(account.connection));
    const result = await deps.vaultFor(account.username).remove(scope, account.username);
    if (!result.ok)
      logger.warn('an account’s keychain entry could not be deleted; the next start tries again');
    return result.ok;
  }

  /**
   * Deletes the keychain entries of accounts not signed in this run (`forgetHeld`, once per entry); one
   * the keychain refused is noted under `forget` instead, for the next start.
   */
  async function forgetAccounts(accounts: StoredAccount[]): Promise<void> {
    const unique = accounts.filter(
      (account, index) => accounts.findIndex((o) => sameEntry(o, account)) === index,
    );
    const forgotten = await Promise.all(unique.map(forgetHeld));
    for (const account of unique.filter((_, index) => !forgotten[index])) noteForget(account);
  }

  /**
   * Takes `leavers` out of the written list before their sign-outs begin, each noted under `forget`
   * until its keychain entry is deleted: a process ended while a sign-out waits for the server (up to
   * the request timeout; quitting does not wait for it, a shutdown never does) leaves no account that
   * the next start would sign back in, only a token that start deletes. Answers how to end it: the
   * notes of entries now deleted go, and the list is written again by the caller.
   */
  function announceLeaving(leavers: Entry[]): () => void {
    const accounts = leavers.map((entry) => {
      leaving.add(entry);
      const account: StoredAccount = { id: entry.id, username: entry.username, connection: entry.connection };
      return { entry, account, noted: noteForget(account) };
    });
    persist();
    return () => {
      for (const { entry, account, noted } of accounts) {
        leaving.delete(entry);
        // Deleted, unless the keychain could not be used (then the note stays for the next start).
        if (!entry.session.getView().keychain.available)
          logger.warn('an account’s keychain entry could not be deleted; the next start tries again');
        else if (noted) forget = forget.filter((other) => !sameEntry(other, account));
      }
    };
  }

  async function signOutAccounts(request?: SignOutRequest): Promise<Result<SignOutResult>> {
    if (request?.all) {
      const all = [...entries];
      const left = announceLeaving(all);
      const results = await Promise.all(all.map(signOutEntry));
      left();
      // The accounts the policy held back are signed out of too: none comes back when it allows them.
      // One whose delete the keychain refused leaves the list too (it would come back): noted instead.
      await forgetAccounts(held.filter((account) => !all.some((entry) => entry.id === account.id)));
      held = [];
      const shownEntry = active() ?? all[all.length - 1];
      for (const entry of all) removeEntry(entry, entry === shownEntry);
      activeId = null;
      persist();
      emit();
      logger.info('signed out of every account', { accounts: all.length });
      const failed = results.find((result) => result.revocationError);
      return { ok: true, value: failed ?? { revoked: results.every((result) => result.revoked) } };
    }
    const id = request?.account ?? activeId;
    if (id === null) return { ok: true, value: await lobby.session.signOut() };
    const entry = entries.find((candidate) => candidate.id === id);
    if (!entry) return fail('NOT_FOUND', 'No account with this id is signed in.');
    // The shown account signs out while another is signed in: the page moves to that one first, so it
    // never shows the sign-in page for as long as the server takes to hear of the sign-out (nor keeps
    // this account's grant meanwhile: the account changes). This one stays listed until it is out.
    const next = entry.id === activeId ? entries.find((o) => o !== entry && signedIn(o)) : undefined;
    const left = announceLeaving([entry]);
    if (next) {
      activeId = next.id;
      emit();
    }
    const result = await signOutEntry(entry);
    left();
    if (entries.includes(entry)) removeEntry(entry, true);
    persist();
    emit();
    return { ok: true, value: result };
  }

  function cancelSignIn(): CancelSignInResult {
    let cancelled = false;
    for (const slot of [...pending, lobby]) if (slot.session.cancelSignIn().cancelled) cancelled = true;
    return { cancelled };
  }

  // ---- start-up, settings, lifecycle ----------------------------------------------------------------

  /** After a restore, an account with nothing stored (and a working keychain) is not kept. */
  function nothingRestored(entry: Entry): boolean {
    const view = entry.session.getView();
    return view.state === 'signedOut' && view.reason === null && view.keychain.available;
  }

  async function start(): Promise<SessionView> {
    if (started) return currentView();
    started = true;
    if (stored === null && !deps.settings().staySignedIn) return firstStartOff();
    if (stored === null) {
      // No list yet (first start, a release before accounts, a list that could not be read): the
      // configured API's stored session — if IT's allow-list names it, like any stored account.
      const permitted = allowed(lobby.settings);
      if (!permitted.ok) {
        notRestored = permitted.error;
        logger.warn('a stored account is not restored (policy limit or allow-list)');
        emit();
        return currentView();
      }
      promoting = lobby;
      await lobby.session.start().finally(() => {
        promoting = null;
      });
      adoptLobbyRestore();
      retryWhenAnswered(lobby);
      emit();
      return currentView();
    }
    // Entries sign-outs of an earlier run could not delete: deleted first, before anything is restored.
    await forgetLeftEntries(stored.accounts);
    if (!keepsStored()) {
      // "Stay signed in" turned off while the app was closed (the person's settings file, IT's policy):
      // no listed account keeps its token, held back or not; one the keychain refused is noted instead.
      const newer = deps.store.keptUsernames?.() ?? [];
      await forgetAccounts(stored.accounts.filter((account) => !newer.includes(account.username)));
      persist();
      emit();
      logger.info('"stay signed in" is off: the stored accounts were forgotten', {
        accounts: stored.accounts.length,
      });
      return currentView();
    }
    await restore(stored.accounts);
    return currentView();
  }

  /**
   * After the signed-out session restored the configured API's stored session (a start without a list,
   * or its keychain read again): it becomes an account, the active one unless another is. An account
   * also while it keeps its token to try again (the network kept it from the server): the list names
   * it, so the next start restores it.
   */
  function adoptLobbyRestore(): void {
    const username = lobby.vault.user();
    const connection = connectionOf(lobby.settings);
    const id = username ? accountIdOf(lobby.settings, username) : null;
    const account = username && id ? { id, username, connection } : null;
    if (account && entries.some((entry) => entry.id === account.id || sameEntry(entry, account))) {
      // Signed in meanwhile as the same user (its sign-in wrote the entry): that account stays the one.
      // This session only lets go, without a word to the keychain, whose entry is the sign-in's now.
      logger.warn('a stored session read again belongs to an account signed in meanwhile; it is let go');
      lobby.session.dispose();
      lobby = newSlot(deps.settings(), null);
    } else if ((signedIn(lobby) || retrying(lobby)) && account) {
      entries.push(Object.assign(lobby, account));
      activeId ??= account.id;
      lobby = newSlot(deps.settings(), null);
    } else if (account) {
      // Refused, and the keychain refused the delete too: noted, so the next start deletes it.
      noteLeft(lobby, account);
    }
    // A list that could not be read stays as it is (a copy was kept) until an account changes.
    if (!deps.store.broken?.()) persist();
  }

  /**
   * A session whose start-up read of the keychain timed out is read again once that call ends well: a
   * password prompt the person answered after the timeout, so the keychain is open now. A prompt that
   * was dismissed is not raised again by itself; the sign-in page offers to try again (`retryRestore`).
   */
  function retryWhenAnswered(slot: Slot): void {
    const { unread, reason } = slot.session.getView().keychain;
    // Only a read that timed out has a call still to end; after any other failure (a locked keychain
    // that cannot prompt, no Secret Service) reading again unasked could raise a prompt.
    if (!unread || keychainReasonKind(reason ?? '') !== 'noAnswer') return;
    const late = slot.vault.lateAnswer?.();
    if (!late) return;
    logger.info('the keychain did not answer at start; it is read again once it does');
    void late.then((answered) => {
      if (answered) void retrySlot(slot);
    });
  }

  /**
   * Reads the keychain again for one session whose start-up restore could not, if it is still this
   * registry's and still waiting: a listed account with nothing stored after all leaves the list, as at
   * start; the signed-out session that restored one makes it an account.
   */
  function retrySlot(slot: Slot): Promise<void> {
    // One read at a time per session: a click while the late answer's read runs waits for that one.
    const running = retries.get(slot);
    if (running) return running;
    const retry = readAgain(slot).finally(() => retries.delete(slot));
    retries.set(slot, retry);
    return retry;
  }

  async function readAgain(slot: Slot): Promise<void> {
    const entry = entries.find((other) => other === slot);
    if ((!entry && slot !== lobby) || !slot.session.getView().keychain.unread) return;
    // IT's allow-list, as at start: a server it no longer allows is not sent the stored token.
    if (!allowed(slot.settings).ok) {
      logger.warn('a stored account is not read again (policy limit or allow-list)');
      return;
    }
    // A sign-in under way may be of the same user, on the same keychain entry: two sessions would
    // write one entry. The sign-in decides; the person can ask again afterwards.
    if (pending.size > 0) return;
    if (!entry) promoting = slot;
    await slot.session.retryRestore().finally(() => {
      if (promoting === slot) promoting = null;
    });
    if (entry && entries.includes(entry)) {
      if (nothingRestored(entry)) {
        removeEntry(entry, false);
        persist();
      } else if (activeId === null && signedIn(entry)) {
        // Restored while nothing else was shown (a failed sign-in showed its own signed-out session).
        activeId = entry.id;
      }
    } else if (slot === lobby) {
      adoptLobbyRestore();
    }
    // Timed out again (a prompt behind another window once more): read again once it is answered.
    retryWhenAnswered(slot);
    emit();
  }

  /** Reads again (`retryWhenAnswered`) for every session still waiting, e.g. after a sign-in ended. */
  function rearmReads(): void {
    for (const slot of [lobby, ...entries]) retryWhenAnswered(slot);
  }

  /** The person asks to read the keychain again: every session whose start-up restore could not. */
  async function retryRestore(): Promise<SessionView> {
    const waiting = [lobby, ...entries].filter((slot) => slot.session.getView().keychain.unread);
    await boundedAll(waiting, deps.restoreConcurrency ?? RESTORE_CONCURRENCY, retrySlot);
    return currentView();
  }

  /**
   * A start without a list and with "stay signed in" off. Off by choice: the entry a start with it on
   * would adopt (the configured API's, left by an older release) is deleted by its name — the API's
   * last-user mark names its user — without a word to its server, one the keychain refuses noted under
   * `forget`; the keychain's entries are never listed (see docs/architecture.md). A list that could not
   * be read keeps its entries (a repaired one with "stay signed in" off deletes them all). Locked off by
   * IT's value that could not be used: nothing is deleted and no list is written, so the start after the
   * fix adopts that session; the page says why. That session (found by the last-user mark, which a
   * sign-in as someone else moves) is held back as a listed one is: a fix while the app runs restores it
   * (`applySettings`, within the allow-list and `maxAccounts`, beside accounts signed in meanwhile), and
   * a list written before (a sign-in) names it. A sign-in of its own user replaced its token: it is
   * that account then, nothing more to restore.
   */
  async function firstStartOff(): Promise<SessionView> {
    const locked = keepsStored();
    if (locked) notRestored = LOCKED_OFF;
    if (locked || !deps.store.broken?.()) {
      const found = await deps.vaultFor(null).load(sessionScope(lobby.settings));
      if (found.ok && found.value) {
        const { username } = found.value;
        const account = {
          id: accountIdOf(lobby.settings, username),
          username,
          connection: connectionOf(lobby.settings),
        };
        if (locked) {
          // Held back like a listed account (see `held`): restored when IT fixes the value while the
          // app runs, and named by the list if one is written before (a sign-in), so no start loses it.
          held = [account];
          heldByLock = true;
          logger.warn('a stored account is not restored: the policy value of staySignedIn could not be used');
        } else {
          await forgetAccounts([account]);
          logger.info('"stay signed in" is off: the stored session was forgotten');
        }
      } else if (!found.ok) {
        logger.warn(
          locked
            ? 'the policy value of staySignedIn could not be used, and the keychain could not be read: a stored session may not be restored'
            : '"stay signed in" is off, and the keychain could not be read: a stored session may be left',
        );
      }
      if (!locked) persist();
    }
    emit();
    return currentView();
  }

  /**
   * Restores listed accounts not signed in this run, as a start does: silently, with their stored
   * refresh tokens, the last active one first (so a lowered limit keeps it) and active again unless
   * another account is; one IT's allow-list refuses, or beyond `maxAccounts` (the accounts already
   * signed in count), is held back (listed, its token kept). With "stay signed in" locked off by a value
   * that could not be used, every one is held back until the policy is fixed (`applySettings`).
   */
  async function restore(accounts: StoredAccount[]): Promise<void> {
    const lastActive = stored?.active ?? null;
    const max = deps.settings().maxAccounts;
    const ordered = [...accounts].sort((a, b) => Number(b.id === lastActive) - Number(a.id === lastActive));
    const kept: StoredAccount[] = [];
    const signedInNow = (account: StoredAccount) => entries.some((entry) => entry.id === account.id);
    // Off only because IT's value could not be used: every account is held back until it is fixed.
    heldByLock = !deps.settings().staySignedIn;
    if (heldByLock) notRestored = LOCKED_OFF;
    for (const account of ordered) {
      const permitted = allowed(settingsFor(account.connection));
      if (!permitted.ok) notRestored ??= permitted.error;
      if (heldByLock) {
        logger.warn('a stored account is not restored: the policy value of staySignedIn could not be used');
        continue;
      }
      if (signedInNow(account)) continue;
      // One account per keychain entry: two ids on one entry (the same user and API under two
      // contracts, or a list edited by hand) would both refresh the one stored token, and the second
      // refresh would read as theft and end both. The first (the last active) keeps it; the other is
      // dropped below, as a duplicate id is.
      if (kept.some((other) => sameEntry(other, account))) continue;
      if (!permitted.ok || entries.length + kept.length >= max) {
        logger.warn('a stored account is not restored (policy limit or allow-list)');
        continue;
      }
      kept.push(account);
    }
    // In the list's order; one per keychain entry (a duplicate is dropped: it has no token of its own).
    held = accounts.filter(
      (account, index) =>
        !kept.some((other) => sameEntry(other, account)) &&
        !entries.some((entry) => sameEntry(entry, account)) &&
        accounts.findIndex((other) => sameEntry(other, account)) === index,
    );
    if (new Set(accounts.map(entryOf)).size < accounts.length)
      logger.warn('a stored account shares its keychain entry with another and is dropped from the list');
    const restoring = accounts
      .filter((account) => kept.includes(account))
      .map((account) =>
        Object.assign(newSlot(settingsFor(account.connection), account.username), {
          id: account.id,
          username: account.username,
          connection: account.connection,
        }),
      );
    entries.push(...restoring);
    if (activeId === null && restoring.some((entry) => entry.id === lastActive)) activeId = lastActive;
    emit();
    await boundedAll([...restoring], deps.restoreConcurrency ?? RESTORE_CONCURRENCY, (entry) =>
      entry.session.start(),
    );
    for (const entry of restoring) {
      if (entries.includes(entry) && nothingRestored(entry)) removeEntry(entry, false);
      else retryWhenAnswered(entry);
    }
    if (activeId === null) activeId = entries.find(signedIn)?.id ?? null;
    persist();
    emit();
    logger.info('accounts restored', {
      accounts: entries.length,
      signedIn: entries.filter(signedIn).length,
    });
  }

  async function applySettings(next: Settings): Promise<void> {
    const previous = connectionOf(lastSettings);
    const stopsStaying = lastSettings.staySignedIn && !next.staySignedIn;
    // Stored tokens no longer kept: turned off, or a live policy reload made a value locked off valid.
    const wasKeeping = keeping;
    keeping = keepsStored();
    const stopsKeeping = wasKeeping && !keeping;
    const following = !sameConnection(previous, connectionOf(next));
    // A new server or allow-list: the start-up refusal no longer describes it; nor the end of a lock.
    if (following || next.allowedApiOrigins !== lastSettings.allowedApiOrigins) notRestored = null;
    if (notRestored === LOCKED_OFF && !deps.lockedClosed?.('staySignedIn')) notRestored = null;
    // The lock ended in a valid on (IT fixed the value): the accounts it held back are restored now.
    const unlocked = heldByLock && next.staySignedIn;
    if (unlocked || stopsKeeping) heldByLock = false;
    // IT allows more than before (another allow-list, a higher account limit): the accounts the policy
    // held back are weighed again now, as a start weighs them (one still refused stays held back).
    const admitsMore =
      next.allowedApiOrigins !== lastSettings.allowedApiOrigins ||
      next.maxAccounts > lastSettings.maxAccounts;
    // IT's allow-list no longer admits an account's servers (a live policy reload narrowed it): held
    // back as a start holds it back. Nothing more is sent there (its session let go, no refresh and no
    // sign-out), its token stays in the keychain, it stays in accounts.json, and it is restored when the
    // policy admits it again.
    const refused =
      next.allowedApiOrigins === lastSettings.allowedApiOrigins
        ? []
        : entries.flatMap((entry) => {
            const permitted = allowed({ ...next, ...entry.connection });
            return permitted.ok ? [] : [{ entry, error: permitted.error }];
          });
    lastSettings = next;
    for (const { entry, error } of refused) {
      held.push({ id: entry.id, username: entry.username, connection: entry.connection });
      removeEntry(entry, false);
      if (activeId === null) notRestored ??= error;
      logger.warn('an account is held back: the policy’s allow-list no longer admits its server');
    }
    const work: Promise<void>[] = [];
    // What each account signed in under: an account that follows the change leaves its entry there.
    const signedInUnder = new Map(entries.map((entry) => [entry, entry.connection]));
    quiet = true;
    // The signed-out session and sign-ins in progress on the configured connection follow it too (a
    // sign-in under way to the old API is cancelled, as before accounts).
    for (const slot of new Set([lobby, ...pending])) {
      const own = connectionOf(slot.settings);
      slot.settings = following && sameConnection(own, previous) ? next : { ...next, ...own };
      work.push(slot.session.applySettings(slot.settings));
    }
    for (const entry of entries) {
      // Accounts on the configured connection follow a change of it (signed out of the old API, as
      // before accounts); the others keep their own connection and take the other settings.
      if (following && sameConnection(entry.connection, previous)) entry.connection = connectionOf(next);
      entry.settings = settingsFor(entry.connection);
      work.push(entry.session.applySettings(entry.settings));
    }
    await Promise.all(work).finally(() => {
      quiet = false;
    });
    const changedAway = (entry: Entry) => {
      const reason = entry.session.getView().reason;
      return !signedIn(entry) && (reason === 'apiChanged' || reason === 'signInMethodChanged');
    };
    const gone = entries.filter(changedAway);
    for (const entry of gone) {
      noteLeftEntry(entry, signedInUnder.get(entry));
      removeEntry(entry, true);
    }
    // "Stay signed in" turned off: an entry the keychain refused to delete goes at the next start.
    const noted = stopsStaying ? entries.filter((entry) => noteLeftEntry(entry)) : [];
    // The accounts a policy holds back keep no token either (nothing is left to restore: not listed).
    const unheld = stopsKeeping ? held : [];
    if (unheld.length > 0) {
      await forgetAccounts(unheld);
      held = [];
    }
    if (gone.length > 0 || noted.length > 0 || unheld.length > 0 || refused.length > 0) persist();
    if (!heldByLock && (unlocked || admitsMore) && held.length > 0) await restore(held);
    emit();
  }

  function listAccounts(): AccountSummary[] {
    return entries.map((entry) => {
      const view = entry.session.getView();
      return {
        id: entry.id,
        name: view.user?.name || entry.username,
        username: view.user?.username || entry.username,
        apiBaseUrl: entry.settings.apiBaseUrl,
        state: view.state,
        offline: view.offline,
        reason: view.reason,
        active: entry.id === activeId,
      };
    });
  }

  function apiBaseUrls(): string[] {
    const accounts = started
      ? entries.map((entry) => entry.settings.apiBaseUrl)
      : (stored?.accounts ?? []).map((account) => settingsFor(account.connection).apiBaseUrl);
    return [...new Set([deps.settings().apiBaseUrl, ...accounts])];
  }

  /**
   * The active account's token, named by its account. The session answering is the one shown when the
   * call comes in; an answer that arrives once another is shown (a switch, or that account's session
   * replaced) is CANCELLED, never handed out as the token of the account shown now. `account` (the account the
   * caller means, e.g. the one whose grant a server rejected) must be the active one, else CANCELLED.
   */
  async function getAccessToken(options?: {
    forceRefresh?: boolean;
    rejectedExpiresAt?: number;
    account?: string;
  }): Promise<Result<AccessTokenGrant>> {
    const slot = shown();
    if (options?.account !== undefined && options.account !== activeId)
      return { ok: false, error: CANCELLED };
    const result = await slot.session.getAccessToken({
      ...(options?.forceRefresh === undefined ? {} : { forceRefresh: options.forceRefresh }),
      ...(options?.rejectedExpiresAt === undefined ? {} : { rejectedExpiresAt: options.rejectedExpiresAt }),
    });
    // Another session is shown now (a switch, a sign-out, a re-sign-in replacing it). The same session
    // still shown under a new id is the sign-in it waited for, which made the shown session an account.
    if (shown() !== slot) return { ok: false, error: CANCELLED };
    return result.ok ? { ok: true, value: { ...result.value, accountId: activeId } } : result;
  }

  const everySession = () => [lobby, ...pending, ...entries].map((slot) => slot.session);

  return {
    start,
    retryRestore,
    signIn: (username, password) => addAccount({ username, password }),
    signInWithProvider,
    cancelSignIn,
    async signOut() {
      const result = await signOutAccounts();
      return result.ok ? result.value : { revoked: false };
    },
    getAccessToken,
    getView: currentView,
    onChange(listener) {
      viewListeners.add(listener);
      return () => viewListeners.delete(listener);
    },
    onResume() {
      for (const session of new Set(everySession())) session.onResume();
    },
    onOnline() {
      for (const session of new Set(everySession())) session.onOnline();
    },
    applySettings,
    dispose() {
      for (const session of new Set(everySession())) session.dispose();
    },
    listAccounts,
    switchAccount,
    addAccount,
    signOutAccounts,
    apiBaseUrls,
    onAccountsChange(listener) {
      accountListeners.add(listener);
      return () => accountListeners.delete(listener);
    },
  };
}
