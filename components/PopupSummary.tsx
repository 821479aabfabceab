import type { ComponentChildren } from 'preact';
import { i18n } from '#i18n';
import { formatAmount } from '@/lib/format';
import type { Unit } from '@/lib/model';
import type { AttentionCounts } from '@/lib/popup-view';

/** The glance: how many keys need attention and why, or that all is well; what is left per unit. */
export function PopupSummary({
  counts,
  totals,
  locale,
  children,
}: {
  counts: AttentionCounts;
  totals: { unit: Unit; amount: number }[];
  locale: string;
  /** An action beside the summary (Grant access). */
  children?: ComponentChildren;
}) {
  const parts = [
    counts.expired && i18n.t('countExpired', [String(counts.expired)]),
    counts.exhausted && i18n.t('countOut', [String(counts.exhausted)]),
    counts.invalid && i18n.t('countRefused', [String(counts.invalid)]),
    counts.capped && i18n.t('countCapped', [String(counts.capped)]),
    counts.low && i18n.t('countLow', [String(counts.low)]),
    counts.error && i18n.t('countUnreadable', [String(counts.error)]),
    counts.noAccess && i18n.t('countNoAccess', [String(counts.noAccess)]),
  ].filter((part): part is string => !!part);
  const totalsText = `${i18n.t('totalsLabel')} ${totals.map((t) => formatAmount(t.amount, t.unit, locale)).join(' · ')}`;
  const attention = counts.expired + counts.exhausted + counts.invalid + counts.capped + counts.low + counts.error + counts.noAccess;
  return (
    <div class="summary">
      <div class="summary-text">
        <p class={attention ? 'summary-line attention' : 'summary-line'} data-summary="">
          {attention ? (
            <>
              <strong>{i18n.t('summaryAttention', attention, [String(attention)])}</strong> {parts.join(', ')}
              {counts.pending ? `, ${i18n.t('countPending', [String(counts.pending)])}` : ''}
            </>
          ) : counts.pending ? (
            i18n.t('countPending', [String(counts.pending)])
          ) : (
            i18n.t('summaryAllOk', counts.total, [String(counts.total)])
          )}
        </p>
        {totals.length ? (
          <p class="totals" data-totals="" title={totalsText}>
            {totalsText}
          </p>
        ) : null}
      </div>
      {children}
    </div>
  );
}
