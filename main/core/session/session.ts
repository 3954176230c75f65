// The one owner of the session: it alone applies the transitions of transitions.ts to the model and
// performs the effects they call for (protocol calls, keychain, the one timer, change events).
import type { ErrorInfo, Result } from '../../../common/errors';
import type { CancelSignInResult } from '../../../common/ipc';
import type { AccessTokenGrant, SessionUser, SessionView, SignOutResult } from '../../../common/session';
import type { Settings } from '../../../common/settings';
import type { FetchLike, TokenGrant } from '../auth-client';
import { isRejectedRequest } from '../auth-errors';
import {
  type AuthProtocol,
  type ProtocolError,
  type ProtocolSignIn,
  sessionScope,
  wrongMode,
} from '../auth-protocol';
import { backoffDelayMs } from '../backoff';
import { sameSettingValue } from '../config/connection-change';
import type { Session } from '../contracts';
import { type Logger, silentLogger } from '../logger';
import type { OpenExternal } from '../oidc/oidc-protocol';
import { protocolFactory } from '../protocol-factory';
import { isRefreshDue, proactiveRefreshAt } from '../refresh-schedule';
import { realTimers, type TimerHandle, type Timers } from '../timers';
import { apiScope, type Vault } from '../vault';
import { accessFrom, loadProfile, refreshExpiryOf, refreshedSecrets } from './grants';
import {
  type AccessState,
  buildView,
  CANCELLED,
  initialModel,
  NOT_SIGNED_IN,
  outcomeUnknown,
  ownRenewalExplains,
  reasonForRefusal,
  retryMustWait,
  type SessionModel,
  type SessionSecrets,
} from './model';
import * as t from './transitions';

/**
 * A refresh the server refuses as a request (a 4xx it does not explain, a redirect the app does not
 * follow) is given up on only after at least this many retries on the backoff timer...
 */
export const MAX_REJECTED_RETRIES = 3;

/** ...and only once the endpoint has refused for at least this long (a gateway mid-deploy recovers). */
export const REJECTED_GIVE_UP_MS = 120_000;

/**
 * After giving up, the kept refresh token is tried again this often (and on resume, when the network
 * returns, and at the next start): a fixed gateway or setting restores the session by itself.
 */
export const MISCONFIGURED_RETRY_MS = 600_000;

/**
 * Forced refreshes (a caller says the token was refused) start at most this often per session. A
 * caller inside the window waits for its end and joins the one refresh that follows, so a page that
 * asks in a loop costs one rotation and one keychain write per window, and a token the server really
 * refused is still replaced (after at most this delay), never handed out again as if it were good.
 */
export const FORCED_REFRESH_INTERVAL_MS = 2_000;

/** What the session needs; everything that touches the world is injected. */
export interface SessionDeps {
  /** The effective settings at start-up; later changes arrive through `applySettings`. */
  settings: Settings;
  /** Electron's `net.fetch` in the app, Node's `fetch` in tests. */
  fetch: FetchLike;
  vault: Vault;
  now?: () => number;
  timers?: Timers;
  random?: () => number;
  logger?: Logger;
  /** Opens a URL in the system browser (Electron's `shell.openExternal`); needed for oidc sign-in. */
  openExternal?: OpenExternal;
  /** How long an oidc sign-in waits for the browser (default 5 min). */
  oidcCallbackTimeoutMs?: number;
  /** Builds the protocol for a set of settings; default: password or OpenID Connect over `fetch`. */
  protocolFor?: (settings: Settings) => AuthProtocol;
  /**
   * Minimum time between forced refreshes (default FORCED_REFRESH_INTERVAL_MS). Tests of other rules
   * that force refreshes back to back set 0; the app never does.
   */
  forcedRefreshIntervalMs?: number;
}

/** What an ended session leaves to clean up: its secrets, and where and how they were kept. */
interface Ended {
  old: SessionSecrets | null;
  scope: string;
  protocol: AuthProtocol;
  persisted: boolean;
  /** Its refresh token was still being written: the entry holds that token once the write is through. */
  writing: boolean;
  staySignedIn: boolean;
}

/**
 * True when a refresh's ID token names another subject than the session's (OpenID Connect Core 12.2).
 * After a restart no ID claims are held yet: in oidc mode the stored username is the `sub` the sign-in
 * took, so the first refresh is compared with it.
 */
function subjectChanged(secrets: SessionSecrets, grant: TokenGrant, mode: AuthProtocol['mode']): boolean {
  const before = secrets.idClaims ? secrets.idClaims.sub : mode === 'oidc' ? secrets.username : undefined;
  const after = grant.idClaims?.sub;
  return typeof before === 'string' && typeof after === 'string' && before !== after;
}

/** Creates the session (signedOut → signingIn → active ⇄ refreshing → signedOut; see table.ts). */
export function createSession(deps: SessionDeps): Session {
  const { vault } = deps;
  const now = deps.now ?? Date.now;
  const timers = deps.timers ?? realTimers;
  const forcedInterval = deps.forcedRefreshIntervalMs ?? FORCED_REFRESH_INTERVAL_MS;
  const random = deps.random ?? Math.random;
  const logger = (deps.logger ?? silentLogger).child('session');
  const makeProtocol = deps.protocolFor ?? protocolFactory(deps);
  const listeners = new Set<(view: SessionView) => void>();

  let model: SessionModel = initialModel(deps.settings);
  /** The protocol and keychain scope of `model.settings`, rebuilt whenever the settings object changes. */
  let bound = {
    settings: model.settings,
    scope: sessionScope(model.settings),
    protocol: makeProtocol(model.settings),
  };
  let timer: TimerHandle | null = null;
  /**
   * Where the one timer points: the local (wall-clock) time it was armed for, and when it fires by
   * the timers' own monotonic clock. A wall clock set back (NTP, the person) moves the first, never
   * the second: re-arming from the wall clock alone would push the refresh late by the jump.
   */
  let armed: { at: number; due: number } | null = null;
  const monotonic = () => (timers.monotonicNow ? timers.monotonicNow() : now());
  /** When each access token expires by the timers' monotonic clock (stamped on receipt). */
  const monotonicExpiry = new WeakMap<AccessState, number>();

  /** `access`, its monotonic expiry noted: receipt by the monotonic clock + its lifetime. */
  function stamped(access: AccessState): AccessState {
    monotonicExpiry.set(access, monotonic() + access.lifetimeMs);
    return access;
  }

  /**
   * The local time to judge `access` by: the wall clock, unless its own monotonic clock says more
   * time has passed since receipt (the wall clock was set back) — then the token is as old as that
   * says, and a token that has really expired never looks valid. After a sleep the wall clock is ahead.
   */
  function clockFor(access: AccessState): number {
    const expiry = monotonicExpiry.get(access);
    const wall = now();
    return expiry === undefined ? wall : Math.max(wall, access.expiresAt - (expiry - monotonic()));
  }
  /**
   * Consecutive refreshes of one generation the server refused as requests (isRejectedRequest), and
   * when the first of them was answered (by the wall clock and by the timers' monotonic clock).
   */
  const NO_REJECTIONS = { gen: -1, count: 0, since: { wall: 0, monotonic: 0 } };
  let rejected = NO_REJECTIONS;
  let lastEmitted = '';
  let disposed = false;
  let started = false;
  /** The refresh in flight and the generation it belongs to (single flight per session). */
  let flight: { gen: number; promise: Promise<Result<void>> } | null = null;
  /** The sign-in (or start-up restore) in progress: token requests made meanwhile wait for it. */
  let pendingSignIn: Promise<unknown> | null = null;
  /**
   * When the last forced refresh started (by the timers' monotonic clock: a wall clock set back must
   * not stretch a 2 s window into hours), and the wait that callers inside its window share.
   */
  let forced: { at: number; wait: Promise<void> | null } = { at: Number.NEGATIVE_INFINITY, wait: null };
  /** Refresh-token writes asked for so far: only the latest one's outcome sets the keychain status. */
  let writes = 0;
  /** The latest write while it runs, and the generation it belongs to. */
  let writing: { write: number; gen: number } | null = null;
  /** The browser sign-in waiting for the person, and the generation it belongs to. */
  let interactive: { controller: AbortController; gen: number } | null = null;

  // ---- applying transitions -------------------------------------------------------------------

  /** Makes `next` the model; a new generation stops the old session's timer. */
  function apply(next: SessionModel): void {
    if (next.generation !== model.generation) cancelTimer();
    model = next;
  }

  function current(): typeof bound {
    if (bound.settings !== model.settings) {
      bound = {
        settings: model.settings,
        scope: sessionScope(model.settings),
        protocol: makeProtocol(model.settings),
      };
    }
    return bound;
  }

  const view = (): SessionView => buildView(model);

  /** Tells every listener about a change (identical consecutive views are sent once). */
  function emit(): void {
    const next = view();
    const key = JSON.stringify(next);
    if (key === lastEmitted) return;
    lastEmitted = key;
    for (const listener of [...listeners]) {
      try {
        listener(next);
      } catch (error) {
        logger.error('session listener threw', { error });
      }
    }
  }

  /** Applies a transition that ends the session and returns what is needed to clean up after it. */
  function end(next: SessionModel): Ended {
    const { scope, protocol } = current();
    const ended: Ended = {
      old: model.secrets,
      scope,
      protocol,
      persisted: model.keychain.persisted,
      writing: writing?.gen === model.generation,
      staySignedIn: model.settings.staySignedIn,
    };
    apply(next);
    emit();
    return ended;
  }

  // ---- effects: the one timer, the keychain, revocation ------------------------------------------

  function cancelTimer(): void {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
    armed = null;
  }

  /**
   * Arms the single session timer (proactive refresh or backoff retry) for local time `at`, in
   * `delay` ms (by default: from now by the wall clock).
   */
  function arm(at: number, delay = at - now()): void {
    cancelTimer();
    if (disposed) return;
    armed = { at, due: monotonic() + Math.max(0, delay) };
    timer = timers.setTimeout(() => {
      timer = null;
      armed = null;
      void refreshNow();
    }, delay);
  }

  /**
   * How long until local time `at`: by the wall clock, or — when the timer armed for it would fire
   * sooner by the monotonic clock (the wall clock was set back since) — by that. After a sleep the
   * wall clock is the one that moved on, so the sooner of the two is right either way; a wall clock
   * set forward makes a refresh early once, never late.
   */
  function remainingUntil(at: number): number {
    const byWall = at - now();
    return armed?.at === at ? Math.min(byWall, armed.due - monotonic()) : byWall;
  }

  function scheduleProactive(): void {
    const access = model.secrets?.access;
    if (!access) return;
    if (model.secrets?.refreshToken === null) {
      // Nothing to refresh with: the one timer ends the session when the access token expires.
      arm(access.expiresAt);
      return;
    }
    const at = proactiveRefreshAt(access.expiresAt, access.lifetimeMs, random);
    apply(t.refreshScheduled(model, at));
    arm(at);
  }

  /** Deletes a stored token; a failure only changes the keychain status (the session is gone anyway). */
  async function removeStored(
    fromScope: string,
    username: string | undefined,
    onlyIfToken?: string,
  ): Promise<void> {
    const result = await vault.remove(fromScope, username, onlyIfToken);
    if (result.ok) return;
    apply(t.keychainFailed(model, result.error.message));
    emit();
  }

  /**
   * Removes an ended session's stored token when one may exist (staying signed in, or written earlier).
   * A session known to have stored its token, or still writing it (the delete runs after the write),
   * removes the entry only while it holds that token: a newer session of the same account (a
   * re-sign-in signed in aside, see accounts/registry.ts) may have written its own there already.
   */
  function forgetStored(ended: Ended): Promise<void> {
    if (!ended.staySignedIn && !ended.persisted) return Promise.resolve();
    const own = ended.persisted || ended.writing ? (ended.old?.refreshToken ?? undefined) : undefined;
    return removeStored(ended.scope, ended.old?.username, own);
  }

  /**
   * The profile of a session about to become active, asked for as soon as its tokens arrived. A
   * session that ends meanwhile never reads the answer (its tokens are revoked); the promise is
   * marked handled so an abandoned one cannot surface as an unhandled rejection.
   */
  function profileOf(protocol: AuthProtocol, secrets: SessionSecrets): Promise<SessionUser> {
    const profile = loadProfile(protocol, secrets, null, logger);
    profile.catch(() => {});
    return profile;
  }

  /**
   * Writes a (rotated) refresh token. `stored` is the token the keychain is known to hold for this
   * session (null: none, or not known). A token already stored is not written again (a server that
   * does not rotate answers with the same one). The vault runs keychain calls one after the other in
   * the order they were asked for, so this write lands before any later rotation's write or any
   * sign-out's delete. A failed write keeps the session in memory and marks the keychain unavailable;
   * the vault clears the entry it could not overwrite, because a rotated-out token would trip reuse
   * detection after a restart — but only while it still holds that rotated-out token, never a valid
   * one a late write put there.
   */
  async function persist(
    username: string,
    refreshToken: string | null,
    gen: number,
    stored: string | null = null,
  ): Promise<void> {
    // No refresh token (the contract issues none): nothing could restore the session, so nothing is kept.
    if (!model.settings.staySignedIn || refreshToken === null || refreshToken === stored) return;
    const into = current().scope;
    const write = ++writes;
    writing = { write, gen };
    // A failed write clears the entry in its own step, before any later call (see Vault.save): only
    // while it holds `stored`, the token known to be there; not knowing it, whatever the entry holds.
    // A session let go (`dispose`: a newer sign-in of the same account replaced it, or the app quits)
    // stores a late rotation only over its own token, never over what a newer session wrote there.
    const guard = stored === null ? undefined : { replacing: stored, onlyOver: disposed };
    const result = await vault.save(into, username, refreshToken, guard);
    if (writing?.write === write) writing = null;
    if (gen !== model.generation) {
      // Ended while this write ran: whoever ended it deleted only what it knew, so take back exactly
      // what was written here (unless something newer replaced it).
      if (result.ok) void vault.remove(into, username, refreshToken);
      return;
    }
    // A later write asked for meanwhile says what the keychain holds, however this one's answer came.
    if (write !== writes) return;
    apply(result.ok ? t.keychainSaved(model) : t.keychainFailed(model, result.error.message));
    emit();
  }

  /**
   * Writes a new session's (or a rotation's) refresh token behind it: the session is usable as soon as
   * the server answered, and the write (the slow part of a start: the Secret Service rewrites its
   * keyring file) goes on meanwhile. Quitting waits for it (the app's `close()` waits for the vault).
   */
  function persistBehind(
    username: string,
    refreshToken: string | null,
    gen: number,
    stored: string | null = null,
  ): void {
    void persist(username, refreshToken, gen, stored).catch((error: unknown) => {
      logger.error('storing the refresh token crashed', { error });
    });
  }

  /**
   * A protocol call's answer, or INTERNAL when it threw (a defect, never an answer of the server): the
   * session then fails the step as it fails any other (signed out with the error, or a refresh retried),
   * instead of staying "signing in" or "refreshing" for good. Logged (redacted) for support.
   */
  async function answered<T>(what: string, call: Promise<Result<T>>): Promise<Result<T>> {
    try {
      return await call;
    } catch (error) {
      logger.error(`the ${what} failed inside Tessera`, { error });
      return { ok: false, error: { code: 'INTERNAL', message: `The ${what} failed inside Tessera` } };
    }
  }

  /** Revokes a session's tokens in the background: a slow or dead server must not block anyone. */
  function revokeInBackground(
    protocol: AuthProtocol,
    refreshToken: string | null,
    accessToken?: string,
  ): void {
    void protocol.revoke(refreshToken, accessToken).then((result) => {
      logger.info('background revocation finished', {
        ok: result.ok,
        code: result.ok ? undefined : result.error.code,
      });
    });
  }

  /** The access token if it has not expired yet (worth sending for deny-listing at sign-out). */
  function liveAccessToken(secrets: SessionSecrets): string | undefined {
    const access = secrets.access;
    return access && clockFor(access) < access.expiresAt ? access.accessToken : undefined;
  }

  /** A late login answer for a sign-in that was superseded: its tokens must not outlive it. */
  function discard(
    grant: { accessToken: string; refreshToken?: string | null },
    protocol: AuthProtocol,
  ): Result<never> {
    if (grant.refreshToken) revokeInBackground(protocol, grant.refreshToken, grant.accessToken);
    return { ok: false, error: CANCELLED };
  }

  /** Stops a browser sign-in that is waiting (its loopback listener closes, its port is freed). */
  function abandonInteractive(): void {
    interactive?.controller.abort();
    interactive = null;
  }

  /** Runs a sign-in or restore while token requests wait for it rather than fail NOT_SIGNED_IN. */
  function tracked<T>(work: Promise<T>): Promise<T> {
    pendingSignIn = work;
    return work.finally(() => {
      if (pendingSignIn === work) pendingSignIn = null;
    });
  }

  // ---- refresh: single flight, backoff, re-checks ------------------------------------------------

  /** The current token as a grant: outside the lead window, or (`allowDue`) merely unexpired. */
  function usableToken(allowDue: boolean): AccessTokenGrant | null {
    const access = model.secrets?.access;
    if (!access) return null;
    const at = clockFor(access);
    const usable = allowDue ? at < access.expiresAt : !isRefreshDue(at, access.expiresAt, access.lifetimeMs);
    return usable
      ? { accessToken: access.accessToken, tokenType: 'Bearer', expiresAt: access.expiresAt }
      : null;
  }

  /**
   * Ends the flight before the outcome is announced: a listener that reacts to the new view with a
   * forced refresh must start a new one, not join the one that just finished.
   */
  function land(): void {
    flight = null;
  }

  /** A permanent refusal ends the session; anything else keeps the token and retries with backoff. */
  async function refreshFailed(refusal: ProtocolError, secrets: SessionSecrets): Promise<Result<void>> {
    land();
    // The protocol's own judgement of why (OIDC providers describe refusals in prose) stays in main.
    const { endReason, serverTime: _serverTime, ...error } = refusal;
    if (error.code === 'SESSION_EXPIRED') {
      const refused = endReason ?? reasonForRefusal(error.serverError);
      // Our own earlier attempt may have rotated the token: say so rather than suggest theft.
      const reason = ownRenewalExplains(refused, secrets.refreshUnconfirmed) ? 'refreshInterrupted' : refused;
      logger.warn('refresh token refused; signing out', { reason, serverError: error.serverError });
      await forgetStored(end(t.refreshRefused(model, reason, error)));
      return { ok: false, error };
    }
    // A 4xx no refusal rule explains: the request itself is wrong for this server, or a gateway in
    // front of it answers for now. Retries on the backoff timer for a while (token requests meanwhile
    // wait for it: retryMustWait), then it is a configuration error, not an outage to retry forever.
    const asRequest = isRejectedRequest(error);
    if (model.reason === 'refreshMisconfigured') {
      // Given up already: whatever this failure was, the kept token is tried again later.
      logger.info('refresh still failing after giving up; trying again later', { code: error.code });
      return giveUp(asRequest || !model.lastError ? misconfigured(error) : model.lastError);
    }
    const at = { wall: now(), monotonic: monotonic() };
    const streak = asRequest && rejected.gen === model.generation && rejected.count > 0;
    rejected = {
      gen: model.generation,
      count: asRequest ? (streak ? rejected.count : 0) + 1 : 0,
      since: streak ? rejected.since : at,
    };
    // How long the refusals have lasted: the longer of the two clocks (as `remainingUntil` takes the
    // sooner deadline). A sleep moves only the wall clock on; a wall clock set back moves only it back,
    // and must not stretch the 2 minutes into hours.
    const lasted = Math.max(at.wall - rejected.since.wall, at.monotonic - rejected.since.monotonic);
    if (rejected.count > MAX_REJECTED_RETRIES && lasted >= REJECTED_GIVE_UP_MS) {
      logger.warn('refresh refused as a request again and again; giving up for now', {
        status: error.status,
        serverError: error.serverError,
      });
      rejected = NO_REJECTIONS;
      return giveUp(misconfigured(error));
    }
    const attempt = model.failures + 1;
    const delay = backoffDelayMs(attempt, random, error.retryAfterSeconds);
    const retryAt = now() + delay;
    apply(t.refreshFailedTransiently(model, { error, secrets, retryAt, offline: !asRequest }));
    arm(retryAt);
    emit();
    logger.warn('refresh failed; retrying later', { code: error.code, attempt, retryInMs: delay });
    return { ok: false, error };
  }

  /**
   * The error of a refresh endpoint that keeps refusing the request, in the server's own words, naming
   * what to check: the API contract, or (signed in through an OpenID provider) the client there, or
   * the provider's discovery document when Tessera itself refused to send the request.
   */
  function misconfigured(refusal: ErrorInfo): ErrorInfo {
    const answer = {
      ...(refusal.status === undefined ? {} : { status: refusal.status }),
      ...(refusal.serverError === undefined ? {} : { serverError: refusal.serverError }),
    };
    if (model.settings.authMode === 'oidc') {
      // Refused here, before anything was sent (a discovered endpoint the URL rule refuses): the
      // provider never answered, so its client is not what to check.
      if (refusal.code === 'OIDC_MISCONFIGURED' && refusal.status === undefined)
        return {
          code: 'OIDC_MISCONFIGURED',
          message: `The refresh request keeps being refused before it is sent: ${refusal.message}; check the provider's discovery document (at the oidcIssuer URL)`,
        };
      return {
        code: 'OIDC_MISCONFIGURED',
        message: `The sign-in provider keeps refusing the refresh request: ${refusal.message}; check the client (oidcClientId) and its refresh grant at the provider`,
        ...answer,
      };
    }
    // Answered, but not in a way the contract can read (a 2xx): what to check is how answers are read.
    const unreadable = refusal.status !== undefined && refusal.status < 300;
    return {
      code: 'INVALID_CONFIG',
      key: 'authContract',
      message: unreadable
        ? `The server's refresh answers cannot be used: ${refusal.message}; check the API contract (authContract.tokens)`
        : `The server keeps refusing the refresh request: ${refusal.message}; check the API contract (authContract.refresh)`,
      ...answer,
    };
  }

  /**
   * The refresh endpoint kept refusing the request: the session reads as ended (`refreshMisconfigured`)
   * with the server's own words, but the server never said the token is bad, so it stays in the
   * keychain and in memory and is tried again every MISCONFIGURED_RETRY_MS (and on resume, when the
   * network returns, and at the next start). Signing in, signing out or changing the API replaces or
   * deletes it as for any session.
   */
  function giveUp(error: ErrorInfo): Result<void> {
    const retryAt = now() + MISCONFIGURED_RETRY_MS;
    apply(t.refreshGaveUp(model, { error, retryAt }));
    arm(retryAt);
    emit();
    return { ok: false, error };
  }

  async function runRefresh(gen: number, secrets: SessionSecrets): Promise<Result<void>> {
    const protocol = current().protocol;
    if (secrets.refreshToken === null) return expireWithoutRefresh();
    // The keychain holds this token: the server may rotate it out with an answer that never arrives
    // (the app quits or crashes first), so that is noted on disk before the request goes out.
    const stored = model.settings.staySignedIn && model.keychain.persisted;
    const settleNote = stored ? vault.noteRenewal?.(current().scope, secrets.username) : undefined;
    const result = await answered('refresh', protocol.refresh(secrets.refreshToken));
    // Known: no new token (nothing to write), or a clear failure. A rotated token's write ends the note
    // once stored; an answer that never came (or could not be read) leaves it, as the model does.
    const rotated = result.ok && ![undefined, null, secrets.refreshToken].includes(result.value.refreshToken);
    if (result.ok ? !rotated : !outcomeUnknown(result.error)) settleNote?.();
    const receivedAt = now();
    if (gen !== model.generation) {
      // The session ended meanwhile: a rotated token of a dead session is revoked, never stored.
      if (result.ok && result.value.refreshToken) {
        void protocol.revoke(result.value.refreshToken, result.value.accessToken);
      }
      return { ok: false, error: CANCELLED };
    }
    if (!result.ok) return refreshFailed(result.error, secrets);
    const grant = result.value;
    const refreshToken = grant.refreshToken ?? secrets.refreshToken;
    const restoring = secrets.access === null;
    const next = refreshedSecrets(secrets, grant, stamped(accessFrom(grant, receivedAt, logger)), receivedAt);
    if (subjectChanged(secrets, grant, protocol.mode)) {
      // A refreshed ID token for someone else: never carry on as the wrong person (nor store its token).
      land();
      logger.warn('the provider answered a refresh for another subject; signing out');
      void protocol.revoke(next.refreshToken, grant.accessToken);
      const error: ErrorInfo = {
        code: 'SESSION_EXPIRED',
        message: 'The sign-in provider answered for another account.',
      };
      await forgetStored(end(t.refreshRefused(model, 'identityChanged', error)));
      return { ok: false, error };
    }
    // What the keychain holds now: this session's token, once it was written (or restored from there).
    const known = model.keychain.persisted ? secrets.refreshToken : null;
    // A restore needs the profile too; the rotated token is written behind the session meanwhile.
    const profile = restoring ? profileOf(protocol, next) : null;
    apply(t.refreshSucceeded(model, next, receivedAt));
    persistBehind(secrets.username, refreshToken, gen, known);
    rejected = NO_REJECTIONS;
    if (profile) {
      const user = await profile;
      if (gen !== model.generation) return { ok: false, error: CANCELLED };
      apply(t.profileLoaded(model, user));
      logger.info('stored session restored');
    } else {
      void loadProfile(protocol, next, model.user, logger).then((user) => {
        if (gen !== model.generation) return;
        apply(t.profileLoaded(model, user));
        emit();
      });
    }
    apply(t.sessionActivated(model));
    scheduleProactive();
    land();
    emit();
    logger.debug('session refreshed', {
      expiresIn: grant.expiresIn,
      rotated: grant.refreshToken !== undefined,
    });
    return { ok: true, value: undefined };
  }

  /** Refreshes now, or joins the refresh already in flight for this session. */
  function refreshNow(): Promise<Result<void>> {
    if (flight && flight.gen === model.generation) return flight.promise;
    const secrets = model.secrets;
    if (!secrets) return Promise.resolve({ ok: false, error: NOT_SIGNED_IN });
    if (secrets.refreshToken === null) return Promise.resolve(expireWithoutRefresh());
    const gen = model.generation;
    cancelTimer();
    if (model.state === 'active') {
      apply(t.refreshStarted(model));
      emit();
    }
    const promise = runRefresh(gen, secrets).catch((error: unknown): Result<void> => {
      // A bug, not an expected failure: log it, and do not leave a dead flight for every caller to join.
      if (flight?.gen === gen) flight = null;
      logger.error('refresh crashed', { error });
      return { ok: false, error: { code: 'INTERNAL', message: 'The session refresh failed unexpectedly' } };
    });
    flight = { gen, promise };
    return promise;
  }

  /**
   * The end of a session without a refresh token (its contract issues none): once its access token
   * expired, or the server said so, there is nothing to refresh with — the person signs in again.
   */
  function expireWithoutRefresh(): Result<void> {
    cancelTimer();
    const error: ErrorInfo = {
      code: 'SESSION_EXPIRED',
      message: 'The session has ended: this server gives no refresh token, so sign in again',
    };
    logger.info('access token expired and there is no refresh token; signing out');
    void forgetStored(end(t.refreshRefused(model, 'accessTokenExpired', error)));
    return { ok: false, error };
  }

  /** After resume / network back: refresh when due or failing, else re-arm the (drifted) timer. */
  function recheck(): void {
    const secrets = model.secrets;
    if (disposed || !secrets) return;
    if (flight && flight.gen === model.generation) return;
    const access = secrets.access;
    if (secrets.refreshToken === null) {
      const left = access ? remainingUntil(access.expiresAt) : 0;
      if (!access || left <= 0) expireWithoutRefresh();
      else arm(access.expiresAt, left);
      return;
    }
    // Failing (offline, backoff pending) or not restored yet: try at once instead of waiting.
    if (!access || model.offline || isRefreshDue(clockFor(access), access.expiresAt, access.lifetimeMs)) {
      void refreshNow();
      return;
    }
    // Re-armed for what is left of the wait (a sleep delayed the timer), never later than it was.
    const at = model.nextRefreshAt;
    if (at === null) return;
    const left = remainingUntil(at);
    if (left <= 0) void refreshNow();
    else arm(at, left);
  }

  // ---- what the rest of main calls ---------------------------------------------------------------

  async function signIn(request: ProtocolSignIn | 'browser'): Promise<Result<SessionView>> {
    const wanted = request === 'browser' ? 'oidc' : 'password';
    const mode = current().protocol.mode;
    if (mode !== wanted) return { ok: false, error: wrongMode(mode) };
    abandonInteractive();
    const ended = end(t.signInStarted(model));
    if (ended.old) {
      void forgetStored(ended);
      revokeInBackground(ended.protocol, ended.old.refreshToken, liveAccessToken(ended.old));
    }
    const gen = model.generation;
    const { protocol } = current();
    let call: ProtocolSignIn;
    if (request === 'browser') {
      const controller = new AbortController();
      interactive = { controller, gen };
      call = { kind: 'browser', signal: controller.signal };
    } else {
      call = request;
    }
    const result = await answered('sign-in', protocol.signIn(call));
    if (interactive?.gen === gen) interactive = null;
    const receivedAt = now();
    if (gen !== model.generation) {
      if (result.ok) return discard(result.value, protocol);
      // The person's own cancel keeps its message; anything else was overtaken by another action.
      return { ok: false, error: result.error.code === 'CANCELLED' ? result.error : CANCELLED };
    }
    if (!result.ok) {
      apply(t.signInFailed(model, result.error));
      emit();
      return result;
    }
    const grant = result.value;
    const access = stamped(accessFrom(grant, receivedAt, logger));
    const refreshExpiresAt = refreshExpiryOf(
      grant.refreshToken,
      grant.refreshExpiresIn,
      receivedAt,
      access.clockSkewMs,
    );
    const secrets: SessionSecrets = {
      username: grant.username,
      refreshToken: grant.refreshToken,
      access,
      ...(refreshExpiresAt !== undefined ? { refreshExpiresAt } : {}),
      ...(grant.idToken ? { idToken: grant.idToken } : {}),
      ...(grant.idClaims ? { idClaims: grant.idClaims } : {}),
    };
    // The profile is asked for at once; the refresh token is written behind the session meanwhile.
    const profile = profileOf(protocol, secrets);
    apply(t.signInGranted(model, secrets, receivedAt));
    persistBehind(grant.username, grant.refreshToken, gen);
    const user = await profile;
    if (gen !== model.generation) return { ok: false, error: CANCELLED };
    apply(t.sessionActivated(t.profileLoaded(model, user)));
    scheduleProactive();
    emit();
    logger.info('signed in');
    return { ok: true, value: view() };
  }

  async function signOut({
    providerLogout = true,
  }: {
    providerLogout?: boolean;
  } = {}): Promise<SignOutResult> {
    abandonInteractive();
    const ended = end(t.signedOut(model));
    const { old, protocol } = ended;
    const gen = model.generation;
    const [, revocation] = await Promise.all([
      forgetStored(ended),
      old ? protocol.revoke(old.refreshToken, liveAccessToken(old)) : Promise.resolve(null),
    ]);
    logger.info('signed out', { revoked: revocation?.ok ? revocation.value : false });
    // RP-initiated logout: the provider's own session ends too (in the browser, where it lives), unless
    // the caller says that browser session is now someone else's (see Session.signOut).
    if (old && protocol.endSession && providerLogout) void protocol.endSession(old.idToken);
    if (!revocation) return { revoked: false };
    if (revocation.ok) return { revoked: revocation.value === 'revoked' };
    if (gen === model.generation) {
      apply(t.revocationFailed(model, revocation.error));
      emit();
    }
    return { revoked: false, revocationError: revocation.error };
  }

  async function start(): Promise<SessionView> {
    if (started || model.state !== 'signedOut' || model.secrets) return view();
    started = true;
    if (!model.settings.staySignedIn) return view();
    return restoreStored();
  }

  /**
   * Reads the keychain again after a start-up restore that could not (`keychain.unread`): the person
   * unlocked it, or a prompt that timed out was answered at last. Nothing happens once the session has
   * moved on (a sign-in, a sign-out, a settings change) or while "stay signed in" is off.
   */
  async function retryRestore(): Promise<SessionView> {
    const waiting = model.state === 'signedOut' && !model.secrets && model.keychain.unread === true;
    if (disposed || !waiting || !model.settings.staySignedIn) return view();
    logger.info('reading the keychain again for a stored session');
    return restoreStored();
  }

  async function restoreStored(): Promise<SessionView> {
    const gen = model.generation;
    const scope = current().scope;
    apply(t.restoreStarted(model));
    emit();
    const stored = await vault.load(scope);
    if (gen !== model.generation) return view();
    if (!stored.ok || !stored.value) {
      apply(t.restoreFoundNothing(model, stored.ok ? undefined : stored.error.message));
      emit();
      return view();
    }
    if (disposed) {
      // Let go meanwhile (quitting, or replaced by a sign-in of the same user): nothing is restored.
      apply(t.restoreFoundNothing(model));
      return view();
    }
    apply(t.storedTokenLoaded(model, stored.value));
    logger.info('restoring the stored session');
    await refreshNow();
    return view();
  }

  /**
   * A forced refresh inside the window of the last one waits for the window's end (every such caller
   * shares one wait, then one refresh flight). Answers instead of refreshing when, after the wait, the
   * session is gone or its token is no longer the one the caller saw rejected.
   */
  async function waitForcedWindow(rejected: number | undefined): Promise<Result<AccessTokenGrant> | null> {
    const gen = model.generation;
    const before = rejected ?? usableToken(true)?.expiresAt;
    if (!forced.wait) {
      const waitMs = forced.at + forcedInterval - monotonic();
      logger.debug('forced refresh asked again within its window; waiting', { waitMs });
      forced.wait = new Promise<void>((resolve) => timers.setTimeout(resolve, waitMs)).then(() => {
        forced.wait = null;
      });
    }
    await forced.wait;
    if (gen !== model.generation || !model.secrets) return { ok: false, error: NOT_SIGNED_IN };
    const current = usableToken(true);
    return current && current.expiresAt !== before ? { ok: true, value: current } : null;
  }

  /** A failure as getAccessToken answers it. */
  function mapNotSignedIn(result: Result<void>): Result<AccessTokenGrant> {
    return result.ok ? { ok: false, error: NOT_SIGNED_IN } : result;
  }

  async function getAccessToken(options?: {
    forceRefresh?: boolean;
    rejectedExpiresAt?: number;
  }): Promise<Result<AccessTokenGrant>> {
    const force = options?.forceRefresh === true;
    if (!model.secrets && pendingSignIn) await pendingSignIn;
    if (!model.secrets) return { ok: false, error: NOT_SIGNED_IN };
    const fresh = usableToken(false);
    if (!force && fresh) return { ok: true, value: fresh };
    // The rejected grant was already replaced (another window's refresh landed): hand out the new one.
    const current = usableToken(true);
    const rejected = options?.rejectedExpiresAt;
    if (force && current && rejected !== undefined && current.expiresAt !== rejected) {
      return { ok: true, value: current };
    }
    if (model.secrets.refreshToken === null) {
      // No refresh token: the token serves until it expires, and a server that refused it ends the session.
      const last = force ? null : usableToken(true);
      return last ? { ok: true, value: last } : mapNotSignedIn(expireWithoutRefresh());
    }
    // A retry that must wait for its timer (a refused request, Retry-After): the token while it lasts.
    if (!(flight && flight.gen === model.generation) && retryMustWait(model, now())) {
      const last = force ? null : usableToken(true);
      return last ? { ok: true, value: last } : { ok: false, error: model.lastError ?? NOT_SIGNED_IN };
    }
    // At most one forced refresh per window; joining a flight in progress is always free.
    if (force && !(flight && flight.gen === model.generation)) {
      if (monotonic() < forced.at + forcedInterval) {
        const answer = await waitForcedWindow(rejected);
        if (answer) return answer;
      }
      if (!(flight && flight.gen === model.generation)) forced = { at: monotonic(), wait: forced.wait };
    }
    const result = await refreshNow();
    if (result.ok) {
      const grant = usableToken(true);
      return grant ? { ok: true, value: grant } : { ok: false, error: NOT_SIGNED_IN };
    }
    // After a 401 (forced) the old token is useless; otherwise a still-unexpired token beats an error.
    const fallback = !force || result.error.code === 'CANCELLED' ? usableToken(true) : null;
    if (fallback && result.error.code !== 'SESSION_EXPIRED') return { ok: true, value: fallback };
    return { ok: false, error: result.error.code === 'CANCELLED' ? NOT_SIGNED_IN : result.error };
  }

  /**
   * OpenID Connect with another audience or scopes, or password sign-in under another API contract
   * (profile or authContract): the tokens held were issued for something else.
   */
  function grantChanged(previous: Settings, next: Settings): boolean {
    if (next.authMode === 'password')
      return (
        next.apiProfile !== previous.apiProfile || !sameSettingValue(next.authContract, previous.authContract)
      );
    return next.oidcAudience !== previous.oidcAudience || next.oidcScopes !== previous.oidcScopes;
  }

  async function applySettings(next: Settings): Promise<void> {
    const previous = model.settings;
    let nextScope: string;
    try {
      nextScope = sessionScope(next);
    } catch {
      logger.error('ignoring settings with an unparsable apiBaseUrl');
      return;
    }
    if (nextScope !== current().scope || grantChanged(previous, next)) {
      const active = model.secrets !== null || model.state === 'signingIn';
      // Same API, other provider, client or sign-in mode: the old refresh token is useless here too.
      const reason =
        apiScope(next.apiBaseUrl) !== apiScope(previous.apiBaseUrl) ? 'apiChanged' : 'signInMethodChanged';
      if (!active) {
        apply(t.apiChanged(model, next, reason));
        emit();
        return;
      }
      abandonInteractive();
      // Judged by the old settings: whether a token may be stored, and where.
      const ended = end(t.apiChanged(model, next, reason));
      const removal = forgetStored(ended);
      if (ended.old) revokeInBackground(ended.protocol, ended.old.refreshToken, liveAccessToken(ended.old));
      await removal;
      logger.info('API or sign-in method changed: signed out of the previous session', { reason });
      return;
    }
    apply(t.settingsChanged(model, next));
    if (previous.staySignedIn && !next.staySignedIn) {
      await removeStored(current().scope, model.secrets?.username);
      apply(t.persistenceStopped(model));
    } else if (!previous.staySignedIn && next.staySignedIn && model.secrets) {
      await persist(model.secrets.username, model.secrets.refreshToken, model.generation);
    }
    emit();
  }

  /** Cancels a browser sign-in that waits for the person; a sign-in that is not waiting is left alone. */
  function cancelSignIn(): CancelSignInResult {
    if (!interactive || interactive.gen !== model.generation) return { cancelled: false };
    abandonInteractive();
    end(t.signInCancelled(model));
    logger.info('sign-in cancelled');
    return { cancelled: true };
  }

  return {
    start: () => tracked(start()),
    retryRestore: () => tracked(retryRestore()),
    signIn: (username, password) => tracked(signIn({ kind: 'password', username, password })),
    // Not tracked: token requests must not wait minutes for a person in a browser.
    signInWithProvider: () => signIn('browser'),
    cancelSignIn,
    signOut,
    getAccessToken,
    getView: view,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onResume: recheck,
    onOnline: recheck,
    applySettings,
    dispose() {
      abandonInteractive();
      disposed = true;
      cancelTimer();
    },
  };
}
