/**
 * One rounding of "time left before expiry" for every place that says it: the popup
 * row, the notification and the badge's tooltip (issue #7, item 2). Under a day it
 * counts hours, else days, always rounded up: 2 days 23 hours is "in 3 days"
 * everywhere, never "in 2 days" in one place and "3 day(s)" in another.
 */
import { i18n } from '#i18n';
import { isSpan } from './bounds';
import { tightNumbers } from './format';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const MINUTE = 60_000;

/** Time left before an expiry (Unix seconds), rounded up; null when it is past, or no date (lib/bounds.ts). */
export function timeLeft(expiresAt: number, now: number): { unit: 'day' | 'hour'; value: number } | null {
  const left = expiresAt * 1000 - now;
  if (left <= 0 || !isSpan(left)) return null;
  if (left < DAY) return { unit: 'hour', value: Math.max(1, Math.ceil(left / HOUR)) };
  return { unit: 'day', value: Math.ceil(left / DAY) };
}

/** Each locale's formatter, and what it said for each amount of time (many keys share "in 30 days"). */
const formats = new Map<string, { format: Intl.RelativeTimeFormat; said: Map<string, string> }>();

/**
 * "in 3 days", "3天后", "3 日後": numeric always, so zh never says "后天" for a key
 * that has hours more than two days. Empty when the expiry is past; "(unknown)" when it
 * is no date (`1.7e308`, NaN): never a throw, in the popup, a notification or the badge.
 */
export function formatTimeLeft(expiresAt: number, now: number, locale: string): string {
  const left = timeLeft(expiresAt, now);
  if (!left) return isSpan(expiresAt * 1000 - now) ? '' : i18n.t('unknownTime');
  let known = formats.get(locale);
  if (!known) {
    known = { format: new Intl.RelativeTimeFormat(locale, { numeric: 'always' }), said: new Map() };
    formats.set(locale, known);
  }
  const key = `${left.value} ${left.unit}`;
  let text = known.said.get(key);
  if (text === undefined) {
    text = tightNumbers(known.format.format(left.value, left.unit), locale);
    known.said.set(key, text);
  }
  return text;
}

/** "3d", "3天", "3日"; "5h", "5小时", "5時間"; "7m": the row's short spans, the same in every browser (its own words, not ICU's). */
const spanShort = (value: number, unit: 'day' | 'hour' | 'minute'): string =>
  i18n.t(unit === 'day' ? 'daysShort' : unit === 'hour' ? 'hoursShort' : 'minutesShort', [String(value)]);

/**
 * The row's short expiry beside its figure (issue #19, item 3): "exp 3d", "exp 2d ago",
 * with the same rounding as `formatTimeLeft` ahead; the details say it in full; "exp
 * (unknown)" when the expiry is no date.
 */
export function formatExpiryShort(expiresAt: number, now: number): string {
  const ahead = timeLeft(expiresAt, now);
  if (ahead) return i18n.t('expiresShort', [spanShort(ahead.value, ahead.unit)]);
  const past = now - expiresAt * 1000;
  // No date (`1.7e308`): said as unknown, never hidden or thrown; the title says which way.
  if (!isSpan(past)) return i18n.t('expiresShort', [i18n.t('unknownTime')]);
  // Past, it counts what has gone by, rounded down (as the details' "2 minutes ago"): under an hour in minutes, so a key
  // that expired a minute ago is never "1h ago" on its row.
  const [value, unit] =
    past < HOUR
      ? [Math.max(1, Math.floor(past / MINUTE)), 'minute' as const]
      : past < DAY
        ? [Math.floor(past / HOUR), 'hour' as const]
        : [Math.floor(past / DAY), 'day' as const];
  return i18n.t('expiredShort', [spanShort(value, unit)]);
}
