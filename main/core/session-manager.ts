import type { Result } from '../../common/errors';
import type { CancelSignInResult } from '../../common/ipc';
import type { AccessTokenGrant, SessionView, SignOutResult } from '../../common/session';
import type { Settings } from '../../common/settings';
import type { FetchLike, TokenGrant } from './auth-client';
import { type AuthProtocol, type ProtocolSignIn, sessionScope, wrongMode } from './auth-protocol';
import type { SessionCore } from './contracts';
import { type Logger, silentLogger } from './logger';
import type { OpenExternal } from './oidc/oidc-protocol';
import { protocolFactory } from './protocol-factory';
import { createRefreshEngine } from './refresh-engine';
import { createSessionContext } from './session-context';
import { CANCELLED, NOT_SIGNED_IN, type SessionSecrets } from './session-model';
import { realTimers, type Timers } from './timers';
import { apiScope, type Vault } from './vault';

/** What the session manager needs; everything that touches the world is injected. */
export interface SessionManagerDeps {
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
}

/** Creates the session state machine (signedOut → signingIn → active ⇄ refreshing → signedOut). */
export function createSessionManager(deps: SessionManagerDeps): SessionCore {
  const ctx = createSessionContext({
    settings: deps.settings,
    vault: deps.vault,
    now: deps.now ?? Date.now,
    timers: deps.timers ?? realTimers,
    random: deps.random ?? Math.random,
    logger: (deps.logger ?? silentLogger).child('session'),
    makeProtocol: protocolFactory(deps),
  });
  const { model, logger } = ctx;
  const engine = createRefreshEngine(ctx);
  let started = false;
  /** The sign-in (or start-up restore) in progress: token requests made meanwhile wait for it. */
  let pendingSignIn: Promise<unknown> | null = null;
  /** The browser sign-in waiting for the person, and the generation it belongs to. */
  let interactive: { controller: AbortController; gen: number } | null = null;

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

  /** Revokes a session's tokens in the background: a slow or dead server must not block anyone. */
  function revokeInBackground(client: AuthProtocol, refreshToken: string, accessToken?: string): void {
    void client.revoke(refreshToken, accessToken).then((result) => {
      logger.info('background revocation finished', {
        ok: result.ok,
        code: result.ok ? undefined : result.error.code,
      });
    });
  }

  /** A late login answer for a sign-in that was superseded: its tokens must not outlive it. */
  function discard(grant: TokenGrant, client: AuthProtocol): Result<never> {
    if (grant.refreshToken) revokeInBackground(client, grant.refreshToken, grant.accessToken);
    return { ok: false, error: CANCELLED };
  }

  async function signInNow(request: ProtocolSignIn | 'browser'): Promise<Result<SessionView>> {
    const wanted = request === 'browser' ? 'oidc' : 'password';
    if (ctx.client.mode !== wanted) return { ok: false, error: wrongMode(ctx.client.mode) };
    abandonInteractive();
    const { old, scope, client, persisted } = ctx.clearLocally(null, 'signingIn');
    if (old) {
      void ctx.forgetStored(scope, old.username, persisted);
      revokeInBackground(client, old.refreshToken, ctx.liveAccessToken(old));
    }
    const gen = ctx.generation();
    let call: ProtocolSignIn;
    if (request === 'browser') {
      const controller = new AbortController();
      interactive = { controller, gen };
      call = { kind: 'browser', signal: controller.signal };
    } else {
      call = request;
    }
    const result = await client.signIn(call);
    if (interactive?.gen === gen) interactive = null;
    const receivedAt = ctx.now();
    if (gen !== ctx.generation()) {
      if (result.ok) return discard(result.value, client);
      // The person's own cancel keeps its message; anything else was overtaken by another action.
      return { ok: false, error: result.error.code === 'CANCELLED' ? result.error : CANCELLED };
    }
    if (!result.ok) {
      model.state = 'signedOut';
      model.lastError = result.error;
      ctx.emit();
      return result;
    }
    const grant = result.value;
    const username = grant.username;
    // Persist first: a crash right after must not lose the session (nor keep a stale token).
    await ctx.persist(username, grant.refreshToken, gen);
    if (gen !== ctx.generation()) {
      // Superseded while storing: whatever replaced this sign-in queued no cleanup for a session it
      // never saw, so take back exactly what was written (unless something newer overwrote it).
      if (ctx.settings.staySignedIn) void ctx.vault.remove(scope, username, grant.refreshToken);
      return discard(grant, client);
    }
    const secrets: SessionSecrets = {
      username,
      refreshToken: grant.refreshToken,
      access: ctx.accessFrom(grant, receivedAt),
      ...(grant.idToken ? { idToken: grant.idToken } : {}),
      ...(grant.idClaims ? { idClaims: grant.idClaims } : {}),
    };
    model.secrets = secrets;
    model.lastRefreshAt = receivedAt;
    const user = await ctx.loadProfile(secrets, null);
    if (gen !== ctx.generation()) return { ok: false, error: CANCELLED };
    model.user = user;
    model.state = 'active';
    engine.scheduleProactive();
    ctx.emit();
    logger.info('signed in', { persisted: model.keychain.persisted });
    return { ok: true, value: ctx.view() };
  }

  async function signOut(): Promise<SignOutResult> {
    abandonInteractive();
    const { old, scope, client, persisted } = ctx.clearLocally('userSignedOut');
    const gen = ctx.generation();
    const [, revocation] = await Promise.all([
      ctx.forgetStored(scope, old?.username, persisted),
      old ? client.revoke(old.refreshToken, ctx.liveAccessToken(old)) : Promise.resolve(null),
    ]);
    logger.info('signed out', { revoked: revocation?.ok ? revocation.value : false });
    // RP-initiated logout: the provider's own session ends too (in the browser, where it lives).
    if (old && client.endSession) void client.endSession(old.idToken);
    if (!revocation) return { revoked: false };
    if (revocation.ok) return { revoked: revocation.value === 'revoked' };
    if (gen === ctx.generation()) {
      model.lastError = revocation.error;
      ctx.emit();
    }
    return { revoked: false, revocationError: revocation.error };
  }

  async function startNow(): Promise<SessionView> {
    if (started || model.state !== 'signedOut' || model.secrets) return ctx.view();
    started = true;
    if (!ctx.settings.staySignedIn) return ctx.view();
    const gen = ctx.generation();
    const scope = ctx.scope;
    model.state = 'signingIn';
    ctx.emit();
    const stored = await ctx.vault.load(scope);
    if (gen !== ctx.generation()) return ctx.view();
    if (!stored.ok || !stored.value) {
      if (!stored.ok) model.keychain = { available: false, persisted: false, reason: stored.error.message };
      model.state = 'signedOut';
      ctx.emit();
      return ctx.view();
    }
    model.keychain = { available: true, persisted: true };
    model.secrets = { ...stored.value, access: null };
    logger.info('restoring the stored session');
    await engine.refreshNow();
    return ctx.view();
  }

  async function getAccessToken(options?: { forceRefresh?: boolean }): Promise<Result<AccessTokenGrant>> {
    const force = options?.forceRefresh === true;
    if (!model.secrets && pendingSignIn) await pendingSignIn;
    if (!model.secrets) return { ok: false, error: NOT_SIGNED_IN };
    const fresh = engine.usableToken(false);
    if (!force && fresh) return { ok: true, value: fresh };
    const result = await engine.refreshNow();
    if (result.ok) {
      const grant = engine.usableToken(true);
      return grant ? { ok: true, value: grant } : { ok: false, error: NOT_SIGNED_IN };
    }
    // After a 401 (forced) the old token is useless; otherwise a still-unexpired token beats an error.
    const fallback = !force || result.error.code === 'CANCELLED' ? engine.usableToken(true) : null;
    if (fallback && result.error.code !== 'SESSION_EXPIRED') return { ok: true, value: fallback };
    return { ok: false, error: result.error.code === 'CANCELLED' ? NOT_SIGNED_IN : result.error };
  }

  async function applySettings(next: Settings): Promise<void> {
    const previous = ctx.settings;
    const previousScope = ctx.scope;
    let nextScope: string;
    try {
      nextScope = sessionScope(next);
    } catch {
      logger.error('ignoring settings with an unparsable apiBaseUrl');
      return;
    }
    if (nextScope !== previousScope) {
      const active = model.secrets !== null || model.state === 'signingIn';
      if (!active) {
        ctx.bump();
        ctx.setSettings(next);
        ctx.emit();
        return;
      }
      abandonInteractive();
      // Same API, other provider, client or sign-in mode: the old refresh token is useless here too.
      const apiChanged = apiScope(next.apiBaseUrl) !== apiScope(previous.apiBaseUrl);
      const reason = apiChanged ? 'apiChanged' : 'signInMethodChanged';
      const { old, scope, client, persisted } = ctx.clearLocally(reason);
      // Queued before the switch: whether a token may be stored is judged by the old settings.
      const removal = ctx.forgetStored(scope, old?.username, persisted);
      ctx.setSettings(next);
      ctx.emit();
      if (old) revokeInBackground(client, old.refreshToken, ctx.liveAccessToken(old));
      await removal;
      logger.info('API or sign-in method changed: signed out of the previous session', { reason });
      return;
    }
    ctx.setSettings(next);
    if (previous.staySignedIn && !next.staySignedIn) {
      await ctx.removeStored(ctx.scope, model.secrets?.username);
      model.keychain = { ...model.keychain, persisted: false };
    } else if (!previous.staySignedIn && next.staySignedIn && model.secrets) {
      await ctx.persist(model.secrets.username, model.secrets.refreshToken, ctx.generation());
    }
    ctx.emit();
  }

  /** Cancels a browser sign-in that waits for the person; a sign-in that is not waiting is left alone. */
  function cancelSignIn(): CancelSignInResult {
    if (!interactive || interactive.gen !== ctx.generation()) return { cancelled: false };
    abandonInteractive();
    ctx.clearLocally(null);
    logger.info('sign-in cancelled');
    return { cancelled: true };
  }

  return {
    start: () => tracked(startNow()),
    signIn: (username, password) => tracked(signInNow({ kind: 'password', username, password })),
    // Not tracked: token requests must not wait minutes for a person in a browser.
    signInWithProvider: () => signInNow('browser'),
    cancelSignIn,
    signOut,
    getAccessToken,
    getView: ctx.view,
    onChange: ctx.onChange,
    onResume: () => engine.recheck(),
    onOnline: () => engine.recheck(),
    applySettings,
    dispose: () => {
      abandonInteractive();
      ctx.dispose();
    },
  };
}
