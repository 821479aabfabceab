import { createCycles } from './engine/cycle';
import { createAttempt } from './engine/read';
import { createRecentProbes } from './engine/recent-probes';
import type { EngineDeps, ProbeResult, RefreshSummary } from './engine/types';
import { createWriteBehind } from './engine/write-behind';
import { isStopped } from './http';
import { emptyStatus, type KeyConfig, type ReadOutcome } from './model';
import { registryPolicy } from './providers';
import { redactAnswer } from './providers/redact';
import { fitOutcome } from './reading-budget';
import { sanitizeOutcome } from './redact';
import { dueKeys } from './schedule';

export { CONCURRENCY } from './engine/limiter';
export { NO_ACCESS } from './engine/read';
export { PROBE_REUSE_MS } from './engine/recent-probes';
export { readIdentity } from './engine/record';
export type { Commit, CycleClaim, EngineDeps, Item, ProbeResult, RefreshSummary } from './engine/types';
export { COMMIT_EVERY_MS } from './engine/write-behind';
export type { SiteCache } from './providers/policy';

/**
 * Reads keys and records what it learns (lib/engine/): cycles claimed in storage and
 * run through limiters, results recorded by a pure function and written behind in
 * few storage operations. What a kind of site demands (rate budgets, display
 * settings, fallbacks) comes from the policies its provider declares; the engine
 * knows no provider. Memory is only a cache, and a guard against reading a key twice.
 */
export function createEngine(deps: EngineDeps) {
  const policy = registryPolicy(deps);
  const results = createWriteBehind(deps, policy);
  const attempt = createAttempt(deps, policy);
  const cycles = createCycles(deps, policy, attempt, results);
  const probes = createRecentProbes(deps.now);
  // What a person asked for (Refresh, Test) can be stopped; scheduled polling goes on.
  let stopper = new AbortController();

  return {
    /**
     * Reads the given keys (or all) now, whatever their schedule. `reset` forgets what was known (edited keys).
     * `probe` is the id of a draft's read (`probe`) a key was just saved from: a key still read exactly as
     * that draft gets its answer as this read's outcome, recorded the same way, with no request to the site.
     */
    async refresh(ids: readonly string[] | 'all', options: { reset?: boolean; probe?: string } = {}): Promise<RefreshSummary> {
      const [keys, statuses] = await Promise.all([deps.keys.getValue(), results.current()]);
      const chosen = ids === 'all' ? keys : keys.filter((k) => ids.includes(k.id));
      if (chosen.length === 0) return { total: 0, ok: 0, failed: 0 };
      if (options.reset)
        for (const key of chosen)
          statuses[key.id] = { ...emptyStatus(), ...(statuses[key.id]?.alert ? { alert: statuses[key.id]?.alert } : {}) };
      const known: Record<string, ReadOutcome> = {};
      if (options.probe)
        for (const key of chosen) {
          const outcome = await probes.take(options.probe, key);
          if (outcome) known[key.id] = outcome;
        }
      return cycles.run(chosen, statuses, true, stopper.signal, known);
    },

    /** Stops what a person asked for and is still reading: its requests end now, and nothing is recorded for them. */
    stop(): void {
      stopper.abort();
      stopper = new AbortController();
    },

    /** Reads the keys whose time has come (the alarm's work). Pauses while offline. */
    async pollDue(): Promise<RefreshSummary> {
      if (deps.isOnline?.() === false) return { total: 0, ok: 0, failed: 0 };
      const [keys, statuses, settings] = await Promise.all([deps.keys.getValue(), results.current(), deps.settings.getValue()]);
      const due = dueKeys(keys, statuses, settings.intervalMinutes, deps.now()).filter((k) => !cycles.isReading(k.id));
      if (due.length === 0) return { total: 0, ok: 0, failed: 0 };
      return cycles.run(due, statuses, false);
    },

    /**
     * Reads a key that is not stored (the options page's Test, and Save's check); records nothing about
     * the key. The answer is kept a short while under the returned `probeId`, for `refresh` once it is saved.
     */
    async probe(key: KeyConfig): Promise<ProbeResult> {
      const done = probes.begin(key);
      try {
        let answer: unknown;
        // Kept for the saved key's first read: within the byte budget like any outcome recorded.
        const outcome = fitOutcome(
          sanitizeOutcome(await attempt(key, undefined, true, (body) => (answer = body), stopper.signal), [key.secret]),
        );
        await results.commit();
        // A stopped read said nothing about the key: there is nothing to keep.
        const kept = !outcome.ok && isStopped(outcome.error) ? {} : { probeId: await probes.remember(key, outcome) };
        // A custom key's answer, redacted, so the page can show it as a tree (automation.md §3.1).
        return answer === undefined ? { ...outcome, ...kept } : { ...outcome, ...kept, answer: redactAnswer(answer, key.secret) };
      } finally {
        done();
      }
    },

    /**
     * Site roots of drafts being read or whose answers are kept (`PROBE_REUSE_MS`): the options page
     * may still save them, so their host access is not given back yet.
     */
    probedSites: (): string[] => probes.sites(),
  };
}

export type Engine = ReturnType<typeof createEngine>;
