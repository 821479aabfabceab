import { i18n } from '#i18n';
import { formatAmount } from '@/lib/format';
import { errorDetail, errorText } from '@/lib/labels';
import type { Reading, ReadOutcome } from '@/lib/model';

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
  return outcome.error.code ? errorText(outcome.error) : `${errorText(outcome.error)} (${errorDetail(outcome.error.message)})`;
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
