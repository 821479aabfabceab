import { ADAPTERS, readKey } from './adapters';
import { TOKEN_USAGE_PATH } from './adapters/newapi-token';
import type { AdapterContext } from './adapters/types';
import { type Alert, judgeAlerts } from './alerts';
import { addPoint, type Point, trendOf } from './history';
import { getJson } from './http';
import { emptyStatus, type KeyConfig, type KeyStatus, type ReadError, type Reading, type ReadOutcome } from './model';
import { redactAnswer } from './providers/redact';
import { sanitizeOutcome } from './redact';
import { dueKeys, TOKEN_ROUTE_BUDGET, takeBudget } from './schedule';
import { originOf } from './site';
import { parseSiteDisplay } from './site-status';
import { keyState, type Settings, withDefaults } from './state';
import { childIdsOf, judgeChildren } from './token-views';
import { DEFAULT_SITE_DISPLAY, type SiteDisplay } from './units';

/** A storage item as the engine reads it (a `@wxt-dev/storage` item fits). */
export interface Item<T> {
  getValue(): Promise<T>;
}

/** A cycle under way, written before its first request so a successor knows what a dead worker was doing. */
export interface CycleClaim {
  startedAt: number;
  /** Origins whose token route the cycle may have used. */
  origins: string[];
}

export type SiteCache = Record<string, { display: SiteDisplay; fetchedAt: number }>;

/** Everything a cycle writes, committed in one storage operation. */
export interface Commit {
  /** The statuses of the keys read since the last commit: only these are written. */
  statuses?: Record<string, KeyStatus>;
  sites?: SiteCache;
  budget?: Record<string, number[]>;
  cycles?: Record<string, CycleClaim>;
  /** The whole history of each key that got a new point; storage writes only what changed. */
  history?: Record<string, Point[]>;
  /** Series of watched tokens and plans that are gone: removed. */
  forget?: string[];
}

export interface EngineDeps {
  fetch: typeof fetch;
  now: () => number;
  /** Whether the extension may contact this site root (host permission). */
  hasHostAccess: (siteRoot: string) => Promise<boolean>;
  /** False while the browser is offline: polling pauses and no key is marked broken. */
  isOnline?: () => boolean;
  keys: Item<KeyConfig[]>;
  settings: Item<Settings>;
  statuses: Item<Record<string, KeyStatus>>;
  sites: Item<SiteCache>;
  budget: Item<Record<string, number[]>>;
  cycles: Item<Record<string, CycleClaim>>;
  /** Each key's history, read for the keys asked only. */
  history: { getMany(ids: readonly string[]): Promise<Record<string, Point[]>> };
  /** Writes several items in one storage operation. */
  commit: (patch: Commit) => Promise<void>;
  /** After statuses were committed, with what to announce. */
  onCommitted?: (alerts: { key: KeyConfig; alert: Alert }[]) => void | Promise<void>;
  /** Each key's outcome as it arrives, for a progress display. */
  onProgress?: (done: number, total: number) => void;
  timeoutMs?: number;
}

/** A Test read: its outcome and, for a `custom` key, the endpoint's answer with secrets redacted. */
export type ProbeResult = ReadOutcome & { answer?: unknown };

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
/** A long cycle commits what it has at this pace, so a killed worker loses little. */
export const COMMIT_EVERY_MS = 5_000;

/** What a read depends on: a result read with another identity is stale (issue #7, item 12). */
export const readIdentity = (key: KeyConfig) =>
  JSON.stringify([key.baseUrl, key.secret, key.kind, key.userId, key.currency, key.custom, key.expiresAt]);

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
 * so what must survive goes to storage: a cycle claims its work in one write and
 * commits its results (statuses, budget, site settings, history) in one more. Memory
 * is only a cache, and a guard against reading a key twice.
 */
export function createEngine(deps: EngineDeps) {
  const inflight = new Map<string, Promise<boolean>>();
  const siteRequests = new Map<string, Promise<SiteDisplay>>();
  const total = limiter(CONCURRENCY.total);
  const perOrigin = new Map<string, ReturnType<typeof limiter>>();
  const myCycles = new Set<string>();
  let cycleCount = 0;

  // Results wait here until committed. Those being written stay visible until the write lands.
  let pendingStatuses: Record<string, KeyStatus> = {};
  /** The config each pending result was read with, checked again when it is committed. */
  const pendingIdentity = new Map<string, string>();
  let writingStatuses: Record<string, KeyStatus> = {};
  let pendingSites: SiteCache = {};
  /** Alerts judged in this round of reads, announced together when it ends. */
  const held: { key: KeyConfig; alert: Alert }[] = [];
  let budgetLog: Record<string, number[]> | null = null;
  let budgetLoad: Promise<Record<string, number[]>> | null = null;
  let budgetDirty = false;
  let writing: Promise<void> = Promise.resolve();

  // One load shared by every concurrent first read, so no reservation is made on a copy that is then dropped.
  const loadBudget = () => {
    budgetLoad ??= deps.budget.getValue().then((log) => (budgetLog = log));
    return budgetLoad;
  };

  /** What is known now: stored statuses with results not yet written on top. */
  const currentStatuses = async () => ({ ...(await deps.statuses.getValue()), ...writingStatuses, ...pendingStatuses });

  /**
   * Commits pending results, with alerts judged and history extended, in one write.
   * Serialised: two commits never interleave their read-modify-write, and a failed
   * write does not stop later ones.
   */
  function commit(extra: Pick<Commit, 'cycles'> = {}, endOfRound = false): Promise<void> {
    writing = writing
      .catch(() => undefined)
      .then(async () => {
        const results = pendingStatuses;
        const identities = new Map(pendingIdentity);
        pendingIdentity.clear();
        const sites = pendingSites;
        writingStatuses = { ...writingStatuses, ...results };
        pendingStatuses = {};
        pendingSites = {};
        const patch: Commit = { ...extra };
        const announce: { key: KeyConfig; alert: Alert }[] = [];
        if (Object.keys(results).length) {
          const [keys, settings, stored] = await Promise.all([
            deps.keys.getValue(),
            deps.settings.getValue().then(withDefaults),
            deps.statuses.getValue(),
          ]);
          const now = deps.now();
          const byId = new Map(keys.map((k) => [k.id, k]));
          // Only the keys just read are written, with their watched tokens' series; a deleted
          // key's data is removed when the list changes.
          const accounts = Object.keys(results).filter((id) => byId.has(id));
          const childIds = accounts.flatMap((id) => [
            ...Object.keys(stored[id]?.children ?? {}),
            ...childIdsOf(byId.get(id) as KeyConfig, results[id]),
          ]);
          const history = await deps.history.getMany([...new Set([...accounts, ...childIds])]);
          const statuses: Record<string, KeyStatus> = {};
          const nextHistory: Record<string, Point[]> = { ...history };
          for (const [id, result] of Object.entries(results)) {
            const key = byId.get(id);
            const readWith = identities.get(id);
            // Deleted, or edited after this result was read: dropped (the edit asks for a new read).
            if (!key || (readWith !== undefined && readWith !== readIdentity(key))) continue;
            let status = result;
            const reading = result.reading;
            if (!result.error && reading && reading.remaining !== null && !reading.unlimited) {
              nextHistory[id] = addPoint(history[id] ?? [], reading.fetchedAt, reading.remaining);
              status = { ...status, trend: trendOf(nextHistory[id], now) };
            }
            const judged = judgeAlerts(key, status, keyState(key, status, settings, now), status.alert, settings, now);
            // A watched account's tokens and plans get their own alerts and history (lib/token-views.ts).
            const family = judgeChildren(key, { ...status, alert: judged.memory }, stored[id], nextHistory, settings, now);
            statuses[id] = family.status;
            for (const alert of judged.alerts) announce.push({ key, alert });
            announce.push(...family.alerts);
          }
          patch.statuses = statuses;
          // Series that changed are written; tokens and plans that are gone take theirs along.
          patch.history = Object.fromEntries(Object.entries(nextHistory).filter(([id, series]) => series !== history[id]));
          const gone = childIds.filter((id) => !(id in nextHistory) && id in history);
          if (gone.length) patch.forget = gone;
        }
        if (Object.keys(sites).length) patch.sites = { ...(await deps.sites.getValue()), ...sites };
        if (budgetDirty && budgetLog) {
          budgetDirty = false;
          patch.budget = budgetLog;
        }
        if (Object.keys(patch).length) await deps.commit(patch);
        for (const id of Object.keys(results)) if (writingStatuses[id] === results[id]) delete writingStatuses[id];
        // Alerts wait for the end of the round, so one round is announced as a whole (automation.md §5).
        held.push(...announce);
        if (patch.statuses || (endOfRound && held.length)) {
          const round = endOfRound ? held.splice(0) : [];
          await deps.onCommitted?.(round);
        }
      });
    return writing;
  }

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
      return { kind: 'rate-limited', message: "held back to stay within the site's rate limit", retryAt: taken.retryAt, heldBack: true };
    };
  }

  async function contextFor(key: KeyConfig, onDemand: boolean, onAnswer?: (body: unknown) => void): Promise<AdapterContext> {
    const log = await loadBudget();
    return {
      ...(onAnswer ? { onAnswer } : {}),
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

  async function attempt(
    key: KeyConfig,
    previous: KeyStatus | undefined,
    onDemand: boolean,
    onAnswer?: (body: unknown) => void,
  ): Promise<ReadOutcome> {
    const retryAt = previous?.error?.retryAt;
    // Scheduled polling honours the gateway's Retry-After; a person's Refresh always asks again.
    if (!onDemand && previous?.error?.kind === 'rate-limited' && !previous.error.heldBack && retryAt && retryAt > deps.now()) {
      return { ok: false, error: previous.error };
    }
    if (!(await deps.hasHostAccess(key.baseUrl))) return { ok: false, error: { kind: 'network', message: NO_ACCESS } };
    try {
      const context = await contextFor(key, onDemand, onAnswer);
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
    let edited: KeyConfig | undefined;
    const task = site(() =>
      total(async () => {
        const outcome = sanitizeOutcome(await attempt(key, base, onDemand), [key.secret]);
        // Edited (or deleted) while it was being read: the result belongs to the old config.
        const current = (await deps.keys.getValue()).find((k) => k.id === key.id);
        if (!current) return false;
        if (readIdentity(current) !== readIdentity(key)) {
          edited = current;
          return false;
        }
        const previous = base ?? emptyStatus();
        // Offline: nothing is wrong with the key; keep what was known and try again later.
        if (!outcome.ok && outcome.error.kind === 'network' && deps.isOnline?.() === false) return false;
        const at = deps.now();
        const kept = { ...(previous.trend ? { trend: previous.trend } : {}), ...(previous.alert ? { alert: previous.alert } : {}) };
        pendingStatuses[key.id] = outcome.ok
          ? { reading: outcome.reading, error: null, attemptedAt: at, failures: 0, detectedKind: outcome.reading.kind, ...kept }
          : {
              reading: outcome.reading ?? previous.reading,
              error: { ...outcome.error, at },
              attemptedAt: at,
              failures: outcome.error.heldBack ? previous.failures : previous.failures + 1,
              ...(previous.detectedKind ? { detectedKind: previous.detectedKind } : {}),
              ...kept,
            };
        pendingIdentity.set(key.id, readIdentity(key));
        return outcome.ok;
      }),
    )
      .finally(() => inflight.delete(key.id))
      // Read again with what the user saved; whoever joined this read gets that result.
      .then((ok) => (edited ? readOne(edited, undefined, onDemand) : ok));
    inflight.set(key.id, task);
    return task;
  }

  /**
   * A worker that died mid-cycle left its claim behind. Its token-route requests may
   * not have been logged, so its sites' budgets are taken as spent from the moment it
   * started: Quota Glance may wait a little, but never overspends a site's budget.
   */
  async function recoverDeadCycles(): Promise<Record<string, CycleClaim>> {
    const claims = await deps.cycles.getValue();
    const dead = Object.entries(claims).filter(([id]) => !myCycles.has(id));
    if (dead.length === 0) return claims;
    const log = await loadBudget();
    for (const [, claim] of dead) {
      for (const origin of claim.origins) {
        const filler = Array.from({ length: TOKEN_ROUTE_BUDGET.requests }, () => claim.startedAt);
        log[origin] = [...(log[origin] ?? []), ...filler];
      }
    }
    budgetDirty = true;
    return Object.fromEntries(Object.entries(claims).filter(([id]) => myCycles.has(id)));
  }

  async function runCycle(keys: readonly KeyConfig[], statuses: Record<string, KeyStatus>, onDemand: boolean): Promise<RefreshSummary> {
    const id = `${deps.now()}-${++cycleCount}`;
    const claims = await recoverDeadCycles();
    myCycles.add(id);
    const claim: CycleClaim = { startedAt: deps.now(), origins: [...new Set(keys.map((k) => originOf(k.baseUrl)))] };
    await commit({ cycles: { ...claims, [id]: claim } });

    // Stalest first: a key never read, or read longest ago, gets the token route's
    // scarce budget; a key with a recent reading can be read through billing instead.
    const stalest = [...keys].sort((a, b) => (statuses[a.id]?.reading?.fetchedAt ?? 0) - (statuses[b.id]?.reading?.fetchedAt ?? 0));
    let done = 0;
    let lastCommit = deps.now();
    const results = await Promise.all(
      stalest.map((key) =>
        readOne(key, statuses[key.id], onDemand).then((ok) => {
          deps.onProgress?.(++done, keys.length);
          if (deps.now() - lastCommit >= COMMIT_EVERY_MS) {
            lastCommit = deps.now();
            void commit();
          }
          return ok;
        }),
      ),
    );
    myCycles.delete(id);
    const remaining = Object.fromEntries(
      Object.entries(await deps.cycles.getValue()).filter(([other]) => other !== id && myCycles.has(other)),
    );
    await commit({ cycles: remaining }, myCycles.size === 0);
    const ok = results.filter(Boolean).length;
    return { total: keys.length, ok, failed: keys.length - ok };
  }

  return {
    /** Reads the given keys (or all) now, whatever their schedule. `reset` forgets what was known (edited keys). */
    async refresh(ids: readonly string[] | 'all', options: { reset?: boolean } = {}): Promise<RefreshSummary> {
      const [keys, statuses] = await Promise.all([deps.keys.getValue(), currentStatuses()]);
      const chosen = ids === 'all' ? keys : keys.filter((k) => ids.includes(k.id));
      if (chosen.length === 0) return { total: 0, ok: 0, failed: 0 };
      if (options.reset)
        for (const key of chosen)
          statuses[key.id] = { ...emptyStatus(), ...(statuses[key.id]?.alert ? { alert: statuses[key.id]?.alert } : {}) };
      return runCycle(chosen, statuses, true);
    },

    /** Reads the keys whose time has come (the alarm's work). Pauses while offline. */
    async pollDue(): Promise<RefreshSummary> {
      if (deps.isOnline?.() === false) return { total: 0, ok: 0, failed: 0 };
      const [keys, statuses, settings] = await Promise.all([
        deps.keys.getValue(),
        currentStatuses(),
        deps.settings.getValue().then(withDefaults),
      ]);
      const due = dueKeys(keys, statuses, settings.intervalMinutes, deps.now()).filter((k) => !inflight.has(k.id));
      if (due.length === 0) return { total: 0, ok: 0, failed: 0 };
      return runCycle(due, statuses, false);
    },

    /** Reads a key that is not stored (the options page's Test button); records nothing about the key. */
    async probe(key: KeyConfig): Promise<ProbeResult> {
      let answer: unknown;
      const outcome = sanitizeOutcome(await attempt(key, undefined, true, (body) => (answer = body)), [key.secret]);
      await commit();
      // A custom key's answer, redacted, so the page can show it as a tree (automation.md §3.1).
      return answer === undefined ? outcome : { ...outcome, answer: redactAnswer(answer, key.secret) };
    },
  };
}

export type Engine = ReturnType<typeof createEngine>;
