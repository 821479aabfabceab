/**
 * Words and short forms for when a quota window resets (automation.md §4.1, §5): the
 * popup's "resets in 2 hr 13 min", the notification's "works again at 15:20" and the
 * badge's `2h`. A reset the gateway gives is said as given, never extrapolated.
 */
import { i18n } from '#i18n';
import { isSpan } from './bounds';
import { formatDuration, numberFormat, tightNumbers } from './format';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** "2 hr 13 min", "35 min"; a day or more as "3 days" (lib/format.ts); "(unknown)" when it is no span. */
export function formatResetIn(ms: number, locale: string): string {
  const minutes = Math.max(1, Math.ceil(ms / MINUTE));
  if (!(minutes < 24 * 60)) return formatDuration(ms, locale);
  const unit = (value: number, name: string) =>
    tightNumbers(numberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short' }).format(value), locale);
  const rest = minutes % 60;
  if (minutes < 60) return unit(minutes, 'minute');
  // "2 hr 13 min"; Chinese and Japanese write the two together ("2小时13分钟", "2時間13分").
  const between = /^(zh|ja)/.test(locale) ? '' : ' ';
  return rest ? `${unit((minutes - rest) / 60, 'hour')}${between}${unit(rest, 'minute')}` : unit(minutes / 60, 'hour');
}

const clocks = new Map<string, Intl.DateTimeFormat>();
function clock(locale: string, withDay: boolean): Intl.DateTimeFormat {
  const id = `${locale}|${withDay}`;
  let format = clocks.get(id);
  if (!format) {
    // 24-hour time in every language: "15:20", never an AM/PM to misread.
    const options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
    format = new Intl.DateTimeFormat(locale, withDay ? { ...options, month: 'short', day: 'numeric' } : options);
    clocks.set(id, format);
  }
  return format;
}

/** A reset moment in local time: "15:20" within the next 24 hours, else with its date ("Dec 8, 15:20"). */
export function formatResetTime(atS: number, now: number, locale: string): string {
  const ms = atS * 1000;
  if (!isSpan(ms - now)) return i18n.t('unknownTime');
  return clock(locale, ms - now >= DAY).format(ms);
}

/** The badge's time to a reset, rounded up, in at most 4 characters: `35m`, `2h`, `3d`. */
export function badgeResetIn(ms: number): string {
  if (!isSpan(ms) || ms <= 0) return '!';
  if (ms <= 59 * MINUTE) return `${Math.max(1, Math.ceil(ms / MINUTE))}m`;
  if (ms <= 23 * HOUR) return `${Math.ceil(ms / HOUR)}h`;
  const days = Math.ceil(ms / DAY);
  return days > 999 ? '!' : `${days}d`;
}
