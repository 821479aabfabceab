import { describe, expect, it } from 'vitest';
import type { KeyConfig, KeyStatus } from '@/lib/model';
import { lastShownIds } from '@/lib/popup-view';
import { encodeStatus, STORED, type StorageArea, statusesAlongside } from '@/lib/storage/layout';
import { makeKey, usdStatus } from './helpers';

const status = (remaining: number): KeyStatus => usdStatus(remaining, { fetchedAt: 1 });

/** A storage area that records each `get`, holding three keys' statuses as the extension stores them. */
function area() {
  const data = new Map<string, unknown>([
    [STORED.status('k1'), encodeStatus(status(1))],
    [STORED.status('k2'), encodeStatus(status(2))],
    [STORED.status('k3'), encodeStatus(status(3))],
    [STORED.status('gone'), encodeStatus(status(9))],
  ]);
  const gets: string[][] = [];
  const store: StorageArea = {
    async get(keys) {
      gets.push(keys);
      return Object.fromEntries(keys.filter((k) => data.has(k)).map((k) => [k, data.get(k)]));
    },
    async set() {},
    async remove() {},
  };
  return { store, gets };
}

const keys = (...ids: string[]): KeyConfig[] =>
  ids.map((id) => makeKey({ id, label: id, baseUrl: 'https://relay.example.com', secret: `sk-${id}` }));

describe('the popup reads statuses beside the key list (issue #9, speed)', () => {
  it('asks for the statuses it saw last time before the key list has come', async () => {
    const { store, gets } = area();
    let arrive: (list: KeyConfig[]) => void = () => undefined;
    const list = new Promise<KeyConfig[]>((resolve) => {
      arrive = resolve;
    });
    const reading = statusesAlongside(store, ['k1', 'k2', 'k3'], list);
    await Promise.resolve();
    expect(gets).toEqual([['status:k1', 'status:k2', 'status:k3']]);
    arrive(keys('k1', 'k2', 'k3'));
    const { statuses } = await reading;
    expect(Object.fromEntries(Object.entries(statuses).map(([id, s]) => [id, s.reading?.remaining]))).toEqual({ k1: 1, k2: 2, k3: 3 });
    // Nothing more to read: one round trip in all.
    expect(gets).toHaveLength(1);
  });

  it('reads a key added since after the list, and leaves out a key removed since', async () => {
    const { store, gets } = area();
    const { statuses } = await statusesAlongside(store, ['k1', 'gone'], Promise.resolve(keys('k1', 'k3')));
    expect(Object.keys(statuses).sort()).toEqual(['k1', 'k3']);
    expect(gets[1]).toEqual(['status:k3']);
  });

  it('with no note, reads every status after the list', async () => {
    const { store, gets } = area();
    const { statuses } = await statusesAlongside(store, [], Promise.resolve(keys('k2', 'never-read')));
    expect(Object.keys(statuses)).toEqual(['k2']);
    expect(gets).toEqual([['status:k2', 'status:never-read']]);
  });

  it('keeps only ids in its note, and a broken note is no ids', () => {
    const kept = new Map<string, string>();
    const store = { getItem: (k: string) => kept.get(k) ?? null, setItem: (k: string, v: string) => void kept.set(k, v) };
    lastShownIds.write(['k1', 'k2'], store);
    expect(lastShownIds.read(store)).toEqual(['k1', 'k2']);
    expect([...kept.values()].join()).toBe('["k1","k2"]');
    kept.set([...kept.keys()][0] as string, '{not json');
    expect(lastShownIds.read(store)).toEqual([]);
    expect(lastShownIds.read(undefined)).toEqual([]);
  });
});
