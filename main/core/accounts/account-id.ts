import { createHash } from 'node:crypto';
import { SETTING_KEYS, type Settings, settingTrust } from '../../../common/settings';
import { sessionScope } from '../auth-protocol';
import { sameSettingValue } from '../config/connection-change';

/** Where and how an account signs in: the `connection` settings (API, paths, contract, sign-in method). */
export type Connection = Partial<Settings>;

/** The connection settings of `settings`: what an account keeps of the settings it signed in under. */
export function connectionOf(settings: Settings): Connection {
  const picked: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) if (settingTrust(key) === 'connection') picked[key] = settings[key];
  return picked as Connection;
}

/** True when two connections sign in to the same place the same way. */
export function sameConnection(a: Connection, b: Connection): boolean {
  return sameSettingValue(a, b);
}

/** JSON with object keys sorted, so equal contracts hash equally whatever order their keys were written in. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The opaque id of an account: a hash of API scope + backend contract + sign-in method + user. Stable
 * across restarts, equal for a second sign-in of the same user on the same API (so it replaces, never
 * duplicates), and says nothing readable about the account.
 */
export function accountIdOf(settings: Settings, username: string): string {
  const contract = settings.authMode === 'password' ? [settings.apiProfile, settings.authContract] : null;
  const material = stableJson([sessionScope(settings), settings.authMode, contract, username]);
  return `acct-${createHash('sha256').update(material).digest('hex').slice(0, 20)}`;
}
