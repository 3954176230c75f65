import { LOCALE_SETTINGS } from '../../../common/locale';
import type { SettingKey, SettingsView } from '../../../common/settings';
import { h } from '../dom';
import type { Translator } from '../i18n';
import { formValuesOf, OIDC_TEXT_KEYS, TEXT_KEYS } from '../settings-form';

/** Wraps one control as a labelled field for `key` (done by the settings view, which tracks them). */
export type MakeField = (
  key: SettingKey,
  control: HTMLInputElement | HTMLSelectElement,
  options?: { inline?: boolean; hint?: string },
) => HTMLElement;

function options<V extends string>(values: readonly V[], label: (value: V) => string): HTMLOptionElement[] {
  return values.map((value) => h('option', { value }, label(value)));
}

function textInput(value: string, kind: 'url' | 'text' | 'number' = 'text'): HTMLInputElement {
  return h('input', {
    type: kind === 'url' ? 'url' : 'text',
    value,
    inputmode: kind === 'number' ? 'numeric' : undefined,
    autocomplete: 'off',
    spellcheck: 'false',
    class: kind === 'number' ? 'input-short' : 'mono',
  });
}

const OIDC_HINTS = {
  oidcIssuer: 'settings.oidcIssuerHint',
  oidcClientId: 'settings.oidcClientIdHint',
  oidcScopes: 'settings.oidcScopesHint',
  oidcAudience: 'settings.oidcAudienceHint',
  oidcProviderName: 'settings.oidcProviderNameHint',
} as const;

/** The "Sign-in method" fieldset: the mode, and the provider's fields (shown while oidc is chosen). */
function signInMethodFieldset(view: SettingsView, t: Translator, make: MakeField): HTMLFieldSetElement {
  const v = formValuesOf(view.values);
  const mode = h(
    'select',
    null,
    options(['password', 'oidc'] as const, (x) => t(`settings.authMode.${x}`)),
  );
  mode.value = v.authMode;
  const provider = h(
    'div',
    { class: 'provider-fields' },
    OIDC_TEXT_KEYS.map((key) =>
      make(key, textInput(v[key], key === 'oidcIssuer' ? 'url' : 'text'), { hint: t(OIDC_HINTS[key]) }),
    ),
  );
  const sync = () => {
    provider.hidden = mode.value !== 'oidc';
  };
  mode.addEventListener('change', sync);
  sync();
  return h(
    'fieldset',
    { class: 'card fieldset' },
    h('legend', null, t('settings.signInMethod')),
    make('authMode', mode),
    provider,
  );
}

/** The settings form's fieldsets: connection, sign-in method, preferences, updates. */
export function settingsFieldsets(view: SettingsView, t: Translator, make: MakeField): HTMLFieldSetElement[] {
  const v = formValuesOf(view.values);
  const locale = h(
    'select',
    null,
    options(LOCALE_SETTINGS, (x) => t(`settings.locale.${x}`)),
  );
  const theme = h(
    'select',
    null,
    options(['system', 'light', 'dark'] as const, (x) => t(`settings.theme.${x}`)),
  );
  // Selects get their value once their options exist.
  locale.value = v.locale;
  theme.value = v.theme;
  const fieldset = (legend: string, ...fields: HTMLElement[]) =>
    h('fieldset', { class: 'card fieldset' }, h('legend', null, legend), fields);
  return [
    fieldset(
      t('settings.connection'),
      ...TEXT_KEYS.map((key) =>
        make(
          key,
          textInput(v[key], key === 'apiBaseUrl' ? 'url' : key === 'requestTimeoutMs' ? 'number' : 'text'),
        ),
      ),
    ),
    signInMethodFieldset(view, t, make),
    fieldset(
      t('settings.preferences'),
      make('staySignedIn', h('input', { type: 'checkbox', checked: v.staySignedIn }), {
        inline: true,
        hint: t('settings.staySignedInHint'),
      }),
      make('locale', locale),
      make('theme', theme),
    ),
    fieldset(
      t('settings.updates'),
      make('updatesEnabled', h('input', { type: 'checkbox', checked: v.updatesEnabled }), { inline: true }),
      make('updateUrl', textInput(v.updateUrl, 'url'), { hint: t('settings.updateUrlHint') }),
      make('updateChannel', textInput(v.updateChannel)),
    ),
  ];
}
