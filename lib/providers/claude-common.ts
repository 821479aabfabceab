import type { ReadError, ReadOutcome, ResolvedKind } from '../model';
import type { QuotaWindow } from '../schema';
import { windowLeft } from '../windows';
import type { PolicyFactory } from './policy';

/**
 * A refusal that says the key has expired (claude-relay-service `已过期`, Claude Code Hub
 * `key_expired`; relays.md §3.4, §4.4) without saying when: the key is `expired` by an
 * expiry in the past, the moment of the refusal, so nothing else is claimed about it.
 */
export function expiredNow(kind: ResolvedKind, error: ReadError, now: number): ReadOutcome {
  const reading = {
    kind,
    scope: 'key' as const,
    unit: { code: 'USD' },
    unlimited: false,
    remaining: null,
    granted: null,
    used: null,
    expiresAt: Math.floor(now / 1000),
    fetchedAt: now,
  };
  return { ok: false, error, reading };
}

/**
 * The lifetime allowance a row shows as the key's own quota (automation.md §4.1): the
 * tighter `total` window (key or owner, relays.md §4.2), or none.
 */
export function totalOf(windows: readonly QuotaWindow[]): QuotaWindow | null {
  const totals = windows.filter((w) => !w.resets);
  return totals.reduce<QuotaWindow | null>((best, w) => (best === null || (windowLeft(w) ?? 1) < (windowLeft(best) ?? 1) ? w : best), null);
}

/**
 * An expired key of `kind` keeps its last figures (relays.md §7.2: "keep the last good
 * reading"): the refusal says only that it expired (`expiredNow`), so the last reading of
 * the same kind stays, with its time, and takes the expiry: the one it already had when
 * that has passed, else now. Every kind's policy sees every read: this one acts on its own kind's.
 */
export const keepFiguresWhenExpired =
  (kind: ResolvedKind): PolicyFactory =>
  (deps) => ({
    context: async () => ({}),
    async fallback(_key, previous, outcome) {
      const last = previous?.reading;
      if (outcome.ok || outcome.reading?.kind !== kind || last?.kind !== kind) return outcome;
      const ended = last.expiresAt !== null && last.expiresAt * 1000 <= deps.now() ? last.expiresAt : outcome.reading.expiresAt;
      return { ...outcome, reading: { ...last, expiresAt: ended } };
    },
  });
