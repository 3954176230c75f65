/** The languages the app is translated into: its interface and the sign-in page in the browser. */
const LOCALES = ['en', 'ko'] as const;
export type Locale = (typeof LOCALES)[number];

/** Values of the `locale` setting: a language, or `system` to follow the operating system's. */
export const LOCALE_SETTINGS = ['system', ...LOCALES] as const;
export type LocaleSetting = (typeof LOCALE_SETTINGS)[number];

/**
 * The language to use, for the renderer and main alike: the setting wins; `system` follows the OS
 * language (`systemLanguage`, a BCP 47 tag such as `ko-KR`): Korean if it is Korean, else English.
 */
export function resolveLocale(setting: LocaleSetting, systemLanguage: string | undefined): Locale {
  if ((LOCALES as readonly string[]).includes(setting)) return setting as Locale;
  return systemLanguage?.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/**
 * The locale dates, times and numbers are written in: the person's region within the UI's language.
 * The first of `preferred` (the page's `navigator.languages`, or the OS's preferred languages in main)
 * whose language subtag is the UI's, else the UI's language itself: an English UI on a British system
 * (`en-GB`) writes "14 December, 15:05", not the US "December 14, 3:05 PM"; a Korean UI writes Korean
 * dates even when `en-GB` comes first. A tag that is not valid BCP 47 (`en_GB`, '') is passed over.
 * The one place for the rule: the renderer's translator (`t.formatLocale`) and main use it alike.
 */
export function formatLocale(uiLocale: Locale, preferred: readonly string[] | undefined): string {
  for (const tag of preferred ?? []) {
    let canonical: string | undefined;
    try {
      [canonical] = Intl.getCanonicalLocales(tag);
    } catch {
      continue;
    }
    if (canonical?.split('-')[0] === uiLocale) return canonical;
  }
  return uiLocale;
}
