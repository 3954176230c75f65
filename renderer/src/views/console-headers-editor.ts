import { type HeaderProblemKind, type HeaderRow, validateHeaders } from '../api/console-headers';
import { h, uid } from '../dom';
import type { MessageKey, Translator } from '../i18n';

const PROBLEM_TEXT: Record<HeaderProblemKind, MessageKey> = {
  authorization: 'console.header.authorization',
  forbidden: 'console.header.forbidden',
  nameMissing: 'console.header.nameMissing',
  nameInvalid: 'console.header.nameInvalid',
  valueInvalid: 'console.header.valueInvalid',
  valueCharacters: 'console.header.valueCharacters',
  valueForbidden: 'console.header.valueForbidden',
};

/** The request headers editor: the person's name/value rows, checked before sending. */
export interface HeadersEditor {
  element: HTMLElement;
  /** The headers to send, or null when a row is refused (its error is shown and focused). */
  read(): Array<[string, string]> | null;
  clearErrors(): void;
}

interface Row {
  element: HTMLElement;
  name: HTMLInputElement;
  value: HTMLInputElement;
  error: HTMLElement;
  remove: HTMLButtonElement;
}

/**
 * Name/value rows with "Add header" and one "Remove" per row. The first line is Tessera's own
 * `Authorization: Bearer ••••` (shown masked, never editable): the access token stays out of the form.
 */
export function createHeadersEditor(t: Translator): HeadersEditor {
  const rows: Row[] = [];
  const list = h('div', { class: 'header-rows' });
  const legendId = uid('headers');

  const renumber = () =>
    rows.forEach((row, i) => {
      const n = i + 1;
      row.name.setAttribute('aria-label', t('console.header.nameLabel', { n }));
      row.value.setAttribute('aria-label', t('console.header.valueLabel', { n }));
      row.remove.setAttribute('aria-label', t('console.header.remove', { n }));
    });

  const setError = (row: Row, text: string | null) => {
    row.error.hidden = text === null;
    row.error.textContent = text ?? '';
    for (const input of [row.name, row.value]) {
      if (text === null) {
        input.removeAttribute('aria-invalid');
        input.removeAttribute('aria-describedby');
      } else {
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', row.error.id);
      }
    }
  };

  const addRow = (focus: boolean) => {
    const input = (placeholder: string) =>
      h('input', { type: 'text', class: 'mono', autocomplete: 'off', spellcheck: 'false', placeholder });
    const name = input('X-Request-Id');
    const value = input('');
    const remove = h(
      'button',
      { type: 'button', class: 'button button-small' },
      t('console.header.removeShort'),
    );
    const error = h('p', { class: 'field-error', id: uid('header-error'), hidden: true });
    const row: Row = {
      element: h('div', { class: 'header-row' }, name, value, remove, error),
      name,
      value,
      error,
      remove,
    };
    remove.addEventListener('click', () => {
      const at = rows.indexOf(row);
      rows.splice(at, 1);
      row.element.remove();
      renumber();
      (rows[at]?.name ?? add).focus();
    });
    rows.push(row);
    list.append(row.element);
    renumber();
    if (focus) name.focus();
  };

  const add = h(
    'button',
    { type: 'button', class: 'button button-small', onclick: () => addRow(true) },
    t('console.header.add'),
  );
  const fixed = h(
    'div',
    { class: 'header-row header-row-fixed' },
    h('span', { class: 'mono' }, 'Authorization'),
    h('span', { class: 'mono muted', id: uid('auth-header') }, t('console.header.bearerMasked')),
  );

  return {
    element: h(
      'fieldset',
      { class: 'fieldset console-headers', 'aria-labelledby': legendId },
      h('legend', { id: legendId }, t('console.requestHeaders')),
      h('p', { class: 'hint' }, t('console.headersHint')),
      fixed,
      list,
      h('div', null, add),
    ),
    read() {
      const typed: HeaderRow[] = rows.map((row) => ({ name: row.name.value, value: row.value.value }));
      const { headers, problems } = validateHeaders(typed);
      for (const row of rows) setError(row, null);
      for (const problem of problems) {
        const row = rows[problem.index];
        if (row)
          setError(row, t(PROBLEM_TEXT[problem.kind], { name: typed[problem.index]?.name.trim() ?? '' }));
      }
      const first = problems[0];
      const row = first && rows[first.index];
      if (first && row) {
        // Focus goes where the problem is: the value for a value the header cannot carry.
        (first.kind.startsWith('value') ? row.value : row.name).focus();
        return null;
      }
      return headers;
    },
    clearErrors() {
      for (const row of rows) setError(row, null);
    },
  };
}
