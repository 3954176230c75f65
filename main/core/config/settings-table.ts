import { z } from 'zod';
import { API_PROFILES } from '../../../common/auth-contract';
import { LOCALE_SETTINGS } from '../../../common/locale';
import { LOG_LEVELS, type SettingKey, type Settings } from '../../../common/settings';
import { pacUrlForLog } from '../network/proxy-config';
import { authContractSettingSchema } from './auth-contract-schema';
import {
  allowedOriginsSchema,
  apiBaseUrlSchema,
  audienceSchema,
  booleanSchema,
  clientIdSchema,
  endpointPathSchema,
  issuerUrlSchema,
  logHistorySchema,
  maxAccountsSchema,
  optionalEndpointPathSchema,
  providerNameSchema,
  proxyBypassListSchema,
  proxyPacUrlSchema,
  proxyServerSchema,
  requestTimeoutSchema,
  scopesSchema,
  TEXT_DECODERS,
  type TextKind,
  updateChannelSchema,
  updateUrlSchema,
} from './setting-schemas';

/** Everything known about one setting. Every layer, the README and the tests derive from these rows. */
export interface SettingRow<T> {
  /** Environment variable that sets it. */
  env: string;
  /** Command-line flag (`--flag value` or `--flag=value`; booleans also `--flag` / `--no-flag`). */
  cli: string;
  /** How env/CLI text is decoded before `schema` validates it. */
  text: TextKind;
  /** Validates a value from any layer (JSON files, decoded env/CLI text, update patches). */
  schema: z.ZodType<T>;
  default: T;
  /** One line for the README. */
  description: string;
  /** Accepted values, for the README. */
  accepts: string;
  /**
   * How a value (or its env/CLI text) is shown outside main's core, wherever it is shown: the page,
   * printed effective settings, the diagnostics bundle. Parts that may be secret are hidden. Absent:
   * shown as it is.
   */
  shown?: (text: string) => string;
}

/**
 * The one table of settings (key → env name, CLI flag, schema, default). Adding a setting is one row
 * here plus its field in `common/settings.ts`; the type below refuses a missing or extra row.
 */
export const SETTINGS_TABLE: { readonly [K in SettingKey]: SettingRow<Settings[K]> } = {
  apiBaseUrl: {
    env: 'TESSERA_API_URL',
    cli: '--api-url',
    text: 'string',
    schema: apiBaseUrlSchema,
    default: 'http://127.0.0.1:4000',
    description: 'Base URL of the API the app signs in to and calls.',
    accepts:
      'https URL (http only for 127.0.0.0/8, ::1, localhost); no credentials, query, fragment or port 0',
  },
  loginPath: {
    env: 'TESSERA_LOGIN_PATH',
    cli: '--login-path',
    text: 'string',
    schema: endpointPathSchema,
    default: '/login',
    description: 'Sign-in endpoint (POST username + password).',
    accepts: 'path starting with a single /',
  },
  refreshPath: {
    env: 'TESSERA_REFRESH_PATH',
    cli: '--refresh-path',
    text: 'string',
    schema: endpointPathSchema,
    default: '/token/refresh',
    description: 'Refresh endpoint (POST refresh token).',
    accepts: 'path starting with a single /',
  },
  logoutPath: {
    env: 'TESSERA_LOGOUT_PATH',
    cli: '--logout-path',
    text: 'string',
    schema: endpointPathSchema,
    default: '/logout',
    description: 'Sign-out endpoint that revokes the refresh token.',
    accepts: 'path starting with a single /',
  },
  mePath: {
    env: 'TESSERA_ME_PATH',
    cli: '--me-path',
    text: 'string',
    schema: optionalEndpointPathSchema,
    default: '/api/user/me',
    description: 'Endpoint describing the signed-in user; empty = use the token claims.',
    accepts: 'path starting with a single /, or empty',
  },
  requestTimeoutMs: {
    env: 'TESSERA_REQUEST_TIMEOUT_MS',
    cli: '--request-timeout-ms',
    text: 'integer',
    schema: requestTimeoutSchema,
    default: 15_000,
    description:
      'Timeout of each auth request, in milliseconds, until its whole answer has arrived (an answer that stops half way times out too).',
    accepts: 'integer 1000..120000',
  },
  staySignedIn: {
    env: 'TESSERA_STAY_SIGNED_IN',
    cli: '--stay-signed-in',
    text: 'boolean',
    schema: booleanSchema,
    default: true,
    description: 'Keep the refresh token in the OS keychain so a restart stays signed in.',
    accepts: 'true / false (env and CLI also 1 / 0)',
  },
  locale: {
    env: 'TESSERA_LOCALE',
    cli: '--locale',
    text: 'string',
    schema: z.enum(LOCALE_SETTINGS, { error: `must be one of ${LOCALE_SETTINGS.join(', ')}` }),
    default: 'system',
    description: 'Language of the interface.',
    accepts: 'system | en | ko',
  },
  theme: {
    env: 'TESSERA_THEME',
    cli: '--theme',
    text: 'string',
    schema: z.enum(['system', 'light', 'dark'], { error: 'must be one of system, light, dark' }),
    default: 'system',
    description: 'Colour theme of the interface.',
    accepts: 'system | light | dark',
  },
  updatesEnabled: {
    env: 'TESSERA_UPDATES_ENABLED',
    cli: '--updates-enabled',
    text: 'boolean',
    schema: booleanSchema,
    default: true,
    description: 'Allow update checks (they also need updateUrl; per-machine installs only notify).',
    accepts: 'true / false (env and CLI also 1 / 0)',
  },
  updateUrl: {
    env: 'TESSERA_UPDATE_URL',
    cli: '--update-url',
    text: 'string',
    schema: updateUrlSchema,
    default: '',
    description: 'Base URL of a generic update feed (latest.yml …); empty turns updates off.',
    accepts: 'empty, or an https URL without credentials, query, fragment or port 0',
  },
  updateChannel: {
    env: 'TESSERA_UPDATE_CHANNEL',
    cli: '--update-channel',
    text: 'string',
    schema: updateChannelSchema,
    default: 'latest',
    description: 'Update channel: the feed file <channel>.yml.',
    accepts: 'letters, digits, - and _ (1..32), e.g. latest, beta; read in lower case (Beta is beta)',
  },
  authMode: {
    env: 'TESSERA_AUTH_MODE',
    cli: '--auth-mode',
    text: 'string',
    schema: z.enum(['password', 'oidc'], { error: 'must be one of password, oidc' }),
    default: 'password',
    description: 'Sign-in method: username + password at loginPath, or OpenID Connect in the browser.',
    accepts: 'password | oidc',
  },
  oidcIssuer: {
    env: 'TESSERA_OIDC_ISSUER',
    cli: '--oidc-issuer',
    text: 'string',
    schema: issuerUrlSchema,
    default: '',
    description: 'OpenID Provider issuer URL, exactly as the provider publishes it (oidc mode).',
    accepts: 'https URL (http only for loopback); no credentials, query, fragment or port 0',
  },
  oidcClientId: {
    env: 'TESSERA_OIDC_CLIENT_ID',
    cli: '--oidc-client-id',
    text: 'string',
    schema: clientIdSchema,
    default: '',
    description: 'Client ID of Tessera at the provider: a public (native) client, no secret.',
    accepts: 'printable ASCII without spaces, up to 256 characters',
  },
  oidcScopes: {
    env: 'TESSERA_OIDC_SCOPES',
    cli: '--oidc-scopes',
    text: 'string',
    schema: scopesSchema,
    default: 'openid profile offline_access',
    description:
      "Scopes requested at sign-in; offline_access (or the provider's equivalent) gives the refresh token.",
    accepts: 'scope names separated by spaces, including openid',
  },
  oidcAudience: {
    env: 'TESSERA_OIDC_AUDIENCE',
    cli: '--oidc-audience',
    text: 'string',
    schema: audienceSchema,
    default: '',
    description: 'API identifier sent as audience (and as resource when it is a URL); empty = none.',
    accepts: 'empty, or an identifier without spaces (e.g. https://api.example.com)',
  },
  oidcProviderName: {
    env: 'TESSERA_OIDC_PROVIDER_NAME',
    cli: '--oidc-provider-name',
    text: 'string',
    schema: providerNameSchema,
    default: '',
    description: 'Name on the "Sign in with …" button; empty = the issuer\'s host.',
    accepts: 'up to 64 characters',
  },
  apiProfile: {
    env: 'TESSERA_API_PROFILE',
    cli: '--api-profile',
    text: 'string',
    schema: z.enum(API_PROFILES, { error: `must be one of ${API_PROFILES.join(', ')}` }),
    default: 'tessera',
    description:
      'API contract of password sign-in: a backend preset, or custom (authContract); see docs/backends.md.',
    accepts: API_PROFILES.join(' | '),
  },
  authContract: {
    env: 'TESSERA_AUTH_CONTRACT',
    cli: '--auth-contract',
    text: 'json',
    schema: authContractSettingSchema,
    default: null,
    description:
      "Changes to the preset's contract (paths, fields, headers), or the whole contract for custom; env and CLI take JSON text.",
    accepts: 'null, or a JSON object (login, tokens, refresh, logout, expired, headers)',
  },
  logLevel: {
    env: 'TESSERA_LOG_LEVEL',
    cli: '--log-level',
    text: 'string',
    schema: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
    default: 'info',
    description: 'Lowest level written to the log file and the console; debug is for support cases.',
    accepts: LOG_LEVELS.join(' | '),
  },
  logHistoryMiB: {
    env: 'TESSERA_LOG_HISTORY_MIB',
    cli: '--log-history-mib',
    text: 'integer',
    schema: logHistorySchema,
    default: 10,
    description:
      'Log history kept on disk, across the rotated files (and put in a diagnostics bundle), in MiB.',
    accepts: 'integer 1..1024',
  },
  proxyServer: {
    env: 'TESSERA_PROXY_SERVER',
    cli: '--proxy-rules',
    text: 'string',
    schema: proxyServerSchema,
    default: '',
    description:
      "Proxy for every connection, in Chrome's --proxy-server syntax; empty = the system's proxy settings (and PAC), direct = none.",
    accepts:
      'empty, direct, or [scheme=][http|https|socks4|socks5://]host:port[;…], no user name or password',
  },
  proxyPacUrl: {
    env: 'TESSERA_PROXY_PAC_URL',
    cli: '--proxy-pac',
    text: 'string',
    schema: proxyPacUrlSchema,
    default: '',
    description: 'URL of a proxy auto-config (PAC) file; wins over proxyServer. Empty = none.',
    accepts: 'empty, or an http, https or file URL without a user name, password or port 0',
    // Its query often holds a site key or a ticket under a name that says nothing (`?k=…`).
    shown: pacUrlForLog,
  },
  proxyBypassList: {
    env: 'TESSERA_PROXY_BYPASS_LIST',
    cli: '--proxy-bypass',
    text: 'string',
    schema: proxyBypassListSchema,
    default: '',
    description: "Hosts reached without proxyServer, comma-separated (Chrome's --proxy-bypass-list syntax).",
    accepts: 'e.g. <local>,*.corp.example.com,10.0.0.0/8',
  },
  maxAccounts: {
    env: 'TESSERA_MAX_ACCOUNTS',
    cli: '--max-accounts',
    text: 'integer',
    schema: maxAccountsSchema,
    default: 5,
    description:
      'How many accounts may be signed in at once; 1 keeps one account (signing in as someone else replaces it).',
    accepts: 'integer 1..20',
  },
  allowedApiOrigins: {
    env: 'TESSERA_ALLOWED_API_ORIGINS',
    cli: '--allowed-api-origins',
    text: 'string',
    schema: allowedOriginsSchema,
    default: '',
    description:
      'Origins Tessera may send a password or a token to (the API, and each sign-in, refresh and logout endpoint of its contract), separated by spaces; empty allows any.',
    accepts: 'empty, or origins such as https://api.example.com separated by spaces',
  },
};

/** The keys of the table, in table order. */
export const TABLE_KEYS = Object.keys(SETTINGS_TABLE) as SettingKey[];

/** Writes one validated value; generic so the key and value types stay correlated. */
export function assignSetting<K extends SettingKey>(
  target: Partial<Settings>,
  key: K,
  value: Settings[K],
): void {
  target[key] = value;
}

/** A setting's value as it may be shown outside main's core (see `SettingRow.shown`). */
export function shownSetting<K extends SettingKey>(key: K, value: Settings[K]): Settings[K] {
  const shown = SETTINGS_TABLE[key].shown;
  return shown && typeof value === 'string' ? (shown(value) as Settings[K]) : value;
}

/** Validates one value for `key` with the table's schema. */
export function parseSetting<K extends SettingKey>(key: K, raw: unknown): z.ZodSafeParseResult<Settings[K]> {
  const row: SettingRow<Settings[K]> = SETTINGS_TABLE[key];
  return row.schema.safeParse(raw);
}

/** Decodes env/CLI text for `key` (per the row's text kind), then validates it like any other value. */
export function parseSettingText<K extends SettingKey>(
  key: K,
  text: string,
): z.ZodSafeParseResult<Settings[K]> {
  const row: SettingRow<Settings[K]> = SETTINGS_TABLE[key];
  const decoder: z.ZodType<unknown, string> = TEXT_DECODERS[row.text];
  return decoder.pipe(row.schema).safeParse(text);
}

/** Why a parse failed, as one clause: the first problem is the one to fix (later ones often repeat it). */
export function describeZodError(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'is invalid';
}
