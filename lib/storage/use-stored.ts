/**
 * lib/storage/use-stored.ts: the Preact hook that keeps a page showing a storage item's
 * current value (the popup and the options page).
 */
import { useEffect, useState } from 'preact/hooks';

/**
 * A storage item's value, kept current; undefined until first loaded. A page that
 * read the value before rendering passes it as `initial` to paint at once.
 *
 * The watcher can only start after the first render, so the value is read once
 * more after it starts: a write that landed in between is not missed. A change
 * reported by the watcher is newer than that read, and wins.
 */
/** What `useStored` needs of a storage item (a `@wxt-dev/storage` item, or a reader of per-key items). */
export interface Watchable<T> {
  getValue(): Promise<T>;
  watch(callback: (value: T) => void): () => void;
}

/** Whether storage changed since the page's first read; null when the page did not say when that was. */
let sinceFirstRead: { changed: boolean } | null = null;

/**
 * Called by a page just before its first storage read: from then on any change is
 * noted, so `useStored` need not read again what the page already holds when nothing
 * changed (at 500 keys that read is the popup's biggest cost after its first frame).
 */
export function noteChangesFromNow(onChanged: { addListener(listener: () => void): void }): void {
  const note = { changed: false };
  onChanged.addListener(() => {
    note.changed = true;
  });
  sinceFirstRead = note;
}

export function useStored<T>(
  item: Watchable<T>,
  initial?: T,
  /** Keeps only what the page shows of each value (the rest can be collected). */
  select: (value: T) => T = (value) => value,
): T | undefined {
  const [value, setValue] = useState<T | undefined>(initial);
  useEffect(() => {
    let live = true;
    let changed = false;
    const unwatch = item.watch((next) => {
      changed = true;
      setValue(select(next));
    });
    // Nothing changed since the page read `initial`: it is current, and the watcher has the rest.
    if (initial !== undefined && sinceFirstRead && !sinceFirstRead.changed)
      return () => {
        live = false;
        unwatch();
      };
    void item.getValue().then((stored) => {
      if (!live || changed) return;
      const current = select(stored);
      // Same as what is shown: keep the object, so nothing re-renders.
      setValue((shown) => (shown !== undefined && JSON.stringify(shown) === JSON.stringify(current) ? shown : current));
    });
    return () => {
      live = false;
      unwatch();
    };
  }, [item]);
  return value;
}
