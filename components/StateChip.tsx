import { stateLabel } from '@/lib/labels';
import type { KeyState } from '@/lib/model';

/** A small coloured label naming a key's state; `label` overrides the words (for example "Needs access"). */
export function StateChip({ state, label }: { state: KeyState; label?: string }) {
  return <span class={`chip chip-${state}`}>{label ?? stateLabel(state)}</span>;
}
