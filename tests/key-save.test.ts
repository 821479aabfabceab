import { describe, expect, it } from 'vitest';
import { mergeImport } from '@/lib/backup';
import { previewActions } from '@/lib/imports/preview';
import { editedFields, readsAlike, type SaveRefusal, sameKey, saveChange, saveRefusal } from '@/lib/key-save';
import type { KeyConfig } from '@/lib/model';
import { MAX_STORED_KEYS } from '@/lib/storage/keys';
import { dedupeCredentials } from '@/lib/sync/merge';
import { makeKey } from './helpers';

/** The options page's save rules (issue #19, item 7): one identity, the refusals, the fields an edit clears. */

const stored = makeKey({ id: 's1', label: 'mine', baseUrl: 'https://relay.example.com', secret: 'sk-one', kind: 'newapi-token' });
const pairs: [string, KeyConfig, boolean][] = [
  [
    'another id, label and kind',
    makeKey({ id: 'x', label: 'other', baseUrl: 'https://relay.example.com', secret: 'sk-one', kind: 'auto' }),
    true,
  ],
  ['another secret', makeKey({ id: 'x', baseUrl: 'https://relay.example.com', secret: 'sk-two' }), false],
  ['another site', makeKey({ id: 'x', baseUrl: 'https://other.example.com', secret: 'sk-one' }), false],
  ['a site with a path', makeKey({ id: 'x', baseUrl: 'https://relay.example.com/api', secret: 'sk-one' }), false],
];

describe('sameKey: one identity for save, import and sync', () => {
  it.each(pairs)('%s', (_, other, same) => {
    expect(sameKey(stored, other)).toBe(same);
    // An import of it updates the stored key exactly when it is the same key…
    const merged = mergeImport([stored], [{ ...other, id: undefined }], 1, () => 'new');
    if (!merged.ok) throw new Error('merge failed');
    expect(merged.updated).toEqual(same ? ['s1'] : []);
    expect(previewActions([stored], [{ ...other, id: undefined }])).toEqual([same ? 'update' : 'new']);
    // …and sync folds two browsers' copies into one exactly then.
    const folded = dedupeCredentials({ keys: [stored, other], deleted: [] });
    expect(folded.keys).toHaveLength(same ? 1 : 2);
  });
});

describe('readsAlike: when Save reads the draft before storing it', () => {
  it('a new label or threshold reads alike; a new secret, site, kind or account does not', () => {
    const renamed: KeyConfig = { ...stored, label: 'renamed', threshold: { type: 'percent', value: 5 } };
    expect(readsAlike(stored, renamed)).toBe(true);
    expect(readsAlike(stored, { ...stored, secret: 'sk-two' })).toBe(false);
    expect(readsAlike(stored, { ...stored, baseUrl: 'https://b.example.com' })).toBe(false);
    expect(readsAlike(stored, { ...stored, kind: 'newapi-user' })).toBe(false);
    expect(readsAlike({ ...stored, kind: 'newapi-user', userId: 1 }, { ...stored, kind: 'newapi-user', userId: 2 })).toBe(false);
  });
});

describe('saveChange and editedFields: what an edit sends', () => {
  const account: KeyConfig = { ...stored, kind: 'newapi-user', userId: 42, watchTokens: true, updatedAt: 7 };

  it('sends the fields the person changed, and no other', () => {
    expect(saveChange(account, { ...account, label: 'renamed' }, 'unused', 9)).toEqual({
      type: 'patch',
      id: 's1',
      fields: { label: 'renamed' },
      expectedUpdatedAt: 7,
    });
  });

  it('clears the fields of the kind the key had when the kind changes', () => {
    // The form's draft for another kind holds none of the account's fields.
    const { userId: _u, watchTokens: _w, ...asToken } = { ...account, kind: 'newapi-token' as const };
    expect(editedFields(account, asToken)).toEqual({ kind: 'newapi-token', userId: null, watchTokens: null });
  });

  it('a new key is put whole, with its times', () => {
    const { id: _i, createdAt: _c, updatedAt: _u, ...draft } = stored;
    expect(saveChange(null, draft, 'fresh', 5)).toEqual({ type: 'put', key: { ...draft, id: 'fresh', createdAt: 5, updatedAt: 5 } });
  });
});

describe('saveRefusal', () => {
  const many = (n: number) =>
    Array.from({ length: n }, (_, i) => makeKey({ id: `k${i}`, baseUrl: 'https://relay.example.com', secret: `sk-${i}` }));
  const fresh = { baseUrl: 'https://relay.example.com', secret: 'sk-fresh' };

  it('refuses a new key beyond the limit, never an edit or a Test', () => {
    const full = many(MAX_STORED_KEYS);
    const limit: SaveRefusal = { reason: 'too-many' };
    expect(saveRefusal(full, null, fresh, 'save')).toEqual(limit);
    expect(saveRefusal(full.slice(1), null, fresh, 'save')).toBeNull();
    expect(saveRefusal(full, full[0] as KeyConfig, fresh, 'save')).toBeNull();
    expect(saveRefusal(full, null, fresh, 'test')).toBeNull();
  });

  it('refuses a key already saved, new or by an edit, naming it; never a Test, nor an edit keeping its own', () => {
    const [a, b] = many(2) as [KeyConfig, KeyConfig];
    expect(saveRefusal([a, b], null, { baseUrl: a.baseUrl, secret: a.secret }, 'save')).toEqual({ reason: 'duplicate', key: a });
    expect(saveRefusal([a, b], b, { baseUrl: a.baseUrl, secret: a.secret }, 'save')).toEqual({ reason: 'duplicate', key: a });
    expect(saveRefusal([a, b], a, { baseUrl: a.baseUrl, secret: a.secret }, 'save')).toBeNull();
    expect(saveRefusal([a, b], null, { baseUrl: a.baseUrl, secret: a.secret }, 'test')).toBeNull();
    // Another site with the same secret is another key.
    expect(saveRefusal([a, b], null, { baseUrl: 'https://other.example.com', secret: a.secret }, 'save')).toBeNull();
  });
});
