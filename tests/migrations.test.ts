import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KeyConfig } from '@/lib/model';
import { checkStored, type StoredCheck } from '@/lib/storage/check';
import { historyReader, type StorageArea, statusReader } from '@/lib/storage/layout';
import { migrateStorage, NewerStorageError, STORAGE_VERSION } from '@/lib/storage/migrations';

function memoryArea(initial: Record<string, unknown>) {
  const data = new Map(Object.entries(structuredClone(initial)));
  const area: StorageArea & { data: Map<string, unknown> } = {
    data,
    async get(keys) {
      return Object.fromEntries(keys.filter((k) => data.has(k)).map((k) => [k, structuredClone(data.get(k))]));
    },
    async set(items) {
      for (const [k, v] of Object.entries(items)) data.set(k, structuredClone(v));
    },
    async remove(keys) {
      for (const k of keys) data.delete(k);
    },
  };
  return area;
}

const v1 = JSON.parse(readFileSync('tests/fixtures/storage/v1.json', 'utf8')) as Record<string, unknown>;
const keys = v1.keys as KeyConfig[];

describe('storage migrations (issue #7, items 10 and 15)', () => {
  it('v1 → v2: whole status and history items become per-key items, nothing lost', async () => {
    const area = memoryArea(v1);
    expect(await migrateStorage(area)).toBe(1);
    expect(area.data.get('storageVersion')).toBe(STORAGE_VERSION);
    expect(area.data.has('statuses')).toBe(false);
    expect(area.data.has('history')).toBe(false);
    // The user's keys are untouched.
    expect(area.data.get('keys')).toEqual(v1.keys);
    const statuses = await statusReader(area, async () => keys).getValue();
    expect(statuses).toEqual(v1.statuses);
    const history = await historyReader(area).getMany(['k1', 'k2']);
    expect(history.k1?.map(([t]) => t)).toEqual([29923500, 29924000, 29925000, 29925060]);
    expect(history.k1?.at(-1)).toEqual([29925060, 8.5]);
    expect(history.k2).toBeUndefined();
  });

  it('runs once: a second start changes nothing', async () => {
    const area = memoryArea(v1);
    await migrateStorage(area);
    const after = structuredClone(Object.fromEntries(area.data));
    expect(await migrateStorage(area)).toBe(STORAGE_VERSION);
    expect(Object.fromEntries(area.data)).toEqual(after);
  });

  it('checks what the steps left against the schemas: a failure is reported and kept as stored', async () => {
    const odd = structuredClone(v1);
    (odd.keys as unknown[]).push({ id: 'k9', label: 'half a key' });
    (odd.statuses as Record<string, unknown>).k1 = { reading: 'garbled', error: null, attemptedAt: null, failures: 0 };
    const area = memoryArea(odd);
    const reports: StoredCheck[] = [];
    await migrateStorage(area, (check) => void reports.push(check));
    expect(reports).toEqual([{ keys: 1, settings: [], statuses: 1, caches: 0 }]);
    expect(area.data.get('keys')).toEqual(odd.keys);
    expect(JSON.parse(area.data.get('status:k1') as string)).toEqual({ reading: 'garbled', error: null, attemptedAt: null, failures: 0 });
    expect(await statusReader(area, async () => keys).getValue()).toEqual({
      k2: (v1.statuses as Record<string, unknown>).k2,
    });
  });

  it('v2 → v3: each status is stored as its JSON text and reads back the same', async () => {
    const statuses = v1.statuses as Record<string, unknown>;
    const v2 = { keys: v1.keys, storageVersion: 2, 'status:k1': statuses.k1, 'status:k2': statuses.k2, 'history:k1': [[29923500, 9]] };
    const area = memoryArea(v2);
    expect(await migrateStorage(area)).toBe(2);
    expect(area.data.get('storageVersion')).toBe(3);
    expect(typeof area.data.get('status:k1')).toBe('string');
    expect(typeof area.data.get('status:k2')).toBe('string');
    expect(await statusReader(area, async () => keys).getValue()).toEqual({ k1: statuses.k1, k2: statuses.k2 });
    // Nothing else changes.
    expect(area.data.get('history:k1')).toEqual([[29923500, 9]]);
    expect(area.data.get('keys')).toEqual(v1.keys);
  });

  it('a fresh install starts at the current version', async () => {
    const area = memoryArea({});
    expect(await migrateStorage(area)).toBe(STORAGE_VERSION);
    expect(area.data.get('storageVersion')).toBe(STORAGE_VERSION);
  });
});

describe('the oldest stored layout, brought to today’s (issue #19, item 7)', () => {
  it('v1 → today in one start: what is stored passes today’s check, and what the person saw is there', async () => {
    const area = memoryArea(v1);
    const reports: StoredCheck[] = [];
    expect(await migrateStorage(area, (check) => void reports.push(check))).toBe(1);
    expect(area.data.get('storageVersion')).toBe(STORAGE_VERSION);
    // Today's check of the stored data (lib/storage/check.ts) finds nothing wrong.
    expect(reports).toEqual([{ keys: 0, settings: [], statuses: 0, caches: 0 }]);
    expect(await checkStored(area)).toEqual({ keys: 0, settings: [], statuses: 0, caches: 0 });
    // Read with today's readers: the keys, their last readings and errors, the history's points.
    expect(area.data.get('keys')).toEqual(v1.keys);
    const statuses = await statusReader(area, async () => keys).getValue();
    expect(statuses.k1?.reading).toMatchObject({ remaining: 8.5, granted: 10, unit: { code: 'USD' } });
    expect(statuses.k2?.error).toEqual({ kind: 'auth', message: 'HTTP 401', at: 1795500000000 });
    const history = await historyReader(area).getMany(['k1']);
    expect(history.k1?.at(-1)).toEqual([29925060, 8.5]);
    // Nothing of layout 1 is left.
    expect([...area.data.keys()].filter((k) => ['statuses', 'statuses$', 'history', 'history$'].includes(k))).toEqual([]);
  });

  it('a step is frozen: it thins a history as layout 2 did, whatever today’s rules are', async () => {
    // 3 days of points every 10 minutes: layout 2 kept the newest day whole-hour by half-hour slots.
    const day = 24 * 60;
    const end = 29925060;
    const series = Array.from({ length: (3 * day) / 10 }, (_, i) => [end - 3 * day + (i + 1) * 10, 100 - i / 100]);
    const area = memoryArea({ keys: v1.keys, history: { k1: series } });
    await migrateStorage(area);
    const today = area.data.get('today:k1') as [number, number][];
    const archive = area.data.get('history:k1') as [number, number][];
    // The newest day: one point per 30 minutes (the latest in each), the newest kept.
    expect(today.at(-1)).toEqual(series.at(-1));
    expect(today.every(([t]) => t >= end - (end % day))).toBe(true);
    expect(new Set(today.map(([t]) => Math.floor(t / 30))).size).toBe(today.length);
    // The days before: one point per hour.
    expect(archive.length).toBeGreaterThan(0);
    expect(new Set(archive.map(([t]) => Math.floor(t / 60))).size).toBe(archive.length);
    expect(archive.every(([t]) => t < end - (end % day))).toBe(true);
  });
});

describe('stored data of a newer layout (a newer version wrote it)', () => {
  it('is refused: nothing is migrated or written, and the report says which layout', async () => {
    const newer = { ...structuredClone(v1), storageVersion: STORAGE_VERSION + 1 };
    const area = memoryArea(newer);
    const reports: StoredCheck[] = [];
    await expect(migrateStorage(area, (check) => void reports.push(check))).rejects.toBeInstanceOf(NewerStorageError);
    expect(Object.fromEntries(area.data)).toEqual(newer);
    expect(reports).toEqual([
      { keys: 0, settings: [], statuses: 0, caches: 0, newer: { layout: STORAGE_VERSION + 1, reads: STORAGE_VERSION } },
    ]);
  });
});
