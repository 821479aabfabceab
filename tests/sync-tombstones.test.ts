import { describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { changeKeys } from '@/entrypoints/background/key-writer';
import { keysItem } from '@/lib/storage/items';
import { TOMBSTONE_MS } from '@/lib/sync/merge';
import { tombstonesItem } from '@/lib/sync/stored';
import { makeKey } from './helpers';

describe('tombstones of deleted keys (automation.md §6)', () => {
  it('a deletion writes its tombstone in the same storage write, later than the key last changed', async () => {
    const now = Date.now();
    const a = makeKey({ id: 'a', baseUrl: 'https://relay.example.com', secret: 'sk-a', updatedAt: now + 60_000 });
    const b = makeKey({ id: 'b', baseUrl: 'https://relay.example.com', secret: 'sk-b' });
    await keysItem.setValue([a, b]);
    const writes: string[][] = [];
    fakeBrowser.storage.local.onChanged.addListener((changes) => writes.push(Object.keys(changes).sort()));
    const result = await changeKeys({ type: 'delete', ids: ['a'] });
    expect(result.ok).toBe(true);
    expect((await keysItem.getValue()).map((k) => k.id)).toEqual(['b']);
    expect(writes).toEqual([['keyTombstones', 'keys']]);
    const [tombstone] = await tombstonesItem.getValue();
    expect(tombstone?.id).toBe('a');
    // The key's clock was ahead: the tombstone is still later than its last change, so it wins the merge.
    expect(tombstone?.deletedAt).toBeGreaterThan(a.updatedAt);
  });

  it('keeps earlier tombstones, forgets those past 90 days, and an edit writes none', async () => {
    const now = Date.now();
    await tombstonesItem.setValue([
      { id: 'old', deletedAt: now - TOMBSTONE_MS - 60_000 },
      { id: 'recent', deletedAt: now - 1000 },
    ]);
    await keysItem.setValue([makeKey({ id: 'c', baseUrl: 'https://relay.example.com', secret: 'sk-c', label: 'c' })]);
    await changeKeys({ type: 'patch', id: 'c', fields: { label: 'c2' } });
    expect((await tombstonesItem.getValue()).map((t) => t.id)).toEqual(['recent']);
    await changeKeys({ type: 'delete', ids: ['c'] });
    expect((await tombstonesItem.getValue()).map((t) => t.id)).toEqual(['c', 'recent']);
  });
});
