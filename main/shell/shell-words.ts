// The words main shows itself outside a dialog's question (main/core/config/dialog-words.ts): the
// application menu's own labels, the Save Diagnostics dialog and its error box, the "could not start"
// box and the update notifications — in each of the app's languages. Electron-free, tested
// (shell-words.test.ts); main/index.ts picks the language once for all of them (`currentLanguage`:
// resolveLocale of the setting and app.getLocale(), common/locale.ts).
import type { Locale } from '../../common/locale';
import type { NotifyReason } from '../updates/run-updates';

/**
 * The menu items Electron makes from a role (menu-item roles in electron.d.ts): appMenuTemplate gives
 * each a label from here, since Electron's own names are English, and keeps the role for what it does
 * (its action and shortcut).
 */
export type MenuRole =
  | 'about'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'close'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'pasteAndMatchStyle'
  | 'delete'
  | 'selectAll'
  | 'startSpeaking'
  | 'stopSpeaking'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'minimize'
  | 'zoom'
  | 'front';

export interface ShellWords {
  /** The application menu: its menus, Save Diagnostics…, macOS' Speech submenu, and every role's item. */
  menu: {
    file: string;
    edit: string;
    view: string;
    window: string;
    help: string;
    saveDiagnostics: string;
    speech: string;
    roles: Record<MenuRole, string>;
  };
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
  /** The update notifications (main/updates/setup-updates.ts). */
  updates: {
    availableTitle: string;
    /** A newer version that the administrator installs on this computer. */
    availableManaged: (version: string) => string;
    /** A newer version this copy cannot verify, so does not install itself. */
    availableUnverified: (version: string) => string;
    readyTitle: string;
    /** A verified update, downloaded, that installs when the app quits. */
    ready: (version: string) => string;
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
    speech: 'Speech',
    roles: {
      about: 'About Tessera',
      services: 'Services',
      hide: 'Hide Tessera',
      hideOthers: 'Hide Others',
      unhide: 'Show All',
      // The app's word for ending it, on every platform (Windows' own would be "Exit").
      quit: 'Quit Tessera',
      close: 'Close Window',
      undo: 'Undo',
      redo: 'Redo',
      cut: 'Cut',
      copy: 'Copy',
      paste: 'Paste',
      pasteAndMatchStyle: 'Paste and Match Style',
      delete: 'Delete',
      selectAll: 'Select All',
      startSpeaking: 'Start Speaking',
      stopSpeaking: 'Stop Speaking',
      reload: 'Reload',
      forceReload: 'Force Reload',
      toggleDevTools: 'Developer Tools',
      resetZoom: 'Actual Size',
      zoomIn: 'Zoom In',
      zoomOut: 'Zoom Out',
      togglefullscreen: 'Full Screen',
      minimize: 'Minimize',
      zoom: 'Zoom',
      front: 'Bring All to Front',
    },
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
  updates: {
    availableTitle: 'Tessera update available',
    availableManaged: (version) =>
      `Tessera ${version} is available. Your administrator installs updates on this computer.`,
    availableUnverified: (version) =>
      `Tessera ${version} is available. This copy cannot verify updates itself, so it does not install ` +
      'them: get the new version from your administrator.',
    readyTitle: 'Tessera update ready',
    ready: (version) =>
      `Tessera ${version} has been downloaded and verified. It is installed when you quit Tessera.`,
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
    speech: '말하기',
    roles: {
      about: 'Tessera 정보',
      services: '서비스',
      hide: 'Tessera 가리기',
      hideOthers: '기타 가리기',
      unhide: '모두 보기',
      quit: 'Tessera 끄기',
      close: '창 닫기',
      undo: '실행 취소',
      redo: '다시 실행',
      cut: '잘라내기',
      copy: '복사',
      paste: '붙여넣기',
      pasteAndMatchStyle: '붙여넣고 스타일 일치',
      delete: '삭제',
      selectAll: '모두 선택',
      startSpeaking: '말하기 시작',
      stopSpeaking: '말하기 중단',
      reload: '새로 고침',
      forceReload: '강제 새로 고침',
      toggleDevTools: '개발자 도구',
      resetZoom: '실제 크기',
      zoomIn: '확대',
      zoomOut: '축소',
      togglefullscreen: '전체 화면',
      minimize: '최소화',
      zoom: '확대/축소',
      front: '모두 앞으로 가져오기',
    },
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
  updates: {
    availableTitle: 'Tessera 업데이트가 있습니다',
    availableManaged: (version) =>
      `Tessera ${version} 버전이 나왔습니다. 이 컴퓨터에서는 관리자가 업데이트를 설치합니다.`,
    availableUnverified: (version) =>
      `Tessera ${version} 버전이 나왔습니다. 이 사본은 업데이트를 직접 검증할 수 없어 설치하지 않습니다. ` +
      '새 버전은 관리자에게 받으세요.',
    readyTitle: 'Tessera 업데이트 준비 완료',
    ready: (version) => `Tessera ${version} 버전을 내려받아 검증했습니다. Tessera를 끄면 설치됩니다.`,
  },
};

/** main's own words in each of the app's languages. */
export const SHELL_WORDS: Record<Locale, ShellWords> = { en: EN, ko: KO };

/** A notification's title and text. */
export interface Notice {
  title: string;
  body: string;
}

/** The notification that `version` is available and why this copy does not install it, in `locale`. */
export function updateAvailableNotice(version: string, reason: NotifyReason, locale: Locale): Notice {
  const words = SHELL_WORDS[locale].updates;
  return {
    title: words.availableTitle,
    body: reason === 'managed' ? words.availableManaged(version) : words.availableUnverified(version),
  };
}

/** The notification that `version` is downloaded, verified and installs on quit, in `locale`. */
export function updateReadyNotice(version: string, locale: Locale): Notice {
  const words = SHELL_WORDS[locale].updates;
  return { title: words.readyTitle, body: words.ready(version) };
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
