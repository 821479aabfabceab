import { i18n } from '#i18n';
import { pascal } from '@/lib/labels';
import type { Reading } from '@/lib/model';

type Cut = NonNullable<Reading['cut']>;

/** The lists this version names; message keys are `cut` plus the list's name (lib/labels.ts `pascal`). */
const LISTS: readonly string[] = ['otherBalances', 'parts', 'usageByModel', 'tokens', 'plans', 'modelLimits', 'windows'] satisfies Cut;

/** Which lists of a reading were shortened to keep the key within its storage budget (lib/reading-budget.ts). */
export function CutNote({ cut, locale }: { cut: Cut; locale: string }) {
  // A name this version does not know (stored by a newer one) is left out.
  const names = cut.filter((list) => LISTS.includes(list)).map((list) => i18n.t(`cut${pascal(list)}` as 'cutPlans'));
  if (names.length === 0) return null;
  return (
    <div class="row-note warn" data-cut={cut.join(' ')}>
      {i18n.t('readingCut', [new Intl.ListFormat(locale, { type: 'unit' }).format(names)])}
    </div>
  );
}
