/**
 * What sync keeps in `storage.local` (never imported by the popup): the tombstones of
 * deleted keys, when the settings and the channel list last changed, and the status the
 * options page shows. The WebDAV password and the vault key are not here: they are kept
 * in IndexedDB (lib/sync/key-db.ts), and only while sync is on.
 */
import { browser } from 'wxt/browser';
import { storage } from 'wxt/utils/storage';
import type { KeyConfig } from '../model';
import { unreadableKeys } from '../storage/items';
import type { KeyListWrite, KeyTombstone } from '../storage/keys';
import { liveTombstones } from './merge';

/** Tombstones of deleted keys (automation.md §6), written in the same storage write as the deletion. */
export const TOMBSTONES_KEY = 'keyTombstones';
export const tombstonesItem = storage.defineItem<KeyTombstone[]>(`local:${TOMBSTONES_KEY}`, { fallback: [] });

/** When the settings and the channel list last changed here, and what they were then (a canonical text). */
export interface Stamp {
  at: number;
  hash: string;
}
export interface SyncStamps {
  settings?: Stamp;
  channels?: Stamp;
}
export const STAMPS_KEY = 'syncStamps';
export const stampsItem = storage.defineItem<SyncStamps>(`local:${STAMPS_KEY}`, { fallback: {} });

export type SyncStatusName = 'off' | 'syncing' | 'ok' | 'error';

/** What the options page shows (`data-sync-status`, `data-sync-at`, `data-sync-error`) and where sync goes. */
export interface SyncStatus {
  status: SyncStatusName;
  /** Unix ms of the last successful sync. */
  at: number | null;
  /** The last failure, readable, no secret in it (English: `data-sync-error`). */
  error: string | null;
  /** What kind of failure, for the page to say it in the person's language (lib/sync/webdav.ts, vault.ts codes). */
  code?: string | null;
  /** The folder and user while sync is on (the password is not here). */
  address?: string;
  user?: string;
}
export const syncStatusItem = storage.defineItem<SyncStatus>('local:syncStatus', {
  fallback: { status: 'off', at: null, error: null },
});

/**
 * Writes the key list and its tombstones in one storage write: a deleted key's tombstone
 * exists exactly when its deletion does. Stored entries that cannot be read as keys stay
 * after the keys written, as lib/storage/items.ts `keysItem` keeps them.
 */
export async function writeKeysWithTombstones(keys: KeyConfig[], write: KeyListWrite | undefined, now: number): Promise<void> {
  const [unusable, tombstones] = await Promise.all([unreadableKeys(), tombstonesItem.getValue()]);
  const next =
    write && 'tombstones' in write ? liveTombstones([write.tombstones], now) : liveTombstones([tombstones, write?.removed ?? []], now);
  await browser.storage.local.set({ keys: unusable.length ? [...keys, ...(unusable as KeyConfig[])] : keys, [TOMBSTONES_KEY]: next });
}
