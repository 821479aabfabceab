import { i18n } from '#i18n';
import type { KeyState } from '@/lib/model';

/**
 * What is left of what was granted, as a bar; `left` is the fraction left in [0, 1]. A healthy key shows a full
 * bar; its colour is the row's verdict (a key expiring soon is amber, as its chip and stripe).
 */
export function QuotaBar({ left, state }: { left: number; state: KeyState | 'expiring' }) {
  const percent = Math.round(left * 100);
  return (
    // biome-ignore lint/a11y/useSemanticElements: <meter> cannot take the per-state colours in both Chrome and Firefox; the ARIA role keeps it accessible.
    <div
      class={`bar bar-${state}`}
      role="meter"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-label={i18n.t('percentLeft', [String(percent)])}
    >
      <div class="bar-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}
