import type { SettingKey, Settings, SettingsPatch } from '../../common/settings';

/** What the settings form holds: text as typed, the checkbox and select values. */
export type SettingsFormValues = Omit<Settings, 'requestTimeoutMs'> & { requestTimeoutMs: string };

/** Text fields of the form, in display order. */
export const TEXT_KEYS = [
  'apiBaseUrl',
  'loginPath',
  'refreshPath',
  'logoutPath',
  'mePath',
  'requestTimeoutMs',
] as const;

/** The sign-in method's text fields, in display order (shown for oidc mode). */
export const OIDC_TEXT_KEYS = [
  'oidcIssuer',
  'oidcClientId',
  'oidcScopes',
  'oidcAudience',
  'oidcProviderName',
] as const;

/** The form's starting values. */
export function formValuesOf(settings: Settings): SettingsFormValues {
  return { ...settings, requestTimeoutMs: String(settings.requestTimeoutMs) };
}

/**
 * The change to send: only keys that differ and are not locked (managed by policy, or admin-only:
 * main would refuse those anyway).
 * The timeout must be a whole number here; everything else is validated by main, which owns the rules.
 */
export function buildPatch(
  current: Settings,
  form: SettingsFormValues,
  locked: readonly SettingKey[],
): { patch: SettingsPatch } | { invalid: 'requestTimeoutMs' } {
  const timeoutText = form.requestTimeoutMs.trim();
  if (!/^\d+$/.test(timeoutText)) return { invalid: 'requestTimeoutMs' };
  const next: Settings = {
    ...form,
    apiBaseUrl: form.apiBaseUrl.trim(),
    loginPath: form.loginPath.trim(),
    refreshPath: form.refreshPath.trim(),
    logoutPath: form.logoutPath.trim(),
    mePath: form.mePath.trim(),
    requestTimeoutMs: Number(timeoutText),
    updateUrl: form.updateUrl.trim(),
    updateChannel: form.updateChannel.trim(),
    oidcIssuer: form.oidcIssuer.trim(),
    oidcClientId: form.oidcClientId.trim(),
    oidcScopes: form.oidcScopes.trim(),
    oidcAudience: form.oidcAudience.trim(),
    oidcProviderName: form.oidcProviderName.trim(),
  };
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(next) as SettingKey[]) {
    if (!locked.includes(key) && next[key] !== current[key]) patch[key] = next[key];
  }
  return { patch: patch as SettingsPatch };
}
