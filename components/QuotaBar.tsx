import type { KeyState } from '@/lib/model';

/** Used against granted, as a bar; `share` is the used fraction in [0, 1]. */
export function QuotaBar({ share, state }: { share: number; state: KeyState }) {
  const percent = Math.round(share * 100);
  return (
    // biome-ignore lint/a11y/useSemanticElements: <meter> cannot take the per-state colours in both Chrome and Firefox; the ARIA role keeps it accessible.
    <div
      class={`bar bar-${state}`}
      role="meter"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      aria-label={`${percent}% used`}
    >
      <div class="bar-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}
