import { storage } from 'wxt/utils/storage';
import type { Commit, CycleClaim, SiteCache } from './engine';
import type { Point } from './history';
import type { KeyConfig, KeyStatus } from './model';
import { sanitizeOutcome } from './redact';
import { DEFAULT_SETTINGS, type Settings, withDefaults } from './state';

/** The user's keys (config). Written by the options page, and by the background only for a snooze the user asked for. */
export const keysItem = storage.defineItem<KeyConfig[]>('local:keys', { fallback: [], version: 1 });

/** What is known about each key, by key id. Written by the background only. */
export const statusesItem = storage.defineItem<Record<string, KeyStatus>>('local:statuses', { fallback: {}, version: 1 });

/** Settings as stored by version 2, before the default low amounts. */
type SettingsV2 = Omit<Settings, 'defaultLowAmounts'>;

/** Migration steps of the settings item, by the version they produce. */
export const SETTINGS_MIGRATIONS = {
  2: (old: Partial<SettingsV2>): SettingsV2 => ({ ...DEFAULT_SETTINGS, ...old }),
  /** Version 3 added the default low amounts for readings without a granted amount (automation.md §5). */
  3: (old: Partial<SettingsV2>): Settings => withDefaults(old),
};

/** Global settings. Version 2 added expiry and forecast warnings; version 3 the default low amounts. */
export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 3,
  migrations: SETTINGS_MIGRATIONS,
});

/**
 * The last storage write that failed (quota full, disk error), for the badge, the
 * popup and the options page. In `storage.session`, which still works when
 * `storage.local` is full; cleared by the next write that succeeds.
 */
export const storageProblemItem = storage.defineItem<{ at: number; message: string } | null>('session:storageProblem', {
  fallback: null,
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

/**
 * Removes what is stored about keys that no longer exist (statuses, history), at
 * once when a key is deleted, so no reading or gateway text outlives its key.
 * Writes only when something was there.
 */
export async function pruneDeleted(ids: ReadonlySet<string>): Promise<boolean> {
  const [statuses, history] = await Promise.all([statusesItem.getValue(), historyItem.getValue()]);
  const stale = (record: Record<string, unknown>) => Object.keys(record).filter((id) => !ids.has(id));
  const goneStatuses = stale(statuses);
  const goneHistory = stale(history);
  if (goneStatuses.length === 0 && goneHistory.length === 0) return false;
  for (const id of goneStatuses) delete statuses[id];
  for (const id of goneHistory) delete history[id];
  await storage.setItems([
    { item: statusesItem, value: statuses },
    { item: historyItem, value: history },
  ]);
  return true;
}

/**
 * Scrubs statuses written before gateway text was redacted (an update from an older
 * version): each key's secret and anything credential-like leave its stored error and
 * reading. Writes only when something changed.
 */
export async function scrubStoredStatuses(): Promise<boolean> {
  const [keys, statuses] = await Promise.all([keysItem.getValue(), statusesItem.getValue()]);
  const secrets = new Map(keys.map((k) => [k.id, k.secret]));
  let changed = false;
  for (const [id, status] of Object.entries(statuses)) {
    const own = secrets.get(id);
    const mine = own ? [own] : [];
    const next = { ...status };
    if (status.error) {
      const clean = sanitizeOutcome({ ok: false, error: status.error }, mine);
      if (!clean.ok) next.error = { ...status.error, message: clean.error.message };
    }
    if (status.reading) {
      const clean = sanitizeOutcome({ ok: true, reading: status.reading }, mine);
      if (clean.ok) next.reading = clean.reading;
    }
    if (JSON.stringify(next) !== JSON.stringify(status)) {
      statuses[id] = next;
      changed = true;
    }
  }
  if (changed) await statusesItem.setValue(statuses);
  return changed;
}
