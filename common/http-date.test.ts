import { describe, expect, it } from 'vitest';
import { parseHttpDate } from './http-date';

describe('parseHttpDate()', () => {
  it('reads the HTTP-date forms (IMF-fixdate, and the obsolete RFC 850 and asctime forms)', () => {
    const at = Date.UTC(2026, 11, 3, 18, 0, 0);
    expect(parseHttpDate('Thu, 03 Dec 2026 18:00:00 GMT')).toBe(at);
    expect(parseHttpDate('Thursday, 03-Dec-26 18:00:00 GMT')).toBe(at);
    expect(parseHttpDate(' Thu Dec  3 18:00:00 2026 ')).toBe(
      Date.UTC(2026, 11, 3, 18, 0, 0) + new Date(at).getTimezoneOffset() * 60_000,
    );
  });

  it('reads no date from what names neither a weekday nor a month (Date.parse reads "0" as 2000)', () => {
    for (const text of ['0', '-5', '2026', '', '   ', 'soon', 'Thu', null, undefined])
      expect(parseHttpDate(text)).toBeUndefined();
  });
});
