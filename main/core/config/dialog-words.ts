// The words of main's native dialogs (a connection change, the wizard's trial sign-in, an account on
// another server, a link that leaves the app), in each of the app's languages. The page's catalogues
// live in the renderer; the setting names here are the labels its Settings page shows (a test keeps
// them equal).
import type { Locale } from '../../../common/locale';
import type { SettingKey } from '../../../common/settings';

/** A native dialog's words: the question, the details, and its two buttons. */
export interface DialogText {
  message: string;
  detail: string;
  confirm: string;
  cancel: string;
}

/** Where a value that overrides the person's for now comes from. */
export type OverrideLayer = 'cli' | 'env';

export interface DialogWords {
  /** The Settings page's label of each connection setting. */
  labels: Partial<Record<SettingKey, string>>;
  /** Joins the labels or origins of one line. */
  list: (items: string[]) => string;
  cancel: string;
  connection: {
    movedQuestion: string;
    changedQuestion: string;
    laterMovedQuestion: string;
    laterChangedQuestion: string;
    addQuestion: string;
    connect: string;
    change: string;
    save: string;
    add: string;
    from: (origin: string) => string;
    to: (origin: string) => string;
    server: (origin: string) => string;
    changed: (labels: string) => string;
    provider: (issuer: string) => string;
    alsoSendsTo: (origins: string) => string;
    /** The part of the change a command-line flag or environment variable overrides for now. */
    overridden: (layers: OverrideLayer[], names: string[]) => string;
    sendsThere: string;
    signedOut: string;
    othersStay: string;
    later: string;
    onlyIfAsked: string;
  };
  trial: {
    question: string;
    alsoSendsTo: (origins: string) => string;
    sends: string;
    onlyIfAsked: string;
    confirm: string;
  };
  /** The connect wizard's probe of a server the app does not talk to yet. */
  probe: {
    question: string;
    asks: string;
    onlyIfAsked: string;
    confirm: string;
  };
  link: { question: string; confirm: string };
}

const EN: DialogWords = {
  labels: {
    apiBaseUrl: 'Server address',
    loginPath: 'Login path',
    refreshPath: 'Refresh path',
    logoutPath: 'Logout path',
    mePath: 'Profile path',
    authMode: 'Sign in with',
    oidcIssuer: 'Issuer URL',
    oidcClientId: 'Client ID',
    oidcScopes: 'Scopes',
    oidcAudience: 'Audience',
    oidcProviderName: 'Provider name',
    apiProfile: 'API contract',
    authContract: 'API contract details',
  },
  list: (items) => items.join(', '),
  cancel: 'Cancel',
  connection: {
    movedQuestion: 'Connect Tessera to a different server?',
    changedQuestion: 'Change how Tessera signs in?',
    laterMovedQuestion: 'Save a different server for a later start?',
    laterChangedQuestion: 'Save this sign-in change for a later start?',
    addQuestion: 'Add an account on a different server?',
    connect: 'Connect',
    change: 'Change',
    save: 'Save',
    add: 'Add',
    from: (origin) => `From: ${origin}`,
    to: (origin) => `To: ${origin}`,
    server: (origin) => `Server: ${origin}`,
    changed: (labels) => `Changed: ${labels}`,
    provider: (issuer) => `Sign-in provider: ${issuer}`,
    alsoSendsTo: (origins) => `Your sign-in or tokens also go to: ${origins}`,
    overridden: (layers, names) => {
      const who =
        layers.length > 1
          ? 'the command line and the environment decide'
          : layers[0] === 'cli'
            ? 'the command line decides'
            : 'the environment decides';
      const it = names.length > 1 ? 'them' : 'it';
      return `For now ${who} this (${names.join(', ')}). The change is saved and applies when Tessera starts without ${it}.`;
    },
    sendsThere: 'Tessera will send your sign-in and your tokens there.',
    signedOut: 'You will be signed out of the current server.',
    othersStay: 'Your other accounts stay signed in.',
    later: 'From then on, Tessera will send your sign-in and your tokens there.',
    onlyIfAsked: 'Only continue if you asked for this change.',
  },
  trial: {
    question: 'Try signing in to a different server?',
    alsoSendsTo: (origins) => `Your password or the test's tokens also go to: ${origins}`,
    sends:
      'Tessera will send the user name and password you typed there, to test the connection. Nothing is saved, and the tokens it answers with are discarded.',
    onlyIfAsked: 'Only continue if you asked for this test.',
    confirm: 'Try sign-in',
  },
  probe: {
    question: 'Check a different server?',
    asks: 'Tessera will ask this server a few questions to find out what kind of server it is. No user name, password or token is sent.',
    onlyIfAsked: 'Only continue if you typed this address to check it.',
    confirm: 'Check server',
  },
  link: { question: 'Open this link in your web browser?', confirm: 'Open in browser' },
};

const KO: DialogWords = {
  labels: {
    apiBaseUrl: '서버 주소',
    loginPath: '로그인 경로',
    refreshPath: '갱신 경로',
    logoutPath: '로그아웃 경로',
    mePath: '프로필 경로',
    authMode: '로그인 방법',
    oidcIssuer: '발급자(Issuer) URL',
    oidcClientId: '클라이언트 ID',
    oidcScopes: '스코프',
    oidcAudience: '대상(Audience)',
    oidcProviderName: '제공자 이름',
    apiProfile: 'API 계약',
    authContract: 'API 계약 세부 정보',
  },
  list: (items) => items.join(', '),
  cancel: '취소',
  connection: {
    movedQuestion: 'Tessera를 다른 서버에 연결할까요?',
    changedQuestion: 'Tessera의 로그인 방식을 바꿀까요?',
    laterMovedQuestion: '다음에 시작할 때 쓸 다른 서버를 저장할까요?',
    laterChangedQuestion: '다음에 시작할 때 쓸 로그인 방식 변경을 저장할까요?',
    addQuestion: '다른 서버에 계정을 추가할까요?',
    connect: '연결',
    change: '변경',
    save: '저장',
    add: '추가',
    from: (origin) => `현재 서버: ${origin}`,
    to: (origin) => `새 서버: ${origin}`,
    server: (origin) => `서버: ${origin}`,
    changed: (labels) => `변경 항목: ${labels}`,
    provider: (issuer) => `로그인 제공자: ${issuer}`,
    alsoSendsTo: (origins) => `로그인 정보나 토큰을 함께 받는 곳: ${origins}`,
    overridden: (layers, names) => {
      const who = layers.length > 1 ? '명령줄과 환경 변수' : layers[0] === 'cli' ? '명령줄' : '환경 변수';
      return `지금은 ${who}에 지정된 값(${names.join(', ')})이 우선합니다. 변경 내용은 저장되며, 그 값 없이 Tessera를 시작할 때 적용됩니다.`;
    },
    sendsThere: 'Tessera가 로그인 정보와 토큰을 그곳으로 보냅니다.',
    signedOut: '현재 서버에서는 로그아웃됩니다.',
    othersStay: '다른 계정은 로그인 상태로 유지됩니다.',
    later: '그때부터 Tessera가 로그인 정보와 토큰을 그곳으로 보냅니다.',
    onlyIfAsked: '직접 요청한 변경일 때만 계속하세요.',
  },
  trial: {
    question: '다른 서버에서 로그인을 시험할까요?',
    alsoSendsTo: (origins) => `비밀번호나 시험 토큰을 함께 받는 곳: ${origins}`,
    sends:
      '직접 입력한 사용자 이름과 비밀번호를 Tessera가 그곳으로 보내 연결을 시험합니다. 아무것도 저장하지 않으며, 응답으로 받은 토큰은 버립니다.',
    onlyIfAsked: '직접 요청한 시험일 때만 계속하세요.',
    confirm: '로그인 시험',
  },
  probe: {
    question: '다른 서버를 확인할까요?',
    asks: 'Tessera가 이 서버에 몇 가지 요청을 보내 어떤 종류의 서버인지 알아봅니다. 사용자 이름, 비밀번호, 토큰은 보내지 않습니다.',
    onlyIfAsked: '이 주소를 직접 입력해 확인하려는 경우에만 계속하세요.',
    confirm: '서버 확인',
  },
  link: { question: '이 링크를 웹 브라우저에서 열까요?', confirm: '브라우저에서 열기' },
};

/** The dialog words in each of the app's languages. */
export const DIALOG_WORDS: Record<Locale, DialogWords> = { en: EN, ko: KO };

/** The Settings page's names of `keys`, in `locale`, joined for one line (a key without a label as is). */
export function settingLabels(keys: readonly SettingKey[], locale: Locale): string {
  const words = DIALOG_WORDS[locale];
  return words.list(keys.map((key) => words.labels[key] ?? key));
}

/** The question before a link leaves the app for the web browser: the destination is the detail. */
export function describeExternalLink(url: string, locale: Locale): DialogText {
  const words = DIALOG_WORDS[locale];
  return { message: words.link.question, detail: url, confirm: words.link.confirm, cancel: words.cancel };
}
