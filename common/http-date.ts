// An HTTP-date (RFC 9110 §5.6.7: `Date`, `Retry-After`), read one way everywhere: main's clock
// readings of a server's answers and the page's connection banner.

/**
 * The time an HTTP-date names, in epoch ms; undefined when absent or not a date. HTTP-dates always
 * name a weekday or a month: `Date.parse` alone would read "0" as the year 2000 and "-5" as a year, and
 * a server's clock read from such a header would be decades off.
 */
export function parseHttpDate(text: string | null | undefined): number | undefined {
  if (!text || !/[A-Za-z]{3}/.test(text)) return undefined;
  const at = Date.parse(text.trim());
  return Number.isNaN(at) ? undefined : at;
}
