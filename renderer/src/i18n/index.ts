import type { TesseraBridge } from '../../../common/ipc';
import { formatLocale, type Locale } from '../../../common/locale';
import { en, type MessageKey, type Messages } from './en';
import { ko } from './ko';

export type { Locale } from '../../../common/locale';
/** The one locale rule, shared with main (the sign-in page in the browser speaks the same language). */
export { formatLocale, resolveLocale } from '../../../common/locale';
export type { MessageKey, Messages } from './en';

/** Parameters substituted into `{name}` placeholders. */
export type MessageParams = Record<string, string | number>;

/** Looks up a message and fills in its parameters. */
export interface Translator {
  (key: MessageKey, params?: MessageParams): string;
  /** The UI's language: which catalogue, and the page's `lang`. */
  readonly locale: Locale;
  /**
   * What every date, time and number is formatted in (`Intl.*Format`): the person's region within the
   * UI's language (`en-GB` for an English UI on a British system), by `formatLocale`. Never `locale`:
   * that would write US dates for every English reader.
   */
  readonly formatLocale: string;
}

/** The catalogues by locale. */
export const catalogues: Record<Locale, Messages> = { en, ko };

/** Replaces `{name}` with `params.name`; unknown placeholders stay visible so a gap is noticed. */
export function interpolate(template: string, params: MessageParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/**
 * The locales a page may write dates and numbers in, best first: the OS's regional format and
 * preferred languages main handed the window (`bridge.system`; in Electron `navigator.languages`
 * follows the display language only), then the page's own `navigator.languages`.
 */
export function preferredLocales(
  bridge: Pick<TesseraBridge, 'system'> | undefined,
  pageLanguages: readonly string[],
): string[] {
  return [...(bridge?.system.formatLocales() ?? []), ...pageLanguages];
}

/**
 * A translator for one locale (falling back to English for a key the catalogue lacks at run time).
 * `preferred`: `preferredLocales(…)`, for the region dates and numbers are written in; none
 * (tests) formats in the UI's language itself.
 */
export function createTranslator(locale: Locale, preferred: readonly string[] = []): Translator {
  const messages = catalogues[locale];
  const t = (key: MessageKey, params?: MessageParams) => interpolate(messages[key] ?? en[key], params);
  return Object.assign(t, { locale, formatLocale: formatLocale(locale, preferred) });
}
