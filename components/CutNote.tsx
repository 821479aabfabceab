import { i18n } from '#i18n';
import type { Reading } from '@/lib/model';

type Cut = NonNullable<Reading['cut']>;

const LIST_NAME: Record<Cut[number], () => string> = {
  otherBalances: () => i18n.t('cutOtherBalances'),
  parts: () => i18n.t('cutParts'),
  usageByModel: () => i18n.t('cutUsageByModel'),
  tokens: () => i18n.t('cutTokens'),
  plans: () => i18n.t('cutPlans'),
  modelLimits: () => i18n.t('cutModelLimits'),
  windows: () => i18n.t('cutWindows'),
};

/** Which lists of a reading were shortened to keep the key within its storage budget (lib/reading-budget.ts). */
export function CutNote({ cut, locale }: { cut: Cut; locale: string }) {
  // A name this version does not know (stored by a newer one) is left out.
  const names = cut.flatMap((list) => (LIST_NAME[list] ? [LIST_NAME[list]()] : []));
  if (names.length === 0) return null;
  return (
    <div class="row-note warn" data-cut={cut.join(' ')}>
      {i18n.t('readingCut', [new Intl.ListFormat(locale, { type: 'unit' }).format(names)])}
    </div>
  );
}
