/**
 * lib/storage/site-caches.ts: which entries of the stored per-site caches are still
 * needed, pure (items.ts `forgetKeys` prunes the rest).
 */
import type { KeyConfig } from '../model';
import { originOf } from '../site';

/**
 * The per-site caches (`sites`: display settings by site root; `tokenRouteBudget`:
 * request times by origin) keep only the sites some key still uses: a deleted key's
 * site leaves them with it, instead of staying in storage forever.
 */
export function sitesInUse(keys: readonly KeyConfig[]): { roots: Set<string>; origins: Set<string> } {
  const roots = new Set<string>();
  const origins = new Set<string>();
  for (const key of keys) {
    roots.add(key.baseUrl);
    try {
      origins.add(originOf(key.baseUrl));
    } catch {
      // A stored address that is not a URL has no origin to keep.
    }
  }
  return { roots, origins };
}

/** `cache` without the entries whose name is not in `keep`; the same object when nothing goes. */
export function pruned<T>(cache: Record<string, T>, keep: ReadonlySet<string>): Record<string, T> {
  const names = Object.keys(cache);
  if (names.every((name) => keep.has(name))) return cache;
  return Object.fromEntries(Object.entries(cache).filter(([name]) => keep.has(name)));
}
