import type { PageFacts } from './manifest';

/**
 * The registry: every kind of key Quota Glance reads, by backup `kind`, in the order the
 * form offers them. One line per kind; its folder `lib/providers/<folder>/` holds the rest
 * (page.ts, manifest.ts, index.ts), found by `import.meta.glob` (lib/providers/collect.ts).
 */
export const PROVIDER_IDS = [
  'newapi-token',
  'openai-billing',
  'newapi-user',
  'r9s-manager',
  'openrouter',
  'deepseek',
  'moonshot',
  'siliconflow',
  'stepfun',
  'claude-relay',
  'claude-code-hub',
  'glm-coding',
  'kimi-code',
  'custom',
  'sub2api',
] as const;

/**
 * What the pages show of every kind (lib/providers/manifest.ts `PageFacts`): the popup
 * imports this, never the whole manifests (labels, hosts, prefixes, probes, import names),
 * which the options page and the background read from lib/providers/manifests.ts. Each
 * folder's `page` (an array where a folder holds several kinds) is spread into its
 * manifest; only that export is imported, so the popup gets no module objects. Every kind
 * of the list has one (tests/registry.test.tsx).
 */
const PAGES: readonly PageFacts[] = Object.values(
  import.meta.glob<PageFacts | PageFacts[]>('./*/page.ts', { eager: true, import: 'page' }),
).flat();

/** A kind the registry reads (every kind but `auto`). */
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** A kind's page facts, typed as any kind's (for reading optional fields). */
export const pageOf = (kind: ProviderId): PageFacts => PAGES.find((page) => page.id === kind) as PageFacts;
