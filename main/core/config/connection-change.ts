import type { Locale, LocaleSetting } from '../../../common/locale';
import type { SettingKey, SettingSource, Settings } from '../../../common/settings';
import { originOf } from '../session/model';
import { DIALOG_WORDS, type DialogText, type OverrideLayer, settingLabels } from './dialog-words';
import { newDestinations } from './sends-to';
import { assignSetting, SETTINGS_TABLE } from './settings-table';

/** A change of where the app signs in and sends tokens, proposed by the page; the person must confirm it. */
export interface ConnectionChange {
  /** The connection settings whose value changes (in effect now, or saved for a later start). */
  keys: SettingKey[];
  /** The API origin now, and after the change (equal when only paths or the sign-in method change). */
  fromOrigin: string;
  toOrigin: string;
  /** The OpenID Provider after the change, when it signs in with one. */
  toIssuer: string | null;
  /**
   * Every origin that gets the password or a token after the change and does not today, or gets the
   * password where today it got only tokens (`newDestinations`): the new API, and each sign-in,
   * refresh or logout endpoint of the contract elsewhere.
   */
  newOrigins: string[];
  /**
   * The changed keys that a command-line flag or an environment variable overrides for now: saved,
   * they apply when Tessera starts without it. `names` are those flags and variables.
   */
  overridden?: { keys: SettingKey[]; layers: OverrideLayer[]; names: string[] };
  /** The person's language setting before the change: the dialog is worded in it. */
  locale: LocaleSetting;
  /**
   * `save` (default): the settings change. `trySignIn`: the connect wizard's trial sign-in, which sends
   * the typed user name and password to `toOrigin` before anything is saved. `probe`: the connect
   * wizard's probe, which asks `toOrigin` a few credential-free questions.
   */
  purpose?: 'save' | 'trySignIn' | 'probe';
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

/** Settings before and after a change. */
export interface SettingsSpan {
  before: Settings;
  after: Settings;
}

/**
 * The settings as saved (without the command line and the environment) before and after the change,
 * and which layer each effective value comes from: a saved change that a flag or variable hides now
 * still takes effect at a later start without it, so it is the person's decision too.
 */
export interface SavedSpan extends SettingsSpan {
  sources: Record<SettingKey, SettingSource>;
}

/**
 * The connection change between two effective settings, and between the saved ones, or null when no
 * connection setting changes in either.
 */
export function connectionChange(
  effective: SettingsSpan,
  isConnectionKey: (key: SettingKey) => boolean,
  saved?: SavedSpan,
): ConnectionChange | null {
  const changed = (span: SettingsSpan) =>
    (Object.keys(span.after) as SettingKey[]).filter(
      (key) => isConnectionKey(key) && !sameSettingValue(span.after[key], span.before[key]),
    );
  const now = changed(effective);
  const later = saved ? changed(saved).filter((key) => !now.includes(key)) : [];
  if (now.length === 0 && later.length === 0) return null;
  // The connection once nothing overrides the saved values any more.
  const target: Settings = { ...effective.after };
  for (const key of later) if (saved) assignSetting(target, key, saved.after[key]);
  const change: ConnectionChange = {
    keys: [...now, ...later],
    fromOrigin: originOf(effective.before.apiBaseUrl),
    toOrigin: originOf(target.apiBaseUrl),
    toIssuer: target.authMode === 'oidc' && target.oidcIssuer ? target.oidcIssuer : null,
    newOrigins: newDestinations([target, effective.after], effective.before),
    // The language the app spoke when the change was asked for: a change that also sets `locale` (the
    // page may) does not get to word its own dialog in a language the person may not read.
    locale: effective.before.locale,
  };
  if (saved && later.length > 0) {
    const layers = [
      ...new Set(
        later.map((key) => saved.sources[key]).filter((source) => source === 'cli' || source === 'env'),
      ),
    ];
    const names = later.flatMap((key) => {
      const source = saved.sources[key];
      return source === 'cli' ? [SETTINGS_TABLE[key].cli] : source === 'env' ? [SETTINGS_TABLE[key].env] : [];
    });
    change.overridden = { keys: later, layers, names };
  }
  return change;
}

/**
 * An issuer as the dialog shows it: its origin as the URL parser reads it (an international host in
 * its xn-- form, so a look-alike letter cannot pass for another) and its path percent-encoded.
 */
function shownIssuer(issuer: string): string {
  const url = URL.parse(issuer);
  if (url === null) return issuer;
  return url.pathname === '/' && !issuer.endsWith('/') ? url.origin : `${url.origin}${url.pathname}`;
}

/**
 * The words of the confirmation dialog, in `locale`: what changes (by the Settings page's names), from
 * where to where, every other origin that would get the sign-in or tokens, and what a yes costs.
 */
export function describeConnectionChange(change: ConnectionChange, locale: Locale = 'en'): DialogText {
  const words = DIALOG_WORDS[locale];
  if (change.purpose === 'trySignIn') return describeTrial(change, locale);
  if (change.purpose === 'probe') return describeProbe(change, locale);
  const c = words.connection;
  const moved = change.fromOrigin !== change.toOrigin;
  const laterOnly = change.overridden !== undefined && change.overridden.keys.length === change.keys.length;
  const lines = moved
    ? [c.from(change.fromOrigin), c.to(change.toOrigin)]
    : [c.server(change.toOrigin), c.changed(settingLabels(change.keys, locale))];
  const elsewhere = change.newOrigins.filter((origin) => origin !== change.toOrigin);
  if (elsewhere.length > 0) lines.push(c.alsoSendsTo(words.list(elsewhere)));
  if (change.toIssuer) lines.push(c.provider(shownIssuer(change.toIssuer)));
  if (change.overridden) lines.push('', c.overridden(change.overridden.layers, change.overridden.names));
  lines.push(
    '',
    change.addsAccount
      ? `${c.sendsThere} ${c.othersStay}`
      : laterOnly
        ? c.later
        : `${c.sendsThere} ${c.signedOut}`,
    c.onlyIfAsked,
  );
  const detail = lines.join('\n');
  if (change.addsAccount) return { message: c.addQuestion, detail, confirm: c.add, cancel: words.cancel };
  if (laterOnly)
    return {
      message: moved ? c.laterMovedQuestion : c.laterChangedQuestion,
      detail,
      confirm: c.save,
      cancel: words.cancel,
    };
  return {
    message: moved ? c.movedQuestion : c.changedQuestion,
    detail,
    confirm: moved ? c.connect : c.change,
    cancel: words.cancel,
  };
}

/** The words of the trial sign-in's dialog: where the password goes, and that nothing is kept. */
function describeTrial(change: ConnectionChange, locale: Locale): DialogText {
  const words = DIALOG_WORDS[locale];
  const elsewhere = change.newOrigins.filter((origin) => origin !== change.toOrigin);
  return {
    message: words.trial.question,
    detail: [
      words.connection.server(change.toOrigin),
      ...(elsewhere.length > 0 ? [words.trial.alsoSendsTo(words.list(elsewhere))] : []),
      '',
      words.trial.sends,
      words.trial.onlyIfAsked,
    ].join('\n'),
    confirm: words.trial.confirm,
    cancel: words.cancel,
  };
}

/** The words of the probe's dialog: which server is asked, and that nothing secret goes there. */
function describeProbe(change: ConnectionChange, locale: Locale): DialogText {
  const words = DIALOG_WORDS[locale];
  return {
    message: words.probe.question,
    detail: [words.connection.server(change.toOrigin), '', words.probe.asks, words.probe.onlyIfAsked].join(
      '\n',
    ),
    confirm: words.probe.confirm,
    cancel: words.cancel,
  };
}
