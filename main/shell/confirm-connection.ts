import { app, BrowserWindow, dialog } from 'electron';
import { resolveLocale } from '../../common/locale';
import { type ConfirmConnectionChange, describeConnectionChange } from '../core/config/connection-change';

/**
 * The native confirmation for a change of server or sign-in method the page proposed, in the person's
 * language (their setting; the OS language for `system`). Cancel is the default button and Escape
 * answers no, so only a deliberate click on the named action says yes.
 */
export const confirmConnectionChange: ConfirmConnectionChange = async (change) => {
  const text = describeConnectionChange(change, resolveLocale(change.locale, app.getLocale()));
  const options = {
    type: 'warning' as const,
    message: text.message,
    detail: text.detail,
    buttons: [text.cancel, text.confirm],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
  const parent = BrowserWindow.getFocusedWindow();
  const answer = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
  return answer.response === 1;
};
