import { type ImportedKey, validateKey } from '../backup';
import type { ImportPlace, Skipped } from './types';

/**
 * Checks a key made from another tool's data exactly as a backup key is checked
 * (site root, control characters, lengths). A label longer than allowed is shortened,
 * since other tools allow longer names; anything else wrong skips the item.
 */
export function toImportedKey(
  draft: Record<string, unknown>,
  at: ImportPlace,
  keepLabel = false,
): { key: ImportedKey } | { skipped: Skipped } {
  const label = typeof draft.label === 'string' ? draft.label.trim().slice(0, 200) : draft.label;
  const checked = validateKey({ ...draft, label });
  if (!checked.ok) return { skipped: { at, reason: 'invalid', detail: checked.problems.join('; ') } };
  return { key: keepLabel ? { ...checked.key, keepLabel } : checked.key };
}
