import type { ErrorCode, ErrorInfo, FieldProblem } from '../../common/errors';
import {
  isSettingKey,
  type SettingKey,
  type SettingSource,
  type Settings,
  type SettingsPatch,
  type SettingsView,
  settingTrust,
} from '../../common/settings';
import type { MessageKey, Translator } from './i18n';

/** What the settings form holds: text as typed (the timeout in seconds), the checkbox and select values. */
export type SettingsFormValues = Omit<Settings, 'requestTimeoutMs'> & { requestTimeoutMs: string };

/** The Preferences section: applied as soon as they change, no Save. */
export const PREFERENCE_KEYS = ['staySignedIn', 'locale', 'theme'] as const;

/** The Connection section's endpoint paths, in display order. */
export const PATH_KEYS = ['loginPath', 'refreshPath', 'logoutPath', 'mePath'] as const;

/** The sign-in method's text fields, in display order (shown for oidc mode). */
export const OIDC_TEXT_KEYS = [
  'oidcIssuer',
  'oidcClientId',
  'oidcScopes',
  'oidcAudience',
  'oidcProviderName',
] as const;

/**
 * Milliseconds as the seconds people read and type: 15000 → "15", 1500 → "1.5", 15040 → "15.04". Exact,
 * never rounded: main keeps any whole number of milliseconds, and a rounded field would differ from the
 * saved value (an untouched form "unsaved", and the next Save changing the timeout).
 */
export function secondsText(ms: number): string {
  return String(ms / 1000);
}

/** The form's starting values. */
export function formValuesOf(settings: Settings): SettingsFormValues {
  return { ...settings, requestTimeoutMs: secondsText(settings.requestTimeoutMs) };
}

/**
 * Why a setting cannot be changed here, in the words shown next to it — or null when it can.
 * Policy wins over everything; a value from the command line or the environment wins over the
 * person's (a change would be saved and then ignored, so the field is read-only and says why);
 * an admin setting never comes from the page.
 */
export type LockReason = 'managed' | 'cli' | 'env' | 'adminOnly';

/** See LockReason. */
export function lockReason(view: SettingsView, key: SettingKey): LockReason | null {
  const source: SettingSource = view.sources[key];
  if (view.managed.includes(key) || source === 'policyManaged' || source === 'policyOs') return 'managed';
  if (source === 'cli') return 'cli';
  if (source === 'env') return 'env';
  if (settingTrust(key) === 'admin') return 'adminOnly';
  return null;
}

/** Every key the page must not send: locked for any reason above. */
export function lockedKeys(view: SettingsView, keys: readonly SettingKey[]): SettingKey[] {
  return keys.filter((key) => lockReason(view, key) !== null);
}

/**
 * The timeout as typed in seconds → milliseconds for main. Text that is no number is passed on
 * unchanged: main's rule (one place) refuses it together with every other invalid field.
 */
export function timeoutMsFrom(text: string): number | string {
  const trimmed = text.trim();
  return /^\d+(\.\d+)?$/.test(trimmed) ? Math.round(Number(trimmed) * 1000) : trimmed;
}

/**
 * The change to send: only keys that differ and are not locked, text trimmed. Nothing is validated
 * here: main owns every rule and answers with all refused fields at once (`ErrorInfo.fields`).
 */
export function buildPatch(
  current: Settings,
  form: SettingsFormValues,
  locked: readonly SettingKey[],
): SettingsPatch {
  const next: Record<string, unknown> = { ...form, requestTimeoutMs: timeoutMsFrom(form.requestTimeoutMs) };
  for (const [key, value] of Object.entries(next)) if (typeof value === 'string') next[key] = value.trim();
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(next) as SettingKey[]) {
    if (!locked.includes(key) && next[key] !== current[key]) patch[key] = next[key];
  }
  // A timeout that is no number is sent as typed so main reports it; the type says what main expects.
  return patch as SettingsPatch;
}

/** True when the form differs from the saved settings in a key it may change (unsaved edits). */
export function hasUnsavedChanges(
  current: Settings,
  form: SettingsFormValues,
  locked: readonly SettingKey[],
): boolean {
  return Object.keys(buildPatch(current, form, locked)).length > 0;
}

/** One value main refused: its key, main's code for it, and main's English reason (for "Details" only). */
export interface Refusal extends FieldProblem {
  code: ErrorCode;
}

/**
 * The refused values of a failed save, each with the code it was refused by: main's list, or the single
 * key of a refusal that names one. Main's answer has one code for all its values (settings-store refuses
 * an unknown, admin or managed key on its own, with `key`; only INVALID_CONFIG lists `fields`), so each
 * value takes the answer's code — a managed key is worded as managed, never as an invalid value.
 */
export function refusedFields(info: Pick<ErrorInfo, 'code' | 'key' | 'message' | 'fields'>): Refusal[] {
  if (info.fields && info.fields.length > 0)
    return info.fields.map((problem) => ({ key: problem.key, message: problem.message, code: info.code }));
  return info.key ? [{ key: info.key, message: info.message, code: info.code }] : [];
}

/** The sentence for a value main refused, by key: each names the rule of that field in plain words. */
const INVALID_SENTENCES: Partial<Record<SettingKey, MessageKey>> = {
  apiBaseUrl: 'settings.invalid.apiBaseUrl',
  loginPath: 'settings.invalid.path',
  refreshPath: 'settings.invalid.path',
  logoutPath: 'settings.invalid.path',
  mePath: 'settings.invalid.mePath',
  requestTimeoutMs: 'settings.invalid.requestTimeoutMs',
  oidcIssuer: 'settings.invalid.oidcIssuer',
  oidcClientId: 'settings.invalid.oidcClientId',
  oidcScopes: 'settings.invalid.oidcScopes',
  oidcAudience: 'settings.invalid.oidcAudience',
  oidcProviderName: 'settings.invalid.oidcProviderName',
  updateUrl: 'settings.invalid.updateUrl',
  updateChannel: 'settings.invalid.updateChannel',
};

/**
 * The catalogue key of the sentence shown under a field main refused: main's codes (a locked key) and
 * its INVALID_CONFIG rules (by key) in the person's language — never main's English text.
 */
export function refusalMessageKey(code: ErrorCode, key: string): MessageKey {
  if (code === 'MANAGED_SETTING') return 'error.MANAGED_SETTING';
  if (code === 'ADMIN_SETTING') return 'error.ADMIN_SETTING';
  return (isSettingKey(key) && INVALID_SENTENCES[key]) || 'settings.invalid.other';
}

/**
 * The sentence for a refused value that has no field on the page (an admin-only or unknown key a buggy
 * or hostile page sent): the setting in the person's words with the reason, or a generic sentence for a
 * key Tessera does not know. Main's English text is never part of it (the page puts it under "Details").
 */
export function refusalWithoutField(refusal: Refusal, t: Translator): string {
  if (!isSettingKey(refusal.key)) return t('settings.refused.unknown');
  return t('settings.refused.setting', {
    setting: t(`settings.${refusal.key}`),
    reason: t(refusalMessageKey(refusal.code, refusal.key)),
  });
}

/** The origin of an address as typed, or null when it is none (compared, never a rule: main decides). */
function typedOrigin(url: string): string | null {
  try {
    return new URL(url.trim()).origin;
  } catch {
    return null;
  }
}

/**
 * Where a server refused by IT's allow-list belongs (`refused`: main's `ErrorInfo.origin`): on the
 * Server address when it is that address's origin (or main did not say), else on the contract whose
 * sign-in, refresh or logout endpoint is elsewhere.
 */
export function refusedOriginField(
  refused: string | undefined,
  apiBaseUrl: string,
): 'apiBaseUrl' | 'contract' {
  return refused === undefined || refused === typedOrigin(apiBaseUrl) ? 'apiBaseUrl' : 'contract';
}
