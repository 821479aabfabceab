import { describe, expect, it } from 'vitest';
import { MAX_STORED_KEYS } from '@/lib/backup';
import type { KeyConfig } from '@/lib/model';
import { isPlainHttp } from '@/lib/plain-http';
import { changedFields, createKeyStore, type KeyListItem, listVersion } from '@/lib/storage/keys';
import { makeKey, NOW } from './helpers';

/** A stored list in memory that counts its writes. */
function memoryItem(initial: KeyConfig[]): KeyListItem & { value: KeyConfig[]; writes: number } {
  const item = {
    value: initial,
    writes: 0,
    getValue: async () => item.value,
    async setValue(keys: KeyConfig[]) {
      item.writes++;
      item.value = keys;
    },
  };
  return item;
}

const base = makeKey({
  id: 'k',
  label: 'old name',
  baseUrl: 'https://relay.example.com',
  secret: 'sk-old',
  kind: 'newapi-token',
  threshold: { type: 'amount', value: 1 },
  createdAt: NOW - 1000,
  updatedAt: NOW - 1000,
});
const stored = (item: { value: KeyConfig[] }, id = 'k') => item.value.find((k) => k.id === id);
/** A clock that stands still: every change happens in the same millisecond. */
const frozen = () => NOW;

describe('an edit is refused when its key changed meanwhile (two tabs)', () => {
  it('tab A saves a new secret, tab B renames from the older version: B is refused, A’s secret stays', async () => {
    const item = memoryItem([base]);
    const writer = createKeyStore(item, frozen);
    const a = await writer.change({ type: 'patch', id: 'k', fields: { secret: 'sk-new' }, expectedUpdatedAt: base.updatedAt });
    expect(a.ok).toBe(true);
    const b = await writer.change({ type: 'patch', id: 'k', fields: { label: 'B' }, expectedUpdatedAt: base.updatedAt });
    expect(b).toMatchObject({ ok: false, reason: 'conflict' });
    expect(stored(item)).toMatchObject({ label: 'old name', secret: 'sk-new' });
    expect(item.writes).toBe(1);

    // B, reloaded on the stored version, renames again: both changes are kept.
    const again = await writer.change({ type: 'patch', id: 'k', fields: { label: 'B' }, expectedUpdatedAt: stored(item)?.updatedAt });
    expect(again.ok).toBe(true);
    expect(stored(item)).toMatchObject({ label: 'B', secret: 'sk-new' });
  });

  it('an edit of a key deleted meanwhile is refused and does not bring it back', async () => {
    const item = memoryItem([base]);
    const writer = createKeyStore(item, frozen);
    await writer.change({ type: 'delete', ids: ['k'] });
    const result = await writer.change({ type: 'patch', id: 'k', fields: { label: 'B' }, expectedUpdatedAt: base.updatedAt });
    expect(result).toMatchObject({ ok: false, reason: 'conflict' });
    expect(item.value).toEqual([]);
  });

  it('a snooze (no version given) still lands on the key as it is now', async () => {
    const item = memoryItem([base]);
    const writer = createKeyStore(item, frozen);
    await writer.change({ type: 'patch', id: 'k', fields: { label: 'renamed' }, expectedUpdatedAt: base.updatedAt });
    expect((await writer.change({ type: 'patch', id: 'k', fields: { snoozedUntil: NOW + 86_400_000 } })).ok).toBe(true);
    expect(stored(item)).toMatchObject({ label: 'renamed', snoozedUntil: NOW + 86_400_000 });
  });
});

describe('an edit carries only the fields the person changed', () => {
  const draft = {
    label: 'old name',
    baseUrl: 'https://relay.example.com',
    kind: 'newapi-token' as const,
    secret: 'sk-old',
    threshold: { value: 1, type: 'amount' as const },
  };
  const FIELDS = ['label', 'baseUrl', 'kind', 'secret', 'userId', 'threshold', 'intervalMinutes', 'currency', 'custom'] as const;

  it.each([
    ['nothing changed (fields in another order)', draft, {}],
    ['a rename', { ...draft, label: 'B' }, { label: 'B' }],
    ['a new secret', { ...draft, secret: 'sk-new' }, { secret: 'sk-new' }],
    ['the threshold back to the default', { ...draft, threshold: undefined }, { threshold: null }],
    ['an interval set', { ...draft, intervalMinutes: 5 }, { intervalMinutes: 5 }],
  ])('%s', (_, edited, expected) => {
    expect(changedFields(base, edited, FIELDS)).toEqual(expected);
  });
});

describe('every change to a key gives it a later updatedAt, even with a clock that stands still', () => {
  it('edit, snooze, unsnooze, put and import merge each step it past the one before', async () => {
    const item = memoryItem([
      base,
      makeKey({ id: 'other', label: 'other', baseUrl: 'https://b.example.com', secret: 'sk-b', updatedAt: 7 }),
    ]);
    const writer = createKeyStore(item, frozen);
    const times: number[] = [stored(item)?.updatedAt ?? Number.NaN];
    const step = async (change: Parameters<typeof writer.change>[0]) => {
      expect((await writer.change(change)).ok).toBe(true);
      times.push(stored(item)?.updatedAt ?? Number.NaN);
    };
    await step({ type: 'patch', id: 'k', fields: { label: 'one' }, expectedUpdatedAt: stored(item)?.updatedAt });
    await step({ type: 'patch', id: 'k', fields: { snoozedUntil: NOW + 1 } });
    await step({ type: 'patch', id: 'k', fields: { snoozedUntil: null } });
    await step({ type: 'put', key: { ...(stored(item) as KeyConfig), label: 'two', updatedAt: 0 } });
    // An import's merge stamps with the page's clock; the writer's stamp wins.
    await step({
      type: 'replace',
      keys: item.value.map((k) => (k.id === 'k' ? { ...k, label: 'three', updatedAt: NOW } : k)),
      expected: listVersion(item.value),
    });
    expect(times).toEqual([NOW - 1000, NOW, NOW + 1, NOW + 2, NOW + 3, NOW + 4]);
    // The key the merge left as it was keeps its time.
    expect(stored(item, 'other')?.updatedAt).toBe(7);
  });

  it('a key stored with a time ahead of the clock still moves forward', async () => {
    const item = memoryItem([{ ...base, updatedAt: NOW + 60_000 }]);
    const writer = createKeyStore(item, frozen);
    await writer.change({ type: 'patch', id: 'k', fields: { label: 'B' }, expectedUpdatedAt: NOW + 60_000 });
    expect(stored(item)?.updatedAt).toBe(NOW + 60_001);
  });

  it('a change that changes nothing writes nothing and keeps the time', async () => {
    const item = memoryItem([base]);
    const writer = createKeyStore(item, frozen);
    await writer.change({
      type: 'patch',
      id: 'k',
      fields: { label: 'old name', threshold: { value: 1, type: 'amount' } },
      expectedUpdatedAt: base.updatedAt,
    });
    await writer.change({ type: 'put', key: { ...base, updatedAt: 123 } });
    expect(item.writes).toBe(0);
    expect(stored(item)?.updatedAt).toBe(base.updatedAt);
  });

  it('a page cannot set updatedAt or createdAt itself through a patch', async () => {
    const item = memoryItem([base]);
    const writer = createKeyStore(item, frozen);
    const fields = { label: 'B', updatedAt: 1, createdAt: 1 } as unknown as { label: string };
    await writer.change({ type: 'patch', id: 'k', fields });
    expect(stored(item)).toMatchObject({ label: 'B', updatedAt: NOW, createdAt: base.createdAt });
  });
});

describe(`one key limit for every way in (${MAX_STORED_KEYS})`, () => {
  const full = () =>
    Array.from({ length: MAX_STORED_KEYS }, (_, i) =>
      makeKey({ id: `k${i}`, label: `k${i}`, baseUrl: 'https://relay.example.com', secret: `sk-${i}` }),
    );

  it('a key added by hand beyond the limit is refused, with nothing written', async () => {
    const item = memoryItem(full());
    const writer = createKeyStore(item, frozen);
    const result = await writer.change({
      type: 'put',
      key: makeKey({ id: 'new', baseUrl: 'https://relay.example.com', secret: 'sk-new' }),
    });
    expect(result).toMatchObject({ ok: false, reason: 'too-many', max: MAX_STORED_KEYS });
    expect(item.writes).toBe(0);
    // Changing or deleting a key of a full list still works; then one more fits.
    expect((await writer.change({ type: 'patch', id: 'k0', fields: { label: 'renamed' } })).ok).toBe(true);
    expect((await writer.change({ type: 'delete', ids: ['k1'] })).ok).toBe(true);
    expect(
      (await writer.change({ type: 'put', key: makeKey({ id: 'new', baseUrl: 'https://relay.example.com', secret: 'sk-new' }) })).ok,
    ).toBe(true);
    expect(item.value).toHaveLength(MAX_STORED_KEYS);
  });

  it('a whole-list replace (an import) beyond the limit is refused by the writer too', async () => {
    const item = memoryItem(full().slice(1));
    const writer = createKeyStore(item, frozen);
    const extra = [0, 1].map((n) => makeKey({ id: `x${n}`, baseUrl: 'https://relay.example.com', secret: `sk-x${n}` }));
    const result = await writer.change({ type: 'replace', keys: [...item.value, ...extra], expected: listVersion(item.value) });
    expect(result).toMatchObject({ ok: false, reason: 'too-many' });
    expect(item.value).toHaveLength(MAX_STORED_KEYS - 1);
  });
});

describe('one key is stored once: the writer refuses a key put or edited to be another (site and secret)', () => {
  const other = makeKey({ id: 'o', label: 'other', baseUrl: 'https://relay.example.com', secret: 'sk-other', createdAt: 1, updatedAt: 1 });

  it('refuses a new key with a stored key’s site and secret, and an edit that would make one; writes nothing', async () => {
    const item = memoryItem([base, other]);
    const writer = createKeyStore(item, frozen);
    const put = await writer.change({ type: 'put', key: makeKey({ id: 'n', label: 'again', baseUrl: base.baseUrl, secret: base.secret }) });
    expect(put).toMatchObject({ ok: false, reason: 'duplicate' });
    const edit = await writer.change({ type: 'patch', id: 'o', fields: { secret: base.secret } });
    expect(edit).toMatchObject({ ok: false, reason: 'duplicate' });
    expect(item.writes).toBe(0);
    expect(item.value.map((k) => [k.id, k.secret])).toEqual([
      ['k', 'sk-old'],
      ['o', 'sk-other'],
    ]);
  });

  it('takes the same secret on another site, and edits of a look-alike pair stored before', async () => {
    const item = memoryItem([base, { ...other, secret: base.secret }]);
    const writer = createKeyStore(item, frozen);
    expect((await writer.change({ type: 'patch', id: 'o', fields: { label: 'renamed' } })).ok).toBe(true);
    const elsewhere = makeKey({ id: 'n', baseUrl: 'https://other.example.com', secret: base.secret });
    expect((await writer.change({ type: 'put', key: elsewhere })).ok).toBe(true);
    expect(item.value.map((k) => k.id)).toEqual(['k', 'o', 'n']);
  });
});

describe('plain http:// sites other than loopback', () => {
  it.each([
    ['http://relay.example.com', true],
    ['http://10.0.0.5:3000', true],
    ['http://localhost.example.com', true],
    ['https://relay.example.com', false],
    ['http://127.0.0.1:3000', false],
    ['http://127.8.9.10', false],
    ['http://localhost:8080/relay', false],
    ['http://[::1]:3000', false],
  ])('%s → %s', (site, plain) => {
    expect(isPlainHttp(site)).toBe(plain);
  });
});
