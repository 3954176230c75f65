import type { ConfigIssue, SettingsView } from '../../../common/settings';
import { h } from '../dom';
import type { Translator } from '../i18n';

const ORGANIZATION_SOURCES: ReadonlySet<ConfigIssue['source']> = new Set([
  'policyFile',
  'policyManaged',
  'policyDefaults',
  'policyOs',
]);

/** Whether configuration problems come from the organization's policy, from the person's own setup, or both. */
export function issueOrigins(issues: readonly ConfigIssue[]): { organization: boolean; own: boolean } {
  return {
    organization: issues.some((issue) => ORGANIZATION_SOURCES.has(issue.source)),
    own: issues.some((issue) => !ORGANIZATION_SOURCES.has(issue.source)),
  };
}

/**
 * Configuration problems for the person: one sentence per origin (the organization's policy, or their
 * own settings file, variables and options), with the keys, sources and reasons for IT behind a
 * disclosure. The <details> element stays, so it stays open when the view re-renders.
 */
export function createSettingsNotice(t: Translator): {
  element: HTMLElement;
  update(view: SettingsView): void;
} {
  const sentences = h('div');
  const list = h('ul', { class: 'issue-details' });
  const details = h(
    'details',
    { class: 'notice-details' },
    h('summary', null, t('settings.issues.details')),
    list,
  );
  const element = h('div', { class: 'settings-notice' });
  const notice = h(
    'section',
    { class: 'notice notice-warning', 'aria-label': t('settings.issues.label') },
    sentences,
    details,
  );
  return {
    element,
    update(view) {
      const { organization, own } = issueOrigins(view.issues);
      // Only there when there is something to say (a hidden region would still be in the text).
      element.replaceChildren(...(view.issues.length === 0 ? [] : [notice]));
      sentences.replaceChildren(
        ...(organization ? [h('p', { class: 'notice-title' }, t('settings.issues.organization'))] : []),
        ...(own ? [h('p', { class: 'notice-title' }, t('settings.issues.own'))] : []),
      );
      list.replaceChildren(
        ...view.issues.map((issue) =>
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
      );
    },
  };
}
