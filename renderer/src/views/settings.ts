import type { ErrorInfo } from '../../../common/errors';
import {
  isSettingKey,
  SETTING_KEYS,
  type SettingKey,
  type SettingSource,
  type SettingsView,
  settingTrust,
} from '../../../common/settings';
import { h, uid } from '../dom';
import type { MessageKey, Translator } from '../i18n';
import { errorInfoMessage, errorInfoOf } from '../messages/error-messages';
import { buildPatch, type SettingsFormValues } from '../settings-form';
import type { AppContext, AppState, View } from '../state';
import { alertSlot, type Field, field, pageHeading, setBusy, statusRegion } from './parts';
import { createAboutConfiguration } from './settings-about';
import { type MakeField, settingsFieldsets } from './settings-fields';

type Control = HTMLInputElement | HTMLSelectElement;

const SOURCE_HINTS: Partial<Record<SettingSource, MessageKey>> = {
  env: 'settings.source.env',
  cli: 'settings.source.cli',
  policyDefaults: 'settings.source.policyDefaults',
};

/** The localized sentence for a value main rejected (its English message is shown as a detail). */
function invalidText(key: SettingKey, info: ErrorInfo, t: Translator): string {
  if (info.code === 'MANAGED_SETTING') return t('error.MANAGED_SETTING');
  if (info.code === 'ADMIN_SETTING') return t('error.ADMIN_SETTING');
  if (key === 'apiBaseUrl') return t('settings.invalid.apiBaseUrl');
  if (key === 'updateUrl') return t('settings.invalid.updateUrl');
  if (key === 'requestTimeoutMs') return t('settings.invalid.requestTimeoutMs');
  if (key === 'oidcIssuer') return t('settings.invalid.oidcIssuer');
  if (key === 'oidcScopes') return t('settings.invalid.oidcScopes');
  if (key.endsWith('Path')) return t('settings.invalid.path');
  return t('settings.invalid.other');
}

/** Settings: connection, sign-in method, preferences, updates; managed keys read-only; main's validation per field. */
export function createSettingsView(ctx: AppContext): View {
  const { t, bridge, flash } = ctx;
  const heading = pageHeading(t('settings.title'));
  const status = statusRegion();
  const alert = alertSlot();
  const issues = h('div', { class: 'issues-slot' });
  const fields = new Map<SettingKey, Field<Control>>();
  const save = h('button', { type: 'submit', class: 'button button-primary' }, t('settings.save'));
  let shown: SettingsView | null = null;
  let busy = false;
  let destroyed = false;

  const make: MakeField = (key, control, options = {}) => {
    const view = shown as SettingsView;
    const managed = view.managed.includes(key);
    // Admin settings (updates) come from policy, command line or environment only: shown, never editable.
    const adminOnly = !managed && settingTrust(key) === 'admin';
    const sourceHint = SOURCE_HINTS[view.sources[key]];
    control.name = key;
    control.disabled = managed || adminOnly;
    const made = field(
      t(`settings.${key}`),
      control,
      [
        adminOnly ? null : options.hint,
        managed ? h('span', { class: 'managed' }, t('settings.managed')) : null,
        adminOnly ? h('span', { class: 'managed' }, t('settings.adminOnly')) : null,
        sourceHint && !managed ? t(sourceHint) : null,
      ],
      { inline: options.inline },
    );
    fields.set(key, made);
    return made.element;
  };

  const renderIssues = (view: SettingsView) => {
    const headingId = uid('issues');
    issues.replaceChildren(
      ...(view.issues.length === 0
        ? []
        : [
            h(
              'section',
              { class: 'notice notice-warning', 'aria-labelledby': headingId },
              h('h2', { id: headingId, class: 'notice-title' }, t('settings.issues')),
              h(
                'ul',
                null,
                view.issues.map((issue) =>
                  h(
                    'li',
                    null,
                    t('settings.issue', {
                      key: isSettingKey(issue.key) ? t(`settings.${issue.key}`) : issue.key,
                      source: t(`settings.layer.${issue.source}`),
                      message: issue.message,
                    }),
                  ),
                ),
              ),
            ),
          ]),
    );
  };

  const fieldsets = h('div', { class: 'fieldsets' });
  // The actions row (and its live region) is never re-created, so focus and announcements survive a re-render.
  const form = h(
    'form',
    { class: 'form settings-form', novalidate: true, method: 'post' },
    fieldsets,
    h('div', { class: 'form-actions' }, save, status.element),
  );

  const about = createAboutConfiguration(t);

  const render = (view: SettingsView) => {
    shown = view;
    renderIssues(view);
    about.update(view);
    fields.clear();
    fieldsets.replaceChildren(...settingsFieldsets(view, t, make));
  };

  const readForm = (): SettingsFormValues => {
    const value = (key: SettingKey) => fields.get(key)?.control.value ?? '';
    const checked = (key: SettingKey) =>
      (fields.get(key)?.control as HTMLInputElement | undefined)?.checked ?? false;
    return {
      apiBaseUrl: value('apiBaseUrl'),
      loginPath: value('loginPath'),
      refreshPath: value('refreshPath'),
      logoutPath: value('logoutPath'),
      mePath: value('mePath'),
      requestTimeoutMs: value('requestTimeoutMs'),
      staySignedIn: checked('staySignedIn'),
      locale: value('locale') as SettingsFormValues['locale'],
      theme: value('theme') as SettingsFormValues['theme'],
      updatesEnabled: checked('updatesEnabled'),
      updateUrl: value('updateUrl'),
      updateChannel: value('updateChannel'),
      authMode: value('authMode') as SettingsFormValues['authMode'],
      oidcIssuer: value('oidcIssuer'),
      oidcClientId: value('oidcClientId'),
      oidcScopes: value('oidcScopes'),
      oidcAudience: value('oidcAudience'),
      oidcProviderName: value('oidcProviderName'),
      // Not editable here yet (policy, environment, command line or the settings file): kept as shown.
      apiProfile: (shown as SettingsView).values.apiProfile,
      authContract: (shown as SettingsView).values.authContract,
      // Admin only (policy, command line, environment): shown under "About this configuration".
      logLevel: (shown as SettingsView).values.logLevel,
      maxAccounts: (shown as SettingsView).values.maxAccounts,
      allowedApiOrigins: (shown as SettingsView).values.allowedApiOrigins,
    };
  };

  const showFieldError = (key: SettingKey, text: string, detail?: string) => {
    const target = fields.get(key);
    target?.setError(text, detail);
    target?.control.focus();
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy || !shown) return;
    delete flash.settingsSaved;
    for (const f of fields.values()) f.setError(null);
    alert.set(null);
    status.set(null);
    const locked = SETTING_KEYS.filter(
      (key) => shown?.managed.includes(key) || settingTrust(key) === 'admin',
    );
    const built = buildPatch(shown.values, readForm(), locked);
    if ('invalid' in built) {
      showFieldError(built.invalid, t('settings.invalid.requestTimeoutMs'));
      return;
    }
    busy = true;
    setBusy(save, true, t('settings.saving'), t('settings.save'));
    try {
      const saved = await bridge.settings.update(built.patch);
      // Kept in the flash: a language change re-renders the whole app, this view included.
      flash.settingsSaved = true;
      ctx.setSettings(saved);
    } catch (error) {
      if (destroyed) return;
      const info = errorInfoOf(error);
      const key = info?.key as SettingKey | undefined;
      if (info?.code === 'CANCELLED') {
        // The person said no to the new server in main's dialog: nothing was saved, nothing is wrong.
        status.set(t('settings.notConfirmed'));
      } else if (info && key && fields.has(key)) {
        showFieldError(key, invalidText(key, info, t), t('error.details', { message: info.message }));
      } else {
        const detail = info ? errorInfoMessage(info, t, { url: shown.values.apiBaseUrl }) : String(error);
        alert.set([h('strong', null, t('settings.saveFailed')), ' ', detail]);
      }
    } finally {
      busy = false;
      if (!destroyed) setBusy(save, false, t('settings.saving'), t('settings.save'));
    }
  });

  const update = (state: AppState) => {
    if (state.settings !== shown) render(state.settings);
    if (flash.settingsSaved) status.set(t('settings.saved'));
  };
  update(ctx.state());

  return {
    element: h('div', { class: 'page' }, heading, issues, alert.element, form, about.element),
    heading,
    title: t('settings.title'),
    update,
    destroy() {
      destroyed = true;
    },
  };
}
