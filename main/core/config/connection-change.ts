import type { SettingKey, Settings } from '../../../common/settings';
import { originOf } from '../session/model';

/** A change of where the app signs in and sends tokens, proposed by the page; the person must confirm it. */
export interface ConnectionChange {
  /** The connection settings whose effective value changes. */
  keys: SettingKey[];
  /** The API origin now, and after the change (equal when only paths or the sign-in method change). */
  fromOrigin: string;
  toOrigin: string;
  /** The OpenID Provider after the change, when it signs in with one. */
  toIssuer: string | null;
  /**
   * `save` (default): the settings change. `trySignIn`: the connect wizard's trial sign-in, which sends
   * the typed user name and password to `toOrigin` before anything is saved.
   */
  purpose?: 'save' | 'trySignIn';
  /** An account is added on that server; the accounts already signed in stay signed in. */
  addsAccount?: boolean;
}

/** Asks the person (a native dialog in the app; a fixture in tests); resolves true only on an explicit yes. */
export type ConfirmConnectionChange = (change: ConnectionChange) => Promise<boolean>;

/** Equal setting values: the same text, number or flag, or JSON objects (authContract) with equal content. */
export function sameSettingValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  return keysA.every(
    (key) =>
      Object.hasOwn(b, key) &&
      sameSettingValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

/** The connection change between two effective settings, or null when no connection setting changes. */
export function connectionChange(
  before: Settings,
  after: Settings,
  isConnectionKey: (key: SettingKey) => boolean,
): ConnectionChange | null {
  const keys = (Object.keys(after) as SettingKey[]).filter(
    (key) => isConnectionKey(key) && !sameSettingValue(after[key], before[key]),
  );
  if (keys.length === 0) return null;
  return {
    keys,
    fromOrigin: originOf(before.apiBaseUrl),
    toOrigin: originOf(after.apiBaseUrl),
    toIssuer: after.authMode === 'oidc' && after.oidcIssuer ? after.oidcIssuer : null,
  };
}

/** The words of the confirmation dialog: what changes, from where to where, and what it costs. */
export function describeConnectionChange(change: ConnectionChange): {
  message: string;
  detail: string;
  confirm: string;
  cancel: string;
} {
  if (change.purpose === 'trySignIn') return describeTrial(change);
  const moved = change.fromOrigin !== change.toOrigin;
  const lines = moved
    ? [`From: ${change.fromOrigin}`, `To: ${change.toOrigin}`]
    : [`Server: ${change.toOrigin}`, `Changed: ${change.keys.join(', ')}`];
  if (change.toIssuer) lines.push(`Sign-in provider: ${change.toIssuer}`);
  lines.push(
    '',
    change.addsAccount
      ? 'Tessera will send your sign-in and your tokens there. Your other accounts stay signed in.'
      : 'Tessera will send your sign-in and your tokens there. You will be signed out of the current server.',
    'Only continue if you asked for this change.',
  );
  if (change.addsAccount)
    return {
      message: 'Add an account on a different server?',
      detail: lines.join('\n'),
      confirm: 'Add',
      cancel: 'Cancel',
    };
  return {
    message: moved ? 'Connect Tessera to a different server?' : 'Change how Tessera signs in?',
    detail: lines.join('\n'),
    confirm: moved ? 'Connect' : 'Change',
    cancel: 'Cancel',
  };
}

/** The words of the trial sign-in's dialog: where the password goes, and that nothing is kept. */
function describeTrial(change: ConnectionChange): ReturnType<typeof describeConnectionChange> {
  return {
    message: 'Try signing in to a different server?',
    detail: [
      `Server: ${change.toOrigin}`,
      '',
      'Tessera will send the user name and password you typed there, to test the connection. Nothing is saved, and the tokens it answers with are discarded.',
      'Only continue if you asked for this test.',
    ].join('\n'),
    confirm: 'Try sign-in',
    cancel: 'Cancel',
  };
}
