import type { SessionView } from '../../common/session';
import type { Translator } from './i18n';
import { reasonNotice } from './messages/reason-messages';
import { isSignedIn, type Route } from './routes';
import type { Flash, SettingsSaved } from './state';

/**
 * Where a page leaves "Settings saved." for the page that loads next in its window: main reloads the
 * window after a save that adds a server (its CSP), and the flash lives in memory only. Session storage
 * (this window only, gone when it closes), never local storage; it holds when the save was and whether
 * someone was signed in then — no setting's value, no token.
 */
export const AFTER_SAVE_KEY = 'tessera.afterSave';

/** How long after the save the next page still says it: main's reload follows its answer at once. */
export const AFTER_SAVE_FRESH_MS = 10_000;

/** The part of web storage used here (a stand-in in tests). */
export type FlashStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/** The window's session storage, or null where the page's origin has none (then nothing is carried). */
export function windowSessionStorage(): FlashStorage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/**
 * Called as the page goes (pagehide): keeps the flash's "Settings saved." for the next page, when it
 * still shows and was not itself carried over from a page before (a second reload says nothing), or
 * when a save is still waiting for main's answer (main reloads the window as soon as it saved).
 */
export function keepForReload(flash: Flash, storage: FlashStorage | null): void {
  if (!storage) return;
  try {
    const saved = flash.settingsSaved ?? flash.settingsSaving;
    if (!saved || saved.carried) storage.removeItem(AFTER_SAVE_KEY);
    else storage.setItem(AFTER_SAVE_KEY, JSON.stringify({ at: saved.at, wasSignedIn: saved.wasSignedIn }));
  } catch {
    // Storage refused (full, or turned off): the next page simply does not say it.
  }
}

/**
 * The "Settings saved." a page before this one left (keepForReload), taken once (it is removed): when
 * this page opens on Settings within AFTER_SAVE_FRESH_MS of the save, else null.
 */
export function takeAfterReload(
  storage: FlashStorage | null,
  route: Route,
  now: number,
): SettingsSaved | null {
  if (!storage) return null;
  let text: string | null;
  try {
    text = storage.getItem(AFTER_SAVE_KEY);
    storage.removeItem(AFTER_SAVE_KEY);
  } catch {
    return null;
  }
  if (text === null || route !== 'settings') return null;
  let kept: unknown;
  try {
    kept = JSON.parse(text);
  } catch {
    return null;
  }
  const { at, wasSignedIn } = (kept ?? {}) as Partial<Record<string, unknown>>;
  if (typeof at !== 'number' || typeof wasSignedIn !== 'boolean') return null;
  if (now < at || now - at > AFTER_SAVE_FRESH_MS) return null;
  return { at, wasSignedIn, carried: true };
}

/**
 * "Settings saved.", and when that save ended the session (a new server signs out of the old one) why
 * it ended and what to do, as the sign-in page would say it.
 */
export function settingsSavedText(saved: SettingsSaved, session: SessionView, t: Translator): string {
  const ended = saved.wasSignedIn && !isSignedIn(session) && session.reason;
  return ended ? `${t('settings.saved')} ${reasonNotice(ended, t).text}` : t('settings.saved');
}
