/**
 * lib/storage/layout.ts: the layout of `storage.local`, pure: each item's name (`STORED`),
 * a status's encoding, the per-key readers and the one write of a commit, over any
 * `StorageArea` (the browser's, or one in memory for tests and the benchmark).
 */
import type { Commit } from '../engine/types';
import { errorText } from '../error-text';
import { type Point, splitHistory } from '../history';
import type { KeyConfig, KeyStatus } from '../model';
import { storageRefusedStatus } from '../reading-budget';
import { isSeries, isUsableKey, isUsableStatus } from './shape';

/**
 * Where things live in `storage.local`. Whole-list items for what is small or written
 * rarely (keys, settings, caches); one item per key for what every read changes (its
 * status, today's history points), so a commit writes only the keys it read
 * (issue #7, item 10).
 */
export const STORED = {
  status: (id: string) => `status:${id}`,
  /** A key's history points before the current UTC day: rewritten once a day. */
  archive: (id: string) => `history:${id}`,
  /** A key's history points of the current UTC day: rewritten on each read. */
  today: (id: string) => `today:${id}`,
  sites: 'sites',
  budget: 'tokenRouteBudget',
  cycles: 'cycles',
} as const;

/**
 * The layout of `storage.local` this version writes; older layouts are migrated step by
 * step (./migrations.ts). Here, so the popup can tell a newer layout without loading them.
 */
export const STORAGE_VERSION = 3;

/** The part of `storage.local` this module uses; an in-memory one serves tests and the benchmark. */
export interface StorageArea {
  get(keys: string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string[]): Promise<void>;
}

/**
 * A key's status is stored as its JSON text. Chrome hands a page one string far faster
 * than the same value as objects: 500 statuses read in 11 ms as text, 60 ms as objects,
 * most of the 500-key popup's wait (issue #9, `npm run bench`).
 */
export const encodeStatus = (status: KeyStatus): string => JSON.stringify(status);

/**
 * A stored status as a value: text is parsed; an object (written before storage
 * version 3) is taken as it is. Text that does not parse is handed back as it is, so
 * the schema check reports it and the key reads as not yet read.
 */
export function decodeStatus(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** A stored series, or none when it cannot be used. */
const seriesOrEmpty = (v: unknown): Point[] => (isSeries(v) ? (v as Point[]) : []);

const ids = async (keys: () => Promise<readonly KeyConfig[]>) => (await keys()).filter(isUsableKey).map((k) => k.id);

/** The usable statuses stored for these key ids (one `get`); ids with none, or none usable, are left out. */
export async function readStatuses(area: StorageArea, wanted: readonly string[]): Promise<Record<string, KeyStatus>> {
  if (wanted.length === 0) return {};
  const found = await area.get(wanted.map(STORED.status));
  const statuses: Record<string, KeyStatus> = {};
  for (const id of wanted) {
    // A status that cannot be used is left out: the key is shown as not yet read (issue #7, item 15).
    const status = decodeStatus(found[STORED.status(id)]);
    if (isUsableStatus(status)) statuses[id] = status;
  }
  return statuses;
}

/**
 * Every key's status, read from the per-key items of the keys in the list. Has the
 * `getValue`/`watch` shape of a storage item, so pages use it like one.
 */
export function statusReader(area: StorageArea, keys: () => Promise<readonly KeyConfig[]>) {
  return {
    getValue: async (): Promise<Record<string, KeyStatus>> => readStatuses(area, await ids(keys)),
  };
}

/**
 * The statuses of `keys`, read at the same time as the key list itself: `guess` names the
 * ids the page saw last time, read while the list is on its way; only keys not guessed
 * are read after it. A popup opens after one storage round trip instead of two.
 */
export async function statusesAlongside<K extends KeyConfig>(
  area: StorageArea,
  guess: readonly string[],
  keys: Promise<K[]>,
): Promise<{ keys: K[]; statuses: Record<string, KeyStatus> }> {
  const early = readStatuses(area, guess);
  const list = await keys;
  const guessed = new Set(guess);
  const wanted = list.filter(isUsableKey).map((k) => k.id);
  const [found, late] = await Promise.all([
    early,
    readStatuses(
      area,
      wanted.filter((id) => !guessed.has(id)),
    ),
  ]);
  const statuses: Record<string, KeyStatus> = {};
  for (const id of wanted) {
    const status = found[id] ?? late[id];
    if (status) statuses[id] = status;
  }
  return { keys: list, statuses };
}

/** The part of `storage.onChanged` a status watcher uses. */
export interface ChangeEvents {
  addListener(listener: (changes: Record<string, unknown>, area: string) => void): void;
  removeListener(listener: (changes: Record<string, unknown>, area: string) => void): void;
}

/**
 * Every key's status, read again on each change to a status or the key list; returns the
 * function that stops watching. Only the newest read reports, so a slower read begun
 * before a later write can never put older statuses back on screen.
 */
export function watchStatuses(
  events: ChangeEvents,
  read: () => Promise<Record<string, KeyStatus>>,
  callback: (statuses: Record<string, KeyStatus>) => void,
): () => void {
  let newest = 0;
  const listener = (changes: Record<string, unknown>, area: string) => {
    if (area !== 'local' || !Object.keys(changes).some((k) => k.startsWith('status:') || k === 'keys')) return;
    const ticket = ++newest;
    void read().then((statuses) => {
      if (ticket === newest) callback(statuses);
    });
  };
  events.addListener(listener);
  return () => events.removeListener(listener);
}

/** Each key's history (the stored archive and today's points together), for the keys asked. */
export function historyReader(area: StorageArea) {
  return {
    async getMany(wanted: readonly string[]): Promise<Record<string, Point[]>> {
      if (wanted.length === 0) return {};
      const found = await area.get(wanted.flatMap((id) => [STORED.archive(id), STORED.today(id)]));
      const series: Record<string, Point[]> = {};
      for (const id of wanted) {
        const points = [...seriesOrEmpty(found[STORED.archive(id)]), ...seriesOrEmpty(found[STORED.today(id)])];
        if (points.length) series[id] = points;
      }
      return series;
    },
  };
}

/**
 * A commit the browser refused (storage full, or any write error) and that was then
 * stored key by key: `notStored` names the keys whose status could not be stored in
 * full (each stored as `storageRefusedStatus` if that fitted), `lost` those of them
 * stored not at all, `sharedLost` whether the small whole items (sites, budget, cycles)
 * were refused too. The message is the browser's.
 */
export class CommitRefused extends Error {
  // Plain fields, not parameter properties: Node's type stripping (npm run simulate, bench) refuses those.
  readonly notStored: string[];
  readonly lost: string[];
  readonly sharedLost: boolean;
  constructor(message: string, notStored: string[], lost: string[], sharedLost: boolean, options?: ErrorOptions) {
    super(message, options);
    this.notStored = notStored;
    this.lost = lost;
    this.sharedLost = sharedLost;
    this.name = 'CommitRefused';
  }
}

/**
 * Writes a commit in one `set`: the status
 * of each key read, its points of today, its older points only when they changed
 * (once a day), and the small whole items. When the browser refuses that `set`, what
 * can be stored is stored key by key (`writeKeyByKey`): one key that cannot be
 * written never keeps the others from being stored.
 */
export async function writeCommit(area: StorageArea, patch: Commit): Promise<void> {
  const items: Record<string, unknown> = {};
  for (const [id, status] of Object.entries(patch.statuses ?? {})) items[STORED.status(id)] = encodeStatus(status);
  const history = Object.entries(patch.history ?? {});
  if (history.length) {
    const stored = await area.get(history.map(([id]) => STORED.archive(id)));
    for (const [id, series] of history) {
      const { archive, today } = splitHistory(series);
      items[STORED.today(id)] = today;
      if (JSON.stringify(stored[STORED.archive(id)] ?? []) !== JSON.stringify(archive)) items[STORED.archive(id)] = archive;
    }
  }
  if (patch.sites) items[STORED.sites] = patch.sites;
  if (patch.budget) items[STORED.budget] = patch.budget;
  if (patch.cycles) items[STORED.cycles] = patch.cycles;
  try {
    if (Object.keys(items).length) await area.set(items);
  } catch (error) {
    return writeKeyByKey(area, patch, items, error);
  }
  if (patch.forget?.length) await area.remove(patch.forget.flatMap((id) => [STORED.archive(id), STORED.today(id)]));
}

/**
 * After a refused `set`: space is freed first (series of tokens that are gone), then the
 * small whole items are written, then each key's status with its series as a `set` of
 * its own, smallest first so as many keys as possible are stored. A key that still does
 * not fit is stored as `storageRefusedStatus` (its figures and an error saying so), or
 * not at all. Throws `CommitRefused` when anything was left out; returns when all of it
 * was stored after all (a passing failure).
 */
async function writeKeyByKey(area: StorageArea, patch: Commit, items: Record<string, unknown>, error: unknown): Promise<void> {
  const message = errorText(error);
  const ids = Object.keys(patch.statuses ?? {});
  const groups = new Map<string, Record<string, unknown>>(ids.map((id) => [id, {}]));
  const shared: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(items)) {
    // `status:<id>`, `today:<id>`, `history:<id>`; a watched token's series is `<account>:token:<n>`.
    const colon = name.indexOf(':');
    const of = colon < 0 ? null : name.slice(colon + 1);
    const owner = of === null ? undefined : ids.find((id) => of === id || of.startsWith(`${id}:`));
    const group = owner === undefined ? shared : groups.get(owner);
    if (group) group[name] = value;
  }
  if (patch.forget?.length) await area.remove(patch.forget.flatMap((id) => [STORED.archive(id), STORED.today(id)])).catch(() => undefined);
  let sharedLost = false;
  if (Object.keys(shared).length) await area.set(shared).catch(() => (sharedLost = true));
  const notStored: string[] = [];
  const lost: string[] = [];
  const sized = [...groups].map(([id, group]) => ({ id, group, size: JSON.stringify(group).length })).sort((a, b) => a.size - b.size);
  for (const { id, group } of sized) {
    try {
      await area.set(group);
      continue;
    } catch {
      notStored.push(id);
    }
    try {
      await area.set({ [STORED.status(id)]: encodeStatus(storageRefusedStatus(patch.statuses?.[id] as KeyStatus, message)) });
    } catch {
      lost.push(id);
    }
  }
  if (notStored.length || sharedLost) throw new CommitRefused(message, notStored, lost, sharedLost, { cause: error });
}

/**
 * Removes what is stored about keys that left the list (deleted, or undone from an
 * import), at once: their status and history (issue #7, item 5).
 */
export async function forgetRemovedKeys(
  area: StorageArea,
  before: readonly KeyConfig[] | null | undefined,
  after: readonly KeyConfig[] | null | undefined,
): Promise<string[]> {
  const kept = new Set((after ?? []).map((k) => k.id));
  const gone = (before ?? []).map((k) => k.id).filter((id) => !kept.has(id));
  if (gone.length === 0) return gone;
  // A watched account's tokens and plans have series of their own, named in its status.
  const statuses = await area.get(gone.map(STORED.status));
  const children = gone.flatMap((id) => Object.keys((decodeStatus(statuses[STORED.status(id)]) as KeyStatus | undefined)?.children ?? {}));
  await area.remove([...gone, ...children].flatMap((id) => [STORED.status(id), STORED.archive(id), STORED.today(id)]));
  return gone;
}
