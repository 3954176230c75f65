import type { Result } from '../../common/errors';
import type { AccessTokenGrant } from '../../common/session';
import type { ProtocolError } from './auth-protocol';
import { backoffDelayMs } from './backoff';
import { isRefreshDue, proactiveRefreshAt } from './refresh-schedule';
import type { SessionContext } from './session-context';
import {
  CANCELLED,
  NOT_SIGNED_IN,
  outcomeUnknown,
  reasonForRefusal,
  type SessionSecrets,
} from './session-model';

/** The refresh half of the session: single-flight refresh, proactive timer, backoff, re-checks. */
export interface RefreshEngine {
  /** Refreshes now, or joins the refresh already in flight for this session. */
  refreshNow(): Promise<Result<void>>;
  /** Arms the proactive refresh for the current access token. */
  scheduleProactive(): void;
  /** After resume / network back: refresh when due or failing, else re-arm the (drifted) timer. */
  recheck(): void;
  /** The current token as a grant: outside the lead window, or (`allowDue`) merely unexpired. */
  usableToken(allowDue: boolean): AccessTokenGrant | null;
}

/** Creates the refresh engine over the shared session context. */
export function createRefreshEngine(ctx: SessionContext): RefreshEngine {
  const { model, logger } = ctx;
  let flight: { gen: number; promise: Promise<Result<void>> } | null = null;
  let failures = 0;
  let failuresGen = -1;

  function scheduleProactive(): void {
    const access = model.secrets?.access;
    if (!access) return;
    const at = proactiveRefreshAt(access.expiresAt, access.lifetimeMs, ctx.random);
    ctx.setTimer(at, () => void refreshNow());
  }

  function usableToken(allowDue: boolean): AccessTokenGrant | null {
    const access = model.secrets?.access;
    if (!access) return null;
    const now = ctx.now();
    const usable = allowDue
      ? now < access.expiresAt
      : !isRefreshDue(now, access.expiresAt, access.lifetimeMs);
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
  async function failed(refusal: ProtocolError, secrets: SessionSecrets): Promise<Result<void>> {
    land();
    // The protocol's own judgement of why (OIDC providers describe refusals in prose) stays in main.
    const { endReason, ...error } = refusal;
    if (error.code === 'SESSION_EXPIRED') {
      const refused = endReason ?? reasonForRefusal(error.serverError);
      // Our own earlier attempt may have rotated the token: say so rather than suggest theft.
      const reason =
        refused === 'refreshTokenReused' && secrets.refreshUnconfirmed ? 'refreshInterrupted' : refused;
      logger.warn('refresh token refused; signing out', { reason, serverError: error.serverError });
      const { old, scope, persisted } = ctx.clearLocally(reason, 'signedOut', error);
      await ctx.forgetStored(scope, old?.username, persisted);
      return { ok: false, error };
    }
    if (outcomeUnknown(error) && model.secrets === secrets) {
      model.secrets = { ...secrets, refreshUnconfirmed: true };
    }
    if (failuresGen !== ctx.generation()) failures = 0;
    failuresGen = ctx.generation();
    failures += 1;
    const delay = backoffDelayMs(failures, ctx.random, error.retryAfterSeconds);
    model.offline = true;
    model.lastError = error;
    if (secrets.access) {
      model.state = 'active';
    } else {
      // A stored session that could not be restored yet: signed out for now, token kept, retrying.
      model.state = 'signedOut';
      model.reason = 'silentSignInFailed';
    }
    ctx.setTimer(ctx.now() + delay, () => void refreshNow());
    ctx.emit();
    logger.warn('refresh failed; retrying later', { code: error.code, attempt: failures, retryInMs: delay });
    return { ok: false, error };
  }

  async function run(gen: number, secrets: SessionSecrets): Promise<Result<void>> {
    const client = ctx.client;
    const result = await client.refresh(secrets.refreshToken);
    const receivedAt = ctx.now();
    if (gen !== ctx.generation()) {
      // The session ended meanwhile: a rotated token of a dead session is revoked, never stored.
      if (result.ok && result.value.refreshToken) {
        void client.revoke(result.value.refreshToken, result.value.accessToken);
      }
      return { ok: false, error: CANCELLED };
    }
    if (!result.ok) return failed(result.error, secrets);
    const grant = result.value;
    const refreshToken = grant.refreshToken ?? secrets.refreshToken;
    await ctx.persist(secrets.username, refreshToken, gen);
    if (gen !== ctx.generation()) {
      // Whoever ended the session queued its keychain cleanup after this write; revoke the new tokens.
      void client.revoke(refreshToken, grant.accessToken);
      return { ok: false, error: CANCELLED };
    }
    const restoring = secrets.access === null;
    const next: SessionSecrets = {
      username: secrets.username,
      refreshToken,
      access: ctx.accessFrom(grant, receivedAt),
    };
    // A refresh answer without an ID token keeps the last one (providers need not send a new one).
    const idToken = grant.idToken ?? secrets.idToken;
    const idClaims = grant.idClaims ?? secrets.idClaims;
    if (idToken !== undefined) next.idToken = idToken;
    if (idClaims !== undefined) next.idClaims = idClaims;
    model.secrets = next;
    model.lastRefreshAt = receivedAt;
    model.offline = false;
    model.lastError = null;
    failures = 0;
    if (restoring) {
      const user = await ctx.loadProfile(next, null);
      if (gen !== ctx.generation()) return { ok: false, error: CANCELLED };
      model.user = user;
      logger.info('stored session restored');
    } else {
      void ctx.loadProfile(next, model.user).then((user) => {
        if (gen !== ctx.generation()) return;
        model.user = user;
        ctx.emit();
      });
    }
    model.state = 'active';
    model.reason = null;
    scheduleProactive();
    land();
    ctx.emit();
    logger.debug('session refreshed', {
      expiresIn: grant.expiresIn,
      rotated: grant.refreshToken !== undefined,
    });
    return { ok: true, value: undefined };
  }

  function refreshNow(): Promise<Result<void>> {
    if (flight && flight.gen === ctx.generation()) return flight.promise;
    const secrets = model.secrets;
    if (!secrets) return Promise.resolve({ ok: false, error: NOT_SIGNED_IN });
    const gen = ctx.generation();
    ctx.cancelTimer();
    if (model.state === 'active') {
      model.state = 'refreshing';
      ctx.emit();
    }
    const promise = run(gen, secrets).catch((error: unknown): Result<void> => {
      // A bug, not an expected failure: log it, and do not leave a dead flight for every caller to join.
      if (flight?.gen === gen) flight = null;
      logger.error('refresh crashed', { error });
      return { ok: false, error: { code: 'INTERNAL', message: 'The session refresh failed unexpectedly' } };
    });
    flight = { gen, promise };
    return promise;
  }

  function recheck(): void {
    const secrets = model.secrets;
    if (ctx.disposed || !secrets) return;
    if (flight && flight.gen === ctx.generation()) return;
    const access = secrets.access;
    // Failing (offline, backoff pending) or not restored yet: try at once instead of waiting.
    if (!access || model.offline || isRefreshDue(ctx.now(), access.expiresAt, access.lifetimeMs)) {
      void refreshNow();
      return;
    }
    const at = model.nextRefreshAt;
    if (at !== null && ctx.now() >= at) void refreshNow();
    else if (at !== null) ctx.setTimer(at, () => void refreshNow());
  }

  return { refreshNow, scheduleProactive, recheck, usableToken };
}
