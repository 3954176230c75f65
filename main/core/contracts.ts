import type { Result } from '../../common/errors';
import type { CancelSignInResult } from '../../common/ipc';
import type { AccessTokenGrant, SessionView, SignOutResult } from '../../common/session';
import type { SettingKey, Settings, SettingsView } from '../../common/settings';

/**
 * The session, as the rest of main sees it (IPC handlers, the shell, benchmarks); built by
 * `createSession()` in session/session.ts. Expected failures come back as `Result` values; only bugs throw.
 */
export interface Session {
  /** Silent sign-in at start-up from the keychain (one refresh). Resolves to the resulting view. */
  start(): Promise<SessionView>;
  /**
   * Reads the keychain again when the start-up restore could not (`keychain.unread` in the view); else
   * answers the view as it is.
   */
  retryRestore(): Promise<SessionView>;
  signIn(username: string, password: string): Promise<Result<SessionView>>;
  /** OpenID Connect sign-in in the system browser (oidc mode); resolves when signed in, failed or cancelled. */
  signInWithProvider(): Promise<Result<SessionView>>;
  /** Cancels a browser sign-in that is waiting; the pending `signInWithProvider` answers CANCELLED. */
  cancelSignIn(): CancelSignInResult;
  /**
   * Local sign-out always succeeds; revocation failure is reported in the result. `providerLogout:
   * false` leaves out the OpenID Connect RP-initiated logout (no provider sign-out page is opened): for
   * an account retired because someone else just signed in in the same browser.
   */
  signOut(options?: { providerLogout?: boolean }): Promise<SignOutResult>;
  /**
   * The access token; `forceRefresh` after a 401 (`rejectedExpiresAt`: which grant was rejected).
   * `account`: the account the caller means; the account registry answers only while it is the active
   * one (else CANCELLED) and names the account in the grant. A single session ignores it.
   */
  getAccessToken(options?: {
    forceRefresh?: boolean;
    rejectedExpiresAt?: number;
    account?: string;
  }): Promise<Result<AccessTokenGrant>>;
  getView(): SessionView;
  /** Subscribe to session changes; returns an unsubscribe function. */
  onChange(listener: (view: SessionView) => void): () => void;
  /** Fed by the shell on system resume / screen unlock: timers drift during sleep. */
  onResume(): void;
  /** Fed by the shell when the network comes back. */
  onOnline(): void;
  /** New effective settings; a changed API base URL signs out of the old API. */
  applySettings(settings: Settings): Promise<void>;
  /** Stop timers; used at quit and in tests. */
  dispose(): void;
}

/** What a policy reload changed. */
export interface PolicyReload {
  /** Keys whose effective value changed. */
  changed: SettingKey[];
  /** Whether anything the page shows changed: a value, a lock or a configuration problem. */
  viewChanged: boolean;
}

/** What the layered configuration offers the rest of main. */
export interface SettingsStore {
  /** The effective settings with their sources, managed keys and issues. */
  view(): SettingsView;
  current(): Settings;
  /** Validate and persist a user-layer change; managed keys → MANAGED_SETTING, bad values → INVALID_CONFIG. */
  update(patch: unknown): Promise<Result<SettingsView>>;
  /**
   * Reads the IT policy again (the file and the OS source) and applies it: listeners hear new effective
   * values like a saved change (a changed API signs out), and the same values again when only the
   * problems found in the policy changed (a value that could not be used is now valid). Runs in turn
   * with updates.
   */
  reloadPolicy(): Promise<PolicyReload>;
  /** Subscribe to saved changes; an update is answered after every listener (awaited) has run. */
  onChange(listener: (settings: Settings) => void | Promise<void>): () => void;
}
