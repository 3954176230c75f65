import { app, BrowserWindow } from 'electron';
import { resolveLocale } from '../../common/locale';
import { type ConfirmConnectionChange, describeConnectionChange } from '../core/config/connection-change';
import { CONNECTION_QUESTION_PACING, createQuestionGate, PAGE_QUESTIONS } from '../security/question-gate';
import { askQuestion } from './ask-question';

/**
 * Every confirmation of a connection change goes through one gate (settings saves, accounts on another
 * server and trial sign-ins alike): one question at a time, so a page asking side by side cannot stack
 * dialogs; one asked while another is shown (a link question too: PAGE_QUESTIONS) answers no, unasked. No pause after one no: a person who
 * declined the trial sign-in may press Save and connect at once and must be asked. After two noes in a
 * row, 3 s without questions: a page asking in a loop cannot wear the person down to a yes.
 */
const gate = createQuestionGate({ ...CONNECTION_QUESTION_PACING, screen: PAGE_QUESTIONS });

/**
 * The native confirmation for a change of server or sign-in method the page proposed, in the person's
 * language (their setting; the OS language for `system`). Cancel is the default button and Escape
 * answers no, so only a deliberate click on the named action says yes.
 */
export const confirmConnectionChange: ConfirmConnectionChange = async (change) => {
  const text = describeConnectionChange(change, resolveLocale(change.locale, app.getLocale()));
  const answer = await gate.ask(() => askQuestion(BrowserWindow.getFocusedWindow(), 'warning', text));
  return answer === true;
};
