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
  return (
    canonicalLocaleTags(preferred ?? [], Number.POSITIVE_INFINITY).find(
      (tag) => tag.split('-')[0] === uiLocale,
    ) ?? uiLocale
  );
}

/**
 * The switch by which main hands a window's preload the operating system's regional formats
 * (`webPreferences.additionalArguments`, read from `process.argv` in the sandboxed preload): in
 * Electron the page's `navigator.languages` follows the display language only, so an English display
 * with a British region would otherwise write US dates.
 */
export const FORMAT_LOCALES_SWITCH = '--tessera-format-locales';
/** At most this many tags cross (the OS regional format and a few preferred languages). */
const MAX_FORMAT_LOCALES = 8;
/** Longer than any tag an OS reports (BCP 47 asks implementations to take 35 characters). */
const MAX_TAG_LENGTH = 64;

/**
 * The valid BCP 47 tags of `tags`, canonical, in order, each once, at most `limit` (eight, as many as
 * cross the switch): anything else (not a string, empty, `en_GB`, overlong, a list `en,ko`) is passed
 * over. The one check for the switch (main, the bridge) and for `formatLocale`.
 */
export function canonicalLocaleTags(tags: readonly unknown[], limit = MAX_FORMAT_LOCALES): string[] {
  const kept: string[] = [];
  for (const tag of tags) {
    if (kept.length >= limit) break;
    if (typeof tag !== 'string' || tag.length === 0 || tag.length > MAX_TAG_LENGTH) continue;
    let canonical: string | undefined;
    try {
      [canonical] = Intl.getCanonicalLocales(tag);
    } catch {
      continue;
    }
    if (canonical && !kept.includes(canonical)) kept.push(canonical);
  }
  return kept;
}

/**
 * The argument main adds for a window (none when no tag is valid): the OS regional format first
 * (`app.getSystemLocale()`), then its preferred languages (`app.getPreferredSystemLanguages()`).
 */
export function formatLocalesArguments(tags: readonly unknown[]): string[] {
  const kept = canonicalLocaleTags(tags);
  return kept.length === 0 ? [] : [`${FORMAT_LOCALES_SWITCH}=${kept.join(',')}`];
}

/** The tags the preload finds in its `process.argv` (the last such switch counts); none without one. */
export function formatLocalesFromArgv(argv: readonly unknown[] | undefined): string[] {
  const prefix = `${FORMAT_LOCALES_SWITCH}=`;
  let found: string | undefined;
  for (const arg of argv ?? []) {
    if (typeof arg === 'string' && arg.startsWith(prefix)) found = arg.slice(prefix.length);
  }
  return found === undefined ? [] : canonicalLocaleTags(found.split(','));
}
