/**
 * The options page's save rules, in one pure place (issue #19, item 7): which stored key
 * a saved, imported or synced key is (one identity, `sameKey`), when a save is refused
 * before anything is sent, and which fields an edit clears (those of another kind).
 */

import type { KeyConfig } from './model';
import type { KeyChange, KeyFields } from './storage/keys';
import { changedFields, keyIdentity, MAX_STORED_KEYS } from './storage/keys';

export { keyIdentity };

/** What names a key: its site and its secret. */
export type Credential = Pick<KeyConfig, 'baseUrl' | 'secret'>;

/** Whether two keys are the same key (`keyIdentity`). */
export const sameKey = (a: Credential, b: Credential): boolean => keyIdentity(a) === keyIdentity(b);

/**
 * Whether a draft is read as the stored key was: the same key, read as the same kind for the same
 * account. When it is not, Save reads the draft before storing it (a refused one is stored only if
 * the person says so) and the key's status starts afresh.
 */
export const readsAlike = (a: Credential & Pick<KeyConfig, 'kind' | 'userId'>, b: Credential & Pick<KeyConfig, 'kind' | 'userId'>) =>
  sameKey(a, b) && a.kind === b.kind && a.userId === b.userId;

/** The fields the key form edits (components/KeyForm.tsx `KeyDraft`). */
export const FORM_FIELDS = [
  'label',
  'baseUrl',
  'kind',
  'secret',
  'userId',
  'watchTokens',
  'threshold',
  'intervalMinutes',
  'currency',
  'custom',
] as const satisfies readonly (keyof KeyConfig)[];

export type FormDraft = Pick<KeyConfig, (typeof FORM_FIELDS)[number]>;

/**
 * What an edit changes: the form's fields the person changed, and no other. A field the draft
 * lacks is cleared: the fields of the kind the key had (an account's user id, a custom key's
 * mapping) go when the kind changes, as the form no longer shows them.
 */
export const editedFields = (stored: KeyConfig, draft: Partial<FormDraft>): KeyFields =>
  changedFields(stored, draft as FormDraft, FORM_FIELDS);

/**
 * The change a Save sends to the background, the key list's one writer: an edit carries the
 * `updatedAt` the editor started from, so a key changed elsewhere meanwhile is not written over.
 */
export function saveChange(
  target: KeyConfig | null,
  draft: FormDraft,
  id: string,
  now: number,
): Extract<KeyChange, { type: 'patch' | 'put' }> {
  return target
    ? { type: 'patch', id: target.id, fields: editedFields(target, draft), expectedUpdatedAt: target.updatedAt }
    : { type: 'put', key: { id, ...draft, createdAt: now, updatedAt: now } };
}

/** Why a save is refused before its site is asked anything; a duplicate names the stored key it would be. */
export type SaveRefusal = { reason: 'too-many' } | { reason: 'duplicate'; key: KeyConfig };

/**
 * A new key beyond the limit of kept keys is refused; so is a save, new or an edit, whose
 * site and secret are another stored key's (`sameKey`: an import would update that key).
 * The background refuses both too (lib/storage/keys.ts). A Test never is refused. Bad
 * fields are the form's to refuse (components/KeyForm.tsx).
 */
export function saveRefusal(
  stored: readonly KeyConfig[],
  target: KeyConfig | null,
  draft: Credential,
  mode: 'save' | 'test',
): SaveRefusal | null {
  if (mode !== 'save') return null;
  if (!target && stored.length >= MAX_STORED_KEYS) return { reason: 'too-many' };
  // An edit that keeps its own site and secret is no duplicate, even of a look-alike stored before.
  if (target && sameKey(target, draft)) return null;
  const other = stored.find((k) => k.id !== target?.id && sameKey(k, draft));
  return other ? { reason: 'duplicate', key: other } : null;
}
