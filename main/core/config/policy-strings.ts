import type { SettingKey } from '../../../common/settings';

/** A setting's words in one language, for the Group Policy editor and MDM consoles. */
export interface PolicyWords {
  /** The policy's title. */
  name: string;
  /** What it does (the settings table's description, translated). */
  description: string;
  /** What it accepts (the settings table's `accepts`, translated). */
  accepts: string;
}

/** The languages of the generated ADML files (build/policies/<language>/tessera.adml). */
export const POLICY_LANGUAGES = ['en-US', 'ko-KR'] as const;
export type PolicyLanguage = (typeof POLICY_LANGUAGES)[number];

/**
 * English titles of the policies; the descriptions and accepted values are the settings table's own.
 * Typed by SettingKey: a new setting without a title (or a Korean translation below) fails the type check.
 */
export const POLICY_TITLES_EN: Record<SettingKey, string> = {
  apiBaseUrl: 'API base URL',
  loginPath: 'Login path',
  refreshPath: 'Refresh path',
  logoutPath: 'Logout path',
  mePath: 'Profile path',
  requestTimeoutMs: 'Request timeout (ms)',
  staySignedIn: 'Stay signed in',
  locale: 'Language',
  theme: 'Theme',
  updatesEnabled: 'Allow update checks',
  updateUrl: 'Update feed URL',
  updateChannel: 'Update channel',
  authMode: 'Sign-in method',
  oidcIssuer: 'OpenID Connect issuer URL',
  oidcClientId: 'OpenID Connect client ID',
  oidcScopes: 'OpenID Connect scopes',
  oidcAudience: 'OpenID Connect audience',
  oidcProviderName: 'Sign-in provider name',
  apiProfile: 'API contract',
  authContract: 'API contract details',
  logLevel: 'Log level',
  logHistoryMiB: 'Log history size (MiB)',
  proxyServer: 'Proxy server',
  proxyPacUrl: 'Proxy auto-config (PAC) URL',
  proxyBypassList: 'Hosts that bypass the proxy',
  maxAccounts: 'Accounts signed in at once',
  allowedApiOrigins: 'API origins accounts may use',
};

/** Korean titles, descriptions and accepted values (the settings table's, translated). */
export const POLICY_WORDS_KO: Record<SettingKey, PolicyWords> = {
  apiBaseUrl: {
    name: 'API 기본 URL',
    description: '앱이 로그인하고 호출하는 API의 기본 URL입니다.',
    accepts:
      'https URL(http는 127.0.0.0/8, ::1, localhost에서만). 사용자 정보, 쿼리, 프래그먼트, 포트 0은 쓸 수 없습니다',
  },
  loginPath: {
    name: '로그인 경로',
    description: '로그인 엔드포인트입니다(사용자 이름과 비밀번호를 POST).',
    accepts: '하나의 /로 시작하는 경로',
  },
  refreshPath: {
    name: '갱신 경로',
    description: '갱신 엔드포인트입니다(리프레시 토큰을 POST).',
    accepts: '하나의 /로 시작하는 경로',
  },
  logoutPath: {
    name: '로그아웃 경로',
    description: '리프레시 토큰을 폐기하는 로그아웃 엔드포인트입니다.',
    accepts: '하나의 /로 시작하는 경로',
  },
  mePath: {
    name: '프로필 경로',
    description: '로그인한 사용자를 알려 주는 엔드포인트입니다. 비워 두면 토큰의 클레임을 사용합니다.',
    accepts: '하나의 /로 시작하는 경로 또는 빈 값',
  },
  requestTimeoutMs: {
    name: '요청 제한 시간(ms)',
    description:
      '인증 요청 하나가 응답 전체를 받을 때까지의 제한 시간(밀리초)입니다(응답이 도중에 멈춰도 이 시간이 지나면 끝납니다).',
    accepts: '1000..120000 사이의 정수',
  },
  staySignedIn: {
    name: '로그인 상태 유지',
    description: '리프레시 토큰을 OS 키체인에 보관해 다시 시작해도 로그인 상태를 유지합니다.',
    accepts: '사용(1) / 사용 안 함(0)',
  },
  locale: {
    name: '언어',
    description: '인터페이스 언어입니다.',
    accepts: 'system | en | ko',
  },
  theme: {
    name: '테마',
    description: '인터페이스 색상 테마입니다.',
    accepts: 'system | light | dark',
  },
  updatesEnabled: {
    name: '업데이트 확인 허용',
    description: '업데이트 확인을 허용합니다(updateUrl도 필요하며, 컴퓨터 전체 설치는 알림만 표시합니다).',
    accepts: '사용(1) / 사용 안 함(0)',
  },
  updateUrl: {
    name: '업데이트 피드 URL',
    description: '일반 업데이트 피드(latest.yml …)의 기본 URL입니다. 비워 두면 업데이트가 꺼집니다.',
    accepts: '빈 값, 또는 사용자 정보·쿼리·프래그먼트·포트 0이 없는 https URL',
  },
  updateChannel: {
    name: '업데이트 채널',
    description: '업데이트 채널입니다. 피드 파일 <channel>.yml을 읽습니다.',
    accepts: '영문자, 숫자, -, _ (1..32자), 예: latest, beta. 소문자로 읽습니다(Beta는 beta)',
  },
  authMode: {
    name: '로그인 방식',
    description:
      '로그인 방식입니다. loginPath에 사용자 이름과 비밀번호를 보내거나, 브라우저에서 OpenID Connect로 로그인합니다.',
    accepts: 'password | oidc',
  },
  oidcIssuer: {
    name: 'OpenID Connect 발급자 URL',
    description: '공급자가 게시한 그대로의 OpenID 공급자 발급자(issuer) URL입니다(oidc 방식).',
    accepts: 'https URL(http는 루프백에서만). 사용자 정보, 쿼리, 프래그먼트, 포트 0은 쓸 수 없습니다',
  },
  oidcClientId: {
    name: 'OpenID Connect 클라이언트 ID',
    description:
      '공급자에 등록된 Tessera의 클라이언트 ID입니다. 비밀 값이 없는 공개(네이티브) 클라이언트입니다.',
    accepts: '공백 없는 출력 가능한 ASCII, 최대 256자',
  },
  oidcScopes: {
    name: 'OpenID Connect 스코프',
    description:
      '로그인할 때 요청하는 스코프입니다. offline_access(또는 공급자의 같은 스코프)가 있어야 리프레시 토큰을 받습니다.',
    accepts: '공백으로 구분한 스코프 이름(openid 포함)',
  },
  oidcAudience: {
    name: 'OpenID Connect 대상(Audience)',
    description: 'audience로(URL이면 resource로도) 보내는 API 식별자입니다. 비워 두면 보내지 않습니다.',
    accepts: '빈 값, 또는 공백 없는 식별자(예: https://api.example.com)',
  },
  oidcProviderName: {
    name: '로그인 제공자 이름',
    description: '"… 계정으로 로그인" 버튼에 표시할 이름입니다. 비워 두면 발급자의 호스트 이름을 씁니다.',
    accepts: '최대 64자',
  },
  apiProfile: {
    name: 'API 계약',
    description:
      '비밀번호 로그인의 API 계약입니다. 백엔드 프리셋을 고르거나, custom이면 authContract를 씁니다(docs/backends.md 참고).',
    accepts: 'tessera | simplejwt | directus | supabase | oauth2-password | pocketbase | custom',
  },
  authContract: {
    name: 'API 계약 세부 정보',
    description:
      '프리셋 계약의 변경 사항(경로, 필드, 헤더), 또는 custom일 때 계약 전체입니다. 레지스트리에는 JSON 텍스트로 넣습니다.',
    accepts: 'null, 또는 JSON 객체(login, tokens, refresh, logout, expired, headers)',
  },
  logLevel: {
    name: '로그 수준',
    description: '로그 파일과 콘솔에 기록할 가장 낮은 수준입니다. debug는 지원 문의용입니다.',
    accepts: 'error | warn | info | debug',
  },
  logHistoryMiB: {
    name: '로그 기록 크기(MiB)',
    description:
      '회전된 파일을 모두 합쳐 디스크에 보관하는(진단 번들에도 담기는) 로그 기록의 크기(MiB)입니다.',
    accepts: '1..1024 사이의 정수',
  },
  proxyServer: {
    name: '프록시 서버',
    description:
      '모든 연결에 쓰는 프록시(Chrome의 --proxy-server 형식)입니다. 비우면 시스템 프록시 설정(PAC 포함)을 따르고, direct는 프록시를 쓰지 않습니다.',
    accepts:
      '빈 값, direct, 또는 [scheme=][http|https|socks4|socks5://]host:port[;…] (사용자 이름·비밀번호 없이)',
  },
  proxyPacUrl: {
    name: '프록시 자동 구성(PAC) URL',
    description: '프록시 자동 구성(PAC) 파일의 URL입니다. proxyServer보다 우선합니다. 비우면 쓰지 않습니다.',
    accepts: '빈 값, 또는 사용자 이름·비밀번호·포트 0이 없는 http, https, file URL',
  },
  proxyBypassList: {
    name: '프록시를 거치지 않는 호스트',
    description:
      'proxyServer를 거치지 않고 바로 연결하는 호스트 목록입니다(쉼표로 구분, Chrome의 --proxy-bypass-list 형식).',
    accepts: '예: <local>,*.corp.example.com,10.0.0.0/8',
  },
  maxAccounts: {
    name: '동시에 로그인할 수 있는 계정 수',
    description:
      '동시에 로그인해 둘 수 있는 계정 수입니다. 1이면 계정 하나만 유지합니다(다른 사용자로 로그인하면 바뀝니다).',
    accepts: '정수 1..20',
  },
  allowedApiOrigins: {
    name: '계정이 쓸 수 있는 API 출처',
    description:
      'Tessera가 비밀번호나 토큰을 보낼 수 있는 출처(API, 그리고 계약의 로그인·갱신·로그아웃 엔드포인트)를 공백으로 구분해 적습니다. 비워 두면 모두 허용합니다.',
    accepts: '빈 값, 또는 공백으로 구분한 출처(예: https://api.example.com)',
  },
};

/**
 * The Group Policy categories, in the editor's order, with their titles: the groups of the Settings
 * screen (Connection; Preferences; Advanced's timeout and Network, logging, Updates), plus Accounts.
 */
export const POLICY_CATEGORIES = {
  connection: { 'en-US': 'Connection and sign-in', 'ko-KR': '연결 및 로그인' },
  accounts: { 'en-US': 'Accounts', 'ko-KR': '계정' },
  network: { 'en-US': 'Network', 'ko-KR': '네트워크' },
  logging: { 'en-US': 'Logging', 'ko-KR': '로그' },
  updates: { 'en-US': 'Updates', 'ko-KR': '업데이트' },
  preference: { 'en-US': 'Preferences', 'ko-KR': '환경 설정' },
} as const satisfies Record<string, Record<PolicyLanguage, string>>;
export type PolicyCategory = keyof typeof POLICY_CATEGORIES;

/** The category of each policy: typed by SettingKey, so a new setting must be given one. */
export const POLICY_CATEGORY_OF: Record<SettingKey, PolicyCategory> = {
  apiBaseUrl: 'connection',
  loginPath: 'connection',
  refreshPath: 'connection',
  logoutPath: 'connection',
  mePath: 'connection',
  requestTimeoutMs: 'network',
  staySignedIn: 'preference',
  locale: 'preference',
  theme: 'preference',
  updatesEnabled: 'updates',
  updateUrl: 'updates',
  updateChannel: 'updates',
  authMode: 'connection',
  oidcIssuer: 'connection',
  oidcClientId: 'connection',
  oidcScopes: 'connection',
  oidcAudience: 'connection',
  oidcProviderName: 'connection',
  apiProfile: 'connection',
  authContract: 'connection',
  logLevel: 'logging',
  logHistoryMiB: 'logging',
  proxyServer: 'network',
  proxyPacUrl: 'network',
  proxyBypassList: 'network',
  maxAccounts: 'accounts',
  allowedApiOrigins: 'accounts',
};

/** The remaining words of the templates, per language. */
export const TEMPLATE_WORDS: Record<
  PolicyLanguage,
  {
    root: string;
    supportedOn: string;
    description: string;
    accepts: string;
    default: string;
    registry: string;
    precedence: string;
  }
> = {
  'en-US': {
    root: 'Tessera',
    supportedOn: 'Tessera desktop app',
    description: 'Policies of the Tessera desktop app (generated from its settings table).',
    accepts: 'Accepts',
    default: 'Built-in default',
    registry: 'Registry value',
    precedence:
      "Enabled locks the value (an on/off policy is locked by Disabled too, to off; for any other policy, Disabled removes the value, like Not Configured); Not Configured leaves the setting to the policy file, the person, the command line and the environment. A machine policy wins over a user policy, and both win over the policy file. An invalid value keeps the setting locked: while Tessera runs, to the valid value it had before; otherwise to its restrictive end where it has one (updates off, stay signed in off, sign-in method oidc, one account, API origins only the managed API base URL's or none) and otherwise to its built-in default.",
  },
  'ko-KR': {
    root: 'Tessera',
    supportedOn: 'Tessera 데스크톱 앱',
    description: 'Tessera 데스크톱 앱의 정책입니다(설정 표에서 생성됨).',
    accepts: '허용 값',
    default: '기본값',
    registry: '레지스트리 값',
    precedence:
      '사용을 선택하면 값이 잠깁니다(켜기/끄기 정책은 사용 안 함을 선택해도 꺼짐으로 잠기고, 그 밖의 정책에서 사용 안 함은 값을 지우므로 구성되지 않음과 같습니다). 구성되지 않음이면 정책 파일, 사용자, 명령줄, 환경 변수가 정합니다. 컴퓨터 정책이 사용자 정책보다 우선하고, 둘 다 정책 파일보다 우선합니다. 값이 잘못되면 설정은 잠긴 채로 남습니다. Tessera가 실행 중이면 이전의 올바른 값으로 잠기고, 그렇지 않으면 제한하는 설정은 가장 엄격한 값(업데이트 꺼짐, 로그인 상태 유지 꺼짐, 로그인 방식 oidc, 계정 1개, API 출처는 관리되는 API 기본 URL의 출처만 또는 없음)으로, 그 밖의 설정은 기본값으로 잠깁니다.',
  },
};
