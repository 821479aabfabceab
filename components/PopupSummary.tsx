import type { ComponentChildren } from 'preact';
import { i18n } from '#i18n';
import { formatAmount } from '@/lib/format';
import { concernCounts } from '@/lib/labels';
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
  // The one verdict's counts (lib/attention.ts): the same keys as the badge and `data-attention-count`.
  const parts = concernCounts({ ...counts, 'no-access': counts.noAccess });
  const totalsText = `${i18n.t('totalsLabel')} ${totals.map((t) => formatAmount(t.amount, t.unit, locale)).join(' · ')}`;
  const { attention, pending, muted } = counts;
  const live = counts.total - muted;
  return (
    <div class="summary">
      <div class="summary-text">
        <p class={attention ? 'summary-line attention' : 'summary-line'} data-summary="">
          {attention ? (
            <>
              <strong>{i18n.t('summaryAttention', attention, [String(attention)])}</strong> {parts}
              {pending ? `${i18n.t('listSeparator')}${i18n.t('countPending', [String(pending)])}` : ''}
            </>
          ) : pending ? (
            i18n.t('countPending', [String(pending)])
          ) : live ? (
            i18n.t('summaryAllOk', live, [String(live)])
          ) : (
            i18n.t('mutedGroup', [String(muted)])
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
