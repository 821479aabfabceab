import { ADAPTERS, readKey } from './adapters';
import { TOKEN_USAGE_PATH } from './adapters/newapi-token';
import type { AdapterContext } from './adapters/types';
import { getJson } from './http';
import { emptyStatus, type KeyConfig, type KeyStatus, type ReadError, type Reading, type ReadOutcome } from './model';
import { dueKeys, takeBudget } from './schedule';
import { originOf } from './site';
import { parseSiteDisplay } from './site-status';
import type { Settings } from './state';
import { DEFAULT_SITE_DISPLAY, type SiteDisplay } from './units';

/** A storage item as the engine needs it (a `@wxt-dev/storage` item fits). */
export interface Item<T> {
  getValue(): Promise<T>;
  setValue(value: T): Promise<void>;
}

export interface EngineDeps {
  fetch: typeof fetch;
  now: () => number;
  /** Whether the extension may contact this site root (host permission). */
  hasHostAccess: (siteRoot: string) => Promise<boolean>;
  keys: Item<KeyConfig[]>;
  statuses: Item<Record<string, KeyStatus>>;
  settings: Item<Settings>;
  sites: Item<Record<string, { display: SiteDisplay; fetchedAt: number }>>;
  budget: Item<Record<string, number[]>>;
  /** Called after statuses were written. */
  onStatusesWritten?: () => void | Promise<void>;
  timeoutMs?: number;
}

/** How a refresh went, for the page that asked. */
export interface RefreshSummary {
  total: number;
  ok: number;
  failed: number;
}

/** The detail of a read skipped because the user has not granted access to the site. */
export const NO_ACCESS = 'no permission for this site yet: grant it on the options page';

/** How long a site's display settings are trusted: a day for polling, minutes when the user asks for a refresh. */
export const SITE_DISPLAY_TTL_MS = 24 * 3600_000;
export const SITE_DISPLAY_TTL_ON_DEMAND_MS = 10 * 60_000;
/** Requests in flight at once, overall and per site origin. */
export const CONCURRENCY = { total: 6, perOrigin: 2 } as const;

/** A counting semaphore. */
function limiter(size: number) {
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

/**
 * Reads keys and records what it learns. The service worker may die at any moment,
 * so everything it must remember goes to storage; in-memory state is only a cache
 * and a guard against reading a key twice at once.
 */
export function createEngine(deps: EngineDeps) {
  const inflight = new Map<string, Promise<boolean>>();
  const siteRequests = new Map<string, Promise<SiteDisplay>>();
  const total = limiter(CONCURRENCY.total);
  const perOrigin = new Map<string, ReturnType<typeof limiter>>();

  // Results wait here and are written in one batch, with the budget log and site cache.
  let pendingStatuses: Record<string, KeyStatus> = {};
  /** Results whose write is under way: still newer than what storage returns. */
  let writingStatuses: Record<string, KeyStatus> = {};
  let pendingSites: Record<string, { display: SiteDisplay; fetchedAt: number }> = {};
  let budgetLog: Record<string, number[]> | null = null;
  let budgetLoad: Promise<Record<string, number[]>> | null = null;
  let budgetDirty = false;
  let writing: Promise<void> = Promise.resolve();

  // One load shared by every concurrent first read, so no reservation is made on a copy that is then dropped.
  const loadBudget = () => {
    budgetLoad ??= deps.budget.getValue().then((log) => (budgetLog = log));
    return budgetLoad;
  };

  /** Writes everything pending. Serialised, so two flushes never interleave their read-modify-write. */
  function flush(): Promise<void> {
    // A failed write must not stop every later one: the chain carries on past it.
    writing = writing
      .catch(() => undefined)
      .then(async () => {
        const statuses = pendingStatuses;
        const sites = pendingSites;
        writingStatuses = { ...writingStatuses, ...statuses };
        pendingStatuses = {};
        pendingSites = {};
        const writes: Promise<void>[] = [];
        if (Object.keys(statuses).length) {
          const [stored, keys] = await Promise.all([deps.statuses.getValue(), deps.keys.getValue()]);
          const live = new Set(keys.map((k) => k.id));
          const next: Record<string, KeyStatus> = {};
          for (const [id, status] of Object.entries({ ...stored, ...statuses })) if (live.has(id)) next[id] = status;
          writes.push(deps.statuses.setValue(next));
        }
        if (Object.keys(sites).length) writes.push(deps.sites.getValue().then((stored) => deps.sites.setValue({ ...stored, ...sites })));
        if (budgetDirty && budgetLog) {
          budgetDirty = false;
          writes.push(deps.budget.setValue(budgetLog));
        }
        await Promise.all(writes);
        for (const id of Object.keys(statuses)) if (writingStatuses[id] === statuses[id]) delete writingStatuses[id];
        if (Object.keys(statuses).length) await deps.onStatusesWritten?.();
      });
    return writing;
  }

  /** What is known now: stored statuses with results not yet written on top, so a key just read is not read again. */
  const currentStatuses = async () => ({ ...(await deps.statuses.getValue()), ...writingStatuses, ...pendingStatuses });

  async function siteDisplay(siteRoot: string, maxAge: number): Promise<SiteDisplay> {
    const cached = pendingSites[siteRoot] ?? (await deps.sites.getValue())[siteRoot];
    if (cached && deps.now() - cached.fetchedAt < maxAge) return cached.display;
    let request = siteRequests.get(siteRoot);
    if (!request) {
      // `/api/status` is public: no secret is sent (shared/spec/new-api.md §3).
      request = getJson(`${siteRoot}/api/status`, {}, { fetch: deps.fetch, now: deps.now, timeoutMs: deps.timeoutMs }).then((result) => {
        const display =
          result.ok && result.response.status === 200 ? parseSiteDisplay(result.response.body, result.response.headers) : null;
        if (display) pendingSites[siteRoot] = { display, fetchedAt: deps.now() };
        // A site without /api/status (or failing it) keeps its last known settings, else new-api's defaults.
        return display ?? cached?.display ?? DEFAULT_SITE_DISPLAY;
      });
      siteRequests.set(siteRoot, request);
      request.finally(() => siteRequests.delete(siteRoot));
    }
    return request;
  }

  function tokenRouteGate(log: Record<string, number[]>) {
    return (url: string): ReadError | null => {
      const target = new URL(url);
      if (!target.pathname.endsWith(TOKEN_USAGE_PATH)) return null;
      const taken = takeBudget(log[target.origin] ?? [], deps.now());
      log[target.origin] = taken.log;
      budgetDirty = true;
      if (taken.retryAt === null) return null;
      return {
        kind: 'rate-limited',
        message: "held back to stay within the site's rate limit",
        retryAt: taken.retryAt,
        heldBack: true,
      };
    };
  }

  async function contextFor(key: KeyConfig, onDemand: boolean): Promise<AdapterContext> {
    const log = await loadBudget();
    return {
      fetch: deps.fetch,
      now: deps.now,
      timeoutMs: deps.timeoutMs,
      gate: tokenRouteGate(log),
      siteDisplay: () => siteDisplay(key.baseUrl, onDemand ? SITE_DISPLAY_TTL_ON_DEMAND_MS : SITE_DISPLAY_TTL_MS),
    };
  }

  /**
   * When the token route's budget is spent, a new-api key can still be read through
   * billing, which counts against the far larger GA bucket (shared/spec/new-api.md
   * §6.1). Billing may report the owner's wallet instead (§2.2), so its figures are
   * taken only when they match the key's last token-route reading (same unit, same
   * granted amount); otherwise the key waits for its turn. Billing refuses spent,
   * expired and disabled keys (§2.1): that refusal is news worth showing now.
   */
  async function viaBilling(key: KeyConfig, last: Reading, context: AdapterContext, heldBack: ReadOutcome): Promise<ReadOutcome> {
    const billing = await ADAPTERS['openai-billing'](key, context);
    if (!billing.ok) return billing.error.kind === 'auth' ? billing : heldBack;
    const r = billing.reading;
    const sameGrant =
      r.unlimited === last.unlimited &&
      r.unit.code === last.unit.code &&
      (r.unlimited ||
        (r.granted !== null && last.granted !== null && Math.abs(r.granted - last.granted) <= Math.max(1e-6, last.granted * 0.005)));
    if (!sameGrant) return heldBack;
    const { name, modelLimits } = last;
    return {
      ok: true,
      reading: {
        ...r,
        kind: 'newapi-token',
        scope: 'key',
        ...(name !== undefined ? { name } : {}),
        ...(modelLimits ? { modelLimits } : {}),
      },
    };
  }

  async function attempt(key: KeyConfig, previous: KeyStatus | undefined, onDemand: boolean): Promise<ReadOutcome> {
    const retryAt = previous?.error?.retryAt;
    if (previous?.error?.kind === 'rate-limited' && retryAt && retryAt > deps.now()) return { ok: false, error: previous.error };
    if (!(await deps.hasHostAccess(key.baseUrl))) {
      return { ok: false, error: { kind: 'network', message: NO_ACCESS } };
    }
    try {
      const context = await contextFor(key, onDemand);
      const outcome = await readKey(key, context, previous?.detectedKind);
      const last = previous?.reading;
      if (!outcome.ok && outcome.error.heldBack && last?.kind === 'newapi-token') return await viaBilling(key, last, context, outcome);
      return outcome;
    } catch (cause) {
      // Adapters never throw by design; this guards the stored state if one ever does.
      return { ok: false, error: { kind: 'bad-response', message: `unreadable answer (${(cause as Error)?.name ?? 'error'})` } };
    }
  }

  /** Reads one key now and queues its new status. Joins a read already under way. */
  function readOne(key: KeyConfig, base: KeyStatus | undefined, onDemand: boolean): Promise<boolean> {
    const running = inflight.get(key.id);
    if (running) return running;
    const origin = originOf(key.baseUrl);
    let site = perOrigin.get(origin);
    if (!site) {
      site = limiter(CONCURRENCY.perOrigin);
      perOrigin.set(origin, site);
    }
    const task = site(() =>
      total(async () => {
        const outcome = await attempt(key, base, onDemand);
        const previous = base ?? emptyStatus();
        const at = deps.now();
        pendingStatuses[key.id] = outcome.ok
          ? { reading: outcome.reading, error: null, attemptedAt: at, failures: 0, detectedKind: outcome.reading.kind }
          : {
              reading: outcome.reading ?? previous.reading,
              error: { ...outcome.error, at },
              attemptedAt: at,
              failures: outcome.error.heldBack ? previous.failures : previous.failures + 1,
              ...(previous.detectedKind ? { detectedKind: previous.detectedKind } : {}),
            };
        return outcome.ok;
      }),
    ).finally(() => inflight.delete(key.id));
    inflight.set(key.id, task);
    return task;
  }

  async function readMany(keys: readonly KeyConfig[], statuses: Record<string, KeyStatus>, onDemand: boolean): Promise<RefreshSummary> {
    // Stalest first: a key never read, or read longest ago, gets the token route's
    // scarce budget; a key with a recent reading can be read through billing instead.
    const stalest = [...keys].sort((a, b) => (statuses[a.id]?.reading?.fetchedAt ?? 0) - (statuses[b.id]?.reading?.fetchedAt ?? 0));
    // Write progress every few results so an open popup sees keys complete, then once at the end.
    let sinceFlush = 0;
    const results = await Promise.all(
      stalest.map((key) =>
        readOne(key, statuses[key.id], onDemand).then((ok) => {
          if (++sinceFlush >= 8) {
            sinceFlush = 0;
            void flush();
          }
          return ok;
        }),
      ),
    );
    await flush();
    const ok = results.filter(Boolean).length;
    return { total: keys.length, ok, failed: keys.length - ok };
  }

  return {
    /** Reads the given keys (or all) now, whatever their schedule. `reset` forgets what was known (edited keys). */
    async refresh(ids: readonly string[] | 'all', options: { reset?: boolean } = {}): Promise<RefreshSummary> {
      const [keys, statuses] = await Promise.all([deps.keys.getValue(), currentStatuses()]);
      const chosen = ids === 'all' ? keys : keys.filter((k) => ids.includes(k.id));
      if (options.reset) for (const key of chosen) delete statuses[key.id];
      return readMany(chosen, statuses, true);
    },

    /** Reads the keys whose time has come (the alarm's work). */
    async pollDue(): Promise<RefreshSummary> {
      const [keys, statuses, settings] = await Promise.all([deps.keys.getValue(), currentStatuses(), deps.settings.getValue()]);
      const due = dueKeys(keys, statuses, settings.intervalMinutes, deps.now()).filter((k) => !inflight.has(k.id));
      if (due.length === 0) return { total: 0, ok: 0, failed: 0 };
      return readMany(due, statuses, false);
    },

    /** Reads a key that is not stored (the options page's Test button); records nothing about the key. */
    async probe(key: KeyConfig): Promise<ReadOutcome> {
      const outcome = await attempt(key, undefined, true);
      await flush();
      return outcome;
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;
