/**
 * lib/storage/check.ts: the full check of what is stored, against the schemas of lib/schema.ts, run after
 * the migrations (lib/storage/migrations.ts). It reports and never deletes: a key that fails
 * stays in the list unchanged (reads leave it out, see lib/storage/items.ts `keysItem`), a
 * setting that fails falls back to its default alone (lib/state.ts `withDefaults`), a
 * status that fails is treated as unknown until the key is read again, and a cache or
 * history that fails reads as empty. Background only: zod stays out of the popup.
 */
import type { z } from 'zod';
import {
  budgetSchema,
  cyclesSchema,
  keyConfigSchema,
  keyStatusSchema,
  lowAmountsSchema,
  type Settings,
  seriesSchema,
  settingsSchema,
  siteCacheSchema,
} from '../schema';
import { decodeStatus, STORED, type StorageArea } from './layout';

/** What the check found (zeros and an empty list when all is well). */
export interface StoredCheck {
  /** Entries of the key list that cannot be used; they are kept unchanged. */
  keys: number;
  /** Settings that fell back to their defaults. */
  settings: string[];
  /** Keys whose stored status cannot be used (shown as not yet read until the next read). */
  statuses: number;
  /** Caches and histories that cannot be used (read as empty). */
  caches: number;
  /** Stored data of a newer layout than this version reads (lib/storage/migrations.ts): nothing was read or changed. */
  newer?: { layout: number; reads: number };
}

const ok = (schema: z.ZodType, value: unknown) => schema.safeParse(value).success;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The entries of a stored key list that fail the schema (a list that is not one counts as one). */
export function unreadableKeys(stored: unknown): unknown[] {
  if (stored === undefined || stored === null) return [];
  if (!Array.isArray(stored)) return [stored];
  return stored.filter((entry) => !ok(keyConfigSchema, entry));
}

/**
 * The settings that are stored but fail their schema, by name (`defaultLowAmounts.USD`
 * for one unit of the low amounts). A missing setting is not a problem: it is new.
 */
export function unreadableSettings(stored: unknown): string[] {
  if (stored === undefined || stored === null) return [];
  if (!isObject(stored)) return ['settings'];
  const bad: string[] = [];
  for (const [field, schema] of Object.entries(settingsSchema.shape) as [keyof Settings, z.ZodType][]) {
    const value = stored[field];
    if (value === undefined) continue;
    if (field === 'defaultLowAmounts' && isObject(value)) {
      for (const [unit, unitSchema] of Object.entries(lowAmountsSchema.shape)) {
        if (value[unit] !== undefined && !ok(unitSchema, value[unit])) bad.push(`${field}.${unit}`);
      }
    } else if (!ok(schema, value)) bad.push(field);
  }
  return bad;
}

/** Checks everything stored in the current layout; see the module's comment for what becomes of a failure. */
export async function checkStored(area: StorageArea): Promise<StoredCheck> {
  const found = await area.get(['keys', 'settings', STORED.sites, STORED.budget, STORED.cycles]);
  const list = Array.isArray(found.keys) ? found.keys : [];
  const ids = list.filter((k) => ok(keyConfigSchema, k)).map((k) => (k as { id: string }).id);
  const perKey = await area.get(ids.flatMap((id) => [STORED.status(id), STORED.archive(id), STORED.today(id)]));
  const present = (key: string) => perKey[key] !== undefined;
  const statuses = ids.filter((id) => present(STORED.status(id)) && !ok(keyStatusSchema, decodeStatus(perKey[STORED.status(id)]))).length;
  const series = ids
    .flatMap((id) => [STORED.archive(id), STORED.today(id)])
    .filter((key) => present(key) && !ok(seriesSchema, perKey[key])).length;
  const caches = (
    [
      [siteCacheSchema, found[STORED.sites]],
      [budgetSchema, found[STORED.budget]],
      [cyclesSchema, found[STORED.cycles]],
    ] as const
  ).filter(([schema, value]) => value !== undefined && !ok(schema, value)).length;
  return { keys: unreadableKeys(found.keys).length, settings: unreadableSettings(found.settings), statuses, caches: caches + series };
}
