/**
 * Quota windows (shared/spec/relays.md §1.1): a key limited by windows that reset
 * (5 hours, a day, a week), by a lifetime `total`, or by a plan. Pure: the state, the popup
 * and the badge call the judgements here; the readers derive windows in lib/window-facts.ts.
 */
import type { PlanReading, QuotaWindow, Reading } from './schema';

export type { QuotaWindow } from './schema';

const clamp = (v: number, low: number, high: number) => Math.min(high, Math.max(low, v));

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

/**
 * The fraction of a window that is left, in [0, 1]: 0 when nothing is left or its share
 * used is 100 % (used up, relays.md §1.3); null when unknown (no limit, unlimited).
 */
export const windowLeft = (w: QuotaWindow): number | null =>
  w.remaining !== null && w.remaining <= 0
    ? 0
    : w.limit && w.remaining !== null
      ? Math.min(1, w.remaining / w.limit)
      : w.percentUsed === null
        ? null
        : clamp(1 - w.percentUsed / 100, 0, 1);

/**
 * What a reading's windows say now, in one pass (relays.md §1.1 rule 7: a window whose
 * stated reset has passed says nothing until the next reading): the full resetting
 * windows (`capped`), whether a lifetime allowance is used up (`exhausted`, §1.3), and
 * whether any other has less than `lowPercent` % left (`low`).
 */
export function judgeWindows(reading: Reading, nowS: number, lowPercent: number) {
  const full: QuotaWindow[] = [];
  let usedUp = false;
  let low = false;
  for (const w of reading.windows ?? []) {
    if (w.resets && w.resetsAt !== null && w.resetsAt <= nowS) continue;
    const left = windowLeft(w);
    if (left === 0 && w.resets) full.push(w);
    else if (left === 0) usedUp = true;
    else if (left !== null && left * 100 < lowPercent) low = true;
  }
  return { full, usedUp, low };
}

/**
 * When a capped key works again, Unix seconds: the latest reset among its full windows
 * (it needs room in every one); null when any full window's reset is unknown.
 */
export const resumesAt = (full: readonly QuotaWindow[]): number | null =>
  full.some((w) => w.resetsAt === null) ? null : Math.max(...full.map((w) => w.resetsAt as number));

/** The window with the least left (full ones first); null when none says how much is left. */
export const tightestWindow = <W extends QuotaWindow>(windows: readonly W[]): W | null =>
  windows.reduce<W | null>((best, w) => {
    const left = windowLeft(w);
    return left !== null && (best === null || left < (windowLeft(best) as number)) ? w : best;
  }, null);

/** A window as a row shows it: a plan's also says when the plan ends (new-api-accounts.md §B.6). */
export type ShownWindow = QuotaWindow & { plan?: PlanReading };

/**
 * Every window of a reading, for the row: the key's own, then each new-api plan as a
 * window of its account (new-api-accounts.md §B) in the site's display unit. One list,
 * one way to show them all.
 */
export function shownWindows(reading: Reading, planName: (plan: PlanReading) => string): ShownWindow[] {
  const own: ShownWindow[] = reading.windows ?? [];
  if (!reading.plans?.length) return own;
  return [...own, ...reading.plans.map((plan) => ({ ...planWindow(plan, reading.unit.code, planName(plan)), plan }))];
}
