/**
 * lib/storage/keys.ts: the rules of the stored key list's one writer, pure: the changes
 * pages may ask for (`KeyChange`), how each is applied and stamped, and the writer that
 * applies them in order (`createKeyStore`). The background's instance is
 * entrypoints/background/key-writer.ts.
 */
import { errorText } from '../error-text';
import type { KeyConfig } from '../model';

/** Most keys the stored list may hold, however they come (by hand or imported): this writer refuses more. */
export const MAX_STORED_KEYS = 2000;

/** Fields a change may set on a stored key: the writer alone sets `id`, `createdAt` and `updatedAt`. */
export type KeyFields = { [F in keyof Omit<KeyConfig, 'id' | 'createdAt' | 'updatedAt'>]?: KeyConfig[F] | null };

/**
 * One change to the stored key list. Pages never write the list themselves: they send
 * one of these to the background, which applies them one at a time, so two writers
 * (the options page and a notification's snooze button, say) can never undo each
 * other's change by writing back a list they read before the other wrote.
 *
 * Every change to a key gives it a fresh `updatedAt`, strictly greater than the one it
 * had (see `stamp`): later sync compares them. Snoozes count as changes (the person
 * pressed a button). The background never changes a key for itself: the kind it
 * detects for an `auto` key is kept in the key's status (`detectedKind`), not in the key.
 */
export type KeyChange =
  /** Adds a key, or replaces the stored key with the same id. */
  | { type: 'put'; key: KeyConfig }
  /** Removes keys. */
  | { type: 'delete'; ids: string[] }
  /**
   * Changes some fields of one key; `null` removes a field. An edit sends only the
   * fields the person changed, and `expectedUpdatedAt`, the `updatedAt` of the key the
   * editor started from: when the stored key changed (or went) meanwhile, nothing is
   * written and the page is told (`conflict`). Without it (a snooze), the fields are
   * applied to the key as it is now, and a key deleted meanwhile stays deleted.
   */
  | { type: 'patch'; id: string; fields: KeyFields; expectedUpdatedAt?: number }
  /** Replaces the whole list (an import's merge, an undo), but only if it still starts from what the page saw. */
  | { type: 'replace'; keys: KeyConfig[]; expected: string }
  /**
   * Removes the stored entries that cannot be read as keys (hand-edited storage, a
   * damaged profile), which every other change keeps as they are. Asked for by the user.
   */
  | { type: 'dropUnreadable' }
  /**
   * Takes the list a sync merge arrived at (lib/sync/round.ts), as it is: the merge already
   * chose each key's version and time. `deleted` are the tombstones to keep; like `replace`,
   * only if the list still is what the merge started from.
   */
  | { type: 'sync'; keys: KeyConfig[]; deleted: KeyTombstone[]; expected: string };

/** A deleted key, remembered (90 days) so that sync does not bring it back (automation.md §6). */
export interface KeyTombstone {
  id: string;
  deletedAt: number;
}

/** What a write of the list also records: the tombstones of the keys it removes, or (sync) the tombstones to keep. */
export type KeyListWrite = { removed: KeyTombstone[] } | { tombstones: KeyTombstone[] };

/**
 * Why the writer wrote nothing: the key or list changed meanwhile, the list would hold too
 * many keys, or a key saved or edited by hand would be another stored key (its site and secret).
 */
export type KeyChangeRefusal = 'conflict' | 'too-many' | 'duplicate';

/**
 * A key's identity as a string: its site address and its secret. Two keys with one identity
 * are one key, whatever their ids, labels or kinds (lib/key-save.ts `sameKey`).
 */
export const keyIdentity = (key: Pick<KeyConfig, 'baseUrl' | 'secret'>): string => `${key.baseUrl}\n${key.secret}`;

/**
 * The stored key that a key put or patched by hand would duplicate: another key of `next`
 * with its identity, when it did not have that identity before the change. A list that
 * already holds two such keys (from an older version) may still change otherwise.
 */
export function duplicateOf(before: readonly KeyConfig[], next: readonly KeyConfig[], id: string): KeyConfig | undefined {
  const changed = next.find((k) => k.id === id);
  const previous = before.find((k) => k.id === id);
  if (!changed || (previous && keyIdentity(previous) === keyIdentity(changed))) return undefined;
  return next.find((k) => k.id !== id && keyIdentity(k) === keyIdentity(changed));
}

/** Whether two stored values (JSON data) are equal, whatever the order of their properties. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ak = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Whether two keys hold the same fields, their update times aside. */
export const sameKey = (a: KeyConfig, b: KeyConfig) => sameValue({ ...a, updatedAt: 0 }, { ...b, updatedAt: 0 });

/**
 * The `updatedAt` of a key changed now: strictly later than the one it had, even when
 * the clock stands still or went back (two changes in one millisecond, a clock reset).
 */
export const stamp = (previous: number, now: number) => Math.max(now, previous + 1);

/** The fields of the draft that differ from the key the editor started from; a field the draft lacks is removed (`null`). */
export function changedFields<F extends keyof KeyFields>(base: KeyConfig, draft: Pick<KeyConfig, F>, fields: readonly F[]): KeyFields {
  const changed: Record<string, unknown> = {};
  for (const field of fields) {
    if (!sameValue(base[field], draft[field])) changed[field] = draft[field] ?? null;
  }
  return changed as KeyFields;
}

/**
 * Applies one change to a key list at time `now`. Pure; returns the same list when
 * nothing changes, and a refusal when the change must not be written.
 */
export function applyKeyChange(
  keys: readonly KeyConfig[],
  change: KeyChange,
  now: number = Date.now(),
): KeyConfig[] | { refused: KeyChangeRefusal } {
  const next = applied(keys, change, now);
  if ('refused' in next) return next;
  // By hand, one key is stored once: an import or sync folds look-alikes by themselves (lib/backup.ts, lib/sync/merge.ts).
  if ((change.type === 'put' || change.type === 'patch') && duplicateOf(keys, next, change.type === 'put' ? change.key.id : change.id))
    return { refused: 'duplicate' };
  // One limit for every way in (by hand, import): a list already over it may still shrink or change.
  if (next.length > MAX_STORED_KEYS && next.length > keys.length) return { refused: 'too-many' };
  return next;
}

function applied(keys: readonly KeyConfig[], change: KeyChange, now: number): KeyConfig[] | { refused: KeyChangeRefusal } {
  const unchanged = keys as KeyConfig[];
  switch (change.type) {
    case 'put': {
      const at = keys.findIndex((k) => k.id === change.key.id);
      const previous = keys[at];
      if (!previous) return [...keys, { ...change.key, updatedAt: now }];
      if (sameKey(previous, change.key)) return unchanged;
      const key = { ...change.key, createdAt: previous.createdAt, updatedAt: stamp(previous.updatedAt, now) };
      return keys.map((k, i) => (i === at ? key : k));
    }
    case 'delete': {
      const gone = new Set(change.ids);
      const kept = keys.filter((k) => !gone.has(k.id));
      return kept.length === keys.length ? unchanged : kept;
    }
    case 'patch': {
      const previous = keys.find((k) => k.id === change.id);
      if (change.expectedUpdatedAt !== undefined && previous?.updatedAt !== change.expectedUpdatedAt) return { refused: 'conflict' };
      if (!previous) return unchanged;
      const next: Record<string, unknown> = { ...previous };
      for (const [field, value] of Object.entries(change.fields)) {
        // The writer alone says which key this is and when it changed.
        if (field === 'id' || field === 'createdAt' || field === 'updatedAt') continue;
        if (value === null || value === undefined) delete next[field];
        else next[field] = value;
      }
      const key = next as unknown as KeyConfig;
      if (sameKey(previous, key)) return unchanged;
      const stamped = { ...key, updatedAt: stamp(previous.updatedAt, now) };
      return keys.map((k) => (k === previous ? stamped : k));
    }
    case 'replace': {
      if (listVersion(keys) !== change.expected) return { refused: 'conflict' };
      // The page's list says what each key holds; the writer says when it changed: a key
      // as it is keeps its time, a changed one gets a later one, a new one now. A time the
      // list carries (a backup version 3 file's `updatedAt`, automation.md §3.4) is kept
      // for a new key and wins for a changed one when it is later still.
      const byId = new Map(keys.map((k) => [k.id, k]));
      const next = change.keys.map((key) => {
        const previous = byId.get(key.id);
        const carried = Number.isSafeInteger(key.updatedAt) && key.updatedAt > 0 ? key.updatedAt : 0;
        if (!previous) return { ...key, updatedAt: carried || now };
        return sameKey(previous, key) ? previous : { ...key, updatedAt: Math.max(carried, stamp(previous.updatedAt, now)) };
      });
      return next.length === keys.length && next.every((k, i) => k === keys[i]) ? unchanged : next;
    }
    case 'dropUnreadable':
      // The readable keys stay as they are; the store asks the list to forget the rest.
      return unchanged;
    case 'sync':
      return listVersion(keys) === change.expected ? change.keys : { refused: 'conflict' };
  }
}

/** The keys of `before` that `after` no longer holds, each with a deletion time later than its last change. */
export function removedKeys(before: readonly KeyConfig[], after: readonly KeyConfig[], now: number): KeyTombstone[] {
  const kept = new Set(after.map((k) => k.id));
  return before.filter((k) => !kept.has(k.id)).map((k) => ({ id: k.id, deletedAt: stamp(k.updatedAt, now) }));
}

/**
 * A short fingerprint of a key list, so a page can say which list its change was
 * made against. Ids and update times are enough: every write sets `updatedAt`.
 */
export function listVersion(keys: readonly KeyConfig[]): string {
  let hash = 2166136261;
  for (const key of keys) {
    for (const part of [key.id, String(key.updatedAt), key.snoozedUntil === undefined ? '' : String(key.snoozedUntil)]) {
      for (let i = 0; i < part.length; i++) hash = Math.imul(hash ^ part.charCodeAt(i), 16777619);
      hash = Math.imul(hash ^ 0x7c, 16777619);
    }
  }
  return `${keys.length}:${(hash >>> 0).toString(36)}`;
}

/** Where the list lives (a `@wxt-dev/storage` item fits). */
export interface KeyListItem {
  getValue(): Promise<KeyConfig[]>;
  /** Writes the list; `write` says which keys it removes (each with its tombstone), in the same storage write. */
  setValue(keys: KeyConfig[], write?: KeyListWrite): Promise<void>;
  /** Forgets the stored entries that are not usable keys, which `setValue` keeps. */
  dropUnreadable?(): Promise<void>;
}

export type KeyChangeResult =
  | { ok: true; keys: KeyConfig[] }
  | { ok: false; reason: KeyChangeRefusal | 'write-failed'; message: string; max?: number };

const REFUSALS: Record<KeyChangeRefusal, string> = {
  conflict: 'the key or key list changed meanwhile',
  'too-many': `at most ${MAX_STORED_KEYS} keys can be kept`,
  duplicate: 'this site and secret are already saved as another key',
};

/**
 * The one writer of the key list: changes are applied strictly one after another,
 * each reading the list as the previous one left it. A failed write is reported to
 * whoever asked, and does not stop the changes queued behind it. `now` stamps `updatedAt`.
 */
export function createKeyStore(item: KeyListItem, now: () => number = Date.now) {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    change(change: KeyChange): Promise<KeyChangeResult> {
      const run = queue.then(async (): Promise<KeyChangeResult> => {
        const current = await item.getValue();
        const at = now();
        const next = applyKeyChange(current, change, at);
        if ('refused' in next) {
          return {
            ok: false,
            reason: next.refused,
            message: REFUSALS[next.refused],
            ...(next.refused === 'too-many' ? { max: MAX_STORED_KEYS } : {}),
          };
        }
        if (next === current && change.type !== 'dropUnreadable' && change.type !== 'sync') return { ok: true, keys: current };
        try {
          if (change.type === 'dropUnreadable') await item.dropUnreadable?.();
          else
            await item.setValue(
              next,
              change.type === 'sync' ? { tombstones: change.deleted } : { removed: removedKeys(current, next, at) },
            );
        } catch (cause) {
          return { ok: false, reason: 'write-failed', message: errorText(cause) };
        }
        return { ok: true, keys: next };
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

export type KeyStore = ReturnType<typeof createKeyStore>;
