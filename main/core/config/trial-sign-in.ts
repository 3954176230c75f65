// The connect wizard's trial sign-in: sign in once with a candidate contract at a candidate server,
// before anything is saved, to show the person it works. Nothing is stored: the refresh token is
// revoked at once where the contract has a logout endpoint, and both tokens are dropped here. Saving
// afterwards is an ordinary settings change (confirmed in main), and the person signs in again.
import type { ConnectCandidate, TrySignInResult } from '../../../common/connect';
import type { Result } from '../../../common/errors';
import type { SettingKey, Settings } from '../../../common/settings';
import { createAuthClient, type FetchLike } from '../auth-client';
import type { Logger } from '../logger';
import { originOf } from '../session/model';
import { effectiveContract } from './auth-contract-schema';
import { type ConfirmConnectionChange, sameSettingValue } from './connection-change';
import { checkAllowedOrigins, newDestinations, sendsTo } from './sends-to';
import { assignSetting, describeZodError, parseSetting } from './settings-table';

export interface TrialDeps {
  fetch: FetchLike;
  /** The effective settings now (the paths of `tessera`, the request timeout, the current API). */
  current: () => Settings;
  /** Main's confirmation: asked before the password goes to a server other than the current one. */
  confirm?: ConfirmConnectionChange;
  /** The settings IT's policy locks (the store's view): a trial may not change them. */
  managed?: () => readonly SettingKey[];
  logger: Logger;
  now?: () => number;
}

const CANDIDATE_KEYS = ['apiBaseUrl', 'apiProfile', 'authContract'] as const;

/** The candidate laid over the current settings, each value checked by its setting's own rule. */
export function candidateSettings(current: Settings, candidate: ConnectCandidate): Result<Settings> {
  const next: Settings = { ...current };
  for (const key of CANDIDATE_KEYS) {
    const parsed = parseSetting(key, candidate[key]);
    if (!parsed.success)
      return {
        ok: false,
        error: { code: 'INVALID_CONFIG', key, message: `${key} ${describeZodError(parsed.error)}.` },
      };
    assignSetting(next, key, parsed.data);
  }
  const contract = effectiveContract(next);
  return contract.ok ? { ok: true, value: next } : contract;
}

/**
 * MANAGED_SETTING for the first connection setting of the wizard (the API, its profile, its contract)
 * that IT's policy locks and `next` changes: the probe and the trial try a locked connection only as
 * it is.
 */
export function checkUnlocked(
  managed: readonly SettingKey[],
  current: Settings,
  next: Partial<Settings>,
): Result<void> {
  const locked = CANDIDATE_KEYS.find(
    (key) => managed.includes(key) && next[key] !== undefined && !sameSettingValue(current[key], next[key]),
  );
  if (locked === undefined) return { ok: true, value: undefined };
  return {
    ok: false,
    error: {
      code: 'MANAGED_SETTING',
      key: locked,
      message: `${locked} is set by your organisation's policy; the connect wizard cannot try another.`,
    },
  };
}

/**
 * IT's policy as it is now on a trial of `next` that sends to `trial`: no locked connection setting
 * changed, and every origin in `allowedApiOrigins` (MANAGED_SETTING naming which, otherwise).
 */
function itAllows(deps: TrialDeps, next: Settings, trial: readonly string[]): Result<void> {
  const current = deps.current();
  const unlocked = checkUnlocked(deps.managed?.() ?? [], current, next);
  if (!unlocked.ok) return unlocked;
  return checkAllowedOrigins(current.allowedApiOrigins, trial);
}

/**
 * Signs in at the candidate with `username` and `password`, then discards the tokens (revoking the
 * refresh token where the contract can). IT's policy is asked first: MANAGED_SETTING, before anything
 * is sent, for a candidate that changes a locked setting or sends to an origin outside
 * `allowedApiOrigins`. The person confirms next (CANCELLED when they do not) when the password or the
 * trial's refresh token would go to an origin the current sign-in sends nothing to. Every other
 * failure is the sign-in's own code (INVALID_CREDENTIALS, NETWORK, BAD_RESPONSE naming a missing dot
 * path, …).
 */
export async function trySignIn(
  deps: TrialDeps,
  candidate: ConnectCandidate,
  credentials: { username: string; password: string },
): Promise<Result<TrySignInResult>> {
  const current = deps.current();
  const next = candidateSettings(current, candidate);
  if (!next.ok) return next;
  // The trial always signs in with the password, whatever the current sign-in method is.
  const trial = sendsTo({ ...next.value, authMode: 'password' });
  // IT's word first, before anyone is asked or anything is sent: a locked connection is tried only as
  // it is, and every origin the trial would send the password or its tokens to must be allowed.
  const allowed = itAllows(deps, next.value, trial);
  if (!allowed.ok) return allowed;
  // Anything that would go where today's sign-in sends nothing (the password, or the trial's refresh
  // token to a logout endpoint elsewhere), or the password where today only tokens go, is the person's
  // decision, not the page's.
  const elsewhere = newDestinations([{ ...next.value, authMode: 'password' }], {
    ...current,
    authMode: 'password',
  });
  if (elsewhere.length > 0) {
    if (!deps.confirm)
      return {
        ok: false,
        error: {
          code: 'CONFIRMATION_REQUIRED',
          message: 'A trial sign-in elsewhere needs your confirmation.',
        },
      };
    const keys = CANDIDATE_KEYS.filter((key) => !sameSettingValue(current[key], next.value[key]));
    const confirmed = await deps.confirm({
      keys,
      fromOrigin: originOf(current.apiBaseUrl),
      toOrigin: originOf(next.value.apiBaseUrl),
      toIssuer: null,
      newOrigins: elsewhere,
      locale: current.locale,
      purpose: 'trySignIn',
    });
    if (!confirmed)
      return {
        ok: false,
        error: { code: 'CANCELLED', message: 'The trial sign-in was not confirmed; nothing was sent.' },
      };
    // The policy may have changed while the dialog was open (a reload does not wait for it): IT's
    // word as it is now, before the password leaves.
    const stillAllowed = itAllows(deps, next.value, trial);
    if (!stillAllowed.ok) return stillAllowed;
  }
  const client = createAuthClient({
    fetch: deps.fetch,
    endpoints: next.value,
    logger: deps.logger.child('trial'),
    ...(deps.now ? { now: deps.now } : {}),
  });
  const granted = await client.login(credentials.username, credentials.password);
  if (!granted.ok) return granted;
  const { accessToken, refreshToken, expiresIn } = granted.value;
  let discarded: TrySignInResult['discarded'] = 'nothingToRevoke';
  if (client.contract.ok && client.contract.value.logout === null) discarded = 'noLogoutEndpoint';
  else if (refreshToken !== undefined) {
    const revoked = await client.logout(refreshToken, accessToken);
    discarded = revoked.ok ? 'revoked' : 'revokeFailed';
    if (!revoked.ok)
      deps.logger.warn('trial sign-in: revoking its refresh token failed', { code: revoked.error.code });
  }
  return {
    ok: true,
    value: { lifetimeSeconds: Math.round(expiresIn), refreshable: refreshToken !== undefined, discarded },
  };
}
