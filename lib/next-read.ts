/**
 * When a key is next read (lib/schedule.ts), without the kinds' registry: the popup asks
 * whether any key is due before it wakes the background, and loads no kind's manifest for
 * that (its bundle is counted in bytes). The caller passes the kind's slowest pace.
 */
import type { KeyConfig, KeyStatus } from './model';
import { capping } from './state';

/**
 * new-api's CT bucket allows 20 requests per 1200 s per client IP on
 * `/api/usage/token/`, shared with the user's own logins (shared/spec/new-api.md §6.1).
 * Quota Glance keeps to half of it per site origin and leaves the rest to the user.
 */
export const TOKEN_ROUTE_BUDGET = { requests: 10, windowMs: 1200_000 } as const;

export const MINUTE = 60_000;
/** The longest a failing key waits between attempts. */
export const BACKOFF_CEILING_MS = 6 * 60 * MINUTE;
/** Keys are spread over this fraction of their interval so one site's keys do not fire together. */
export const JITTER_FRACTION = 0.1;

/** A stable number in [0, 1) from a key id, so a key's jitter does not drift between wake-ups. */
export function stableJitter(id: string): number {
  let hash = 2166136261;
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 16777619);
  // murmur3's finaliser, so ids that differ in one character land far apart.
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return ((hash ^ (hash >>> 16)) >>> 0) / 2 ** 32;
}

/**
 * When a key should next be read: its interval (plus a stable jitter) after the last
 * attempt; after failures, exponential backoff from one interval up to a ceiling;
 * never before a `Retry-After` (itself capped at the ceiling). A key never read is due now; a key held back by the
 * site's budget is due when the budget frees. An attempt stamped after `now` (a clock that was ahead, then
 * corrected) cannot be trusted: the key is due now, and its next attempt gets a true stamp, so polling never
 * stalls until that time.
 */
export function readAt(
  key: KeyConfig,
  status: KeyStatus | undefined,
  intervalMinutes: number,
  now: number,
  /** The kind's slowest pace in minutes (relays.md §7.2); 1 when it has none. */
  floorOf: (kind: string | undefined) => number,
): number {
  // Held back by Quota Glance's own budget: not the key's fault, its turn comes when the budget frees (within its window).
  const held = status?.heldBack;
  if (held) return held.at > now ? now : Math.min(held.until, held.at + TOKEN_ROUTE_BUDGET.windowMs);
  if (!status?.attemptedAt) return 0;
  if (status.attemptedAt > now) return now;
  const attemptedAt = status.attemptedAt;
  // Some sites ask for a slower pace than the person's interval (relays.md §7.2): the kind's floor wins.
  intervalMinutes = Math.max(floorOf(key.kind === 'auto' ? status.detectedKind : key.kind), key.intervalMinutes ?? intervalMinutes);
  // The same, as a status stored before `heldBack` was its own field (an error that was none).
  if (status.error?.heldBack) return Math.min(status.error.retryAt ?? attemptedAt, attemptedAt + TOKEN_ROUTE_BUDGET.windowMs);
  const interval = Math.max(1, intervalMinutes) * MINUTE;
  const jitter = stableJitter(key.id) * JITTER_FRACTION * interval;
  let wait = interval + jitter;
  if (status.error && status.failures > 1) {
    wait = Math.min(interval * 2 ** (status.failures - 1), Math.max(interval, BACKOFF_CEILING_MS)) + jitter;
  }
  // Retry-After is honoured up to the backoff ceiling, also for a status stored before the cap.
  const retryAt = Math.min(status.error?.retryAt ?? 0, attemptedAt + BACKOFF_CEILING_MS);
  const next = Math.max(attemptedAt + wait, retryAt);
  // A full window that resets before then: read again a minute after the reset, to say the key works again (relays.md §7.2).
  const { resumesAt } = status.error ? { resumesAt: null } : capping(status.reading, attemptedAt);
  const afterReset = resumesAt === null ? null : resumesAt * 1000 + MINUTE;
  return afterReset !== null && afterReset > attemptedAt && afterReset < next ? afterReset : next;
}

/**
 * Whether any key is due at `now`, by the person's intervals alone: a kind that asks for a
 * slower pace may make this say yes where the engine then reads nothing; never the reverse.
 */
export const anyDue = (
  keys: readonly KeyConfig[],
  statuses: Readonly<Record<string, KeyStatus>>,
  intervalMinutes: number,
  now: number,
): boolean => keys.some((key) => readAt(key, statuses[key.id], intervalMinutes, now, () => 1) <= now);
