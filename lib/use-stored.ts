import { useEffect, useState } from 'preact/hooks';
import type { WxtStorageItem } from 'wxt/utils/storage';

/**
 * A storage item's value, kept current; undefined until first loaded. A page that
 * read the value before rendering passes it as `initial`, and no second read is made.
 */
export function useStored<T>(item: WxtStorageItem<T, Record<string, unknown>>, initial?: T): T | undefined {
  const [value, setValue] = useState<T | undefined>(initial);
  useEffect(() => {
    let live = true;
    let changed = initial !== undefined;
    const unwatch = item.watch((next) => {
      changed = true;
      setValue(next);
    });
    // A change that lands while the first read is in flight is newer than that read.
    void item.getValue().then((initial) => {
      if (live && !changed) setValue(initial);
    });
    return () => {
      live = false;
      unwatch();
    };
  }, [item, initial]);
  return value;
}
