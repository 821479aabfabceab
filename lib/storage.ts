import { storage } from 'wxt/utils/storage';
import type { KeyConfig, KeyStatus } from './model';
import { DEFAULT_SETTINGS, type Settings } from './state';
import type { SiteDisplay } from './units';

/** The user's keys (config). Written by the options page only. */
export const keysItem = storage.defineItem<KeyConfig[]>('local:keys', { fallback: [], version: 1 });

/** What is known about each key, by key id. Written by the background only. */
export const statusesItem = storage.defineItem<Record<string, KeyStatus>>('local:statuses', { fallback: {}, version: 1 });

/** Global settings. */
export const settingsItem = storage.defineItem<Settings>('local:settings', { fallback: DEFAULT_SETTINGS, version: 1 });

/** Cached `/api/status` display settings per site root, with when they were read. */
export const sitesItem = storage.defineItem<Record<string, { display: SiteDisplay; fetchedAt: number }>>('local:sites', {
  fallback: {},
  version: 1,
});

/** Recent `/api/usage/token/` request times per origin (Unix ms), for the shared rate-limit budget. */
export const budgetItem = storage.defineItem<Record<string, number[]>>('local:tokenRouteBudget', { fallback: {}, version: 1 });
