import type { Item } from '../lib/engine';

/** An in-memory stand-in for a storage item that counts writes, for scripts run outside a browser. */
export function memoryItem<T>(initial: T): Item<T> & { writes: number; value: T } {
  const item = {
    value: structuredClone(initial),
    writes: 0,
    async getValue() {
      return structuredClone(item.value);
    },
    async setValue(value: T) {
      item.writes++;
      item.value = structuredClone(value);
    },
  };
  return item;
}
