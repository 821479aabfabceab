/**
 * lib/storage/migrations.ts: brings what an older version stored to today's layout, one
 * frozen step at a time, then has check.ts check it; refuses a newer layout.
 */

import { checkStored, type StoredCheck } from './check';
import type { StorageArea } from './layout';

import { STORAGE_VERSION } from './layout';

export { STORAGE_VERSION };

const VERSION_KEY = 'storageVersion';

/**
 * One step: reads the layout of version `from` and leaves the layout of `from + 1`. Pure apart from the area.
 *
 * Steps are frozen (as read-frog's are): each carries its own copy of every name, rule
 * and encoding it uses, as they were when the step was written, and calls no helper of
 * the live code. A later change of the history's thinning or of the items' names changes
 * what today's code writes, never what an old step does to old data.
 */
type Step = (area: StorageArea) => Promise<void>;

/**
 * v1 → v2 (issue #7, item 10): every status and every history lived in two whole
 * items (`statuses`, `history`), rewritten in full by every commit. They move to one
 * item per key, and each history is split into its archive and today's points.
 */
export const v001ToV002: Step = async (area) => {
  type Point = [minutes: number, remaining: number];
  // Frozen copy of lib/history.ts `addPoint` and its tiers, as of layout 2.
  const DAY = 24 * 60;
  const TIERS = [
    { maxAgeMinutes: 0, spacingMinutes: 30 },
    { maxAgeMinutes: DAY, spacingMinutes: 60 },
    { maxAgeMinutes: 30 * DAY, spacingMinutes: 6 * 60 },
    { maxAgeMinutes: 400 * DAY, spacingMinutes: 3 * DAY },
  ];
  const addPoint = (series: readonly Point[], at: number, remaining: number): Point[] => {
    const now = Math.floor(at / 60_000);
    const today = now - (now % DAY);
    const kept: Point[] = [];
    let lastSlot = Number.NaN;
    const add = (point: Point) => {
      const age = point[0] >= today ? 0 : today - point[0];
      const tier = TIERS.findIndex((t) => age <= t.maxAgeMinutes);
      if (tier < 0) return;
      const slot = tier * 1e12 + Math.floor(point[0] / (TIERS[tier] as (typeof TIERS)[number]).spacingMinutes);
      if (slot === lastSlot) kept[kept.length - 1] = point;
      else kept.push(point);
      lastSlot = slot;
    };
    for (const point of series) if (point[0] < now) add(point);
    add([now, remaining]);
    return kept;
  };
  // Layout 2's item names (lib/storage/layout.ts `STORED` then).
  const statusItem = (id: string) => `status:${id}`;
  const archiveItem = (id: string) => `history:${id}`;
  const todayItem = (id: string) => `today:${id}`;

  const old = await area.get(['statuses', 'history']);
  const statuses = (old.statuses ?? {}) as Record<string, unknown>;
  const history = (old.history ?? {}) as Record<string, Point[]>;
  const items: Record<string, unknown> = {};
  for (const [id, status] of Object.entries(statuses)) if (status) items[statusItem(id)] = status;
  for (const [id, series] of Object.entries(history)) {
    if (!Array.isArray(series) || series.length === 0) continue;
    // Re-thinned with the rules of layout 2, so the archive is stable from the first write on.
    const last = series.at(-1) as Point;
    const rethinned = series.reduce<Point[]>((acc, [t, v]) => addPoint(acc, t * 60_000, v), []);
    const newestDay = last[0] - (last[0] % DAY);
    items[archiveItem(id)] = rethinned.filter(([t]) => t < newestDay);
    items[todayItem(id)] = rethinned.filter(([t]) => t >= newestDay);
  }
  if (Object.keys(items).length) await area.set(items);
  await area.remove(['statuses', 'statuses$', 'history', 'history$']);
};

/**
 * v2 → v3 (issue #9): each key's status is stored as its JSON text, which a page reads
 * several times faster (lib/storage/layout.ts `encodeStatus`). Values are kept as they
 * are: one that fails the schema stays for the check to report.
 */
export const v002ToV003: Step = async (area) => {
  // Layout 3's name of a key's status item and its encoding, frozen.
  const statusItem = (id: string) => `status:${id}`;
  const encode = (status: unknown) => JSON.stringify(status);

  const { keys } = await area.get(['keys']);
  const ids = (Array.isArray(keys) ? keys : []).map((k) => (k as { id?: unknown })?.id).filter((id) => typeof id === 'string');
  const found = await area.get(ids.map(statusItem));
  const items: Record<string, string> = {};
  for (const [key, value] of Object.entries(found)) if (value !== undefined && typeof value !== 'string') items[key] = encode(value);
  if (Object.keys(items).length) await area.set(items);
};

/** Numbered steps: `STEPS[n]` migrates from version n to n + 1. */
const STEPS: Record<number, Step> = { 1: v001ToV002, 2: v002ToV003 };

/**
 * Stored data in a layout newer than this version's (a newer Quota Glance wrote it, then
 * this older one was installed, or synced in by the browser): it is neither migrated nor
 * written over, and nothing that writes runs until the extension is updated.
 */
export class NewerStorageError extends Error {
  // A field, not a parameter property: Node's type stripping (npm run bench, simulate) refuses those.
  readonly found: number;
  constructor(found: number) {
    super(`stored data has layout ${found}, newer than the ${STORAGE_VERSION} this version reads: nothing was changed`);
    this.found = found;
    this.name = 'NewerStorageError';
  }
}

/**
 * Brings stored data to the current layout, one step at a time, recording each step
 * as it completes so a worker stopped half-way resumes where it was. A fresh install
 * (nothing stored) starts at the current version. Then checks what is stored
 * (lib/storage/check.ts) and hands what fails to `report`. Returns the version found.
 *
 * A layout newer than `STORAGE_VERSION` is reported (`newer`) and refused: nothing is
 * written, and it throws `NewerStorageError`.
 */
export async function migrateStorage(area: StorageArea, report?: (check: StoredCheck) => Promise<void> | void): Promise<number> {
  const found = await area.get([VERSION_KEY, 'keys', 'statuses']);
  let version =
    typeof found[VERSION_KEY] === 'number' ? (found[VERSION_KEY] as number) : found.keys || found.statuses ? 1 : STORAGE_VERSION;
  if (version > STORAGE_VERSION) {
    await report?.({ keys: 0, settings: [], statuses: 0, caches: 0, newer: { layout: version, reads: STORAGE_VERSION } });
    throw new NewerStorageError(version);
  }
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
