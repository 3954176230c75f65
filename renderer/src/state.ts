import type { TesseraBridge } from '../../common/ipc';
import type { SessionView, SignOutResult } from '../../common/session';
import type { SettingKey, SettingsView } from '../../common/settings';
import type { ApiClient } from './api/client';
import type { Translator } from './i18n';
import type { Route } from './routes';
import type { ConnectionReporter } from './views/connection-banner';

/** Everything the views render from. */
export interface AppState {
  settings: SettingsView;
  session: SessionView;
  route: Route;
}

/**
 * The API the page's requests go to: the active account's (an account may be on another server than
 * the setting names), else the configured one. Every sentence that names "the server" names this one.
 */
export function activeApiUrl(state: Pick<AppState, 'settings' | 'session'>): string {
  return state.session.apiBaseUrl ?? state.settings.values.apiBaseUrl;
}

/**
 * Which account the page works as: the active account's id (a plain session has none: its user's
 * `sub`), or null. What a page shows for one account (Home's profile, the console's history) follows it.
 */
export function activeAccount(state: Pick<AppState, 'session'>): string | null {
  return state.session.accountId ?? state.session.user?.sub ?? null;
}

/** One-shot messages for the next view to show (then forgotten). */
export interface Flash {
  /** After the person signed out: whether the server (`apiBaseUrl`, the account's) heard about it. */
  signOutResult?: SignOutResult & { apiBaseUrl: string };
  /** After sign-in when "stay signed in" was asked for but the keychain is unavailable. */
  keychainWarning?: boolean;
  /** The last signed-in username, kept after an automatic sign-out to prefill the sign-in form. */
  lastUsername?: string;
  /**
   * After saving the settings form, kept across a re-render of the whole app, and across the reload
   * main may follow the save with (reload-flash.ts).
   */
  settingsSaved?: SettingsSaved;
  /**
   * A save of the settings form main has not answered yet: a reload meanwhile is main's, after it saved
   * a new server (it reloads right after answering, and the answer may not reach the page first).
   */
  settingsSaving?: SettingsSaved;
  /** After a preference (applied at once) was saved: a language change re-renders the whole app. */
  preferenceSaved?: boolean;
  /** Unsaved settings edits, kept across a re-render of the whole app (dropped on leaving Settings). */
  settingsDraft?: SettingsDraft;
  /** The setting whose control had focus when Settings was re-created in place (a language change). */
  focusedSetting?: SettingKey;
}

/** A save of the settings form that "Settings saved." tells of. */
export interface SettingsSaved {
  /** When it was made (in flight) or answered (epoch ms). */
  at: number;
  /** Whether someone was signed in when it was made: a session gone since ended with it (a new server). */
  wasSignedIn: boolean;
  /** Carried over from the page before a reload: said once, not carried again. */
  carried?: true;
}

/** Settings form edits not saved yet: key → the control's value. */
export type SettingsDraft = Partial<Record<SettingKey, string | boolean>>;

/** What a view may use and do. */
export interface AppContext {
  readonly bridge: TesseraBridge;
  readonly api: ApiClient;
  readonly t: Translator;
  readonly flash: Flash;
  /** Tells the connection banner about failed and recovered API calls (passing problems only). */
  readonly connection: ConnectionReporter;
  state(): AppState;
  /** Takes a session view; `route`, when given, is where to go with it (sign-out → sign-in). */
  setSession(session: SessionView, route?: Route): void;
  setSettings(settings: SettingsView): void;
  /** Asks the page shown whether the person may sign out now (its `beforeSignOut`); false = stay. */
  confirmSignOut(): Promise<boolean>;
  /**
   * Says `text` politely in the session panel: an account change the page does not show by itself (a
   * switch, a sign-out that left another account). It stays until the person goes to another page or
   * an account other than `account` (the one active now) becomes active; `warning` for a partial success.
   */
  announce(text: string, options: { account: string | null; warning?: boolean }): void;
}

/** A mounted page. */
export interface View {
  readonly element: HTMLElement;
  /** The page heading; focused after navigation so screen readers announce the new page. */
  readonly heading: HTMLElement;
  readonly title: string;
  /** Focused on the first render instead of nothing (the sign-in form's username). */
  readonly initialFocus?: HTMLElement;
  /**
   * Focused instead of the heading when the same page is re-created in place (a language change):
   * the control the person was using, so they keep their place.
   */
  readonly keepFocus?: HTMLElement;
  update?(state: AppState): void;
  /**
   * Asked before the person navigates to another page: resolves false to stay (the page asked, e.g.
   * about unsaved edits, and the person chose to stay). Absent = always leave.
   */
  beforeLeave?(): Promise<boolean>;
  /**
   * Asked before the person signs out from the session panel (an explicit sign-out goes to the sign-in
   * page): resolves false to stay signed in (the page asked about unsaved edits and the person chose
   * to stay, or saving them failed). Absent = sign out. A sign-out that is not the person's (the
   * session ended) asks nothing: it keeps the page, and Settings keeps its edits. The page calls
   * `answered` once the person chose to sign out, before it acts on that (a save that may reload the
   * window): from then on the window's address is the sign-in page's, so a reload lands there.
   */
  beforeSignOut?(answered: () => void): Promise<boolean>;
  destroy?(): void;
}
