import { useEffect, useState } from 'preact/hooks';
import type { WxtStorageItem } from 'wxt/utils/storage';

/**
 * A storage item's value, kept current; undefined until first loaded. A page that
 * read the value before rendering passes it as `initial` to paint at once.
 *
 * The watcher can only start after the first render, so the value is read once
 * more after it starts: a write that landed in between is not missed. A change
 * reported by the watcher is newer than that read, and wins.
 */
export function useStored<T>(
  item: WxtStorageItem<T, Record<string, unknown>>,
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
