/**
 * Quota windows (shared/spec/relays.md §1.1): a key limited by windows that reset
 * (5 hours, a day, a week), by a lifetime `total`, or by a plan. Pure: the readers call
 * the derivation below, the state, the popup and the badge the judgements after it.
 */
import { isAmount, isMoment, MAX_MOMENT_S } from './bounds';
import type { PlanReading, QuotaWindow, Reading } from './schema';

export type { QuotaWindow } from './schema';

/**
 * relays.md §1.1 rule 1: a JSON number or a decimal string (trimmed) is a number; anything
 * else (`null`, `""`, `"abc"`, a boolean, `Infinity`) is null, never 0.
 */
export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)$/i;

/**
 * relays.md §1.1 rule 5: a time as Unix seconds. ISO 8601 needs `Z` or an offset (any
 * number of fraction digits: Kimi sends 6); a time without one is null, since a server's
 * timezone is never assumed (rule 6). Numbers (or decimal strings) are seconds below
 * 10^11, else milliseconds. Zero, negative and no-date values are null.
 */
export function toUnixSeconds(value: unknown): number | null {
  if (typeof value === 'string') {
    const match = ISO.exec(value.trim());
    if (match) {
      const [, y, mo, d, h, mi, s = '0', , zone = 'Z'] = match;
      let offset = 0;
      if (zone.toUpperCase() !== 'Z') {
        const digits = zone.replace(':', '');
        offset = (digits.startsWith('-') ? -1 : 1) * (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0));
      }
      const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offset * 60_000;
      return positiveMoment(Math.floor(ms / 1000));
    }
  }
  const n = toNumber(value);
  if (n === null) return null;
  return positiveMoment(Math.floor(n < MAX_MOMENT_S ? n : n / 1000));
}

const positiveMoment = (s: number) => (s > 0 && isMoment(s) ? s : null);

/** What a gateway states about one window; every figure raw, as it came. */
export interface WindowFacts {
  name: string;
  scope: QuotaWindow['scope'];
  /** `USD` (or another ISO 4217 code), `tokens`, `requests` or `percent`. */
  unit: string;
  limit?: unknown;
  used?: unknown;
  remaining?: unknown;
  /** A stated share used, 0–100. */
  percentUsed?: unknown;
  /** A stated reset time (ISO 8601, seconds or milliseconds). */
  resetsAt?: unknown;
  /** `false` only for a lifetime allowance (`total`). Default true. */
  resets?: boolean;
  /** A sliding window, with no single reset moment. Default false. */
  rolling?: boolean;
}

const clamp = (v: number, low: number, high: number) => Math.min(high, Math.max(low, v));
/** Without a limit a negative figure is no amount (`-1` means "no limit", relays.md §1.2): unknown, never 0. */
const bounded = (v: number | null, limit: number | null) => (v === null ? null : limit === null ? (v < 0 ? null : v) : clamp(v, 0, limit));

/**
 * One window from what a gateway states (relays.md §1.1 rules 1–5). `remaining` is the
 * stated one, else limit − used; `used` the stated one, else limit − remaining; both
 * clamped to [0, limit]. `percentUsed` the stated share clamped to 0–100, else
 * used / limit. A window stated only as a percent is a `percent` window of 100.
 * A negative limit is "no limit" (`-1`), and the reader decides which limits mean
 * "not configured" (relays.md §1.2) before calling this.
 */
export function toWindow(facts: WindowFacts): QuotaWindow {
  const stated = toNumber(facts.percentUsed);
  const percent = stated === null ? null : clamp(stated, 0, 100);
  const raw = { limit: toNumber(facts.limit), used: toNumber(facts.used), remaining: toNumber(facts.remaining) };
  const resets = facts.resets ?? true;
  const common = {
    name: facts.name,
    scope: facts.scope,
    resetsAt: resets ? toUnixSeconds(facts.resetsAt) : null,
    resets,
    rolling: facts.rolling ?? false,
  };
  const onlyPercent = raw.limit === null && raw.used === null && raw.remaining === null && percent !== null;
  if (facts.unit === 'percent' || onlyPercent) {
    // Rule 4: limit 100, used = the percent (a stated used share when no percent is given).
    const used = percent ?? (raw.used === null ? null : clamp(raw.used, 0, 100));
    const left = raw.remaining === null ? null : clamp(raw.remaining, 0, 100);
    const shareUsed = used ?? (left === null ? null : 100 - left);
    return {
      ...common,
      unit: 'percent',
      limit: 100,
      used: shareUsed,
      remaining: shareUsed === null ? null : 100 - shareUsed,
      percentUsed: shareUsed,
    };
  }
  const limit = raw.limit !== null && raw.limit >= 0 ? raw.limit : null;
  const remaining = bounded(raw.remaining ?? (limit !== null && raw.used !== null ? limit - raw.used : null), limit);
  const used = bounded(raw.used ?? (limit !== null && raw.remaining !== null ? limit - raw.remaining : null), limit);
  const percentUsed = percent ?? (limit !== null && limit > 0 && used !== null ? (used / limit) * 100 : null);
  return { ...common, unit: facts.unit, limit, used, remaining, percentUsed };
}

/** Every figure of a window in range (lib/bounds.ts): the sanity gate on readings (lib/adapters/index.ts). */
export function isSaneWindow(w: QuotaWindow): boolean {
  const amounts = [w.limit, w.used, w.remaining].every((v) => v === null || isAmount(v));
  const percent = w.percentUsed === null || (Number.isFinite(w.percentUsed) && w.percentUsed >= 0 && w.percentUsed <= 100);
  return amounts && percent && (w.resetsAt === null || (Number.isInteger(w.resetsAt) && w.resetsAt > 0 && isMoment(w.resetsAt)));
}

/**
 * A new-api subscription plan as a window of its account (new-api-accounts.md §B): its
 * allowance in the current window, in the site's display unit. A plan that never resets
 * again (`next_reset_time` 0) is a window that does not reset: at 0 it is used up, not full.
 */
export function planWindow(plan: PlanReading, unit: string, fallbackName: string): QuotaWindow {
  return {
    name: plan.title ?? fallbackName,
    scope: 'plan',
    unit,
    limit: plan.total,
    used: plan.used,
    remaining: plan.remaining,
    percentUsed: plan.total !== null && plan.total > 0 ? Math.min(100, (plan.used / plan.total) * 100) : null,
    resetsAt: plan.resetsAt,
    resets: plan.resetsAt !== null,
    rolling: false,
  };
}

/** The fraction of a window that is left, in [0, 1]; null when unknown (no limit, unlimited). */
export function windowLeft(w: QuotaWindow): number | null {
  if (w.limit !== null && w.limit > 0 && w.remaining !== null) return clamp(w.remaining / w.limit, 0, 1);
  if (w.percentUsed !== null) return clamp(1 - w.percentUsed / 100, 0, 1);
  return null;
}

/** Used up: nothing left, or its share used is 100 % (relays.md §1.3). */
export const isFull = (w: QuotaWindow): boolean =>
  (w.remaining !== null && w.remaining <= 0) || (w.percentUsed !== null && w.percentUsed >= 100);

/** Its stated reset has passed: what it said is over (relays.md §1.1 rule 7), until the next reading. */
const resetPassed = (w: QuotaWindow, nowS: number) => w.resets && w.resetsAt !== null && w.resetsAt <= nowS;

/** The windows that still say something now: those whose reset has not passed. */
export const currentWindows = (reading: Reading, nowS: number): QuotaWindow[] =>
  (reading.windows ?? []).filter((w) => !resetPassed(w, nowS));

/** A lifetime allowance (`total`, resets false) is used up: the key is exhausted, not capped (relays.md §1.3). */
export const totalUsedUp = (reading: Reading, nowS: number): boolean => currentWindows(reading, nowS).some((w) => !w.resets && isFull(w));

/** Full resetting windows whose reset is still ahead (or unknown): the key is `capped`. */
export const fullWindows = (reading: Reading, nowS: number): QuotaWindow[] =>
  currentWindows(reading, nowS).filter((w) => w.resets && isFull(w));

/**
 * When a capped key works again, Unix seconds: the latest reset among its full windows
 * (it needs room in every one); null when any full window's reset is unknown, or none is full.
 */
export function resumesAt(full: readonly QuotaWindow[]): number | null {
  let latest: number | null = null;
  for (const w of full) {
    if (w.resetsAt === null) return null;
    latest = Math.max(latest ?? 0, w.resetsAt);
  }
  return latest;
}

/** Whether any current window has less than `percent` % left (and is not used up: that is capped or exhausted). */
export const windowLow = (reading: Reading, percent: number, nowS: number): boolean =>
  currentWindows(reading, nowS).some((w) => {
    const left = windowLeft(w);
    return left !== null && !isFull(w) && left * 100 < percent;
  });

/** The window with the least left (full ones first); null when none says how much is left. */
export function tightestWindow(windows: readonly QuotaWindow[]): QuotaWindow | null {
  let best: QuotaWindow | null = null;
  let least = Number.POSITIVE_INFINITY;
  for (const w of windows) {
    const left = windowLeft(w);
    if (left !== null && left < least) {
      best = w;
      least = left;
    }
  }
  return best;
}
