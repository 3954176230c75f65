import { h, uid } from '../dom';

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
 * The dialog is added to `host` and removed once answered; put it in the page that asks, so it goes
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
  host.append(dialog);
  return new Promise((resolve) => {
    const answer = (value: boolean) => {
      dialog.close();
      dialog.remove();
      if (!value) returnFocus?.focus();
      resolve(value);
    };
    stay.addEventListener('click', () => answer(false));
    leave.addEventListener('click', () => answer(true));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      answer(false);
    });
    dialog.showModal();
    stay.focus();
  });
}
