// The words main shows itself outside a dialog's question (main/core/config/dialog-words.ts) and an
// update notification (main/updates/update-notice.ts): the application menu's own labels, the Save
// Diagnostics dialog and its error box, and the "could not start" box — in each of the app's
// languages. Electron-free, tested (shell-words.test.ts); the Electron-bound callers only pick the
// language: resolveLocale(setting, app.getLocale()) from common/locale.ts.
import type { Locale } from '../../common/locale';

export interface ShellWords {
  /**
   * The menus and items appMenuTemplate names itself. The items Electron makes from a role (Undo,
   * Copy, Zoom In, Quit, Minimize, …) keep Electron's own (English) names.
   */
  menu: { file: string; edit: string; view: string; window: string; help: string; saveDiagnostics: string };
  /** Help → Save Diagnostics…: the save dialog, and the error box when the file cannot be written. */
  diagnostics: { title: string; zipFilter: string; notSaved: (code: string) => string };
  /** The error box of a failed start (main/startup.ts). `reason` is the error's own (English) text. */
  startup: {
    title: string;
    failed: (reason: string) => string;
    unexpected: string;
    advice: string;
    adviceWithLog: (logDir: string) => string;
  };
}

const EN: ShellWords = {
  menu: {
    file: 'File',
    edit: 'Edit',
    view: 'View',
    window: 'Window',
    help: 'Help',
    saveDiagnostics: 'Save Diagnostics…',
  },
  diagnostics: {
    title: 'Save Diagnostics',
    zipFilter: 'Zip archive',
    notSaved: (code) => `The diagnostics could not be saved (${code}). Try another folder.`,
  },
  startup: {
    title: 'Tessera could not start',
    failed: (reason) => `Tessera could not start: ${reason}.`,
    unexpected: 'an unexpected error',
    advice: 'Try starting it again. If this keeps happening, give this message to your IT department.',
    adviceWithLog: (logDir) =>
      `Try starting it again. If this keeps happening, give this message and the log in ${logDir} to your IT department.`,
  },
};

const KO: ShellWords = {
  menu: {
    file: '파일',
    edit: '편집',
    view: '보기',
    window: '창',
    help: '도움말',
    saveDiagnostics: '진단 정보 저장…',
  },
  diagnostics: {
    title: '진단 정보 저장',
    zipFilter: 'ZIP 압축 파일',
    notSaved: (code) => `진단 정보를 저장하지 못했습니다(${code}). 다른 폴더를 선택해 보세요.`,
  },
  startup: {
    title: 'Tessera를 시작하지 못했습니다',
    failed: (reason) => `Tessera를 시작하지 못했습니다: ${reason}.`,
    unexpected: '예상하지 못한 오류',
    advice: '다시 시작해 보세요. 이 문제가 계속되면 이 메시지를 IT 부서에 전달하세요.',
    adviceWithLog: (logDir) =>
      `다시 시작해 보세요. 이 문제가 계속되면 이 메시지와 ${logDir} 폴더의 로그를 IT 부서에 전달하세요.`,
  },
};

/** main's own words in each of the app's languages. */
export const SHELL_WORDS: Record<Locale, ShellWords> = { en: EN, ko: KO };

/** main's own words in `locale`. */
export function shellWords(locale: Locale): ShellWords {
  return SHELL_WORDS[locale];
}

/** The Save Diagnostics dialog's title and file-type filter, in `locale`. */
export function saveDiagnosticsDialogText(locale: Locale): { title: string; filterName: string } {
  const words = SHELL_WORDS[locale].diagnostics;
  return { title: words.title, filterName: words.zipFilter };
}

/** The error box when the bundle could not be written (`code`: the OS error code), in `locale`. */
export function diagnosticsNotSavedMessage(code: string, locale: Locale): { title: string; content: string } {
  return { title: 'Tessera', content: SHELL_WORDS[locale].diagnostics.notSaved(code) };
}
