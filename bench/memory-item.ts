import type { Commit, EngineDeps } from '../lib/engine';
import type { Point } from '../lib/history';
import type { KeyConfig, KeyStatus } from '../lib/model';
import { itemBytes } from '../lib/reading-budget';
import { DEFAULT_SETTINGS, type Settings, withDefaults } from '../lib/state';
import { decodeStatus, historyReader, STORED, type StorageArea, statusReader, writeCommit } from '../lib/storage/layout';

/** What Chrome says when a `set` would take `storage.local` over its quota. */
export const QUOTA_ERROR = 'QUOTA_BYTES quota exceeded';

/**
 * The engine's storage in memory, laid out as in `storage.local` and written through
 * the same code, counting storage operations and bytes the way a browser would see
 * them (one commit is one `set`), for scripts and tests outside a browser.
 * `quotaBytes` makes it refuse, like Chrome, a `set` that would take the items stored
 * over that many bytes (key and JSON value in UTF-8): nothing of that `set` is stored.
 */
export function memoryStore(keys: KeyConfig[] = [], settings: Partial<Settings> = {}, { quotaBytes = Infinity } = {}) {
  const area = new Map<string, unknown>();
  const sizes = new Map<string, number>();
  const memory: StorageArea & { bytes: number; inUse: () => number; bytesOf: (key: string) => number } = {
    bytes: 0,
    inUse: () => [...sizes.values()].reduce((sum, n) => sum + n, 0),
    bytesOf: (key) => sizes.get(key) ?? 0,
    async get(wanted) {
      return Object.fromEntries(wanted.filter((k) => area.has(k)).map((k) => [k, structuredClone(area.get(k))]));
    },
    async set(items) {
      const next = Object.entries(items).map(([k, v]) => ({ k, v, size: itemBytes(k, v) }));
      const after = memory.inUse() + next.reduce((sum, { k, size }) => sum + size - (sizes.get(k) ?? 0), 0);
      if (after > quotaBytes) throw new Error(QUOTA_ERROR);
      for (const { k, v, size } of next) {
        memory.bytes += size;
        sizes.set(k, size);
        area.set(k, structuredClone(v));
      }
    },
    async remove(gone) {
      for (const k of gone) {
        area.delete(k);
        sizes.delete(k);
      }
    },
  };
  const config = { keys: structuredClone(keys), settings: { ...DEFAULT_SETTINGS, ...settings } };
  const byPrefix = <T>(prefix: string): Record<string, T> =>
    Object.fromEntries([...area].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v as T]));
  const data = {
    get keys() {
      return config.keys;
    },
    set keys(next: KeyConfig[]) {
      config.keys = next;
    },
    get settings() {
      return config.settings;
    },
    get statuses(): Record<string, KeyStatus> {
      return Object.fromEntries(Object.entries(byPrefix<unknown>(STORED.status(''))).map(([id, v]) => [id, decodeStatus(v) as KeyStatus]));
    },
    /** Each key's whole series (before today and today together). */
    get history(): Record<string, Point[]> {
      const archive = byPrefix<Point[]>(STORED.archive(''));
      const today = byPrefix<Point[]>(STORED.today(''));
      const ids = new Set([...Object.keys(archive), ...Object.keys(today)]);
      return Object.fromEntries([...ids].map((id) => [id, [...(archive[id] ?? []), ...(today[id] ?? [])]]));
    },
    get sites() {
      return (area.get(STORED.sites) ?? {}) as NonNullable<Commit['sites']>;
    },
    get budget() {
      return (area.get(STORED.budget) ?? {}) as NonNullable<Commit['budget']>;
    },
    get cycles() {
      return (area.get(STORED.cycles) ?? {}) as NonNullable<Commit['cycles']>;
    },
  };
  const item = <T>(read: () => T) => ({ getValue: async () => structuredClone(read()) });
  const store = {
    data,
    area: memory,
    writes: 0,
    /** Every commit, in order, for tests that look at what was written when. */
    commits: [] as Commit[],
    deps: {
      keys: item(() => config.keys),
      // Read with its defaults applied, as lib/storage/items.ts `settingsItem` gives it.
      settings: item(() => withDefaults(config.settings)),
      statuses: statusReader(memory, async () => config.keys),
      sites: item(() => data.sites),
      budget: item(() => data.budget),
      cycles: item(() => data.cycles),
      history: historyReader(memory),
      commit: async (patch: Commit) => {
        store.writes++;
        store.commits.push(structuredClone(patch));
        await writeCommit(memory, patch);
      },
    } satisfies Pick<EngineDeps, 'keys' | 'settings' | 'statuses' | 'sites' | 'budget' | 'cycles' | 'history' | 'commit'>,
  };
  return store;
}
