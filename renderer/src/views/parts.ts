import { type Child, h, replaceChildren, toggleAttribute, uid } from '../dom';
import type { Notice } from '../messages/error-messages';
import { noticeSentence } from '../messages/request-errors';

/** A page heading that can take focus after navigation (tabindex -1: not in the tab order). */
export function pageHeading(text: string): HTMLHeadingElement {
  return h('h1', { class: 'page-title', tabindex: -1, id: uid('title') }, text);
}

/** A form control with its label, optional hints and an error line wired up for assistive tech. */
export interface Field<E extends HTMLElement> {
  element: HTMLElement;
  control: E;
  /** Shows (or clears, with null) the error under the control and marks it aria-invalid. */
  setError(text: string | null, detail?: string): void;
  /**
   * Shows a failure under the control as the person reads it: `title` (what became of their change),
   * what happened and what to do, and the original (technical) text under a closed "Details" beside
   * it (`detailsLabel`), outside the control's description. `setError` (any value) ends it.
   */
  setNotice(title: string, notice: Notice, detailsLabel: string): void;
  /**
   * Marks the control aria-invalid and described by an error said elsewhere (the form's alert, by its
   * id), so focusing it reads that error again; `setError` (any value) or null ends it.
   */
  describeProblem(elementId: string | null): void;
}

/** Wraps a control: `<label for>`, hints joined into aria-describedby, an error slot. */
export function field<E extends HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>(
  label: string,
  control: E,
  hints: Child[] = [],
  options: { inline?: boolean } = {},
): Field<E> {
  control.id ||= uid('field');
  const hintElements = hints
    .filter((hint) => hint !== null && hint !== undefined && hint !== false && hint !== '')
    .map((hint) => h('p', { class: 'hint', id: uid('hint') }, hint));
  const error = h('p', { class: 'field-error', id: uid('error'), hidden: true });
  /** The "Details" of a notice (`setNotice`), right after the error line; null when none shows. */
  let details: HTMLElement | null = null;
  const updateDescription = (errorId: string | null) => {
    const ids = hintElements.map((hint) => hint.id);
    if (errorId) ids.unshift(errorId);
    toggleAttribute(control, 'aria-describedby', ids.length > 0 ? ids.join(' ') : null);
  };
  updateDescription(null);
  const labelElement = h('label', { for: control.id }, label);
  const element = options.inline
    ? h('div', { class: 'field field-inline' }, control, labelElement, hintElements, error)
    : h('div', { class: 'field' }, labelElement, control, hintElements, error);
  const setError = (text: string | null, detail?: string) => {
    details?.remove();
    details = null;
    error.hidden = text === null;
    replaceChildren(error, text, detail ? h('span', { class: 'field-error-detail' }, ` ${detail}`) : null);
    toggleAttribute(control, 'aria-invalid', text === null ? null : 'true');
    updateDescription(text === null ? null : error.id);
  };
  return {
    element,
    control,
    setError,
    setNotice(title, notice, detailsLabel) {
      setError(`${title} ${noticeSentence(notice)}`);
      details = detailsDisclosure(detailsLabel, notice.detail);
      if (details) error.after(details);
    },
    describeProblem(elementId) {
      toggleAttribute(control, 'aria-invalid', elementId === null ? null : 'true');
      updateDescription(elementId);
    },
  };
}

/**
 * A persistent polite live region: it exists from the start (screen readers only announce changes
 * to regions they already know), and text is swapped in and out. Only a changed text is written: a
 * view shows its status again at every session event (each token refresh), and a rewrite of the same
 * text is a change some screen readers say again. To say the same again, set null first.
 */
export function statusRegion(
  className = 'status',
  options: { aside?: boolean } = {},
): { element: HTMLElement; set(text: string | null): void } {
  // `aside`: a passing remark next to a region's own status (the console's "Copied."), polite like it
  // but without the status role, so the region keeps one status for QA to select by.
  const element = options.aside
    ? h('p', { 'aria-live': 'polite', class: `${className} is-empty` })
    : h('p', { role: 'status', class: `${className} is-empty` });
  return {
    element,
    set(text) {
      if (element.textContent === (text ?? '')) return;
      element.textContent = text ?? '';
      element.classList.toggle('is-empty', !text);
    },
  };
}

/**
 * An alert slot: the alert element is inserted when there is something to say (insertion is announced).
 * `id` names the alert while it shows, for a field it is about (`Field.describeProblem`).
 */
export function alertSlot(): {
  element: HTMLElement;
  id: string;
  set(text: Child | null, kind?: 'error' | 'warning'): void;
} {
  const element = h('div', { class: 'alert-slot' });
  const id = uid('alert');
  return {
    element,
    id,
    set(text, kind = 'error') {
      replaceChildren(
        element,
        text ? h('div', { role: 'alert', id, class: `alert alert-${kind}` }, text) : null,
      );
    },
  };
}

/** Busy buttons that had focus when they became busy (disabling a button drops its focus to the page body). */
const focusedWhenBusy = new WeakSet<HTMLButtonElement>();

/**
 * Puts a button into (or out of) its busy state: disabled, aria-busy and a busy label. A button that
 * had focus gets it back when it is usable again, unless the page moved focus meanwhile (to a refused
 * field, a dialog, the next page): the keyboard is never left on the page body after an action.
 */
export function setBusy(
  button: HTMLButtonElement,
  busy: boolean,
  busyLabel: string,
  idleLabel: string,
): void {
  if (busy && document.activeElement === button) focusedWhenBusy.add(button);
  button.disabled = busy;
  toggleAttribute(button, 'aria-busy', busy ? 'true' : null);
  button.textContent = busy ? busyLabel : idleLabel;
  if (!busy && focusedWhenBusy.delete(button) && button.isConnected && !button.hidden && focusLost())
    button.focus();
}

/** True when nothing in the page has focus (the focused control was disabled, hidden or removed). */
export function focusLost(): boolean {
  return document.activeElement === null || document.activeElement === document.body;
}

/** A table of rows under column headings, its caption for assistive tech only (the page heads it). */
export function dataTable(
  className: string,
  caption: string,
  columns: string[],
  rows: Child[],
): HTMLTableElement {
  return h(
    'table',
    { class: className },
    h('caption', { class: 'visually-hidden' }, caption),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        columns.map((column) => h('th', { scope: 'col' }, column)),
      ),
    ),
    h('tbody', null, rows),
  );
}

/**
 * A message's original technical text behind a "Details" disclosure (closed by default), so no
 * library or OS text sits inside a translated sentence; null when there is none. What only support
 * needs (Home's account ID) goes behind the same disclosure as an element, shown as it is.
 */
export function detailsDisclosure(
  summary: string,
  detail: string | Node | null | undefined,
): HTMLElement | null {
  if (!detail) return null;
  return h(
    'details',
    { class: 'message-details' },
    h('summary', null, summary),
    typeof detail === 'string' ? h('p', { class: 'message-details-text mono' }, detail) : detail,
  );
}

/** What happened and what to do, as one paragraph, with the original under "Details" when there is one. */
export function noticeContent(
  notice: { text: string; next: string; detail?: string | null },
  detailsLabel: string,
): Child[] {
  return [h('strong', null, notice.text), ' ', notice.next, detailsDisclosure(detailsLabel, notice.detail)];
}
