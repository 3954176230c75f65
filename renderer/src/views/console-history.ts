import type { HistoryEntry, HistoryOutcome, RequestHistory } from '../api/request-history';
import { h, uid } from '../dom';
import type { Translator } from '../i18n';

/** The words for how a request ended: its status code, or why there was none. */
export function outcomeText(outcome: HistoryOutcome, t: Translator): string {
  return typeof outcome === 'number' ? String(outcome) : t(`console.outcome.${outcome}`);
}

/** The time of day a request was sent, in the person's locale. */
function timeText(at: number, t: Translator): string {
  return new Intl.DateTimeFormat(t.formatLocale, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(at);
}

/**
 * "History": the last requests (method, path, status, time), newest first; choosing one puts its
 * method and path back into the form. Kept in memory only, bodies never.
 */
export function createHistoryPanel(
  t: Translator,
  history: RequestHistory,
  choose: (entry: HistoryEntry) => void,
): { element: HTMLElement; update(): void } {
  const headingId = uid('history');
  const list = h('ol', { class: 'history-entries' });
  const empty = h('p', { class: 'muted' }, t('console.history.empty'));
  const clear = h('button', { type: 'button', class: 'button button-small' }, t('console.history.clear'));
  // Focusable from script only: "Clear history" hides itself, and focus goes here instead of the body.
  const heading = h('h2', { id: headingId, class: 'card-title', tabindex: -1 }, t('console.history.title'));
  const update = () => {
    const entries = history.entries();
    empty.hidden = entries.length > 0;
    clear.hidden = entries.length === 0;
    list.replaceChildren(
      ...entries.map((entry) =>
        h(
          'li',
          null,
          h(
            'button',
            { type: 'button', class: 'link-button history-entry', onclick: () => choose(entry) },
            h('span', { class: 'mono' }, entry.method),
            h('span', { class: 'mono history-path' }, entry.path),
            h('span', null, outcomeText(entry.outcome, t)),
            h('span', { class: 'muted' }, timeText(entry.at, t)),
          ),
        ),
      ),
    );
  };
  clear.addEventListener('click', () => {
    history.clear();
    update();
    heading.focus();
  });
  update();
  return {
    element: h(
      'section',
      { class: 'card history-list', 'aria-labelledby': headingId },
      h('div', { class: 'response-title-row' }, heading, clear),
      h('p', { class: 'hint' }, t('console.history.hint')),
      empty,
      list,
    ),
    update,
  };
}
