// The connect wizard's trial sign-in: sign in once with a candidate contract at a candidate server,
// before anything is saved, to show the person it works. Nothing is stored: the refresh token is
// revoked at once where the contract has a logout endpoint, and both tokens are dropped here. Saving
// afterwards is an ordinary settings change (confirmed in main), and the person signs in again.
import { contractSource } from '../../../common/auth-contract';
import type { ConnectCandidate, TrySignInResult } from '../../../common/connect';
import type { Result } from '../../../common/errors';
import type { Settings } from '../../../common/settings';
import { createAuthClient, type FetchLike } from '../auth-client';
import type { Logger } from '../logger';
import { effectiveContract } from './auth-contract-schema';
import { type ConfirmConnectionChange, sameSettingValue } from './connection-change';
import { assignSetting, describeZodError, parseSetting } from './settings-table';

export interface TrialDeps {
  fetch: FetchLike;
  /** The effective settings now (the paths of `tessera`, the request timeout, the current API). */
  current: () => Settings;
  /** Main's confirmation: asked before the password goes to a server other than the current one. */
  confirm?: ConfirmConnectionChange;
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

/** The origin of one endpoint of a contract: the API's for a path, the URL's own for an absolute one. */
function endpointOrigin(path: unknown, apiBaseUrl: string): string | null {
  if (typeof path !== 'string') return null;
  const where = path.startsWith('/') ? apiBaseUrl : path;
  return URL.parse(where)?.origin ?? where;
}

/**
 * Where a sign-in with these settings sends something: the API's origin, and the origin of each
 * endpoint of its contract (login gets the password; refresh and logout get the refresh token).
 */
function sendsTo(settings: Settings): string[] {
  const source = contractSource(settings) as Record<string, { path?: unknown } | null> | null;
  const origins = new Set([URL.parse(settings.apiBaseUrl)?.origin ?? settings.apiBaseUrl]);
  for (const section of ['login', 'refresh', 'logout'] as const) {
    const origin = endpointOrigin(source?.[section]?.path, settings.apiBaseUrl);
    if (origin !== null) origins.add(origin);
  }
  return [...origins];
}

/**
 * Signs in at the candidate with `username` and `password`, then discards the tokens (revoking the
 * refresh token where the contract can). The person confirms first (CANCELLED when they do not) when
 * the password or the trial's refresh token would go to an origin the current sign-in sends nothing
 * to. Every failure is the sign-in's own code (INVALID_CREDENTIALS, NETWORK, BAD_RESPONSE naming a
 * missing dot path, …).
 */
export async function trySignIn(
  deps: TrialDeps,
  candidate: ConnectCandidate,
  credentials: { username: string; password: string },
): Promise<Result<TrySignInResult>> {
  const current = deps.current();
  const next = candidateSettings(current, candidate);
  if (!next.ok) return next;
  // Anything that would go where today's sign-in sends nothing (the password, or the trial's refresh
  // token to a logout endpoint elsewhere) is the person's decision, not the page's.
  const known = new Set(sendsTo(current));
  const elsewhere = sendsTo(next.value).filter((origin) => !known.has(origin));
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
      fromOrigin: URL.parse(current.apiBaseUrl)?.origin ?? current.apiBaseUrl,
      toOrigin: elsewhere.join(', '),
      toIssuer: null,
      purpose: 'trySignIn',
    });
    if (!confirmed)
      return {
        ok: false,
        error: { code: 'CANCELLED', message: 'The trial sign-in was not confirmed; nothing was sent.' },
      };
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
