import type { ErrorInfo } from '../../common/errors';
import type { SessionUser, SessionView, SignOutReason } from '../../common/session';
import type { Settings } from '../../common/settings';
import type { TokenGrant } from './auth-client';
import { type AuthProtocol, sessionScope } from './auth-protocol';
import type { Logger } from './logger';
import {
  type AccessState,
  buildView,
  initialModel,
  type SessionModel,
  type SessionSecrets,
} from './session-model';
import type { TimerHandle, Timers } from './timers';
import { clockSkewMs, readClaims, userFromClaims } from './token-claims';
import type { Vault } from './vault';

export interface SessionContextDeps {
  settings: Settings;
  vault: Vault;
  now: () => number;
  timers: Timers;
  random: () => number;
  logger: Logger;
  /** The protocol for a set of settings (password or oidc); recreated whenever settings change. */
  makeProtocol: (settings: Settings) => AuthProtocol;
}

/** What `clearLocally` hands back so the caller can clean up after the old session. */
export interface Cleared {
  old: SessionSecrets | null;
  scope: string;
  client: AuthProtocol;
  persisted: boolean;
}

/**
 * State and helpers shared by the session manager and its refresh engine. The generation counter
 * is bumped whenever a session ends or is replaced: every async step compares the generation it
 * started with, so late answers of an old session are dropped instead of resurrecting it.
 */
export function createSessionContext(deps: SessionContextDeps) {
  const { vault, now, timers, random, logger } = deps;
  const model: SessionModel = initialModel();
  const listeners = new Set<(view: SessionView) => void>();
  let settings = deps.settings;
  let scope = sessionScope(settings);
  let client = deps.makeProtocol(settings);
  let generation = 0;
  let timer: TimerHandle | null = null;
  let lastEmitted = '';
  let disposed = false;

  const view = (): SessionView => buildView(model, settings.apiBaseUrl);

  /** Tells every listener about a change (identical consecutive views are sent once). */
  function emit(): void {
    const current = view();
    const key = JSON.stringify(current);
    if (key === lastEmitted) return;
    lastEmitted = key;
    for (const listener of [...listeners]) {
      try {
        listener(current);
      } catch (error) {
        logger.error('session listener threw', { error });
      }
    }
  }

  function cancelTimer(): void {
    if (timer !== null) timers.clearTimeout(timer);
    timer = null;
  }

  /** Arms the single session timer (proactive refresh or backoff retry) for local time `at`. */
  function setTimer(at: number, callback: () => void): void {
    cancelTimer();
    model.nextRefreshAt = at;
    if (disposed) return;
    timer = timers.setTimeout(() => {
      timer = null;
      callback();
    }, at - now());
  }

  /** Ends the current generation: timers stop and in-flight work of the old one is discarded. */
  function bump(): number {
    generation += 1;
    cancelTimer();
    model.nextRefreshAt = null;
    return generation;
  }

  /** Clears the session locally (memory only) and returns what is needed to clean up after it. */
  function clearLocally(
    reason: SignOutReason | null,
    state: SessionModel['state'] = 'signedOut',
    lastError: ErrorInfo | null = null,
  ): Cleared {
    const cleared: Cleared = { old: model.secrets, scope, client, persisted: model.keychain.persisted };
    bump();
    const keychain = { ...model.keychain, persisted: false };
    Object.assign(model, initialModel(), { keychain, state, reason, lastError });
    emit();
    return cleared;
  }

  /** Deletes a stored token; a failure only changes the keychain status (the session is gone anyway). */
  async function removeStored(fromScope: string, username: string | undefined): Promise<void> {
    const result = await vault.remove(fromScope, username);
    if (result.ok) return;
    model.keychain = { available: false, persisted: false, reason: result.error.message };
    emit();
  }

  /** Removes a stored token when one may exist (staying signed in, or it was written earlier). */
  function forgetStored(fromScope: string, username: string | undefined, persisted: boolean): Promise<void> {
    return settings.staySignedIn || persisted ? removeStored(fromScope, username) : Promise.resolve();
  }

  /**
   * Writes the (rotated) refresh token before anyone uses the new access token. A failed write keeps
   * the session in memory and marks the keychain unavailable; the entry it could not overwrite is
   * deleted when possible, because a rotated-out token would trip reuse detection after a restart.
   */
  async function persist(username: string, refreshToken: string, gen: number): Promise<void> {
    if (!settings.staySignedIn) return;
    const into = scope;
    const result = await vault.save(into, username, refreshToken);
    if (gen !== generation) return;
    if (result.ok) {
      model.keychain = { available: true, persisted: true };
      return;
    }
    model.keychain = { available: false, persisted: false, reason: result.error.message };
    void vault.remove(into, username);
  }

  /** What the client computes on receipt; scheduling uses only receive time + expiresIn. */
  function accessFrom(grant: TokenGrant, receivedAt: number): AccessState {
    const lifetimeMs = grant.expiresIn * 1000;
    const expiresAt = receivedAt + lifetimeMs;
    const skew = clockSkewMs(readClaims(grant.accessToken), expiresAt);
    // Harmless for scheduling (expiresIn only), but worth a line when someone debugs odd expiries.
    if (skew !== null && Math.abs(skew) > 60_000)
      logger.warn('clock skew against the server', { skewMs: skew });
    return { accessToken: grant.accessToken, expiresAt, lifetimeMs, clockSkewMs: skew };
  }

  /** The profile from the protocol (`mePath`, ID token); failing that the previous one, or the token's claims. */
  async function loadProfile(secrets: SessionSecrets, current: SessionUser | null): Promise<SessionUser> {
    const token = secrets.access?.accessToken ?? '';
    const result = await client.profile({
      accessToken: token,
      username: secrets.username,
      ...(secrets.idClaims ? { idClaims: secrets.idClaims } : {}),
    });
    if (result.ok) return result.value;
    logger.info('profile unavailable; using token claims', { code: result.error.code });
    return current ?? userFromClaims(readClaims(token), secrets.username);
  }

  /** The access token if it has not expired yet (worth sending for deny-listing at sign-out). */
  function liveAccessToken(secrets: SessionSecrets): string | undefined {
    const access = secrets.access;
    return access && now() < access.expiresAt ? access.accessToken : undefined;
  }

  return {
    model,
    vault,
    now,
    random,
    logger,
    get settings() {
      return settings;
    },
    get scope() {
      return scope;
    },
    get client() {
      return client;
    },
    get disposed() {
      return disposed;
    },
    generation: () => generation,
    setSettings(next: Settings): void {
      settings = next;
      scope = sessionScope(next);
      client = deps.makeProtocol(next);
    },
    view,
    emit,
    onChange(listener: (view: SessionView) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose(): void {
      disposed = true;
      cancelTimer();
    },
    setTimer,
    cancelTimer,
    bump,
    clearLocally,
    removeStored,
    forgetStored,
    persist,
    accessFrom,
    loadProfile,
    liveAccessToken,
  };
}

/** The shared context object. */
export type SessionContext = ReturnType<typeof createSessionContext>;
