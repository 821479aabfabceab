import { isStopped } from '../http';
import type { KeyConfig, KeyStatus, ReadOutcome } from '../model';
import type { ReadPolicy } from '../providers/policy';
import { fitOutcome } from '../reading-budget';
import { sanitizeOutcome } from '../redact';
import { originOf } from '../site';
import { CONCURRENCY, limiter, limiterPerKey } from './limiter';
import type { Attempt } from './read';
import { readIdentity, statusAfter } from './record';
import type { CycleClaim, EngineDeps, RefreshSummary } from './types';
import type { WriteBehind } from './write-behind';

/**
 * Runs cycles of reads. The service worker may die at any moment, so a cycle claims
 * its work in storage before its first request, and a successor that finds a claim
 * nobody alive owns lets the policies recover from it. Keys are read through limiters
 * (overall and per site origin), each key once at a time.
 */
export function createCycles(deps: EngineDeps, policy: Required<ReadPolicy>, attempt: Attempt, results: WriteBehind) {
  const inflight = new Map<string, Promise<boolean>>();
  const total = limiter(CONCURRENCY.total);
  const perOrigin = limiterPerKey(CONCURRENCY.perOrigin);
  const myCycles = new Set<string>();
  let cycleCount = 0;

  /**
   * Reads one key now and queues its new status. Joins a read already under way.
   * `known` is the site's answer to a read just made with this config (a Save's check):
   * it is recorded as this read's outcome, with no request.
   */
  function readOne(
    key: KeyConfig,
    base: KeyStatus | undefined,
    onDemand: boolean,
    signal?: AbortSignal,
    known?: ReadOutcome,
  ): Promise<boolean> {
    const running = inflight.get(key.id);
    if (running) return running;
    let edited: KeyConfig | undefined;
    const task = perOrigin(originOf(key.baseUrl))(() =>
      total(async () => {
        // Sanitised, then within the key's byte budget: no answer can fill storage (lib/reading-budget.ts).
        const outcome = fitOutcome(sanitizeOutcome(known ?? (await attempt(key, base, onDemand, undefined, signal)), [key.secret]));
        // Stopped by the person who asked: nothing is wrong with the key, and what was known stays.
        if (!outcome.ok && isStopped(outcome.error)) return false;
        // Edited (or deleted) while it was being read: the result belongs to the old config.
        const current = (await deps.keys.getValue()).find((k) => k.id === key.id);
        if (!current) return false;
        if (readIdentity(current) !== readIdentity(key)) {
          edited = current;
          return false;
        }
        // Offline: nothing is wrong with the key; keep what was known and try again later.
        if (!outcome.ok && outcome.error.kind === 'network' && deps.isOnline?.() === false) return false;
        results.queue(key, statusAfter(base, outcome, deps.now()));
        return outcome.ok;
      }),
    )
      .finally(() => inflight.delete(key.id))
      // Read again with what the user saved; whoever joined this read gets that result.
      .then((ok) => (edited ? readOne(edited, undefined, onDemand, signal) : ok));
    inflight.set(key.id, task);
    return task;
  }

  /** Claims left by a worker that died mid-cycle go to the policies; the live ones are returned. */
  async function recoverDeadCycles(): Promise<Record<string, CycleClaim>> {
    const claims = await deps.cycles.getValue();
    const dead = Object.entries(claims).filter(([id]) => !myCycles.has(id));
    if (dead.length === 0) return claims;
    await policy.recover(dead.map(([, claim]) => claim));
    return Object.fromEntries(Object.entries(claims).filter(([id]) => myCycles.has(id)));
  }

  /** Reads `keys` (stalest first) in one claimed cycle, and commits what it learns; `known` answers by key id stand for reads. */
  async function run(
    keys: readonly KeyConfig[],
    statuses: Record<string, KeyStatus>,
    onDemand: boolean,
    signal?: AbortSignal,
    known: Readonly<Record<string, ReadOutcome>> = {},
  ): Promise<RefreshSummary> {
    const id = `${deps.now()}-${++cycleCount}`;
    const claims = await recoverDeadCycles();
    myCycles.add(id);
    const claim: CycleClaim = { startedAt: deps.now(), origins: [...new Set(keys.map((k) => originOf(k.baseUrl)))] };
    await results.commit({ cycles: { ...claims, [id]: claim } });

    // Stalest first: a key never read, or read longest ago, gets a site's scarce rate
    // budget first; a key with a recent reading may have another way (a policy's fallback).
    const stalest = [...keys].sort((a, b) => (statuses[a.id]?.reading?.fetchedAt ?? 0) - (statuses[b.id]?.reading?.fetchedAt ?? 0));
    let done = 0;
    const pace = results.pacer();
    const oks = await Promise.all(
      stalest.map((key) =>
        readOne(key, statuses[key.id], onDemand, signal, known[key.id]).then((ok) => {
          deps.onProgress?.(++done, keys.length);
          pace();
          return ok;
        }),
      ),
    );
    myCycles.delete(id);
    const remaining = Object.fromEntries(
      Object.entries(await deps.cycles.getValue()).filter(([other]) => other !== id && myCycles.has(other)),
    );
    await results.commit({ cycles: remaining }, myCycles.size === 0);
    const ok = oks.filter(Boolean).length;
    return { total: keys.length, ok, failed: keys.length - ok };
  }

  return {
    run,
    /** Whether a read of this key is under way. */
    isReading: (keyId: string) => inflight.has(keyId),
  };
}
