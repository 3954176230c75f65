import type { Locale } from './i18n';

const pad = (n: number) => String(n).padStart(2, '0');

/** A countdown as `m:ss` (or `h:mm:ss` from an hour up); rounds up so 0:00 means "now". */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}

function unit(locale: Locale, value: number, name: string, display: 'long' | 'short' = 'long'): string {
  return new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: display }).format(value);
}

/** A wait such as "30 seconds" or "2 minutes" (rounded up: never promise less than the server asked). */
export function formatWait(seconds: number, locale: Locale): string {
  if (seconds < 120) return unit(locale, Math.max(1, Math.ceil(seconds)), 'second');
  return unit(locale, Math.ceil(seconds / 60), 'minute');
}

/** A request duration: "34 ms", or "1.2 s" from a second up. */
export function formatDuration(ms: number, locale: Locale): string {
  if (ms < 1000) return unit(locale, Math.round(ms), 'millisecond', 'short');
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: 'second',
    unitDisplay: 'short',
    maximumFractionDigits: 1,
  }).format(ms / 1000);
}

/** An approximate clock difference: "45 seconds", "3 minutes". */
export function formatSkew(ms: number, locale: Locale): string {
  const seconds = Math.abs(ms) / 1000;
  return seconds < 120
    ? unit(locale, Math.round(seconds), 'second')
    : unit(locale, Math.round(seconds / 60), 'minute');
}

/** A local wall-clock time with seconds. */
export function formatTime(epochMs: number, locale: Locale): string {
  return new Intl.DateTimeFormat(locale, { timeStyle: 'medium' }).format(epochMs);
}

/** A byte count: "512 bytes", "200 kB", "12.3 MB" (the short unit of a byte reads "512 byte"). */
export function formatSize(bytes: number, locale: Locale): string {
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
export function formatUntil(epochMs: number, now: number, locale: Locale, timeZone?: string): string {
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
