import type { ProbeResult, TrySignInRequest, TrySignInResult } from './connect';
import type { Result } from './errors';
import type { AccessTokenGrant, AccountSummary, SessionView, SignOutResult } from './session';
import type { SettingsPatch, SettingsView } from './settings';

/**
 * The one IPC contract (STYLE.md #1): every invoke channel with its request and response.
 * Main's handler table and the preload bridge are both typed from this, so a mismatched
 * payload fails the type check. The refresh token appears in none of these types.
 */
export interface IpcContract {
  'auth:sign-in': { request: SignInRequest; response: SessionView };
  /** OpenID Connect sign-in in the system browser; resolves once signed in (or failed/cancelled). */
  'auth:sign-in-oidc': { request: undefined; response: SessionView };
  /** Cancels the sign-in in progress (the browser wait); the pending sign-in rejects with CANCELLED. */
  'auth:cancel-sign-in': { request: undefined; response: CancelSignInResult };
  'auth:sign-out': { request: SignOutRequest | undefined; response: SignOutResult };
  /** Every account signed in (or ended by the server), the active one marked. */
  'auth:list-accounts': { request: undefined; response: AccountSummary[] };
  /** Makes another account the active one (NOT_FOUND for an unknown id); answers its view. */
  'auth:switch-account': { request: SwitchAccountRequest; response: SessionView };
  'auth:get-access-token': { request: GetAccessTokenRequest | undefined; response: AccessTokenGrant };
  'auth:get-session': { request: undefined; response: SessionView };
  /**
   * Reads the keychain again for stored sessions the start-up restore could not read (the view's
   * `keychain.unread`); answers the view afterwards.
   */
  'auth:retry-restore': { request: undefined; response: SessionView };
  'settings:get': { request: undefined; response: SettingsView };
  'settings:update': { request: SettingsPatch; response: SettingsView };
  /** The connect wizard: probe the server at a typed URL (main asks only that origin, no credentials). */
  'settings:probe-api': { request: ProbeApiRequest; response: ProbeResult };
  /** The connect wizard: sign in once at a candidate server and discard the tokens; nothing is saved. */
  'settings:try-sign-in': { request: TrySignInRequest; response: TrySignInResult };
}

export type Channel = keyof IpcContract;
export type RequestOf<C extends Channel> = IpcContract[C]['request'];
export type ResponseOf<C extends Channel> = IpcContract[C]['response'];

/** Every channel of the contract once: `satisfies` makes the compiler refuse a missing or an extra one. */
const CHANNEL_SET = {
  'auth:sign-in': true,
  'auth:sign-in-oidc': true,
  'auth:cancel-sign-in': true,
  'auth:sign-out': true,
  'auth:list-accounts': true,
  'auth:switch-account': true,
  'auth:get-access-token': true,
  'auth:get-session': true,
  'auth:retry-restore': true,
  'settings:get': true,
  'settings:update': true,
  'settings:probe-api': true,
  'settings:try-sign-in': true,
} as const satisfies Record<Channel, true>;

/** The contract's channels: main registers and dispatches exactly these. */
export const CHANNELS = Object.keys(CHANNEL_SET) as Channel[];

/** Events main pushes to every window. */
export interface IpcEvents {
  'session:changed': SessionView;
}

export type EventName = keyof IpcEvents;

export interface SignInRequest {
  username: string;
  password: string;
  /**
   * Adds the account on this API instead of the configured one (main asks the person to confirm a
   * server no account uses yet). The same user on the same API signs that account in again.
   */
  apiBaseUrl?: string;
}

/** Which accounts `auth:sign-out` ends: the active one (no request), `account` by id, or `all`. */
export interface SignOutRequest {
  account?: string;
  all?: true;
}

export interface SwitchAccountRequest {
  id: string;
}

/** The URL a person typed into the connect wizard. */
export interface ProbeApiRequest {
  url: string;
}

/** Outcome of `auth:cancel-sign-in`: false when no sign-in was in progress. */
export interface CancelSignInResult {
  cancelled: boolean;
}

export interface GetAccessTokenRequest {
  /** Refresh even if the token looks valid (after a 401 TokenExpiredError). */
  forceRefresh?: boolean;
  /**
   * With `forceRefresh`: the `expiresAt` of the grant the server rejected. When main already holds a
   * newer token (another window's refresh landed meanwhile), it answers that one instead of refreshing
   * again — so any number of windows rejecting one token cause exactly one refresh. Not secret.
   */
  rejectedExpiresAt?: number;
  /**
   * The account the caller means (after a 401: the one the rejected grant belonged to). Main answers
   * only while that account is the active one, else CANCELLED ("the session changed"): never with
   * another account's token. Not secret (the session view carries it).
   */
  account?: string;
}

/**
 * How the bridge talks to main: Electron's ipcRenderer in the app, Playwright's
 * exposeBinding in the e2e browser host. Answers are tagged results.
 */
export interface BridgeTransport {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  subscribe<E extends EventName>(event: E, listener: (payload: IpcEvents[E]) => void): () => void;
}

/** `window.tessera`: the whole API the page gets. Failures reject with a TesseraError. */
export interface TesseraBridge {
  auth: {
    signIn(request: SignInRequest): Promise<SessionView>;
    /** Signs in with the configured OpenID Provider in the system browser (oidc mode). */
    signInWithProvider(): Promise<SessionView>;
    /** Cancels a sign-in that waits for the browser. */
    cancelSignIn(): Promise<CancelSignInResult>;
    /** Signs out of the active account, or of `account` (by id), or of `all`. */
    signOut(request?: SignOutRequest): Promise<SignOutResult>;
    listAccounts(): Promise<AccountSummary[]>;
    switchAccount(id: string): Promise<SessionView>;
    getAccessToken(request?: GetAccessTokenRequest): Promise<AccessTokenGrant>;
    getSession(): Promise<SessionView>;
    /** Reads the keychain again when the start-up restore could not (`keychain.unread`). */
    retryRestore(): Promise<SessionView>;
    onSessionChange(listener: (session: SessionView) => void): () => void;
  };
  settings: {
    get(): Promise<SettingsView>;
    update(patch: SettingsPatch): Promise<SettingsView>;
    /** Probes the server at `url` and proposes an API contract preset (the connect wizard). */
    probeApi(url: string): Promise<ProbeResult>;
    /** Signs in once at a candidate server with a candidate contract, keeping nothing. */
    trySignIn(request: TrySignInRequest): Promise<TrySignInResult>;
  };
  system: {
    /**
     * The operating system's regional format and preferred languages (BCP 47 tags, best first), as
     * main read them when it created the window; none where main gave none (the browser host unless
     * a spec sets them). Dates and numbers are written in the first one of the UI's language.
     */
    formatLocales(): string[];
  };
}
