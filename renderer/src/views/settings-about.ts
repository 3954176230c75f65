import { SETTING_KEYS, type SettingKey, type SettingsView } from '../../../common/settings';
import { h, uid } from '../dom';
import type { Translator } from '../i18n';
import { dataTable } from './parts';

/** One line of "About this configuration". */
export interface AboutRow {
  key: SettingKey;
  label: string;
  value: string;
  source: string;
  locked: boolean;
}

/** A value as `tessera --print-effective-settings` prints it: JSON (strings quoted, so "" shows). */
export function valueText(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** Every setting with its effective value and where it came from, from the `settings:get` view. */
export function aboutRows(view: SettingsView, t: Translator): AboutRow[] {
  return SETTING_KEYS.map((key) => ({
    key,
    label: t(`settings.${key}`),
    value: valueText(view.values[key]),
    source: t(`settings.about.source.${view.sources[key]}`),
    locked: view.managed.includes(key),
  }));
}

/**
 * "About this configuration": a disclosure with every setting, its value and its source, and every
 * configuration problem — what `tessera --print-effective-settings` prints, for the person and for
 * whoever supports them. The <details> element stays, so it stays open when the view re-renders.
 */
export function createAboutConfiguration(t: Translator): {
  element: HTMLElement;
  update(view: SettingsView): void;
} {
  const body = h('div', { class: 'about-config-body' });
  const element = h(
    'details',
    { class: 'about-config' },
    h('summary', null, t('settings.about.title')),
    body,
  );
  return {
    element,
    update(view) {
      const problemsId = uid('about-problems');
      body.replaceChildren(
        dataTable(
          'headers-table about-config-table',
          t('settings.about.title'),
          [t('settings.about.setting'), t('settings.about.value'), t('settings.about.source')],
          aboutRows(view, t).map((row) =>
            h(
              'tr',
              { 'data-key': row.key },
              h('th', { scope: 'row' }, row.label, ' ', h('code', { class: 'muted' }, row.key)),
              h('td', { class: 'mono' }, row.value),
              h('td', null, row.source),
            ),
          ),
        ),
        h('h3', { id: problemsId, class: 'about-config-heading' }, t('settings.about.problems')),
        view.issues.length === 0
          ? h('p', { class: 'muted' }, t('settings.about.noProblems'))
          : h(
              'ul',
              { 'aria-labelledby': problemsId },
              view.issues.map((issue) =>
                h(
                  'li',
                  null,
                  t('settings.issue', {
                    key: issue.key || '—',
                    source: t(`settings.layer.${issue.source}`),
                    message: issue.message,
                  }),
                ),
              ),
            ),
        h(
          'p',
          { class: 'muted' },
          t('settings.about.cli'),
          ' ',
          h('code', null, 'tessera --print-effective-settings'),
        ),
      );
    },
  };
}
