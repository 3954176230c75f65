import { LOCALE_SETTINGS } from '../../../common/locale';
import { LOG_LEVELS, type SettingKey, type SettingsView } from '../../../common/settings';
import { h, uid } from '../dom';
import type { Translator } from '../i18n';
import { formValuesOf, OIDC_TEXT_KEYS, PATH_KEYS } from '../settings-form';

/** Wraps one control as a labelled field for `key` (done by the settings view, which tracks them). */
export type MakeField = (
  key: SettingKey,
  control: HTMLInputElement | HTMLSelectElement,
  options?: { inline?: boolean; hint?: string; label?: string },
) => HTMLElement;

function options<V extends string>(values: readonly V[], label: (value: V) => string): HTMLOptionElement[] {
  return values.map((value) => h('option', { value }, label(value)));
}

function textInput(value: string, kind: 'url' | 'text' | 'number' = 'text'): HTMLInputElement {
  return h('input', {
    type: kind === 'url' ? 'url' : 'text',
    value,
    inputmode: kind === 'number' ? 'decimal' : undefined,
    autocomplete: 'off',
    spellcheck: 'false',
    class: kind === 'number' ? 'input-short' : 'mono',
  });
}

function select<V extends string>(values: readonly V[], value: V, label: (value: V) => string) {
  const element = h('select', null, options(values, label));
  // A select takes its value once its options exist.
  element.value = value;
  return element;
}

/**
 * The language choice: each language is named in itself ("한국어" in the English page too), so each of
 * those options carries its own lang, and a screen reader says it in that language (WCAG 3.1.2).
 */
function languageSelect(value: SettingsView['values']['locale'], t: Translator): HTMLSelectElement {
  const element = select(LOCALE_SETTINGS, value, (x) => t(`settings.locale.${x}`));
  for (const option of element.options) if (option.value !== 'system') option.lang = option.value;
  return element;
}

/** A titled section of the Settings page (a region named by its heading), with an optional lead sentence. */
export function settingsSection(title: string, lead: string | null, ...children: HTMLElement[]): HTMLElement {
  const id = uid('section');
  return h(
    'section',
    { class: 'card settings-section', 'aria-labelledby': id },
    h('h2', { id, class: 'card-title' }, title),
    lead ? h('p', { class: 'muted section-lead' }, lead) : null,
    children,
  );
}

function group(legend: string, ...fields: HTMLElement[]): HTMLFieldSetElement {
  return h('fieldset', { class: 'fieldset' }, h('legend', null, legend), fields);
}

const OIDC_HINTS = {
  oidcIssuer: 'settings.oidcIssuerHint',
  oidcClientId: 'settings.oidcClientIdHint',
  oidcScopes: 'settings.oidcScopesHint',
  oidcAudience: 'settings.oidcAudienceHint',
  oidcProviderName: 'settings.oidcProviderNameHint',
} as const;

/** Preferences: "stay signed in", language and theme. The view saves each as soon as it changes. */
export function preferenceFields(view: SettingsView, t: Translator, make: MakeField): HTMLElement[] {
  const v = view.values;
  return [
    make('locale', languageSelect(v.locale, t)),
    make(
      'theme',
      select(['system', 'light', 'dark'] as const, v.theme, (x) => t(`settings.theme.${x}`)),
    ),
    make('staySignedIn', h('input', { type: 'checkbox', checked: v.staySignedIn }), {
      inline: true,
      hint: t('settings.staySignedInHint'),
    }),
  ];
}

/**
 * Connection: the API address, the sign-in method (with the provider's fields while OpenID Connect
 * is chosen) and the endpoint paths. Saving a change here asks the person in main first.
 * `extra` is where the "Connect to a server…" flow (connect-wizard.ts) puts its button.
 */
export function connectionFields(
  view: SettingsView,
  t: Translator,
  make: MakeField,
  extra: HTMLElement | null = null,
): HTMLElement[] {
  const v = formValuesOf(view.values);
  const mode = select(['password', 'oidc'] as const, v.authMode, (x) => t(`settings.authMode.${x}`));
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
  return [
    make('apiBaseUrl', textInput(v.apiBaseUrl, 'url'), { hint: t('settings.apiBaseUrlHint') }),
    ...(extra ? [extra] : []),
    group(t('settings.signInMethod'), make('authMode', mode), provider),
    group(t('settings.endpoints'), ...PATH_KEYS.map((key) => make(key, textInput(v[key])))),
  ];
}

/**
 * Advanced: the request timeout (in seconds), logging, the proxy and the updates — all but the timeout only ever
 * set by an administrator (policy, command line, environment), so shown read-only with their source.
 */
export function advancedFields(view: SettingsView, t: Translator, make: MakeField): HTMLElement[] {
  const v = formValuesOf(view.values);
  return [
    make('requestTimeoutMs', textInput(v.requestTimeoutMs, 'number'), {
      label: t('settings.requestTimeoutSeconds'),
      hint: t('settings.requestTimeoutHint'),
    }),
    make(
      'logLevel',
      select(LOG_LEVELS, v.logLevel, (x) => t(`settings.logLevel.${x}`)),
    ),
    make('logHistoryMiB', textInput(String(v.logHistoryMiB), 'number')),
    group(
      t('settings.network'),
      make('proxyServer', textInput(v.proxyServer)),
      make('proxyPacUrl', textInput(v.proxyPacUrl, 'url')),
      make('proxyBypassList', textInput(v.proxyBypassList)),
    ),
    group(
      t('settings.updates'),
      make('updatesEnabled', h('input', { type: 'checkbox', checked: v.updatesEnabled }), { inline: true }),
      make('updateUrl', textInput(v.updateUrl, 'url'), { hint: t('settings.updateUrlHint') }),
      make('updateChannel', textInput(v.updateChannel)),
    ),
  ];
}
