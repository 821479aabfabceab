import { addPoint, type Point } from './history';
import type { KeyStatus } from './model';
import { encodeStatus, STORED, type StorageArea } from './storage-layout';
import { checkStored, type StoredCheck } from './stored';

/** The layout of `storage.local` this version writes; older layouts are migrated step by step. */
export const STORAGE_VERSION = 3;
const VERSION_KEY = 'storageVersion';

/** One step: reads the layout of version `from` and leaves the layout of `from + 1`. Pure apart from the area. */
type Step = (area: StorageArea) => Promise<void>;

/**
 * v1 → v2 (issue #7, item 10): every status and every history lived in two whole
 * items (`statuses`, `history`), rewritten in full by every commit. They move to one
 * item per key, and each history is split into its archive and today's points.
 */
export const v001ToV002: Step = async (area) => {
  const old = await area.get(['statuses', 'history']);
  const statuses = (old.statuses ?? {}) as Record<string, unknown>;
  const history = (old.history ?? {}) as Record<string, Point[]>;
  const items: Record<string, unknown> = {};
  for (const [id, status] of Object.entries(statuses)) if (status) items[STORED.status(id)] = status;
  for (const [id, series] of Object.entries(history)) {
    if (!Array.isArray(series) || series.length === 0) continue;
    // Re-thinned with today's rules, so the archive is stable from the first write on.
    const last = series.at(-1) as Point;
    const rethinned = series.reduce<Point[]>((acc, [t, v]) => addPoint(acc, t * 60_000, v), []);
    const newestDay = last[0] - (last[0] % (24 * 60));
    items[STORED.archive(id)] = rethinned.filter(([t]) => t < newestDay);
    items[STORED.today(id)] = rethinned.filter(([t]) => t >= newestDay);
  }
  if (Object.keys(items).length) await area.set(items);
  await area.remove(['statuses', 'statuses$', 'history', 'history$']);
};

/**
 * v2 → v3 (issue #9): each key's status is stored as its
 * JSON text, which a page reads several times faster (lib/storage-layout.ts
 * `encodeStatus`). Values are kept as they are: one that fails the schema stays for
 * the check to report.
 */
export const v002ToV003: Step = async (area) => {
  const { keys } = await area.get(['keys']);
  const ids = (Array.isArray(keys) ? keys : []).map((k) => (k as { id?: unknown })?.id).filter((id) => typeof id === 'string');
  const found = await area.get(ids.map(STORED.status));
  const items: Record<string, string> = {};
  for (const [key, value] of Object.entries(found))
    if (value !== undefined && typeof value !== 'string') items[key] = encodeStatus(value as KeyStatus);
  if (Object.keys(items).length) await area.set(items);
};

/** Numbered steps: `STEPS[n]` migrates from version n to n + 1. */
const STEPS: Record<number, Step> = { 1: v001ToV002, 2: v002ToV003 };

/**
 * Brings stored data to the current layout, one step at a time, recording each step
 * as it completes so a worker stopped half-way resumes where it was. A fresh install
 * (nothing stored) starts at the current version. Then checks what is stored
 * (lib/stored.ts) and hands what fails to `report`. Returns the version found.
 */
export async function migrateStorage(area: StorageArea, report?: (check: StoredCheck) => Promise<void> | void): Promise<number> {
  const found = await area.get([VERSION_KEY, 'keys', 'statuses']);
  let version =
    typeof found[VERSION_KEY] === 'number' ? (found[VERSION_KEY] as number) : found.keys || found.statuses ? 1 : STORAGE_VERSION;
  const start = version;
  while (version < STORAGE_VERSION) {
    const step = STEPS[version];
    if (!step) throw new Error(`no migration from storage version ${version}`);
    await step(area);
    version++;
    await area.set({ [VERSION_KEY]: version });
  }
  if (found[VERSION_KEY] === undefined && start === STORAGE_VERSION) await area.set({ [VERSION_KEY]: version });
  // Then what is stored is checked against the schemas: failures are reported, nothing is deleted.
  await report?.(await checkStored(area));
  return start;
}
