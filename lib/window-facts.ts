/**
 * Quota windows from what a gateway states (shared/spec/relays.md §1.1): the readers'
 * derivation and the sanity gate's bounds. Apart from lib/windows.ts (the judgements the
 * popup needs) so that the popup's bundle never carries the readers' side: a module both
 * reach is put in the chunk the popup loads, with every export any reader uses.
 */
import { isAmount, isMoment, MAX_MOMENT_S } from './bounds';
import type { QuotaWindow } from './schema';

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

/** Every figure of a window in range (lib/bounds.ts): the sanity gate on readings (lib/providers/read.ts). */
export function isSaneWindow(w: QuotaWindow): boolean {
  const amounts = [w.limit, w.used, w.remaining].every((v) => v === null || isAmount(v));
  const percent = w.percentUsed === null || (Number.isFinite(w.percentUsed) && w.percentUsed >= 0 && w.percentUsed <= 100);
  return amounts && percent && (w.resetsAt === null || (Number.isInteger(w.resetsAt) && w.resetsAt > 0 && isMoment(w.resetsAt)));
}
