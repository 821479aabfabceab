/**
 * One rounding of "time left before expiry" for every place that says it: the popup
 * row, the notification and the badge's tooltip (issue #7, item 2). Under a day it
 * counts hours, else days, always rounded up: 2 days 23 hours is "in 3 days"
 * everywhere, never "in 2 days" in one place and "3 day(s)" in another.
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** Time left before an expiry (Unix seconds), rounded up; null when it is past. */
export function timeLeft(expiresAt: number, now: number): { unit: 'day' | 'hour'; value: number } | null {
  const left = expiresAt * 1000 - now;
  if (left <= 0) return null;
  if (left < DAY) return { unit: 'hour', value: Math.max(1, Math.ceil(left / HOUR)) };
  return { unit: 'day', value: Math.ceil(left / DAY) };
}

const formats = new Map<string, Intl.RelativeTimeFormat>();

/**
 * "in 3 days", "3天后", "3 日後": numeric always, so zh never says "后天" for a key
 * that has hours more than two days. Empty when the expiry is past.
 */
export function formatTimeLeft(expiresAt: number, now: number, locale: string): string {
  const left = timeLeft(expiresAt, now);
  if (!left) return '';
  let format = formats.get(locale);
  if (!format) {
    format = new Intl.RelativeTimeFormat(locale, { numeric: 'always' });
    formats.set(locale, format);
  }
  return format.format(left.value, left.unit);
}
