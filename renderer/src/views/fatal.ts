import { h } from '../dom';
import type { Translator } from '../i18n';
import { logo } from './layout';
import { detailsDisclosure } from './parts';

/** A full page for when the app cannot run at all (no bridge, or boot failed). */
export function createFatalPage(
  t: Translator,
  message: string,
  canReload: boolean,
  detail: string | null = null,
): HTMLElement {
  return h(
    'div',
    { class: 'shell' },
    h(
      'header',
      { class: 'app-header' },
      h(
        'div',
        { class: 'header-inner' },
        h('span', { class: 'brand' }, logo(), h('span', { class: 'brand-name' }, t('app.name'))),
      ),
    ),
    h(
      'main',
      { class: 'app-main fatal' },
      h(
        'section',
        { class: 'card auth-card' },
        h('h1', { class: 'page-title' }, t('fatal.title')),
        h(
          'div',
          { role: 'alert', class: 'alert alert-error' },
          message,
          detailsDisclosure(t('message.details'), detail),
        ),
        canReload
          ? h(
              'button',
              { type: 'button', class: 'button', onclick: () => window.location.reload() },
              t('fatal.reload'),
            )
          : null,
      ),
    ),
  );
}
