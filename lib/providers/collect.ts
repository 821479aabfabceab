/**
 * The registry's one list and what each provider folder exports, put together: every kind
 * in `PROVIDER_IDS` (lib/providers/pages.ts) finds its page facts, manifest and provider
 * among its folder's exports (`import.meta.glob`), by `id`. Adding a kind is its folder and
 * one line in that list; a kind whose folder lacks one of them stops the extension at load,
 * and tests/registry.test.tsx says which.
 */
export type FolderModules = Record<string, unknown>;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** What a folder's module gave: one item (a named import), several (an array), or a module's exports. */
const itemsOf = (given: unknown): unknown[] =>
  Array.isArray(given) ? given : isObject(given) && typeof given.id === 'string' ? [given] : isObject(given) ? Object.values(given) : [];

/** The items of the folders' modules that `is`, by `id`, for each of `ids` in order. */
export function collect<K extends string, T extends { id: string }>(
  modules: FolderModules,
  is: (value: Record<string, unknown>) => boolean,
  ids: readonly K[],
  what: string,
): { readonly [P in K]: T } {
  const found = new Map<string, T>();
  for (const module of Object.values(modules))
    for (const value of itemsOf(module)) if (isObject(value) && typeof value.id === 'string' && is(value)) found.set(value.id, value as T);
  const entries = ids.map((id) => {
    const item = found.get(id);
    if (!item) throw new Error(`lib/providers: no ${what} for the kind ${id}`);
    return [id, item] as const;
  });
  return Object.fromEntries(entries) as { readonly [P in K]: T };
}
