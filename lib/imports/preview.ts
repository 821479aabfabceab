import { type ImportedKey, maskSecret } from '../backup';
import { keyIdentity } from '../key-save';
import { isMasked } from '../mask';
import type { KeyConfig } from '../model';

/** What importing one key would do: add it, update a stored key, or nothing more (listed earlier in the same text). */
export type PreviewAction = 'new' | 'update' | 'repeat';

/**
 * Why the label a key will have is not simply the one its line gives: the line had none and the
 * label is made up from the site (`from-site`), a stored key keeps its own (`kept`), a stored
 * key is renamed (`renames`, with its label now), or another key has the same label (`taken`).
 */
export type LabelNote = { note: 'from-site' } | { note: 'kept' } | { note: 'renames'; was: string } | { note: 'taken' };

/** One line of the paste box's preview. */
export interface PreviewRow {
  action: PreviewAction;
  /** The label the key will have once the whole text is imported (a later line of the same key may rename it). */
  label: string;
  notes: LabelNote[];
}

/**
 * Each key of an analysed text as the paste box's preview shows it: what importing it does and
 * the label the key will keep. Matches as the merge does (lib/backup.ts `mergeImport`): the same
 * key (`keyIdentity`), else the stored key of the file's id, else a stored key a masked secret
 * stands for; a made-up label (`keepLabel`) never renames a stored key.
 */
export function previewRows(stored: readonly KeyConfig[], keys: readonly ImportedKey[]): PreviewRow[] {
  const byIdentity = new Map(stored.map((k) => [keyIdentity(k), k]));
  const byId = new Map(stored.map((k) => [k.id, k]));
  const byMask = new Map<string, KeyConfig[]>();
  for (const k of stored) {
    const mask = keyIdentity({ baseUrl: k.baseUrl, secret: maskSecret(k.secret) });
    byMask.set(mask, [...(byMask.get(mask) ?? []), k]);
  }
  /** Each key the text lands on (a stored key, or the first line of a new one), and the label it ends with. */
  const labels = new Map<KeyConfig | number, string>();
  const seen = new Map<string, number>();
  const targets = keys.map((key, position) => {
    const identity = keyIdentity(key);
    const earlier = seen.get(identity);
    const masks = isMasked(key.secret) ? (byMask.get(identity) ?? []) : [];
    const target = byIdentity.get(identity) ?? (key.id !== undefined ? byId.get(key.id) : undefined) ?? masks[0] ?? earlier ?? position;
    if (earlier === undefined) seen.set(identity, position);
    const current = labels.get(target) ?? (typeof target === 'number' ? undefined : target.label);
    labels.set(target, current !== undefined && key.keepLabel ? current : key.label);
    return { target, repeat: earlier !== undefined };
  });
  // Labels the list will hold, each with how many keys have it.
  const counts = new Map<string, number>();
  const count = (label: string) => counts.set(label, (counts.get(label) ?? 0) + 1);
  for (const k of stored) if (!labels.has(k)) count(k.label);
  for (const label of labels.values()) count(label);
  return keys.map((key, i) => {
    const { target, repeat } = targets[i] as (typeof targets)[number];
    const label = labels.get(target) as string;
    const action: PreviewAction = repeat ? 'repeat' : typeof target === 'number' ? 'new' : 'update';
    const notes: LabelNote[] = [];
    if (typeof target !== 'number' && label !== target.label) notes.push({ note: 'renames', was: target.label });
    else if (typeof target !== 'number' && key.keepLabel) notes.push({ note: 'kept' });
    else if (typeof target === 'number' && key.keepLabel && label === key.label) notes.push({ note: 'from-site' });
    if ((counts.get(label) ?? 0) > 1) notes.push({ note: 'taken' });
    return { action, label, notes };
  });
}

/** The action for each key of an analysed text (`previewRows`). */
export const previewActions = (stored: readonly KeyConfig[], keys: readonly ImportedKey[]): PreviewAction[] =>
  previewRows(stored, keys).map((row) => row.action);
