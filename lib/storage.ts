import { storage } from 'wxt/utils/storage';
import type { Commit, CycleClaim, SiteCache } from './engine';
import type { Point } from './history';
import type { KeyConfig, KeyStatus } from './model';
import { DEFAULT_SETTINGS, type Settings } from './state';

/** The user's keys (config). Written by the options page, and by the background only for a snooze the user asked for. */
export const keysItem = storage.defineItem<KeyConfig[]>('local:keys', { fallback: [], version: 1 });

/** What is known about each key, by key id. Written by the background only. */
export const statusesItem = storage.defineItem<Record<string, KeyStatus>>('local:statuses', { fallback: {}, version: 1 });

/** Global settings. Version 2 added expiry and forecast warnings. */
export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 2,
  migrations: {
    2: (old: Partial<Settings>): Settings => ({ ...DEFAULT_SETTINGS, ...old }),
  },
});

/** Cached `/api/status` display settings per site root, with when they were read. */
export const sitesItem = storage.defineItem<SiteCache>('local:sites', { fallback: {}, version: 1 });

/** Recent `/api/usage/token/` request times per origin (Unix ms), for the shared rate-limit budget. */
export const budgetItem = storage.defineItem<Record<string, number[]>>('local:tokenRouteBudget', { fallback: {}, version: 1 });

/** Cycles under way, so a successor knows what a dead worker was doing. */
export const cyclesItem = storage.defineItem<Record<string, CycleClaim>>('local:cycles', { fallback: {}, version: 1 });

/** Each key's remaining amount over time, downsampled by age. */
export const historyItem = storage.defineItem<Record<string, Point[]>>('local:history', { fallback: {}, version: 1 });

/** Writes a commit's items in one `storage.local.set`. */
export async function commitToStorage(patch: Commit): Promise<void> {
  const items = [
    patch.statuses && { item: statusesItem, value: patch.statuses },
    patch.sites && { item: sitesItem, value: patch.sites },
    patch.budget && { item: budgetItem, value: patch.budget },
    patch.cycles && { item: cyclesItem, value: patch.cycles },
    patch.history && { item: historyItem, value: patch.history },
  ].filter((entry) => !!entry);
  if (items.length) await storage.setItems(items as Parameters<typeof storage.setItems>[0]);
}
