import type { Concern } from '@/lib/attention';
import { concernLabel } from '@/lib/labels';

/**
 * A small coloured label saying the one verdict on a key (lib/attention.ts): its state,
 * "Expires soon" (amber) for a key that works but expires inside its warning window,
 * "Needs access" for a key whose site is not granted yet.
 */
export function StateChip({ concern }: { concern: Concern }) {
  return <span class={`chip chip-${concern}`}>{concernLabel(concern)}</span>;
}
