import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { Commit, CycleClaim, SiteCache } from './engine';
import type { KeyConfig, KeyStatus } from './model';
import { DEFAULT_SETTINGS, type Settings } from './state';
import { forgetRemovedKeys, historyReader, STORED, type StorageArea, statusReader, writeCommit } from './storage-layout';

export { STORED, type StorageArea } from './storage-layout';

/** The user's keys (config). Written by the options page, and by the background only for a snooze the user asked for. */
export const keysItem = storage.defineItem<KeyConfig[]>('local:keys', { fallback: [], version: 1 });

/** Global settings. Version 2 added expiry and forecast warnings. */
export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 2,
  migrations: {
    2: (old: Partial<Settings>): Settings => ({ ...DEFAULT_SETTINGS, ...old }),
  },
});

/** Cached `/api/status` display settings per site root, with when they were read. */
export const sitesItem = storage.defineItem<SiteCache>(`local:${STORED.sites}`, { fallback: {}, version: 1 });

/** Recent `/api/usage/token/` request times per origin (Unix ms), for the shared rate-limit budget. */
export const budgetItem = storage.defineItem<Record<string, number[]>>(`local:${STORED.budget}`, { fallback: {}, version: 1 });

/** Cycles under way, so a successor knows what a dead worker was doing. */
export const cyclesItem = storage.defineItem<Record<string, CycleClaim>>(`local:${STORED.cycles}`, { fallback: {}, version: 1 });

/** `storage.local`, in the shape above. */
const local: StorageArea = {
  get: (keys) => browser.storage.local.get(keys),
  set: (items) => browser.storage.local.set(items),
  remove: (keys) => browser.storage.local.remove(keys),
};

/** Every key's status, kept per key in `storage.local`; `watch` reports any change to one. */
export const statusesItem = {
  ...statusReader(local, () => keysItem.getValue()),
  /** Replaces every status (tests, and the migration of older stored data). */
  async setValue(statuses: Record<string, KeyStatus>): Promise<void> {
    await local.set(Object.fromEntries(Object.entries(statuses).map(([id, status]) => [STORED.status(id), status])));
  },
  watch(callback: (statuses: Record<string, KeyStatus>) => void): () => void {
    const listener = (changes: Record<string, unknown>, area: string) => {
      if (area !== 'local' || !Object.keys(changes).some((k) => k.startsWith('status:') || k === 'keys')) return;
      void statusesItem.getValue().then(callback);
    };
    browser.storage.onChanged.addListener(listener);
    return () => browser.storage.onChanged.removeListener(listener);
  },
};

/** Each key's history, read per key. */
export const historyItem = historyReader(local);

/** Writes a commit to `storage.local`. */
export const commitToStorage = (patch: Commit) => writeCommit(local, patch);

/** Removes the status and history of keys that left the list. */
export const forgetKeys = (before: readonly KeyConfig[] | null, after: readonly KeyConfig[] | null) =>
  forgetRemovedKeys(local, before, after);

/** Brings `storage.local` to the current layout (see lib/migrations.ts). */
export const localArea = local;
