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
  const totalsLabel = i18n.t('totalsLabel');
  const totalsText = `${totalsLabel}${totalsLabel.endsWith('：') ? '' : ' '}${totals.map((t) => formatAmount(t.amount, t.unit, locale)).join(' · ')}`;
  const { attention, pending, muted } = counts;
  const live = counts.total - muted;
  const heading = i18n.t('summaryAttention', attention, [String(attention)]);
  return (
    <div class="summary">
      <div class="summary-text">
        <p class={attention ? 'summary-line attention' : 'summary-line'} data-summary="">
          {attention ? (
            <>
              <strong>{heading}</strong>
              {/* Chinese and Japanese end the heading with "：", and no space follows it. */}
              {heading.endsWith('：') ? '' : ' '}
              {parts}
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
