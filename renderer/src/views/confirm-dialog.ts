import { h, uid } from '../dom';

/** A modal shown with `showInPage`. */
export interface PageDialog {
  /** Closes and removes the dialog (where focus goes next is the caller's choice). */
  close(): void;
}

/**
 * Shows `dialog` as a modal (focus is trapped in it; Escape calls `onEscape` instead of closing it) inside
 * `host`: the page, or the frame, that opened it. The dialog belongs there: when that goes without an
 * answer (the session ended meanwhile and the window was rebuilt), the dialog goes with it, never left
 * as a modal over the next page that would keep that page inert. Every dialog of the app is shown so.
 */
export function showInPage(host: HTMLElement, dialog: HTMLDialogElement, onEscape: () => void): PageDialog {
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    onEscape();
  });
  host.append(dialog);
  dialog.showModal();
  return {
    close() {
      dialog.close();
      dialog.remove();
    },
  };
}

/** The words of an in-page question: a title, one sentence, the safe answer and the other one. */
export interface ConfirmWords {
  title: string;
  message: string;
  /** The safe answer (focused first, and what Escape means). */
  stay: string;
  leave: string;
}

/**
 * Asks a yes/no question in a modal `<dialog>` (focus moves into it and stays there, Escape answers
 * with the safe choice, focus returns to where it was). Resolves true only for the `leave` answer.
 * The dialog is shown in `host` with `showInPage`; put it in the page that asks, so it goes
 * (unanswered: the promise never settles) when that page does.
 */
export function askInPage(host: HTMLElement, words: ConfirmWords): Promise<boolean> {
  const titleId = uid('dialog-title');
  const messageId = uid('dialog-message');
  const stay = h('button', { type: 'button', class: 'button button-primary' }, words.stay);
  const leave = h('button', { type: 'button', class: 'button' }, words.leave);
  const dialog = h(
    'dialog',
    { class: 'dialog', 'aria-labelledby': titleId, 'aria-describedby': messageId },
    h('h2', { id: titleId, class: 'dialog-title' }, words.title),
    h('p', { id: messageId }, words.message),
    h('div', { class: 'form-actions' }, stay, leave),
  );
  const returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  return new Promise((resolve) => {
    const answer = (value: boolean) => {
      shown.close();
      if (!value) returnFocus?.focus();
      resolve(value);
    };
    const shown = showInPage(host, dialog, () => answer(false));
    stay.addEventListener('click', () => answer(false));
    leave.addEventListener('click', () => answer(true));
    stay.focus();
  });
}
