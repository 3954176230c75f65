import type { Settings } from '../../../common/settings';
import { en, type MessageKey, type Messages } from './en';
import { ko } from './ko';

export type { MessageKey, Messages } from './en';

/** Languages the UI is translated into. */
export type Locale = 'en' | 'ko';

/** Parameters substituted into `{name}` placeholders. */
export type MessageParams = Record<string, string | number>;

/** Looks up a message and fills in its parameters. */
export interface Translator {
  (key: MessageKey, params?: MessageParams): string;
  readonly locale: Locale;
}

/** The catalogues by locale. */
export const catalogues: Record<Locale, Messages> = { en, ko };

/** The UI language: the setting wins; `system` follows the OS language (Korean if it starts with `ko`). */
export function resolveLocale(setting: Settings['locale'], systemLanguage: string | undefined): Locale {
  if (setting === 'en' || setting === 'ko') return setting;
  return systemLanguage?.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

/** Replaces `{name}` with `params.name`; unknown placeholders stay visible so a gap is noticed. */
export function interpolate(template: string, params: MessageParams = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(params, name) ? String(params[name]) : whole,
  );
}

/** A translator for one locale (falling back to English for a key the catalogue lacks at run time). */
export function createTranslator(locale: Locale): Translator {
  const messages = catalogues[locale];
  const t = (key: MessageKey, params?: MessageParams) => interpolate(messages[key] ?? en[key], params);
  return Object.assign(t, { locale });
}
