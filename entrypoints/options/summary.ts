import { i18n } from '#i18n';
import { isSpan } from '@/lib/bounds';
import { formatTimeLeft } from '@/lib/expiry';
import { formatAmount } from '@/lib/format';
import { errorDetail, errorText, errorWithDetail, stateLabel } from '@/lib/labels';
import { emptyStatus, type KeyConfig, type Reading, type ReadOutcome } from '@/lib/model';
import { keyState, type Settings } from '@/lib/state';
import { type QuotaWindow, tightestWindow, windowLeft } from '@/lib/windows';

/** One line saying what a reading found: "$8.50 of $10.00". */
export function readingSummary(reading: Reading, locale: string): string {
  if (reading.unlimited) return i18n.t('unlimited');
  if (reading.remaining === null) return i18n.t('unknownAmount');
  const remaining = formatAmount(reading.remaining, reading.unit, locale);
  return reading.granted === null
    ? remaining
    : `${remaining} ${i18n.t('ofGranted', [formatAmount(reading.granted, reading.unit, locale)])}`;
}

/** One line saying how a read went, with the gateway's reason when it failed. */
export function outcomeSummary(outcome: ReadOutcome, locale: string): string {
  if (outcome.ok) return readingSummary(outcome.reading, locale);
  // A precise description (a stop, a redirect's target) already says what the detail would.
  return errorWithDetail(outcome.error);
}

/**
 * What the site said when it refused a key, for the question that already says it
 * refused it: the gateway's words alone ("HTTP 401: Invalid token"), or the precise
 * description when there is one.
 */
export function refusalDetail(outcome: ReadOutcome): string {
  if (outcome.ok) return '';
  return outcome.error.code ? errorText(outcome.error) : errorDetail(outcome.error.message);
}

/** The share left of the tightest window that says one (lib/windows.ts `tightestWindow`); null when none says. */
export function leastLeft(windows: readonly QuotaWindow[]): number | null {
  const tightest = tightestWindow(windows);
  return tightest ? windowLeft(tightest) : null;
}

/** "in 3 days", as the popup says it (lib/expiry.ts `formatTimeLeft`); null when past or no date. */
export function expiresIn(expiresAt: number, now: number, locale: string): string | null {
  const left = expiresAt * 1000 - now;
  return left <= 0 || !isSpan(left) ? null : formatTimeLeft(expiresAt, now, locale);
}

/**
 * What a Test or Save found, in one line (issue #19, item 3): the key's state, what is
 * left (of what was granted, when there is a grant; a key without a balance: its tightest
 * window's share left) and when it expires, when it does: "OK · $8.50 of $10.00 · expires
 * in 3 days". A failed read says why, as `outcomeSummary` does.
 */
export function resultSummary(key: KeyConfig, outcome: ReadOutcome, settings: Settings, now: number, locale: string): string {
  if (!outcome.ok) return outcomeSummary(outcome, locale);
  const { reading } = outcome;
  const status = { ...emptyStatus(), reading, attemptedAt: now };
  const left = !reading.unlimited && reading.remaining === null ? leastLeft(reading.windows ?? []) : null;
  const amount = left !== null ? i18n.t('percentLeft', [String(Math.round(left * 100))]) : readingSummary(reading, locale);
  const ahead = reading.expiresAt !== null ? expiresIn(reading.expiresAt, now, locale) : null;
  return [stateLabel(keyState(key, status, settings, now)), amount, ...(ahead ? [i18n.t('resultExpires', [ahead])] : [])].join(' · ');
}
