// Every `locale` here is the translator's `formatLocale` (the person's region within the UI's
// language, common/locale.ts), never its `locale`.

const pad = (n: number) => String(n).padStart(2, '0');

/** A countdown as `m:ss` (or `h:mm:ss` from an hour up); rounds up so 0:00 means "now". */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}

function unit(locale: string, value: number, name: string, display: 'long' | 'short' = 'long'): string {
  return new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: display }).format(value);
}

/**
 * The unit a span of time is said in, and its size in seconds: seconds under 2 minutes, minutes under
 * 2 hours, hours under 2 days, else days ("7 days", never "10,080 minutes").
 */
export function timeUnitOf(seconds: number): { name: 'second' | 'minute' | 'hour' | 'day'; size: number } {
  if (seconds < 120) return { name: 'second', size: 1 };
  if (seconds < 2 * 3600) return { name: 'minute', size: 60 };
  if (seconds < 2 * 86_400) return { name: 'hour', size: 3600 };
  return { name: 'day', size: 86_400 };
}

/**
 * A wait such as "30 seconds", "2 minutes" or "3 hours", in whole units rounded up: never promise less
 * than the server asked.
 */
export function formatWait(seconds: number, locale: string): string {
  const { name, size } = timeUnitOf(seconds);
  return unit(locale, Math.max(1, Math.ceil(seconds / size)), name);
}

/**
 * How long something lasts (a token's lifetime): "90 seconds", "15 minutes", "36 hours", "7 days", to a
 * tenth of its unit at most ("2.5 hours"), rounded down: never more than it is. A lifetime is measured
 * between whole-second times (a JWT's `exp` and the moment it was read), so it may come a second short
 * of what the server set: that second is given back, so a week reads "7 days", not "6.9 days".
 */
export function formatLifetime(seconds: number, locale: string): string {
  const whole = Math.max(0, Math.floor(seconds));
  const { name, size } = timeUnitOf(whole + 1);
  if (name === 'second') return unit(locale, whole, 'second');
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: name,
    unitDisplay: 'long',
    maximumFractionDigits: 1,
  }).format(Math.floor(((whole + 1) * 10) / size) / 10);
}

/** A request duration: "34 ms", or "1.2 s" from a second up. */
export function formatDuration(ms: number, locale: string): string {
  if (ms < 1000) return unit(locale, Math.round(ms), 'millisecond', 'short');
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: 'second',
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  }).format(ms / 1000);
}

/** An approximate clock difference: "45 seconds", "3 minutes". */
export function formatSkew(ms: number, locale: string): string {
  const seconds = Math.abs(ms) / 1000;
  return seconds < 120
    ? unit(locale, Math.round(seconds), 'second')
    : unit(locale, Math.round(seconds / 60), 'minute');
}

/** A local wall-clock time with seconds. */
export function formatTime(epochMs: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { timeStyle: 'medium' }).format(epochMs);
}

/** A byte count: "512 bytes", "200 kB", "12.3 MB" (the short unit of a byte reads "512 byte"). */
export function formatSize(bytes: number, locale: string): string {
  if (bytes < 1024) return unit(locale, bytes, 'byte');
  if (bytes < 1024 * 1024) return unit(locale, Math.round(bytes / 1024), 'kilobyte', 'short');
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: 'megabyte',
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  }).format(bytes / (1024 * 1024));
}

/**
 * The day a session lasts until, as people say it: a time when it is today ("15:30"), else a day and
 * month ("14 December"), with the year only when it is not this year.
 */
export function formatUntil(epochMs: number, now: number, locale: string, timeZone?: string): string {
  const zone = timeZone ? { timeZone } : {};
  const day = (ms: number) => new Intl.DateTimeFormat('en-CA', { dateStyle: 'short', ...zone }).format(ms);
  if (day(epochMs) === day(now)) {
    return new Intl.DateTimeFormat(locale, { timeStyle: 'short', ...zone }).format(epochMs);
  }
  const year = (ms: number) => new Intl.DateTimeFormat('en', { year: 'numeric', ...zone }).format(ms);
  return new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'long',
    ...(year(epochMs) === year(now) ? {} : { year: 'numeric' }),
    ...zone,
  }).format(epochMs);
}
