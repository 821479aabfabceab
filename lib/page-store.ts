/**
 * The popup's view of storage: the same stored items the background and the options
 * page read through `@wxt-dev/storage` (lib/storage.ts), read here straight from the
 * browser's own promise-based `storage` API. The popup only reads (and writes its own
 * appearance), so it needs neither `@wxt-dev/storage` nor the webextension polyfill:
 * together about 4.5 KB of its 30 KB gzip budget, and the time to parse them on every
 * opening (issue #19, item 6). Every API used here returns promises natively in
 * Chrome's MV3 and in Firefox.
 *
 * Values read here are what the items give: settings with their defaults; appearance as
 * stored, completed by `appearanceOf` where used.
 */
import { browser } from '@wxt-dev/browser';
import type { ChannelStatuses } from './alert-channels/deliver';
import type { Appearance } from './appearance';
import type { KeyConfig, KeyStatus } from './model';
import { type Settings, withDefaults } from './state';
import type { StoredCheck } from './storage/check';
import { type ChangeEvents, STORAGE_VERSION, STORED, type StorageArea, statusReader, watchStatuses } from './storage/layout';
import { splitKeys } from './storage/shape';
import type { Watchable } from './storage/use-stored';

type AreaName = 'local' | 'session';

/** `storage.local`, in the shape lib/storage/layout.ts reads. */
export const pageLocal: StorageArea = {
  get: (keys) => browser.storage.local.get(keys),
  set: (items) => browser.storage.local.set(items),
  remove: (keys) => browser.storage.local.remove(keys),
};

/** One stored value, read and watched; `read` turns what is stored (or nothing) into the value (also for a page that read it already). */
function stored<T>(area: AreaName, key: string, read: (raw: unknown) => T): Watchable<T> & { key: string; read: (raw: unknown) => T } {
  return {
    key,
    read,
    getValue: async () => read((await browser.storage[area].get(key))[key]),
    watch(callback) {
      const listener = (changes: Record<string, { newValue?: unknown }>, changed: string) => {
        if (changed === area && key in changes) callback(read(changes[key]?.newValue));
      };
      browser.storage.onChanged.addListener(listener);
      return () => browser.storage.onChanged.removeListener(listener);
    },
  };
}

const orNull = <T>(raw: unknown) => (raw ?? null) as T | null;

/** The keys that can be used (a malformed stored entry is kept in storage and reported, never shown). */
export const pageKeys = stored<KeyConfig[]>('local', 'keys', (raw) => splitKeys(raw).keys);

/** Settings with their defaults, as lib/storage/items.ts `settingsItem` gives them. */
export const settingsOf = (raw: unknown): Settings => withDefaults((raw ?? undefined) as Partial<Settings> | undefined);
export const pageSettings = stored<Settings>('local', 'settings', settingsOf);

/** How the pages look, as stored; the popup writes it when the person changes the sort or grouping. */
export const pageAppearance = {
  ...stored<Partial<Appearance> | undefined>('local', 'appearance', (raw) => raw as Partial<Appearance> | undefined),
  setValue: (value: Appearance) => browser.storage.local.set({ appearance: value }),
};

/** Every key's status, kept per key (lib/storage/layout.ts); `watch` reports any change to one. */
export const pageStatuses: Watchable<Record<string, KeyStatus>> = {
  ...statusReader(pageLocal, () => pageKeys.getValue()),
  watch: (callback) => watchStatuses(browser.storage.onChanged as ChangeEvents, () => pageStatuses.getValue(), callback),
};

/** One key's stored status, as stored (text or, before storage version 3, an object). */
export const storedStatus = async (id: string): Promise<unknown> => (await pageLocal.get([STORED.status(id)]))[STORED.status(id)];

/** The last storage write that failed (lib/storage/items.ts `storageProblemItem`). */
export const pageStorageProblem = stored('session', 'storageProblem', orNull<{ at: number; message: string }>);

/** Stored data that could not be read (lib/storage/items.ts `storedProblemsItem`). */
export const pageStoredProblems = stored('session', 'storedProblems', orNull<StoredCheck & { at: number }>);

/** Each alert channel's delivery status (lib/alert-channels/status-item.ts). */
export const pageChannelStatus = stored<ChannelStatuses>('local', 'channelStatus', (raw) => (raw ?? {}) as ChannelStatuses);

/**
 * Stored data of a newer layout than this version reads (`storageVersion`), as the
 * stored-data note says it, for a popup opened before the background started and
 * reported it (lib/storage/migrations.ts); null otherwise.
 */
export const newerLayout = (version: unknown, now: number): (StoredCheck & { at: number }) | null =>
  typeof version === 'number' && version > STORAGE_VERSION
    ? { at: now, keys: 0, settings: [], statuses: 0, caches: 0, newer: { layout: version, reads: STORAGE_VERSION } }
    : null;
