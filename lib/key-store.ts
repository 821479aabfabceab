import type { KeyConfig } from './model';

/**
 * One change to the stored key list. Pages never write the list themselves: they send
 * one of these to the background, which applies them one at a time, so two writers
 * (the options page and a notification's snooze button, say) can never undo each
 * other's change by writing back a list they read before the other wrote.
 */
export type KeyChange =
  /** Adds a key, or replaces the stored key with the same id. */
  | { type: 'put'; key: KeyConfig }
  /** Removes keys. */
  | { type: 'delete'; ids: string[] }
  /**
   * Changes some fields of one key; `null` removes a field. A key deleted meanwhile
   * stays deleted. Edits are sent as patches of the fields the user changed, so a
   * snooze set while the form was open survives the form's Save.
   */
  | { type: 'patch'; id: string; fields: { [F in keyof Omit<KeyConfig, 'id'>]?: KeyConfig[F] | null } }
  /** Replaces the whole list (an import's merge, an undo), but only if it still starts from what the page saw. */
  | { type: 'replace'; keys: KeyConfig[]; expected: string }
  /**
   * Removes the stored entries that cannot be read as keys (hand-edited storage, a
   * damaged profile), which every other change keeps as they are. Asked for by the user.
   */
  | { type: 'dropUnreadable' };

/** Applies one change to a key list. Pure; returns the same list when nothing changes. */
export function applyKeyChange(keys: readonly KeyConfig[], change: KeyChange): KeyConfig[] | { conflict: true } {
  switch (change.type) {
    case 'put': {
      const at = keys.findIndex((k) => k.id === change.key.id);
      return at < 0 ? [...keys, change.key] : keys.map((k, i) => (i === at ? change.key : k));
    }
    case 'delete': {
      const gone = new Set(change.ids);
      const kept = keys.filter((k) => !gone.has(k.id));
      return kept.length === keys.length ? (keys as KeyConfig[]) : kept;
    }
    case 'patch':
      if (!keys.some((k) => k.id === change.id)) return keys as KeyConfig[];
      return keys.map((k) => {
        if (k.id !== change.id) return k;
        const next: Record<string, unknown> = { ...k };
        for (const [field, value] of Object.entries(change.fields)) {
          if (value === null || value === undefined) delete next[field];
          else next[field] = value;
        }
        return next as unknown as KeyConfig;
      });
    case 'replace':
      return listVersion(keys) === change.expected ? change.keys : { conflict: true };
    case 'dropUnreadable':
      // The readable keys stay as they are; the store asks the list to forget the rest.
      return keys as KeyConfig[];
  }
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
  setValue(keys: KeyConfig[]): Promise<void>;
  /** Forgets the stored entries that are not usable keys, which `setValue` keeps. */
  dropUnreadable?(): Promise<void>;
}

export type KeyChangeResult = { ok: true; keys: KeyConfig[] } | { ok: false; reason: 'conflict' | 'write-failed'; message: string };

/**
 * The one writer of the key list: changes are applied strictly one after another,
 * each reading the list as the previous one left it. A failed write is reported to
 * whoever asked, and does not stop the changes queued behind it.
 */
export function createKeyStore(item: KeyListItem) {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    change(change: KeyChange): Promise<KeyChangeResult> {
      const run = queue.then(async (): Promise<KeyChangeResult> => {
        const current = await item.getValue();
        const next = applyKeyChange(current, change);
        if ('conflict' in next) {
          return { ok: false, reason: 'conflict', message: 'the key list changed meanwhile' };
        }
        if (next === current && change.type !== 'dropUnreadable') return { ok: true, keys: current };
        try {
          if (change.type === 'dropUnreadable') await item.dropUnreadable?.();
          else await item.setValue(next);
        } catch (cause) {
          return { ok: false, reason: 'write-failed', message: (cause as Error)?.message ?? String(cause) };
        }
        return { ok: true, keys: next };
      });
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

export type KeyStore = ReturnType<typeof createKeyStore>;
