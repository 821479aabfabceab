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
