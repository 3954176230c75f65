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
