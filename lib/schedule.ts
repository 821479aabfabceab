import type { KeyConfig, KeyStatus } from './model';
import { readAt, TOKEN_ROUTE_BUDGET } from './next-read';
import { manifestOf, PROVIDER_IDS, type ProviderId } from './providers/manifests';

export { BACKOFF_CEILING_MS, JITTER_FRACTION, MINUTE, stableJitter, TOKEN_ROUTE_BUDGET } from './next-read';

/** The kind's slowest pace (relays.md §7.2), from its manifest; 1 minute when it has none. */
const floorOf = (kind: string | undefined): number =>
  kind && (PROVIDER_IDS as readonly string[]).includes(kind) ? (manifestOf(kind as ProviderId).minIntervalMinutes ?? 1) : 1;

/**
 * When a key should next be read (lib/next-read.ts `readAt`), with its kind's slowest pace.
 */
export const nextReadAt = (key: KeyConfig, status: KeyStatus | undefined, intervalMinutes: number, now: number): number =>
  readAt(key, status, intervalMinutes, now, floorOf);

/** Keys due at `now`, most overdue first. `intervalMinutes` is the default; a key's own interval wins. */
export function dueKeys(
  keys: readonly KeyConfig[],
  statuses: Readonly<Record<string, KeyStatus>>,
  intervalMinutes: number,
  now: number,
): KeyConfig[] {
  return keys
    .map((key) => ({ key, at: nextReadAt(key, statuses[key.id], intervalMinutes, now) }))
    .filter((entry) => entry.at <= now)
    .sort((a, b) => a.at - b.at)
    .map((entry) => entry.key);
}

/**
 * Takes one request from an origin's sliding-window budget. Returns the updated log
 * and null when allowed, or the time the next request may go when the budget is spent.
 * Times after `now` (logged while the clock was ahead) count as `now`: they free up one
 * window from now, instead of holding every read back until that future time.
 */
export function takeBudget(log: readonly number[], now: number): { log: number[]; retryAt: number | null } {
  const recent = log
    .map((t) => Math.min(t, now))
    .filter((t) => t > now - TOKEN_ROUTE_BUDGET.windowMs)
    .sort((a, b) => a - b);
  if (recent.length >= TOKEN_ROUTE_BUDGET.requests) {
    const oldest = recent[recent.length - TOKEN_ROUTE_BUDGET.requests] ?? now;
    return { log: recent, retryAt: oldest + TOKEN_ROUTE_BUDGET.windowMs };
  }
  return { log: [...recent, now], retryAt: null };
}
