/** A storage item as the engine reads it (a `@wxt-dev/storage` item fits). */
export interface Item<T> {
  getValue(): Promise<T>;
}

/** A cycle under way, written before its first request so a successor knows what a dead worker was doing. */
export interface CycleClaim {
  startedAt: number;
  /** Origins the cycle reads: a policy recovering from a dead cycle takes its sites as used from `startedAt`. */
  origins: string[];
}
