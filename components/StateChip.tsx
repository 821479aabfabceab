import { stateLabel } from '@/lib/labels';
import type { KeyState } from '@/lib/model';

/** A small coloured label naming a key's state. */
export function StateChip({ state }: { state: KeyState }) {
  return <span class={`chip chip-${state}`}>{stateLabel(state)}</span>;
}
