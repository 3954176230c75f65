import type { ApiProfile, AuthContractSetting } from './auth-contract';
import type { LocaleSetting } from './locale';

/** Every user-visible setting. Flat keys so each maps 1:1 to env, CLI and policy. */
export interface Settings {
  /** Base URL of the API (https, or http on a loopback host). */
  apiBaseUrl: string;
  loginPath: string;
  refreshPath: string;
  logoutPath: string;
  mePath: string;
  /** Timeout of each auth request, in ms. */
  requestTimeoutMs: number;
  /** Keep the refresh token in the OS keychain so a restart stays signed in. */
  staySignedIn: boolean;
  locale: LocaleSetting;
  theme: 'system' | 'light' | 'dark';
  /** Whether the app may check for updates at all (needs `updateUrl`). */
  updatesEnabled: boolean;
  /** https base URL of a generic update feed; empty = no updates. */
  updateUrl: string;
  /** Update channel (`latest`, `beta`, …). */
  updateChannel: string;
  /** How the person signs in: username + password at `loginPath`, or OpenID Connect in the browser. */
  authMode: AuthMode;
  /** OpenID Provider issuer URL (discovery at `/.well-known/openid-configuration`); oidc mode only. */
  oidcIssuer: string;
  /** Client ID of this app at the provider (a public/native client: no secret). */
  oidcClientId: string;
  /** Space-separated scopes; must include `openid`. */
  oidcScopes: string;
  /** API identifier sent as `audience` (and as RFC 8707 `resource` when it is a URL); empty = none. */
  oidcAudience: string;
  /** Name on the "Sign in with …" button; empty = the issuer's host. */
  oidcProviderName: string;
  /** Which backend's API contract password sign-in speaks (`tessera`: the reference server's). */
  apiProfile: ApiProfile;
  /** Changes to the preset's contract, or (apiProfile `custom`) the whole contract; null = none. */
  authContract: AuthContractSetting | null;
  /** The lowest level the log file and console receive. */
  logLevel: LogLevelSetting;
  /** Log history kept on disk across rotations, in MiB (default 10). */
  logHistoryMiB: number;
  /** Proxy rules in Chromium's `--proxy-server` syntax; empty = the system's proxy, `direct` = none. */
  proxyServer: string;
  /** URL of a PAC file; wins over `proxyServer`. Empty = none. */
  proxyPacUrl: string;
  /** Hosts reached without `proxyServer` (Chromium's bypass rules), comma-separated. */
  proxyBypassList: string;
  /** How many accounts may be signed in at once (1: one account, signing in as someone else replaces it). */
  maxAccounts: number;
  /** API origins accounts may use, separated by spaces; empty = any. */
  allowedApiOrigins: string;
}

/** The log levels, most severe first. */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevelSetting = (typeof LOG_LEVELS)[number];

/** The sign-in modes. */
export type AuthMode = 'password' | 'oidc';

export type SettingKey = keyof Settings;

/**
 * Who may change a setting. The page is untrusted: it may change a `preference`; it may only propose
 * a `connection` change (where the app signs in and sends tokens), which main saves after the person
 * confirms it in a native dialog; an `admin` setting (what the app installs) comes only from the IT
 * policy, the command line or the environment — never from the page or the user settings file.
 */
export type SettingTrust = 'preference' | 'connection' | 'admin';

/** Every setting key once, with its trust level: `satisfies` refuses a missing or an unknown key. */
const SETTING_TRUST = {
  apiBaseUrl: 'connection',
  loginPath: 'connection',
  refreshPath: 'connection',
  logoutPath: 'connection',
  mePath: 'connection',
  requestTimeoutMs: 'preference',
  staySignedIn: 'preference',
  locale: 'preference',
  theme: 'preference',
  updatesEnabled: 'admin',
  updateUrl: 'admin',
  updateChannel: 'admin',
  authMode: 'connection',
  oidcIssuer: 'connection',
  oidcClientId: 'connection',
  oidcScopes: 'connection',
  oidcAudience: 'connection',
  oidcProviderName: 'connection',
  apiProfile: 'connection',
  authContract: 'connection',
  logLevel: 'admin',
  logHistoryMiB: 'admin',
  proxyServer: 'admin',
  proxyPacUrl: 'admin',
  proxyBypassList: 'admin',
  maxAccounts: 'admin',
  allowedApiOrigins: 'admin',
} as const satisfies Record<SettingKey, SettingTrust>;

/** The setting keys, in the order above. */
export const SETTING_KEYS = Object.keys(SETTING_TRUST) as SettingKey[];

/** True when `key` names a setting (an own key, so `__proto__`, `constructor` and friends are not). */
export function isSettingKey(key: string): key is SettingKey {
  return Object.hasOwn(SETTING_TRUST, key);
}

/** Who may change `key` (see SettingTrust). */
export function settingTrust(key: SettingKey): SettingTrust {
  return SETTING_TRUST[key];
}

/**
 * Where a setting's effective value came from, lowest precedence first: `policyManaged` is the policy
 * file's `managed` section, `policyOs` the OS policy (Windows registry, macOS managed preferences).
 */
export type SettingSource =
  | 'default'
  | 'policyDefaults'
  | 'user'
  | 'env'
  | 'cli'
  | 'policyManaged'
  | 'policyOs';

/** A rejected value: which key, from which layer, and why. That layer's value is ignored. */
export interface ConfigIssue {
  key: string;
  source: SettingSource | 'policyFile' | 'userFile';
  message: string;
}

/** What the renderer sees of settings. */
export interface SettingsView {
  values: Settings;
  sources: Record<SettingKey, SettingSource>;
  /** Keys locked by the IT policy's `managed` section: read-only in the UI. */
  managed: SettingKey[];
  issues: ConfigIssue[];
}

/** A change the person asks for; only user-layer keys, validated in main. */
export type SettingsPatch = Partial<Settings>;
