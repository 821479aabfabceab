import { useEffect, useState } from 'preact/hooks';
import type { WxtStorageItem } from 'wxt/utils/storage';

/** A storage item's value, kept current; undefined until first loaded. */
export function useStored<T>(item: WxtStorageItem<T, Record<string, unknown>>): T | undefined {
  const [value, setValue] = useState<T | undefined>(undefined);
  useEffect(() => {
    let live = true;
    let changed = false;
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
  }, [item]);
  return value;
}
