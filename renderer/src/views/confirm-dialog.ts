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

/** An in-page question: a title, one sentence, and its answers. */
export interface Question<Answer extends string> {
  title: string;
  message: string;
  /** The answers in the order shown; the first is the safe one (focused first, and what Escape means). */
  answers: readonly [{ answer: Answer; label: string }, ...Array<{ answer: Answer; label: string }>];
}

/**
 * Asks a question in a modal `<dialog>` (focus moves into it and stays there, Escape answers with the
 * safe choice, after which focus returns to where it was) and resolves with the answer chosen. The
 * dialog is shown in `host` with `showInPage`; put it in the page that asks, so it goes (unanswered:
 * the promise never settles) when that page does.
 */
export function chooseInPage<Answer extends string>(
  host: HTMLElement,
  question: Question<Answer>,
): Promise<Answer> {
  const titleId = uid('dialog-title');
  const messageId = uid('dialog-message');
  const [safe] = question.answers;
  const buttons = question.answers.map(({ answer, label }) =>
    h(
      'button',
      { type: 'button', class: answer === safe.answer ? 'button button-primary' : 'button' },
      label,
    ),
  );
  const dialog = h(
    'dialog',
    { class: 'dialog', 'aria-labelledby': titleId, 'aria-describedby': messageId },
    h('h2', { id: titleId, class: 'dialog-title' }, question.title),
    h('p', { id: messageId }, question.message),
    h('div', { class: 'form-actions' }, buttons),
  );
  const returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  return new Promise((resolve) => {
    const answer = (value: Answer) => {
      shown.close();
      if (value === safe.answer) returnFocus?.focus();
      resolve(value);
    };
    const shown = showInPage(host, dialog, () => answer(safe.answer));
    buttons.forEach((button, i) => {
      const choice = question.answers[i];
      if (choice) button.addEventListener('click', () => answer(choice.answer));
    });
    buttons[0]?.focus();
  });
}

/** The words of a yes/no question in the page: a title, one sentence, the safe answer and the other one. */
export interface ConfirmWords {
  title: string;
  message: string;
  /** The safe answer (focused first, and what Escape means). */
  stay: string;
  leave: string;
}

/** Asks a yes/no question with `chooseInPage`; resolves true only for the `leave` answer. */
export async function askInPage(host: HTMLElement, words: ConfirmWords): Promise<boolean> {
  const answer = await chooseInPage(host, {
    title: words.title,
    message: words.message,
    answers: [
      { answer: 'stay', label: words.stay },
      { answer: 'leave', label: words.leave },
    ],
  });
  return answer === 'leave';
}
