import type { ProbeResult, TrySignInResult } from '../../../common/connect';
import type { ErrorInfo, Result } from '../../../common/errors';
import type { CancelSignInResult } from '../../../common/ipc';
import type { AccessTokenGrant, AccountSummary, SessionView, SignOutResult } from '../../../common/session';
import {
  SETTING_KEYS,
  type SettingKey,
  type SettingSource,
  type Settings,
  type SettingsView,
} from '../../../common/settings';
import { assignSetting, shownSetting } from '../config/settings-table';

// Answers are rebuilt field by field rather than passed through: whatever else a core object carries
// (a refresh token, a `cause` with a response body) stays in main. The object literals are checked
// against the contract types, so a new required field is a compile error here, not a silent drop.

/** An ErrorInfo with only the contract's fields. */
export function toWireError(error: ErrorInfo): ErrorInfo {
  const wire: ErrorInfo = { code: error.code, message: error.message };
  if (error.retryAfterSeconds !== undefined) wire.retryAfterSeconds = error.retryAfterSeconds;
  if (error.status !== undefined) wire.status = error.status;
  if (error.serverError !== undefined) wire.serverError = error.serverError;
  if (error.key !== undefined) wire.key = error.key;
  if (error.origin !== undefined) wire.origin = error.origin;
  if (error.fields !== undefined)
    wire.fields = error.fields.map((problem) => ({ key: problem.key, message: problem.message }));
  return wire;
}

/** A SessionView with only the contract's fields. */
export function toWireSessionView(view: SessionView): SessionView {
  const { user, keychain } = view;
  return {
    state: view.state,
    apiOrigin: view.apiOrigin,
    user: user === null ? null : { sub: user.sub, username: user.username, name: user.name, role: user.role },
    expiresAt: view.expiresAt,
    lifetimeMs: view.lifetimeMs,
    refreshExpiresAt: view.refreshExpiresAt,
    lastRefreshAt: view.lastRefreshAt,
    nextRefreshAt: view.nextRefreshAt,
    offline: view.offline,
    lastError: view.lastError === null ? null : toWireError(view.lastError),
    keychain: {
      available: keychain.available,
      persisted: keychain.persisted,
      ...(keychain.reason === undefined ? {} : { reason: keychain.reason }),
      ...(keychain.unread === true ? { unread: true } : {}),
    },
    reason: view.reason,
    clockSkewMs: view.clockSkewMs,
    ...(view.accountId === undefined ? {} : { accountId: view.accountId }),
    ...(view.apiBaseUrl === undefined ? {} : { apiBaseUrl: view.apiBaseUrl }),
  };
}

/** An AccountSummary with only the contract's fields. */
export function toWireAccount(account: AccountSummary): AccountSummary {
  return {
    id: account.id,
    name: account.name,
    username: account.username,
    apiBaseUrl: account.apiBaseUrl,
    state: account.state,
    offline: account.offline,
    reason: account.reason,
    active: account.active,
  };
}

/** An AccessTokenGrant with only the contract's fields (the account it belongs to when main named one). */
export function toWireGrant(grant: AccessTokenGrant): AccessTokenGrant {
  const wire: AccessTokenGrant = {
    accessToken: grant.accessToken,
    tokenType: grant.tokenType,
    expiresAt: grant.expiresAt,
  };
  return typeof grant.accountId === 'string' || grant.accountId === null
    ? { ...wire, accountId: grant.accountId }
    : wire;
}

/** A SignOutResult with only the contract's fields. */
export function toWireSignOut(result: SignOutResult): SignOutResult {
  return result.revocationError === undefined
    ? { revoked: result.revoked }
    : { revoked: result.revoked, revocationError: toWireError(result.revocationError) };
}

/** A CancelSignInResult with only the contract's fields. */
export function toWireCancelSignIn(result: CancelSignInResult): CancelSignInResult {
  return { cancelled: result.cancelled === true };
}

/** The known settings only. */
function pickSettings(values: Settings): Settings {
  const picked: Partial<Settings> = {};
  // As shown outside main: a PAC URL's query values (a site key, a ticket) stay in main.
  for (const key of SETTING_KEYS) assignSetting(picked, key, shownSetting(key, values[key]));
  return picked as Settings;
}

/** A SettingsView with only the contract's fields. */
export function toWireSettingsView(view: SettingsView): SettingsView {
  return {
    values: pickSettings(view.values),
    sources: Object.fromEntries(SETTING_KEYS.map((key) => [key, view.sources[key]])) as Record<
      SettingKey,
      SettingSource
    >,
    managed: [...view.managed],
    issues: view.issues.map(({ key, source, message }) => ({ key, source, message })),
  };
}

/** A ProbeResult with only the contract's fields (evidence is codes and statuses, never a body). */
export function toWireProbeResult(result: ProbeResult): ProbeResult {
  return {
    url: result.url,
    profile: result.profile,
    authContract: result.authContract === null ? null : structuredClone(result.authContract),
    reason: result.reason,
    params: Object.fromEntries(Object.entries(result.params).map(([key, value]) => [key, String(value)])),
    evidence: result.evidence.map(({ check, request, outcome, status, code }) => ({
      check,
      request,
      outcome,
      ...(status === undefined ? {} : { status }),
      ...(code === undefined ? {} : { code }),
    })),
  };
}

/** A TrySignInResult with only the contract's fields: no token crosses, whatever the core held. */
export function toWireTrySignIn(result: TrySignInResult): TrySignInResult {
  return {
    lifetimeSeconds: result.lifetimeSeconds,
    refreshable: result.refreshable === true,
    discarded: result.discarded,
  };
}

/** Maps the value of a successful Result and strips the error of a failed one. */
export function mapResult<T, U>(result: Result<T>, toWire: (value: T) => U): Result<U> {
  return result.ok
    ? { ok: true, value: toWire(result.value) }
    : { ok: false, error: toWireError(result.error) };
}
