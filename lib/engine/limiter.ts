/** Requests in flight at once, overall and per site origin. */
export const CONCURRENCY = { total: 6, perOrigin: 2 } as const;

/** Runs a task when a slot is free. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

/** A counting semaphore: at most `size` tasks run at once, the others wait their turn in order. */
export function limiter(size: number): Limiter {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (active >= size) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await task();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** One limiter per key (a site origin), made on first use. */
export function limiterPerKey(size: number): (key: string) => Limiter {
  const limiters = new Map<string, Limiter>();
  return (key) => {
    let found = limiters.get(key);
    if (!found) {
      found = limiter(size);
      limiters.set(key, found);
    }
    return found;
  };
}
