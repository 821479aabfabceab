import type { CycleClaim, Item } from '../engine/claims';
import type { KeyConfig, KeyStatus, ReadOutcome, ResolvedKind } from '../model';
import type { AdapterContext } from './adapter';
import type { SiteDisplay } from './newapi/units';

/** Each site root's display settings and when they were fetched (stored as `sites`). */
export type SiteCache = Record<string, { display: SiteDisplay; fetchedAt: number }>;
/** Request times by site origin (stored as `tokenRouteBudget`). */
export type BudgetLog = Record<string, number[]>;

/** What a policy may use: the transport, the clock, and the storage items it keeps its state in. */
export interface PolicyDeps {
  fetch: typeof fetch;
  now: () => number;
  timeoutMs?: number;
  sites: Item<SiteCache>;
  budget: Item<BudgetLog>;
  /** The stored keys: the display cache keeps only the sites some key still uses. */
  keys: Pick<Item<KeyConfig[]>, 'getValue'>;
}

/** What policies write with the engine's commits. */
export interface PolicyWrites {
  sites?: SiteCache;
  budget?: BudgetLog;
}

/** What a policy adds to a read's context: a gate on its requests, the site's display settings. */
export type PolicyContext = Partial<Pick<AdapterContext, 'gate' | 'siteDisplay'>>;

/** Reads the key as another kind, with the same context (and the registry's sanity checks). */
export type ReadAs = (kind: ResolvedKind) => Promise<ReadOutcome>;

/**
 * Rules a kind of site imposes on every read, with state kept for the engine's
 * lifetime and written with its commits: new-api's rate budget, display settings
 * cache and billing fallback (lib/providers/newapi/policy.ts). The engine calls these
 * hooks and knows nothing of what they do.
 */
export interface ReadPolicy {
  /** Before a read: what its context gets. */
  context(key: KeyConfig, onDemand: boolean): Promise<PolicyContext>;
  /** After a read: another way to read the key, or the outcome as it is. */
  fallback?(key: KeyConfig, previous: KeyStatus | undefined, outcome: ReadOutcome, readAs: ReadAs): Promise<ReadOutcome>;
  /** Cycles of a worker that died, whose requests may not have been recorded. */
  recover?(dead: readonly CycleClaim[]): Promise<void>;
  /**
   * At the start of a commit: takes what waits to be written, and returns how to
   * complete the commit's patch (merged with storage) when the commit is assembled.
   */
  drain?(): () => Promise<PolicyWrites>;
}

/** A provider's policy, made once per engine. */
export type PolicyFactory = (deps: PolicyDeps) => ReadPolicy;
