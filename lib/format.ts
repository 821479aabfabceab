import { i18n } from '#i18n';
import { isSpan } from './bounds';
import type { Reading, Unit } from './model';

// Building an Intl formatter costs far more than using one: the popup formats
// thousands of figures, so each locale + options pair is built once.
const numberFormats = new Map<string, Intl.NumberFormat>();
const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

/**
 * Japanese as this extension writes it: ICU puts a space between a number and its counter
 * ("4 日後", "2 分前"), the rows' own words do not ("期限まで4日"); one spacing in both.
 */
export function tightNumbers(text: string, locale: string): string {
  return locale.startsWith('ja')
    ? text.replace(/(\d)[ \u00a0\u202f](?=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])/gu, '$1')
    : text;
}

/** A cached `Intl.NumberFormat`. */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const id = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(id);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(id, format);
  }
  return format;
}

function relativeFormat(locale: string, numeric: 'auto' | 'always'): Intl.RelativeTimeFormat {
  const id = `${locale}|${numeric}`;
  let format = relativeFormats.get(id);
  if (!format) {
    format = new Intl.RelativeTimeFormat(locale, { numeric });
    relativeFormats.set(id, format);
  }
  return format;
}

/**
 * Yuan and yen share the narrow sign "¥": these two are shown with the locale's own
 * symbol instead, which tells them apart in every language (`CN¥`/`¥` in English,
 * `元`/`￥` in Japanese, `¥`/`JP¥` in Chinese).
 */
const SHARED_SIGN = new Set(['CNY', 'JPY']);

/** An amount in its unit: `$8.50`, `CN¥12.00` (`¥12.00` in Chinese), `1.2M tokens`, `¤3.00`. */
export function formatAmount(value: number, unit: Unit, locale: string): string {
  const abs = Math.abs(value);
  if (unit.code === 'tokens') {
    return i18n.t('unitTokens', [
      numberFormat(locale, { notation: abs >= 1e5 ? 'compact' : 'standard', maximumFractionDigits: 1 }).format(value),
    ]);
  }
  const digits = abs > 0 && abs < 0.01 ? 4 : 2;
  const number = (options: Intl.NumberFormatOptions) =>
    numberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: digits, ...options }).format(value);
  if (unit.code === 'custom') return `${unit.symbol ?? '¤'}${number({})}`;
  try {
    return number({ style: 'currency', currency: unit.code, currencyDisplay: SHARED_SIGN.has(unit.code) ? 'symbol' : 'narrowSymbol' });
  } catch {
    return `${number({})} ${unit.code}`;
  }
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86400_000],
  ['month', 30 * 86400_000],
  ['day', 86400_000],
  ['hour', 3600_000],
  ['minute', 60_000],
];

/**
 * "in 3 days", "2 hours ago", "now"; a time that is no date (`1.7e308`, NaN) is "(unknown)", never a throw.
 * `always` says "1 day ago" where `auto` says "yesterday" (ja's "昨日に期限切れ" beside the row's "1日前に期限切れ").
 */
export function formatRelative(at: number, now: number, locale: string, numeric: 'auto' | 'always' = 'auto'): string {
  const delta = at - now;
  if (!isSpan(delta)) return i18n.t('unknownTime');
  const rtf = relativeFormat(locale, numeric);
  for (const [unit, size] of UNITS) {
    if (Math.abs(delta) >= size) return tightNumbers(rtf.format(Math.trunc(delta / size), unit), locale);
  }
  // Under a minute is "this minute", never "in 0 minutes".
  return tightNumbers(relativeFormat(locale, 'auto').format(0, 'minute'), locale);
}

/** A span of time as "4 days", "4天", "4日" (or hours under a day); "(unknown)" when it is no span (lib/bounds.ts). */
export function formatDuration(ms: number, locale: string): string {
  if (!isSpan(ms)) return i18n.t('unknownTime');
  const hours = ms / 3600_000;
  const [value, unit] = hours < 24 ? [Math.max(1, Math.round(hours)), 'hour'] : [Math.round(hours / 24), 'day'];
  return tightNumbers(numberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value), locale);
}

/** Share of granted that is used, in [0, 1]; null when there is nothing to draw. */
export function usedShare(reading: Reading): number | null {
  if (reading.unlimited || reading.granted === null || reading.granted <= 0 || reading.remaining === null) return null;
  return Math.min(1, Math.max(0, 1 - reading.remaining / reading.granted));
}

/** Share of granted that is left, in [0, 1]; null when there is nothing to draw. */
export function leftShare(reading: Reading): number | null {
  const used = usedShare(reading);
  return used === null ? null : 1 - used;
}
