import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KeyConfig } from '@/lib/model';
import { applyKeyChange, createKeyStore, type KeyListItem, listVersion } from '@/lib/storage/keys';
import { makeKey, NOW } from './helpers';

/** A stored list whose reads and writes each take a turn of the event loop, as storage.local's do. */
function slowItem(initial: KeyConfig[], failWrites = 0): KeyListItem & { value: KeyConfig[] } {
  let failures = failWrites;
  const store = {
    value: initial,
    async getValue() {
      await new Promise((r) => setTimeout(r, 0));
      return store.value;
    },
    async setValue(keys: KeyConfig[]) {
      await new Promise((r) => setTimeout(r, 0));
      if (failures-- > 0) throw new Error('QUOTA_BYTES quota exceeded');
      store.value = keys;
    },
  };
  return store;
}

const site = { baseUrl: 'https://relay.example.com', secret: 'sk-x' };
const a = makeKey({ ...site, id: 'a', label: 'a' });
const b = makeKey({ ...site, id: 'b', label: 'b', secret: 'sk-y' });

describe('the key list has one writer (issue #7, item 11)', () => {
  it('a delete and a snooze racing each other: the deleted key stays deleted, in either order', async () => {
    for (const order of [0, 1]) {
      const item = slowItem([a, b]);
      const store = createKeyStore(item);
      const del = () => store.change({ type: 'delete', ids: ['a'] });
      const snooze = () => store.change({ type: 'patch', id: 'a', fields: { snoozedUntil: 123 } });
      await Promise.all(order ? [del(), snooze()] : [snooze(), del()]);
      expect(item.value.map((k) => k.id)).toEqual(['b']);
    }
  });

  it('a snooze set while the options form was open survives the form’s Save of other fields', async () => {
    const item = slowItem([a, b]);
    const store = createKeyStore(item);
    await Promise.all([
      store.change({ type: 'patch', id: 'b', fields: { snoozedUntil: 999 } }),
      store.change({ type: 'patch', id: 'b', fields: { label: 'renamed' } }),
    ]);
    expect(item.value.find((k) => k.id === 'b')).toMatchObject({ label: 'renamed', snoozedUntil: 999 });
  });

  it('many concurrent changes all land (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 19 }), { minLength: 1, maxLength: 20 }), async (ids) => {
        const item = slowItem([]);
        const store = createKeyStore(item);
        const unique = [...new Set(ids)];
        await Promise.all(
          unique.map((n) => store.change({ type: 'put', key: makeKey({ ...site, id: `k${n}`, label: `k${n}`, secret: `sk-${n}` }) })),
        );
        expect(item.value.map((k) => k.id).sort()).toEqual(unique.map((n) => `k${n}`).sort());
      }),
      { numRuns: 30 },
    );
  });

  it('a failed write is reported to the page that asked, and later changes still run', async () => {
    const item = slowItem([a], 1);
    const store = createKeyStore(item);
    const [first, second] = await Promise.all([
      store.change({ type: 'put', key: b }),
      store.change({ type: 'patch', id: 'a', fields: { label: 'A' } }),
    ]);
    expect(first).toMatchObject({ ok: false, reason: 'write-failed', message: expect.stringContaining('quota') });
    expect(second.ok).toBe(true);
    expect(item.value.map((k) => k.label)).toEqual(['A']);
  });

  it('a whole-list replace (import, undo) is refused when the list changed since the page read it', async () => {
    const item = slowItem([a]);
    const store = createKeyStore(item, () => NOW);
    const seen = listVersion(item.value);
    await store.change({ type: 'patch', id: 'a', fields: { snoozedUntil: 1 } });
    const result = await store.change({ type: 'replace', keys: [a, b], expected: seen });
    expect(result).toMatchObject({ ok: false, reason: 'conflict' });
    expect(item.value).toHaveLength(1);
    const fresh = await store.change({ type: 'replace', keys: [b], expected: listVersion(item.value) });
    expect(fresh.ok).toBe(true);
    expect(item.value).toEqual([{ ...b, updatedAt: NOW }]);
  });

  it('a patch removes a field given as null and leaves the others', () => {
    const next = applyKeyChange(
      [{ ...a, snoozedUntil: 5, threshold: { type: 'amount', value: 1 } }],
      { type: 'patch', id: 'a', fields: { snoozedUntil: null } },
      NOW,
    );
    expect(next).toEqual([{ ...a, threshold: { type: 'amount', value: 1 }, updatedAt: NOW }]);
  });
});
