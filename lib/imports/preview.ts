import { type ImportedKey, maskSecret } from '../backup';
import type { KeyConfig } from '../model';

/** What importing one key would do: add it, update a stored key, or nothing more (listed earlier in the same text). */
export type PreviewAction = 'new' | 'update' | 'repeat';

/**
 * The action for each key of an analysed file, as the paste box's preview shows it.
 * Matches as the merge does (baseUrl + secret, or a masked secret against stored masks).
 */
export function previewActions(stored: readonly KeyConfig[], keys: readonly ImportedKey[]): PreviewAction[] {
  const ids = new Set(stored.map((k) => `${k.baseUrl}\n${k.secret}`));
  const masks = new Set(stored.map((k) => `${k.baseUrl}\n${maskSecret(k.secret)}`));
  const seen = new Set<string>();
  return keys.map((key) => {
    const id = `${key.baseUrl}\n${key.secret}`;
    if (seen.has(id)) return 'repeat';
    seen.add(id);
    return ids.has(id) || masks.has(id) ? 'update' : 'new';
  });
}
