/**
 * lib/storage/items.ts: the storage items, what every page and the background read and
 * write (`keysItem`, `settingsItem` with its defaults, `statusesItem`, the caches, the
 * session's problem notes), over WXT's storage and `browser.storage`. How each is laid
 * out in `storage.local` is layout.ts; what reads check is shape.ts and check.ts.
 */
import { browser } from 'wxt/browser';
import { storage, type WxtStorageItem } from 'wxt/utils/storage';
import type { Commit, CycleClaim, SiteCache } from '../engine';
import type { KeyConfig, KeyStatus } from '../model';
import { fitStatus } from '../reading-budget';
import { sanitizeError, sanitizeReading } from '../redact';
import type { AlertSettings } from '../settings-v3';
import { DEFAULT_SETTINGS, type Settings, withDefaults } from '../state';
import type { StoredCheck } from './check';
import {
  type ChangeEvents,
  encodeStatus,
  forgetRemovedKeys,
  historyReader,
  STORED,
  type StorageArea,
  statusReader,
  watchStatuses,
  writeCommit,
} from './layout';
import { isBudget, isCycles, isSiteCache, splitKeys } from './shape';
import { pruned, sitesInUse } from './site-caches';

export { STORED, type StorageArea } from './layout';

/** The stored key list as it is, entries that cannot be used included. */
const storedKeysItem = storage.defineItem<KeyConfig[]>('local:keys', { fallback: [], version: 1 });

/** An item whose reads (and watchers) get what is stored through `read`; its writes store what they are given. */
const readThrough = <T>(item: WxtStorageItem<T, Record<string, unknown>>, read: (stored: T) => T): typeof item => ({
  ...item,
  getValue: () => item.getValue().then(read),
  watch: (callback) => item.watch((next, previous) => callback(read(next), read(previous))),
});

/**
 * The user's keys (config). Written by the background's key writer (lib/storage/keys.ts).
 * Reads give the keys that can be used; an entry that cannot (hand-edited storage, a
 * damaged profile) is never dropped: every write puts it back after the keys written,
 * unchanged, and lib/storage/check.ts reports it (issue #7, item 15).
 */
export const keysItem: typeof storedKeysItem = {
  ...readThrough(storedKeysItem, (stored) => splitKeys(stored).keys),
  async setValue(keys) {
    const { unusable } = splitKeys(await storedKeysItem.getValue());
    await storedKeysItem.setValue(unusable.length ? [...keys, ...(unusable as KeyConfig[])] : keys);
  },
};

/** The key list without the entries that cannot be read: only when the user asks (the options page). */
export async function dropUnreadableKeys(): Promise<void> {
  const { keys, unusable } = splitKeys(await storedKeysItem.getValue());
  if (unusable.length) await storedKeysItem.setValue(keys);
}

/** The stored entries that cannot be read as keys, exactly as stored (for the user to keep a copy). */
export async function unreadableKeys(): Promise<unknown[]> {
  return splitKeys(await storedKeysItem.getValue()).unusable;
}

/** Settings as stored by version 2, before the default low amounts. */
type SettingsV2 = Omit<Settings, 'defaultLowAmounts'>;

/** Migration steps of the settings item, by the version they produce. */
export const SETTINGS_MIGRATIONS = {
  2: (old: Partial<SettingsV2>): SettingsV2 => ({ ...DEFAULT_SETTINGS, ...old }),
  /** Version 3 added the default low amounts for readings without a granted amount (automation.md §5). */
  3: (old: Partial<SettingsV2>): Omit<Settings, 'windowLowPercent'> => withDefaults(old),
  /** Version 4 added the low share of quota windows (automation.md §4.1). */
  4: (old: Partial<Settings>): Settings => withDefaults(old),
};

/**
 * Global settings as stored. Version 2 added expiry and forecast warnings; version 3 the
 * default low amounts; version 4 the low share of quota windows. Only what checks the
 * stored values themselves reads this (components/StorageProblem.tsx); everyone else
 * reads `settingsItem`.
 */
export const storedSettingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 4,
  migrations: SETTINGS_MIGRATIONS,
});

/**
 * Global settings, given back with their defaults applied (lib/state.ts `withDefaults`):
 * a setting that is missing or cannot be used reads as its default, alone, so no reader
 * completes them itself. Written as given.
 */
export const settingsItem = readThrough(storedSettingsItem, withDefaults);

/**
 * Version 3's alert settings (`notifyRestored`, `digestHour`), apart from `settings` until
 * lib/schema.ts takes them in. Stored as written; readers go through lib/settings-v3.ts
 * `alertSettingsWithDefaults` (zod stays out of the popup, which imports this module).
 */
export const alertSettingsItem = storage.defineItem<Partial<AlertSettings>>('local:alertSettings', { fallback: {}, version: 1 });

/**
 * Alert channels (automation.md §3.4, §5.1), stored as written; readers split them with
 * lib/channels.ts `splitChannels` and write back the entries they cannot use unchanged.
 */
export const channelsItem = storage.defineItem<unknown[]>('local:channels', { fallback: [], version: 1 });

/**
 * The last storage write that failed (quota full, disk error), for the badge, the
 * popup and the options page. In `storage.session`, which still works when
 * `storage.local` is full; cleared by the next write that succeeds.
 */
export const storageProblemItem = storage.defineItem<{ at: number; message: string } | null>('session:storageProblem', {
  fallback: null,
});

/** What stored data could not be read (lib/storage/check.ts), and when that was found. */
export type StoredProblems = StoredCheck & { at: number };

/**
 * Stored data that could not be read, for the popup and the options page (components/StorageProblem.tsx).
 * In `storage.session`, checked again at each start of the background.
 */
export const storedProblemsItem = storage.defineItem<StoredProblems | null>('session:storedProblems', { fallback: null });

/** A cache item that reads as empty when what is stored cannot be used (it is rebuilt by the next read). */
function orEmpty<T extends object>(item: WxtStorageItem<T, Record<string, unknown>>, usable: (v: unknown) => boolean) {
  return {
    ...item,
    getValue: async (): Promise<T> => {
      const value = await item.getValue();
      return usable(value) ? value : ({} as T);
    },
  };
}

/** Records what the check after the migrations found (lib/storage/migrations.ts), or clears it when all is well. */
export async function reportStoredProblems(check: StoredCheck): Promise<void> {
  const found = !!check.newer || check.keys + check.statuses + check.caches + check.settings.length > 0;
  await storedProblemsItem.setValue(found ? { ...check, at: Date.now() } : null);
}

/** Cached `/api/status` display settings per site root, with when they were read. */
// Marked pure: a page that never reads a cache (the popup) leaves it, and its checks, out of its bundle.
export const sitesItem = /* @__PURE__ */ orEmpty(
  /* @__PURE__ */ storage.defineItem<SiteCache>(`local:${STORED.sites}`, { fallback: {}, version: 1 }),
  isSiteCache,
);

/** Recent `/api/usage/token/` request times per origin (Unix ms), for the shared rate-limit budget. */
export const budgetItem = /* @__PURE__ */ orEmpty(
  /* @__PURE__ */ storage.defineItem<Record<string, number[]>>(`local:${STORED.budget}`, { fallback: {}, version: 1 }),
  isBudget,
);

/** Cycles under way, so a successor knows what a dead worker was doing. */
export const cyclesItem = /* @__PURE__ */ orEmpty(
  /* @__PURE__ */ storage.defineItem<Record<string, CycleClaim>>(`local:${STORED.cycles}`, { fallback: {}, version: 1 }),
  isCycles,
);

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
    await local.set(Object.fromEntries(Object.entries(statuses).map(([id, status]) => [STORED.status(id), encodeStatus(status)])));
  },
  watch: (callback: (statuses: Record<string, KeyStatus>) => void): (() => void) =>
    watchStatuses(browser.storage.onChanged as ChangeEvents, () => statusesItem.getValue(), callback),
};

/** Each key's history, read per key. */
export const historyItem = /* @__PURE__ */ historyReader(local);

/** Writes a commit to `storage.local`. */
export const commitToStorage = (patch: Commit) => writeCommit(local, patch);

/** Removes the status and history of keys that left the list. */
export async function forgetKeys(before: readonly KeyConfig[] | null, after: readonly KeyConfig[] | null): Promise<string[]> {
  // The list as it is now counts too: a key back by the time this runs keeps its data.
  const kept = [...(after ?? []), ...(await keysItem.getValue())];
  const gone = await forgetRemovedKeys(local, before, kept);
  if (gone.length) await forgetUnusedSites(kept);
  return gone;
}

/** The site caches (`sites`, `tokenRouteBudget`) without the sites no key uses any more (lib/storage/site-caches.ts). */
async function forgetUnusedSites(keys: readonly KeyConfig[]): Promise<void> {
  const { roots, origins } = sitesInUse(keys);
  const [sites, budget] = await Promise.all([sitesItem.getValue(), budgetItem.getValue()]);
  const [keptSites, keptBudget] = [pruned(sites, roots), pruned(budget, origins)];
  if (keptSites !== sites) await sitesItem.setValue(keptSites);
  if (keptBudget !== budget) await budgetItem.setValue(keptBudget);
}

/** Brings `storage.local` to the current layout (see lib/storage/migrations.ts). */
export const localArea = local;

/**
 * Scrubs statuses written before gateway text was redacted, or before every string of a
 * reading was (an update from an older version): each key's secret, anything
 * credential-like and any control or text-direction character leave its stored error
 * and reading, at any depth (a watched account's token names, plan titles, their
 * errors). Writes only when something changed.
 */
export async function scrubStoredStatuses(): Promise<boolean> {
  const [keys, statuses] = await Promise.all([keysItem.getValue(), statusesItem.getValue()]);
  const before = { ...statuses };
  const secrets = new Map(keys.map((k) => [k.id, k.secret]));
  let changed = false;
  for (const [id, status] of Object.entries(statuses)) {
    const own = secrets.get(id);
    const mine = own ? [own] : [];
    let next = { ...status };
    if (status.error) next.error = sanitizeError(status.error, mine);
    if (status.reading) next.reading = sanitizeReading(status.reading, mine);
    // A status stored before the byte budget (lib/reading-budget.ts) is brought within it too.
    next = fitStatus(next);
    if (JSON.stringify(next) !== JSON.stringify(status)) {
      statuses[id] = next;
      changed = true;
    }
  }
  // Only the statuses that changed are written.
  if (changed) await statusesItem.setValue(Object.fromEntries(Object.entries(statuses).filter(([id, s]) => s !== before[id])));
  return changed;
}
