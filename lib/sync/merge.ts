/**
 * The merge of sync (shared/spec/automation.md §6): what two browsers know, joined.
 *
 * A state is keys (by `id`, each with its `updatedAt`), tombstones of deleted keys (by
 * `id`, with `deletedAt`), and the settings and the channels, each a whole with its own
 * `updatedAt`. `mergeStates` is a join: commutative, associative and idempotent, so every
 * browser ends with the same state whatever order the files and changes meet in
 * (tests/sync-merge.test.ts proves it over random histories). The newer version of a key
 * wins (a tie goes to the larger content, so both sides pick the same one); a tombstone
 * wins over every version of its key not newer than it. Tombstones are kept 90 days.
 *
 * `dedupeCredentials` then folds keys that two browsers added independently (same
 * `baseUrl` + secret, different ids) into one: the newer stays and the other is
 * deleted with a tombstone. It depends on the state alone, so browsers agree on it too.
 */

import { keyIdentity } from '../key-save';

/** How long a deletion is remembered, so a browser that was away meanwhile does not bring the key back. */
export const TOMBSTONE_DAYS = 90;
export const TOMBSTONE_MS = TOMBSTONE_DAYS * 24 * 60 * 60 * 1000;

export interface Tombstone {
  id: string;
  deletedAt: number;
}

/** A key as sync carries it: at least an id and when it last changed. */
export interface SyncKey {
  id: string;
  updatedAt: number;
  baseUrl: string;
  secret: string;
}

/** Something that travels whole, with the time of its last change (settings, the channel list). */
export interface Stamped<T> {
  value: T;
  updatedAt: number;
}

export interface SyncState<K extends SyncKey = SyncKey, S = unknown, C = unknown> {
  keys: K[];
  deleted: Tombstone[];
  settings?: Stamped<S>;
  channels?: Stamped<C>;
}

/** JSON text of a value with its properties in one order: equal values give equal text. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The later of two versions; the same one whichever comes first. */
function later<T extends { updatedAt: number }>(a: T, b: T): T {
  if (a.updatedAt !== b.updatedAt) return a.updatedAt > b.updatedAt ? a : b;
  return canonical(a) >= canonical(b) ? a : b;
}

function laterStamped<T>(a: Stamped<T> | undefined, b: Stamped<T> | undefined): Stamped<T> | undefined {
  if (!a) return b;
  if (!b) return a;
  return later(a, b);
}

/** Tombstones still remembered at `now`, one per id (the latest), ordered by id. */
export function liveTombstones(lists: readonly (readonly Tombstone[])[], now: number): Tombstone[] {
  const latest = new Map<string, number>();
  for (const list of lists)
    for (const { id, deletedAt } of list) {
      if (deletedAt < now - TOMBSTONE_MS) continue;
      latest.set(id, Math.max(latest.get(id) ?? Number.NEGATIVE_INFINITY, deletedAt));
    }
  return [...latest].map(([id, deletedAt]) => ({ id, deletedAt })).sort(byId);
}

/** Joins two states at `now`: keys by id (newer wins), deleted keys gone, tombstones kept 90 days. */
export function mergeStates<K extends SyncKey, S, C>(a: SyncState<K, S, C>, b: SyncState<K, S, C>, now: number): SyncState<K, S, C> {
  const deleted = liveTombstones([a.deleted, b.deleted], now);
  const deletedAt = new Map(deleted.map((t) => [t.id, t.deletedAt]));
  const keys = new Map<string, K>();
  for (const key of [...a.keys, ...b.keys]) {
    const known = keys.get(key.id);
    keys.set(key.id, known ? later(known, key) : key);
  }
  const live = [...keys.values()].filter((key) => !(key.updatedAt <= (deletedAt.get(key.id) ?? Number.NEGATIVE_INFINITY))).sort(byId);
  const settings = laterStamped(a.settings, b.settings);
  const channels = laterStamped(a.channels, b.channels);
  return { keys: live, deleted, ...(settings ? { settings } : {}), ...(channels ? { channels } : {}) };
}

/**
 * Folds keys with one credential (`baseUrl` + secret) and different ids into the newest
 * of them (ties: the smallest id); the others get a tombstone no older than either,
 * so they do not come back from a browser that still holds them unchanged.
 */
export function dedupeCredentials<K extends SyncKey, S, C>(state: SyncState<K, S, C>): SyncState<K, S, C> {
  const groups = new Map<string, K[]>();
  for (const key of state.keys) {
    const identity = keyIdentity(key);
    groups.set(identity, [...(groups.get(identity) ?? []), key]);
  }
  const extra: Tombstone[] = [];
  const kept = new Set<K>();
  for (const group of groups.values()) {
    const winner = group.reduce((best, key) =>
      key.updatedAt > best.updatedAt || (key.updatedAt === best.updatedAt && key.id < best.id) ? key : best,
    );
    kept.add(winner);
    for (const key of group) if (key !== winner) extra.push({ id: key.id, deletedAt: Math.max(key.updatedAt, winner.updatedAt) });
  }
  if (!extra.length) return state;
  const deletedAt = new Map(state.deleted.map((t) => [t.id, t.deletedAt]));
  for (const t of extra) deletedAt.set(t.id, Math.max(deletedAt.get(t.id) ?? Number.NEGATIVE_INFINITY, t.deletedAt));
  return {
    ...state,
    keys: state.keys.filter((key) => kept.has(key)),
    deleted: [...deletedAt].map(([id, at]) => ({ id, deletedAt: at })).sort(byId),
  };
}

/** Whether two states hold the same (keys, tombstones, settings, channels), whatever their order. */
export const sameState = (a: SyncState, b: SyncState) => canonical(normal(a)) === canonical(normal(b));

const normal = (s: SyncState) => ({
  keys: [...s.keys].sort(byId),
  deleted: [...s.deleted].sort(byId),
  settings: s.settings ?? null,
  channels: s.channels ?? null,
});
