import { type BrowserWindow, dialog } from 'electron';
import type { DialogText } from '../core/config/dialog-words';

/**
 * A native yes/no question in the words of `text`: Cancel first, the default, and Escape's answer, so
 * only a deliberate click on the named action says yes. Modal to `parent` when there is one.
 */
export async function askQuestion(
  parent: BrowserWindow | null,
  type: 'question' | 'warning',
  text: DialogText,
): Promise<boolean> {
  const options = {
    type,
    message: text.message,
    detail: text.detail,
    buttons: [text.cancel, text.confirm],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
  const answer = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
  return answer.response === 1;
}
